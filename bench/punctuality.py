"""Punctuality: how late the daemon calls the notifier, over a compressed plan of 200+ reminders.

The real daemon (APScheduler and all) runs on a clock compressed `SPEED` times; lateness is
(fired - due) in plan time divided by the speed, i.e. real seconds to the notifier call.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from common import Result, main

from therapy_timer import bootstrap, checkin, reminders
from therapy_timer.clock import FastClock, local_zone
from therapy_timer.notify import Note, Notifier, TerminalBackend
from therapy_timer.reminders import Reminder
from therapy_timer.settings import Config
from therapy_timer.store import FiredReminder, Store
from therapy_timer.when import local_moment

SPEED = 40000.0
AT_LEAST = 200  # reminders the full run must fire


class Null:
    name = "null"

    def problem(self) -> None:
        return None

    def prepare(self) -> None:
        pass

    def send(self, note: Note) -> int:
        return 0

    def close(self, note_id: int) -> None:
        pass

    def listen(self, listener: Callable[[Any], None]) -> None:
        pass

    def shutdown(self) -> None:
        pass


def measure(quick: bool) -> list[Result]:
    hours = 4 if quick else 240  # ten plan days: about 230 reminders
    speed = SPEED / 5 if quick else SPEED  # the smoke run checks the record, not timing: less jitter
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-bench-"))
    try:
        zone = local_zone()
        start = local_moment(datetime.now(zone).date(), time(7, 0), zone)  # plan time: a full waking day first
        end = start + timedelta(hours=hours)
        store = Store(folder / "data")
        stored = store.start_plan(start, start, False, start)
        fast = FastClock(start, speed)
        notifier = Notifier([Null()], TerminalBackend(lambda line: None), log=lambda line: None)
        daemon = bootstrap.build(
            folder / "data", folder / "config.toml", zone=zone, clock=fast, notifier=notifier, log=lambda line: None
        )
        bootstrap.end_at(daemon, end, "run over")
        worker = threading.Thread(target=daemon.run)
        worker.start()
        worker.join(hours * 3600 / speed + 60)
        record = store.reminders(stored.id)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # The plan's own reminders, a day past the end: the run may fire one due at the very end.
    expected = reminders.for_plan(Config(), stored.plan, [], start, end + timedelta(days=1), zone)
    expected += checkin.for_plan(Config(), stored.plan, [], [], start, end + timedelta(days=1), zone)
    late = sorted(
        (r.fired_at - r.due_at).total_seconds() / speed for r in record if r.fired_at and r.outcome == "fired"
    )
    missed = sum(r.outcome == "missed" for r in record)
    if len(late) < (1 if quick else AT_LEAST):
        p99, median, worst = float("inf"), float("inf"), float("inf")  # too few reminders to judge
    else:
        p99, median, worst = (late[min(len(late) - 1, int(len(late) * q))] * 1000 for q in (0.99, 0.5, 1.0))
    return [
        Result(
            "punctuality p99",
            p99,
            "ms",
            50,
            f"{len(late)} reminders over {hours} plan hours at {speed:g}x, "
            f"median {median:.1f} ms, max {worst:.1f} ms, missed {missed}",
            consistency(record, expected),
        )
    ]


def consistency(record: list[FiredReminder], expected: list[Reminder]) -> dict[str, int]:
    """Counts that must hold whatever the timing: every reminder the plan has up to the last one
    recorded is recorded exactly once, fired or missed, none before it was due, none made up."""
    recorded = {r.key for r in record}
    last_due = max((r.due_at for r in record), default=None)
    return {
        "recorded": len(record),
        "fired": sum(r.outcome == "fired" for r in record),
        "missed": sum(r.outcome == "missed" for r in record),
        "twice": len(record) - len(recorded),
        "early": sum(1 for r in record if r.fired_at is not None and r.fired_at < r.due_at),
        "fired_without_time": sum(1 for r in record if r.outcome == "fired" and r.fired_at is None),
        "unknown": len(recorded - {r.key for r in expected}),
        "gaps": sum(1 for r in expected if last_due is not None and r.due <= last_due and r.key not in recorded),
    }


if __name__ == "__main__":
    main(measure)
