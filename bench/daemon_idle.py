"""An idle daemon with an active plan: resident memory, and wake-ups (context switches) while idle."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from common import DESKTOP_TOOLS, Result, command, desktop, end_desktop, main, sandbox, tt


def status_field(pid: int, field: str, task: str | None = None) -> int:
    path = Path(f"/proc/{pid}") / (f"task/{task}/status" if task else "status")
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def switches(pid: int) -> int:
    """Context switches of all the process's threads, voluntary and not."""
    return sum(
        status_field(pid, f, task.name)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for f in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
    )


def quiet_now() -> str:
    """A config whose quiet hours cover the next three hours: no reminder falls in the window."""
    now = datetime.now()
    return f'[quiet_hours]\nstart = "{now - timedelta(hours=1):%H:%M}"\nend = "{now + timedelta(hours=3):%H:%M}"\n'


def measure(quick: bool) -> list[Result]:
    """Push off (as by default): see bench/push.py for the same daemon with push on."""
    return on_a_desktop(lambda session, where: idle(quick, session, where))


def on_a_desktop(run: Callable[[dict[str, str], str], list[Result]]) -> list[Result]:
    """With a desktop where there is one (a bus and dunst: the daemon holds its D-Bus connection
    and listening thread, as on a real desktop), else without."""
    if all(shutil.which(tool) for tool in DESKTOP_TOOLS):
        folder = Path(tempfile.mkdtemp(prefix="therapy-timer-idle-"))
        session, processes, bus = desktop(folder)
        try:
            return run(session, "connected to a notification server over D-Bus")
        finally:
            end_desktop(processes, bus)
            shutil.rmtree(folder, ignore_errors=True)
    return run({}, "no desktop session")


def idle(
    quick: bool,
    session: dict[str, str],
    where: str,
    config: str = "",
    label: str = "",
    check: Callable[[], str] | None = None,
) -> list[Result]:
    """`config` is added to the config file, `label` to the figures' names; `check()` (after the
    catch-up reminder) says what else the run showed, for the details (bench/push.py)."""
    window = 10 if quick else 120
    with sandbox(quiet_now() + config) as env:
        env.update(session)
        tt(env, "start", "--no-daemon", "--injured", "-1h", "--at", "-40m")
        daemon = subprocess.Popen(
            [*command(), "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert daemon.stdout is not None
        try:
            assert "reminders running" in daemon.stdout.readline()
            time.sleep(3)  # let the catch-up reminder go out and the process settle
            if check is not None:
                where += check()
            rss_kb = status_field(daemon.pid, "VmRSS")
            threads = len(list(Path(f"/proc/{daemon.pid}/task").iterdir()))
            before = switches(daemon.pid)
            time.sleep(window)
            woke = switches(daemon.pid) - before
        finally:
            daemon.terminate()
            daemon.wait(10)
    return [
        Result(
            "daemon memory" + label,
            rss_kb / 1024,
            "MB",
            30,
            f"resident set of the idle daemon, {threads} threads, {where}",
        ),
        Result(
            "daemon wake-ups" + label,
            woke,
            f"switches/{window} s",
            4,
            f"context switches of all threads while idle between reminders, {where}",
        ),
    ]


if __name__ == "__main__":
    main(measure)
