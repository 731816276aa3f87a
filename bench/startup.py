"""Command start-up as users get it: `therapy-timer status` on a 14-day plan with a realistic record
(pain scores, answers, a switch), from an installed wheel, as a multiple of a bare `python -c pass`
in the same venv.

Measured in the development venv the figure flatters: an editable install (`pip install -e`) adds
setuptools' `__editable__` finder to every start of that interpreter (about 21 ms), the baseline
included. So this builds the wheel, installs it into a venv of its own (build/startup-venv; its
dependencies are installed once, the wheel every run; no pip inside, as with pipx) and measures
there, the way pipx runs it:
no THERAPY_TIMER_* overrides (so the folders come from platformdirs), HOME in a throwaway folder.
It also prints where the time goes (`python -X importtime`), largest first.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import TOP, Result, main

VENV = TOP / "build" / "startup-venv"
HEAVY = ("apscheduler", "plyer")  # the daemon's libraries: never in an ordinary command


def timed(cmd: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def install(scratch: Path) -> Path:
    """Build the wheel from this checkout and install it into VENV; returns VENV's bin folder."""
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(scratch), str(TOP)])
    wheel = str(next(scratch.glob("therapy_timer-*.whl")))
    if not (VENV / "bin" / "python").exists():  # like pipx: no pip or setuptools inside (their .pth files
        run([sys.executable, "-m", "venv", "--without-pip", str(VENV)])  # would slow every start, bare too)
    pip = [sys.executable, "-m", "pip", "--python", str(VENV / "bin" / "python"), "install", "-q"]
    run([*pip, wheel])  # the dependencies, the first time
    run([*pip, "--force-reinstall", "--no-deps", wheel])  # this checkout's code, every time
    return VENV / "bin"


def run(command: list[str]) -> None:
    """Run a set-up step quietly; its own words only when it fails."""
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def user_env(home: Path) -> dict[str, str]:
    """A user's environment in a throwaway home: no overrides, no desktop session."""
    drop = ("THERAPY_TIMER_DATA_DIR", "THERAPY_TIMER_CONFIG", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("XDG_")}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(home / "run"))
    (home / "run").mkdir(mode=0o700, parents=True)
    return env


def record(script: str, env: dict[str, str]) -> None:
    """A plan in its fourteenth day with a record as people leave one: a pain score and a few answers a
    day, and one switch back to cold (status works it all out at every start)."""

    def tt(*args: str) -> None:
        subprocess.run([script, *args], env=env, check=True, capture_output=True)

    tt("start", "--no-daemon", "--injured", "-14d", "--at", "-14d")
    for day in range(13, -1, -1):
        tt("log", "pain", str(3 + day % 5), "--at", f"-{day}d")
        for hours in (3, 7):
            subprocess.run([script, "done", "--at", f"-{day * 24 + hours}h"], env=env, capture_output=True)
    tt("log", "heat-worse", "--at", "-10d")


def import_times(python: str, script: str, env: dict[str, str]) -> tuple[list[tuple[int, str]], set[str]]:
    """The top-level imports of `script status` with their cumulative microseconds, and every module."""
    stderr = subprocess.run(
        [python, "-X", "importtime", script, "status"], env=env, capture_output=True, text=True, check=True
    ).stderr
    top, every = [], set()
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        every.add(name.strip())
        if not name.startswith("  "):  # nested imports are indented by two more spaces
            top.append((int(cumulative), name.strip()))
    return sorted(top, reverse=True), every


def measure(quick: bool) -> list[Result]:
    runs = 5 if quick else 20
    scratch = Path(tempfile.mkdtemp(prefix="therapy-timer-startup-"))
    try:
        bin_dir = install(scratch)
        python, script = str(bin_dir / "python"), str(bin_dir / "therapy-timer")
        env = user_env(scratch / "home")
        record(script, env)
        bare, status = [], []
        for _ in range(runs):  # interleaved, so drift in machine load hits both alike
            bare.append(timed([python, "-c", "pass"], env))
            status.append(timed([script, "status"], env))
        top, every = import_times(python, script, env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    heavy = sorted(name for name in HEAVY if any(m == name or m.startswith(name + ".") for m in every))
    print("where the time goes (python -X importtime, cumulative; it inflates each figure somewhat):")
    for micros, name in top[:8]:
        print(f"  {micros / 1000:6.1f} ms  {name}")
    ratio = statistics.median(status) / statistics.median(bare)
    detail = (
        f"status {statistics.median(status) * 1000:.1f} ms, python -c pass {statistics.median(bare) * 1000:.1f} ms "
        f"in a venv with the wheel installed, median of {runs} (fastest: {min(status) / min(bare):.2f}x, "
        f"what the machine gives with no one else on it); daemon libraries imported: {', '.join(heavy) or 'none'}"
    )
    return [Result("command start-up", ratio if not heavy else float("inf"), "x", 5, detail)]


if __name__ == "__main__":
    main(measure)
