"""Reaction: from running `therapy-timer log heat-worse` until the daemon fires the switch-back reminder."""

from __future__ import annotations

import queue
import statistics
import subprocess
import threading
import time
from typing import IO

from common import Result, command, main, sandbox, tt


def measure(quick: bool) -> list[Result]:
    rounds = 3 if quick else 10
    with sandbox() as env:
        tt(env, "start", "--no-daemon", "--injured", "-3d")
        daemon = subprocess.Popen(
            [*command(), "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        lines: queue.Queue[tuple[float, str]] = queue.Queue()

        def read(output: IO[str]) -> None:
            for line in output:
                lines.put((time.perf_counter(), line))

        assert daemon.stdout is not None
        threading.Thread(target=read, args=(daemon.stdout,), daemon=True).start()

        def wait_for(text: str) -> float:
            while True:
                at, line = lines.get(timeout=10)
                if text in line:
                    return at

        try:
            wait_for("Moist heat on now")
            took = []
            for _ in range(rounds):
                began = time.perf_counter()
                tt(env, "log", "heat-worse")
                took.append(wait_for("Stop the heat now") - began)
                tt(env, "start", "--replace", "--no-daemon", "--injured", "-3d")  # heat again, for the next round
                wait_for("Moist heat on now")
        finally:
            daemon.terminate()
            daemon.wait(10)
    return [
        Result(
            "reaction to heat-worse",
            statistics.median(took) * 1000,
            "ms",
            300,
            f"median of {rounds}, max {max(took) * 1000:.0f} ms (includes the command's own start-up)",
        )
    ]


if __name__ == "__main__":
    main(measure)
