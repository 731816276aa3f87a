"""Shared plumbing for the benchmarks: a throwaway data folder, the command, and the report line.

Each benchmark prints a human line and a `RESULT {json}` line (read by run_all.py), and exits 1
when its budget is broken. `--quick` runs a short version: a smoke run that keeps it from rotting.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

TOP = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP))


class Result(NamedTuple):
    name: str
    value: float
    unit: str
    budget: float
    detail: str
    record: dict[str, int] | None = None  # counts a smoke test checks for consistency (never timing)

    @property
    def ok(self) -> bool:
        return self.value <= self.budget


def command() -> list[str]:
    """The installed `therapy-timer` beside this interpreter, else `python -m therapy_timer`."""
    script = Path(sys.executable).with_name("therapy-timer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "therapy_timer"]


@contextmanager
def sandbox(config: str = "") -> Iterator[dict[str, str]]:
    """An environment with its own data folder and config, and no desktop session."""
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-bench-"))
    (folder / "config.toml").write_text(config)
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
    env.update(
        THERAPY_TIMER_DATA_DIR=str(folder / "data"),
        THERAPY_TIMER_CONFIG=str(folder / "config.toml"),
        XDG_CONFIG_HOME=str(folder / "xdg"),
        XDG_RUNTIME_DIR=str(folder),
    )
    try:
        yield env
    finally:
        subprocess.run([*command(), "stop"], env=env, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


DESKTOP_TOOLS = ("dbus-daemon", "Xvfb", "dunst", "dunstctl")
BUS_CONFIG = TOP / "tests" / "data" / "session-bus.conf"
"""A session bus that starts no service on demand, so only the dunst started here answers."""


def desktop(
    folder: Path, menu: str = "#!/bin/sh\ncat >/dev/null\n"
) -> tuple[dict[str, str], list[subprocess.Popen[bytes]], int]:
    """A private session bus, a virtual screen and dunst, whose context menu runs the script `menu`;
    returns the variables that reach them, the processes and the bus's pid (for `end_desktop`)."""
    address, bus = subprocess.run(
        ["dbus-daemon", f"--config-file={BUS_CONFIG}", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True, text=True, check=True, timeout=10,
    ).stdout.split()  # fmt: skip
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-nolisten", "tcp"], stdout=subprocess.PIPE)
    assert xvfb.stdout is not None
    display = ":" + xvfb.stdout.readline().decode().strip()
    (folder / "menu").write_text(menu)
    (folder / "menu").chmod(0o755)
    (folder / "dunstrc").write_text(f"[global]\n    dmenu = {folder / 'menu'}\n")
    env = {"DBUS_SESSION_BUS_ADDRESS": address, "DISPLAY": display}
    dunst = subprocess.Popen(
        ["dunst", "-config", str(folder / "dunstrc")], env={**os.environ, **env}, stderr=subprocess.DEVNULL
    )
    for _ in range(200):
        if subprocess.run(["dunstctl", "count"], env={**os.environ, **env}, capture_output=True).returncode == 0:
            break
        time.sleep(0.05)
    return env, [dunst, xvfb], int(bus)


def end_desktop(processes: list[subprocess.Popen[bytes]], bus: int) -> None:
    for process in processes:
        process.terminate()
        process.wait(10)
    os.kill(bus, signal.SIGTERM)


class DaemonLines:
    """`therapy-timer run` in the foreground, its log lines read as they come, each with the
    moment it was read (`clock`: time.perf_counter, or time.time to compare with another process)."""

    def __init__(self, env: dict[str, str], clock: Callable[[], float] = time.perf_counter) -> None:
        self.process = subprocess.Popen(
            [*command(), "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.clock = clock
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((self.clock(), line))

    def wait_for(self, text: str, refuse: str | None = None) -> float:
        """When the next line holding `text` was read; a line holding `refuse` too ends the run."""
        while True:
            at, line = self.lines.get(timeout=10)
            if text in line:
                if refuse and refuse in line:
                    raise SystemExit(f"unexpected: {line.strip()}")
                return at

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def tt(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(command() + list(args), env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"therapy-timer {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def main(measure: Callable[[bool], list[Result]]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    results = measure(parser.parse_args().quick)
    for r in results:
        verdict = "ok" if r.ok else "OVER BUDGET"
        print(f"{r.name}: {r.value:.3g} {r.unit} (budget {r.budget:g} {r.unit}) {verdict}; {r.detail}")
        print("RESULT " + json.dumps({**r._asdict(), "ok": r.ok}))
    sys.exit(0 if all(r.ok for r in results) else 1)
