"""When the daemon's work runs: APScheduler behind the four calls the daemon needs.

The daemon asks for exactly this (`Scheduler`): run something at a moment of plan time, keyed so
a new moment replaces the old one; run something as soon as possible; serve until stopped; stop.
`CappedScheduler` does it with APScheduler's public API only; the tests use a stepping fake with
the same four calls that moves a hand clock from one call to the next, so no test sleeps.

Why a watchdog: APScheduler waits on a monotonic clock, which stands still while a laptop is
suspended, so a reminder that fell due during sleep would wait for the whole remaining interval
after waking. A watchdog thread wakes every `max_idle` seconds (50 s) of awake time and compares
the wall clock with the monotonic one; when they drifted apart (a suspend, or the clock set
forward or back) it calls the scheduler's public `wakeup()`, which re-reads the wall clock.
Otherwise it wakes nothing: an idle daemon costs one thread wake-up per 50 s.

(An interval job would be the other public way, but its own next run is wall-clock time: after
the clock is set back an hour it would not run for an hour, and the cap would be gone.)
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Protocol

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.blocking import BlockingScheduler

from therapy_timer.clock import Clock

MAX_IDLE = 50.0
Action = Callable[[], None]


class Scheduler(Protocol):
    """What the daemon needs from a scheduler; calls may come from any thread."""

    def at(self, key: str, moment: datetime, action: Action) -> None:
        """Run `action` once at `moment` (plan time), replacing the pending call made under `key`."""

    def soon(self, action: Action) -> None:
        """Run `action` once, as soon as possible, in addition to every timed call."""

    def run(self) -> None:
        """Serve the calls until `stop()`; returns at once if `stop()` came first."""

    def stop(self) -> None:
        """End `run()`, whether it has begun yet or not."""


def _awake_seconds() -> float:
    """Seconds on the clock that stops during suspend, as the scheduler's own waits do.

    Read through clock_gettime where it exists, so a test's frozen time.monotonic cannot hide a jump.
    """
    if hasattr(time, "clock_gettime"):
        return time.clock_gettime(time.CLOCK_MONOTONIC)
    return time.monotonic()  # pragma: no cover - Windows


def _wall_seconds() -> float:
    """The wall clock as APScheduler reads it."""
    return datetime.now(timezone.utc).timestamp()


class CappedScheduler:
    """APScheduler's BlockingScheduler, used through its public API, never idle longer than `max_idle`."""

    def __init__(self, clock: Clock, max_idle: float | None = MAX_IDLE) -> None:
        self.clock, self.max_idle = clock, max_idle
        self._aps = BlockingScheduler(
            timezone=timezone.utc,
            executors={"default": ThreadPoolExecutor(1)},  # the daemon's work: one call at a time
            # Late calls (after a suspend) still run, once: the daemon itself decides what is too late.
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self._aps.add_listener(self._started, EVENT_SCHEDULER_STARTED)
        self._lock = threading.Lock()
        self._pending: dict[str, str] = {}
        self._ids = itertools.count()
        self._stopping = threading.Event()

    def at(self, key: str, moment: datetime, action: Action) -> None:
        with self._lock:
            job_id = f"{key}-{next(self._ids)}"
            previous, self._pending[key] = self._pending.get(key), job_id
            self._aps.add_job(action, "date", run_date=self.clock.to_wall(moment), id=job_id)
            if previous is not None:
                with contextlib.suppress(JobLookupError):  # it has run already (or is running)
                    self._aps.remove_job(previous)

    def soon(self, action: Action) -> None:
        with self._lock:
            self._aps.add_job(action, id=f"soon-{next(self._ids)}")

    def run(self) -> None:
        if self._stopping.is_set():
            return
        if self.max_idle is not None:
            threading.Thread(target=self._watch, args=(self.max_idle,), name="watchdog", daemon=True).start()
        self._aps.start()

    def _watch(self, every: float) -> None:
        """Every `every` awake seconds, wake the scheduler if the wall clock moved differently."""
        tolerance = min(1.0, every / 4)
        wall, awake = _wall_seconds(), _awake_seconds()
        while not self._stopping.wait(every):
            now_wall, now_awake = _wall_seconds(), _awake_seconds()
            if abs((now_wall - wall) - (now_awake - awake)) > tolerance:
                self._aps.wakeup()
            wall, awake = now_wall, now_awake

    def stop(self) -> None:
        # The flag covers a stop that comes before the scheduler is running: `_started` sees it.
        # (Shutting APScheduler down before it started does nothing, and it would then run forever.)
        self._stopping.set()
        self._halt()

    def _started(self, event: Any) -> None:
        if self._stopping.is_set():
            self._halt()

    def _halt(self) -> None:
        with self._lock:
            if self._aps.running:
                self._aps.shutdown(wait=False)
