"""Command start-up: `therapy-timer status` on an active plan, as a multiple of `python3 -c pass`."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from common import Result, command, main, sandbox, tt


def timed(cmd: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def measure(quick: bool) -> list[Result]:
    runs = 5 if quick else 20
    with sandbox() as env:
        tt(env, "start", "--no-daemon", "--injured", "-1h")
        bare, status = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            bare.append(timed([sys.executable, "-c", "pass"], env))
            status.append(timed([*command(), "status"], env))
        imported = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "therapy_timer", "status"],
            env=env,
            capture_output=True,
            text=True,
        ).stderr
    heavy = sorted({name for name in ("apscheduler", "plyer") if f" {name}\n" in imported or f" {name}." in imported})
    ratio = statistics.median(status) / statistics.median(bare)
    detail = (
        f"status {statistics.median(status) * 1000:.1f} ms, python -c pass {statistics.median(bare) * 1000:.1f} ms, "
        f"median of {runs}; daemon libraries imported: {', '.join(heavy) or 'none'}"
    )
    return [Result("command start-up", ratio if not heavy else float("inf"), "x", 5, detail)]


if __name__ == "__main__":
    main(measure)
