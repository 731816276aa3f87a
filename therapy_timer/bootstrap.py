"""The one place that wires the world, for every entry point: each command, the daemon and its
button presses, the calendar writer process, the demo, the benchmarks and the tests.

Three decisions are taken here and nowhere else, so no two entry points can disagree:
- the zone a plan is computed in (`Wiring.zone`): the one recorded with the plan, whatever `TZ`
  the process has (quiet hours and session keys must agree between a command and the daemon);
- the settings in effect (`Wiring.settings`): config.toml's, or, while it is broken, the ones last
  recorded with the plan (never the defaults over a plan's own settings);
- what a use case is given (`Wiring.deps`): the record, now, that zone, those settings, the nudger.
The entry points differ only in what they pass in: the demo and the benchmarks a fast clock and an
end moment, the tests a hand clock, a stepping scheduler and a recording notifier. Heavy modules
(the daemon, the notifier, the scheduler) are imported only by `build`, so a command that imports
this module for its wiring stays quick to start.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from therapy_timer.clock import SYSTEM, Clock
from therapy_timer.named_tuple import NamedTuple

if TYPE_CHECKING:
    from therapy_timer.calendar.live import Start
    from therapy_timer.daemon import Daemon
    from therapy_timer.notify import Backend, Notifier
    from therapy_timer.scheduler import Scheduler
    from therapy_timer.settings import Config
    from therapy_timer.store import Store, StoredPlan
    from therapy_timer.usecases import Deps


class SettingsRead(NamedTuple):
    """The settings in effect, and why config.toml's own could not be used (None when they were)."""

    config: Config
    problem: str | None
    warnings: tuple[str, ...] = ()


class Wiring:
    """How every entry point sees the plan: its zone, the settings in effect, what a use case gets.

    `fallback_zone` is the zone of a plan that recorded none (one from before zones were recorded),
    and of a new plan; by default this machine's (`TZ`, /etc/localtime), asked only when needed.
    """

    def __init__(self, config_path: Path, fallback_zone: tzinfo | None = None) -> None:
        self.config_path, self.fallback_zone = config_path, fallback_zone

    def zone(self, stored: StoredPlan | None) -> tzinfo:
        """The zone recorded with `stored` (an IANA name or a POSIX rule), else the fallback."""
        from therapy_timer import clock

        recorded = clock.zone_named(stored.zone) if stored is not None else None
        return recorded or self.fallback_zone or clock.local_zone()

    def settings(self, store: Store | None, last_good: Config | None = None) -> SettingsRead:
        """config.toml's settings; when it cannot be read (in any way: a broken file, or one that
        breaks the parser itself), the ones last recorded with the active plan over `last_good`
        (the defaults at first), with the problem said in one line."""
        from therapy_timer import config_file, settings
        from therapy_timer.usecases import recorded_settings

        try:
            loaded = config_file.load(self.config_path)
        except Exception as exc:
            problem = str(exc) if isinstance(exc, settings.ConfigError) else f"{self.config_path}: {_unreadable(exc)}"
            base = last_good or settings.Config()
            stored = store.active_plan() if store is not None else None
            return SettingsRead(recorded_settings(store, stored, base) if store and stored else base, problem)
        return SettingsRead(loaded.config, None, tuple(loaded.warnings))

    def deps(self, store: Store, now: datetime, config: Config, nudge: Callable[[], None] | None = None) -> Deps:
        """What a use case needs: the record, now, the active plan's zone, the settings, the daemon's ear."""
        from therapy_timer.usecases import Deps

        return Deps(store, now, self.zone(store.active_plan()), config, nudge, zone_of=self.zone)


def desktop_backends() -> list[Backend]:
    """The desktop path for this system: on Linux the D-Bus service with buttons first, then
    notify-send we can check (or plyer); plyer everywhere else. Decided here, where a process is
    wired, so the notifier imports no backend (and `Notifier()` loads no jeepney)."""
    from therapy_timer.notify import NotifySendBackend, PlyerBackend, linux_backend

    if not sys.platform.startswith("linux"):
        return [PlyerBackend()]
    from therapy_timer.notify.dbus import DBusBackend

    second: Backend = NotifySendBackend() if linux_backend() == "notify-send" else PlyerBackend()
    return [DBusBackend(), second]


def _unreadable(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "the file is nested too deeply to read"
    return f"the file cannot be read ({type(exc).__name__})"


def timestamped(line: str) -> None:
    """The daemon's log line: local date and time, then what happened."""
    print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {line}", flush=True)


def never_raising(log: Callable[[str], None]) -> Callable[[str], None]:
    """`log`, made unable to fail: a log on a full disk must never be what stops the reminders."""

    def write(line: str) -> None:
        with contextlib.suppress(Exception):
            log(line)

    return write


_DEFAULT = -1.0


def build(
    folder: Path,
    config_path: Path,
    *,
    zone: tzinfo | None = None,
    clock: Clock = SYSTEM,
    scheduler: Scheduler | None = None,
    notifier: Notifier | None = None,
    log: Callable[[str], None] = timestamped,
    max_idle: float | None = _DEFAULT,  # scheduler.MAX_IDLE
    listen: bool = True,
    calendar_writer: Start | Literal["spawn"] | None = "spawn",
) -> Daemon:
    """A daemon for `folder`; every part not given is the real one.

    `zone`: the zone of a plan that recorded none (this machine's by default). `listen=False` leaves
    out the nudge socket and the config watch (their threads), for tests that step time and call
    `poke` themselves where a command would nudge. `calendar_writer`: what writes the live calendar
    copy (a child process by default; None for no copy, as most tests want).
    """
    from therapy_timer.calendar.live import LiveCalendar, spawn
    from therapy_timer.daemon import Daemon
    from therapy_timer.daemon_client import DaemonLock
    from therapy_timer.push import Pusher
    from therapy_timer.scheduler import MAX_IDLE, CappedScheduler

    safe = never_raising(log)
    if scheduler is None:
        scheduler = CappedScheduler(clock, MAX_IDLE if max_idle == _DEFAULT else max_idle)
    if notifier is None:
        from therapy_timer.notify import Notifier, TerminalBackend

        notifier = Notifier(desktop_backends(), fallback=TerminalBackend(safe), log=safe)
    calendar = LiveCalendar(folder, config_path, safe, spawn if calendar_writer == "spawn" else calendar_writer)
    return Daemon(
        folder,
        config_path,
        notifier,
        Wiring(config_path, zone),
        clock,
        scheduler,
        safe,
        listen,
        lock=DaemonLock(folder),
        pusher=Pusher(safe),
        calendar=calendar,
    )


def end_at(daemon: Daemon, moment: datetime, message: str) -> None:
    """Stop `daemon` at `moment` of its clock (the demo and the benchmarks run a fixed stretch)."""

    def end() -> None:
        daemon.log(message)
        daemon.shutdown()

    daemon.scheduler.at("end", moment, end)


def main() -> None:
    """`python -m therapy_timer.daemon`: what `therapy-timer run`, `start` and the login entry execute."""
    import signal  # the daemon's process only: a command that asks for its wiring need not load these
    import threading

    from therapy_timer import logfile, paths
    from therapy_timer.errors import TherapyTimerError, fail

    folder, config_path = paths.data_dir().absolute(), paths.config_path().absolute()
    os.umask(0o077)  # everything the daemon creates is private
    os.chdir("/")  # hold on to no folder of the shell that started it
    try:
        daemon = build(folder, config_path, log=logfile.capped(folder, timestamped))  # daemon.log stays small
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
