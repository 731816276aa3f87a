"""Buttons: from a button pressed on a real notification server to the answer committed, and to the
follow-up notification taken by the server.

A private session bus, Xvfb and dunst; dunst's context menu (its `dmenu` is a script that picks
"Made it worse" and notes the moment it does) presses the button on the daemon's "Moist heat on
now". The daemon logs a line once the answer is committed ("answered from the notification") and
one once the server has taken the follow-up ("Stop the heat now [desktop (D-Bus)]"); each is
timed when read. Needs dbus-daemon, Xvfb, dunst and dunstctl (`.ci/run` installs them).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import DESKTOP_TOOLS, DaemonLines, Result, desktop, end_desktop, main, sandbox, tt


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(quick: bool) -> list[Result]:
    missing = [tool for tool in DESKTOP_TOOLS if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"buttons: needs {', '.join(missing)} (apt install dbus xvfb dunst)")
    rounds = 3 if quick else 20
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-buttons-"))
    menu = (
        f'#!/bin/sh\nchoice=$(grep -F "Made it worse" | head -n 1)\ndate +%s.%N > "{folder}/pressed"\necho "$choice"\n'
    )
    session, processes, bus = desktop(folder, menu)
    try:
        with sandbox() as env:
            env.update(session)
            tt(env, "start", "--no-daemon", "--injured", "-3d")
            daemon = DaemonLines(env, clock=time.time)  # compared with the menu script's clock

            def wait_for(text: str) -> float:
                return daemon.wait_for(text, refuse="[terminal")  # it must have reached the server

            committed, shown = [], []
            try:
                wait_for("Moist heat on now")
                for _ in range(rounds):
                    subprocess.run(["dunstctl", "context"], env=env, check=True, timeout=10)
                    answered = wait_for("answered from the notification")
                    follow_up = wait_for("Stop the heat now")
                    pressed = float((folder / "pressed").read_text())
                    committed.append(answered - pressed)
                    shown.append(follow_up - pressed)
                    tt(env, "start", "--replace", "--no-daemon", "--injured", "-3d")  # heat again
                    wait_for("Moist heat on now")
            finally:
                daemon.stop()
    finally:
        end_desktop(processes, bus)
        shutil.rmtree(folder, ignore_errors=True)
    ms = 1000
    return [
        Result(
            "button press to answer committed",
            statistics.median(committed) * ms,
            "ms",
            300,
            f"median of {rounds}, p95 {percentile(committed, 0.95) * ms:.0f} ms",
        ),
        Result(
            "button press to follow-up on the server",
            statistics.median(shown) * ms,
            "ms",
            300,
            f"median of {rounds}, p95 {percentile(shown, 0.95) * ms:.0f} ms (Made it worse -> Stop the heat now)",
        ),
    ]


if __name__ == "__main__":
    main(measure)
