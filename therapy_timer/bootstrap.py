"""Builds the reminder daemon for every entry point: the real process, the demo, the tests, the benchmarks.

One function decides what the daemon is made of (clock, scheduler, notifier, log, zone), so the
entry points differ only in what they pass in: the demo and the benchmarks a fast clock and an
end moment, the tests a hand clock, a stepping scheduler and a recording notifier.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from therapy_timer.clock import SYSTEM, Clock
from therapy_timer.daemon import Daemon, timestamped
from therapy_timer.notify import Notifier, TerminalBackend
from therapy_timer.scheduler import MAX_IDLE, CappedScheduler, Scheduler


def never_raising(log: Callable[[str], None]) -> Callable[[str], None]:
    """`log`, made unable to fail: a log on a full disk must never be what stops the reminders."""

    def write(line: str) -> None:
        with contextlib.suppress(Exception):
            log(line)

    return write


def build(
    folder: Path,
    config_path: Path,
    *,
    zone: tzinfo | None = None,
    clock: Clock = SYSTEM,
    scheduler: Scheduler | None = None,
    notifier: Notifier | None = None,
    log: Callable[[str], None] = timestamped,
    max_idle: float | None = MAX_IDLE,
    listen: bool = True,
) -> Daemon:
    """A daemon for `folder`; every part not given is the real one.

    `listen=False` leaves out the nudge socket and the config watch (their threads), for tests
    that step time and call `poke` themselves where a command would nudge.
    """
    safe = never_raising(log)
    if zone is None:
        from therapy_timer.clock import local_zone

        zone = local_zone()
    if scheduler is None:
        scheduler = CappedScheduler(clock, max_idle)
    if notifier is None:
        notifier = Notifier(fallback=TerminalBackend(safe), log=safe)
    return Daemon(folder, config_path, notifier, zone, clock, scheduler, safe, listen)


def end_at(daemon: Daemon, moment: datetime, message: str) -> None:
    """Stop `daemon` at `moment` of its clock (the demo and the benchmarks run a fixed stretch)."""

    def end() -> None:
        daemon.log(message)
        daemon.shutdown()

    daemon.scheduler.at("end", moment, end)


def main() -> None:
    """`python -m therapy_timer.daemon`: what `therapy-timer run`, `start` and the login entry execute."""
    from therapy_timer import paths
    from therapy_timer.errors import TherapyTimerError, fail

    folder, config_path = paths.data_dir().absolute(), paths.config_path().absolute()
    os.umask(0o077)  # everything the daemon creates is private
    os.chdir("/")  # hold on to no folder of the shell that started it
    try:
        daemon = build(folder, config_path)
        for sig in (signal.SIGTERM, signal.SIGINT):
            # From a thread of its own: the handler may interrupt the main thread inside the scheduler.
            signal.signal(sig, lambda *_: threading.Thread(target=daemon.shutdown).start())
        code = daemon.run()
    except TherapyTimerError as exc:  # refused (no plan, another daemon): exit 1, not worth a restart
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        code = 0
    except Exception as exc:  # a bug: one line, and a status a service manager restarts on
        fail(f"the reminders stopped on an unexpected problem ({type(exc).__name__}: {exc})", 70)
    sys.exit(code)
