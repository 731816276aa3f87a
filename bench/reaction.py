"""Reaction: from running `therapy-timer log heat-worse` until the daemon fires the switch-back reminder."""

from __future__ import annotations

import statistics
import time

from common import DaemonLines, Result, main, sandbox, tt


def measure(quick: bool) -> list[Result]:
    rounds = 3 if quick else 10
    with sandbox() as env:
        tt(env, "start", "--no-daemon", "--injured", "-3d")
        daemon = DaemonLines(env)
        wait_for = daemon.wait_for
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
            daemon.stop()
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
