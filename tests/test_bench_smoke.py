"""A quick run of every benchmark, so they keep working. Budgets are not judged here (CI is no
place for timing); each benchmark must run and report its figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_every_benchmark_runs_and_reports():
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--quick"], capture_output=True, text=True, timeout=600
    )
    assert "did not run" not in done.stdout, done.stdout + done.stderr
    names = {line.split("  ")[0].strip() for line in done.stdout.splitlines()[1:]}
    assert names == {
        "command start-up",
        "daemon memory",
        "daemon wake-ups",
        "punctuality p99",
        "reaction to heat-worse",
        "plan computation",
    }, done.stdout
    assert done.returncode in (0, 1)


def test_the_punctuality_run_fires_reminders_and_misses_none():
    done = subprocess.run(
        [sys.executable, str(BENCH / "punctuality.py"), "--quick"], capture_output=True, text=True, timeout=300
    )
    result = json.loads(next(line[7:] for line in done.stdout.splitlines() if line.startswith("RESULT ")))
    assert "missed 0" in result["detail"] and not result["detail"].startswith("0 reminders")
