"""The reminder daemon: fires each reminder of the active plan on time, and keeps a record.

APScheduler (a BlockingScheduler with one date job at a time) drives the timing; the plan and
the reminders are recomputed from the database at every tick, so a restart after a crash or a
reboot simply carries on, and a change made by any command is followed as soon as it nudges us.

Two things APScheduler does not do for us:
- it sleeps on a monotonic clock, which stops while a laptop is suspended; we cap each wait
  (`max_idle`, 50 s) so a reminder that fell due during sleep fires within a minute of waking;
- missed reminders: after downtime only the latest still-relevant one fires (never a burst);
  the others are recorded as missed.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path

if __name__ == "__main__":
    # The daemon process never uses the network. APScheduler imports asyncio, which would load
    # ssl (and libssl/libcrypto, about 4 MB resident); keep them out of a process that idles all day.
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler

from therapy_timer import config as config_module
from therapy_timer import control, reminders, texts
from therapy_timer.clock import SYSTEM, Clock
from therapy_timer.config import Config, ConfigError
from therapy_timer.errors import RefusedError
from therapy_timer.notify import Notifier
from therapy_timer.store import Store, StoredPlan

LOOKBACK = timedelta(hours=6)
LOOKAHEAD = timedelta(days=2)
MAX_IDLE = 50.0
RETRY = timedelta(minutes=1)


class CappedScheduler(BlockingScheduler):
    """A BlockingScheduler that never sleeps longer than `max_idle` seconds between checks.

    Its waits run on a monotonic clock that stands still while the machine sleeps; waking up
    now and then to compare against the wall clock is what lets a due reminder fire after resume.
    """

    def __init__(self, max_idle: float | None, **options: object) -> None:
        super().__init__(**options)
        self.max_idle = max_idle

    def _main_loop(self) -> None:
        wait: float | None = None
        while self.state != STATE_STOPPED:
            cap = self.max_idle
            self._event.wait(wait if cap is None else min(cap, wait if wait is not None else cap))
            self._event.clear()
            wait = self._process_jobs()


class Daemon:
    """One running reminder service for one data folder."""

    def __init__(
        self,
        folder: Path,
        config_path: Path,
        notifier: Notifier,
        zone: tzinfo,
        clock: Clock = SYSTEM,
        log: Callable[[str], None] = print,
        max_idle: float | None = MAX_IDLE,
        stop_at: datetime | None = None,
    ) -> None:
        self.folder, self.config_path, self.notifier, self.zone, self.clock = folder, config_path, notifier, zone, clock
        self.log = log
        self.stop_at = stop_at
        self.lock = control.DaemonLock(folder)
        self.scheduler = CappedScheduler(
            max_idle,
            timezone=timezone.utc,
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self._tick_lock = threading.Lock()
        self._schedule_lock = threading.Lock()
        self._next_job: str | None = None
        self._jobs = 0
        self._config: Config | None = None
        self._config_problem: str | None = None
        self._plan_id: int | None = None
        self.store: Store | None = None
        self.socket: socket.socket | None = None

    # Life cycle ----------------------------------------------------------------------------

    def run(self) -> int:
        """Serve reminders until the plan ends (or a signal); refuses when another daemon runs."""
        if not self.lock.acquire():
            raise RefusedError(f"reminders are already running for this user (see {self.lock.path})")
        try:
            self.store = Store(self.folder)
            self._config = self._load_config()
            if self.store.active_plan() is None:
                raise RefusedError("no active plan: start one with `therapy-timer start`")
            self._listen()
            from therapy_timer.watch import watch_file

            watch_file(self.config_path, self.poke)
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, lambda *_: self.shutdown())
            self.notifier.prepare()
            self.log("reminders running")
            self.poke()
            self.scheduler.start()
            return 0
        finally:
            if self.socket:
                self.socket.close()
                address = control.address(self.folder)
                if not address.startswith("\0"):
                    Path(address).unlink(missing_ok=True)
            self.lock.release()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def _listen(self) -> None:
        """Bind the nudge socket before the first read of the plan, so no change is missed."""
        if not hasattr(socket, "AF_UNIX"):  # pragma: no cover
            return
        address = control.address(self.folder)
        if not address.startswith("\0"):
            Path(address).unlink(missing_ok=True)  # left by a daemon that was killed; we hold the lock
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(address)
        threading.Thread(target=self._receive, name="nudges", daemon=True).start()

    def _receive(self) -> None:
        while True:
            try:
                self.socket.recv(64)  # type: ignore[union-attr]  # blocks: no wake-ups while idle
            except OSError:
                return
            self.poke()

    def poke(self) -> None:
        """Re-read the plan now (thread-safe: called by nudges and config edits).

        Each poke is its own job and is never replaced, so no nudge is lost to a tick in progress.
        """
        with self._schedule_lock:
            self._jobs += 1
            self.scheduler.add_job(self.tick, id=f"now-{self._jobs}")

    def _schedule(self, at: datetime) -> None:
        """Replace the pending timed tick with one at `at` (plan time)."""
        with self._schedule_lock:
            self._jobs += 1
            previous, self._next_job = self._next_job, f"at-{self._jobs}"
            self.scheduler.add_job(self.tick, "date", run_date=self.clock.to_wall(at), id=self._next_job)
            if previous:
                with contextlib.suppress(JobLookupError):  # it already ran
                    self.scheduler.remove_job(previous)

    # The work ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Fire what is due and schedule the next tick; a failure is logged and retried, never fatal."""
        with self._tick_lock:
            try:
                self._tick()
            except Exception as exc:
                self.log(f"problem, retrying in {RETRY.seconds} s: {type(exc).__name__}: {exc}")
                self._schedule(self.clock.now() + RETRY)

    def _tick(self) -> None:
        now = self.clock.now()
        if self.stop_at and now >= self.stop_at:
            self.log("demo over")
            self.shutdown()
            return
        stored = self.store.active_plan()  # type: ignore[union-attr]
        if stored is None:
            self._plan_ended()
            return
        self._plan_id = stored.id
        upcoming = self.pending(stored, now)
        self._fire_due([r for r in upcoming if r.due <= now], stored.id, now)
        later = [r.due for r in upcoming if r.due > now]
        next_at = min(later) if later else now + LOOKAHEAD / 2
        self._schedule(min(next_at, self.stop_at) if self.stop_at else next_at)

    def pending(self, stored: StoredPlan, now: datetime) -> list[reminders.Reminder]:
        """The plan's reminders around `now` that have not fired or been recorded as missed."""
        events = [e.as_event() for e in self.store.events(stored.id)]  # type: ignore[union-attr]
        upcoming = reminders.for_plan(
            self._load_config(), stored.plan, events, now - LOOKBACK, now + LOOKAHEAD, self.zone
        )
        recorded = {r.key for r in self.store.reminders(stored.id)}  # type: ignore[union-attr]
        return [r for r in upcoming if r.key not in recorded]

    def _fire_due(self, due: list[reminders.Reminder], plan_id: int, now: datetime) -> None:
        """Fire the latest still-relevant reminders; record the older ones as missed."""
        relevant = [r for r in due if r.relevant_until > now]
        latest = max((r.due for r in relevant), default=None)
        for r in due:
            if r.due == latest and r.relevant_until > now:
                self.fire(r, plan_id)
            else:
                self.store.record_reminder(plan_id, r.key, r.due, None, "missed", None, r.title)  # type: ignore[union-attr]
                self.log(f"missed while not running: {r.title} (due {r.due.astimezone(self.zone):%H:%M})")

    def fire(self, reminder: reminders.Reminder, plan_id: int) -> None:
        fired_at = self.clock.now()
        backend = self.notifier.send(reminder.title, reminder.body, reminder.sticky)
        self.store.record_reminder(plan_id, reminder.key, reminder.due, fired_at, "fired", backend, reminder.title)  # type: ignore[union-attr]
        late = (fired_at - reminder.due).total_seconds()
        lateness = f", {late / 60:.0f} min late" if late >= 60 else ""  # the record keeps it exactly
        self.log(f"{reminder.due.astimezone(self.zone):%a %H:%M} {reminder.title} [{backend}{lateness}]")

    def _plan_ended(self) -> None:
        if self._plan_id is not None:
            self.notifier.send(texts.PLAN_ENDED.title, texts.PLAN_ENDED.body)
        self.log("no active plan: reminders stopped")
        self.shutdown()

    def _load_config(self) -> Config:
        """The config file's settings; while it is broken, the last good ones (and say why, once)."""
        try:
            loaded = config_module.load(self.config_path)
        except ConfigError as exc:
            if self._config is None:
                raise
            if str(exc) != self._config_problem:
                self._config_problem = str(exc)
                self.log(f"{texts.SETTINGS_BROKEN}: {exc}")
                self.notifier.send("therapy-timer settings problem", f"{texts.SETTINGS_BROKEN}: {exc}")
            return self._config
        if self._config_problem:
            self.log("config.toml is fine again; using it")
        self._config_problem = None
        self._config = loaded.config
        return loaded.config


def timestamped(line: str) -> None:
    """The daemon's log line: local date and time, then what happened."""
    print(f"{datetime.now():%Y-%m-%d %H:%M:%S} {line}", flush=True)


def main() -> None:
    """`python -m therapy_timer.daemon`: what `therapy-timer run` and `start` execute."""
    from therapy_timer import paths
    from therapy_timer.clock import local_zone
    from therapy_timer.errors import TherapyTimerError, fail

    try:
        code = Daemon(
            paths.data_dir(), paths.config_path(), Notifier(log=timestamped), local_zone(), log=timestamped
        ).run()
    except TherapyTimerError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)


if __name__ == "__main__":
    main()
