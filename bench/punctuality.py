"""Punctuality: how late the daemon calls the notifier, over a compressed plan of 200+ reminders.

The real daemon (APScheduler and all) runs on a clock compressed `SPEED` times; lateness is
(fired - due) in plan time divided by the speed, i.e. real seconds to the notifier call.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from datetime import datetime, time, timedelta
from pathlib import Path

from common import Result, main

from therapy_timer import bootstrap
from therapy_timer.clock import FastClock, local_zone
from therapy_timer.notify import Notifier, TerminalBackend
from therapy_timer.store import Store
from therapy_timer.when import local_moment

SPEED = 40000.0
AT_LEAST = 200  # reminders the full run must fire


class Null:
    name = "null"

    def problem(self) -> None:
        return None

    def prepare(self) -> None:
        pass

    def send(self, title: str, body: str, sticky: bool) -> None:
        pass


def measure(quick: bool) -> list[Result]:
    hours = 8 if quick else 240  # ten plan days: about 230 reminders
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-bench-"))
    try:
        zone = local_zone()
        start = local_moment(datetime.now(zone).date(), time(7, 0), zone)  # plan time: a full waking day first
        store = Store(folder / "data")
        store.start_plan(start, start, False, start)
        fast = FastClock(start, SPEED)
        notifier = Notifier([Null()], TerminalBackend(lambda line: None), log=lambda line: None)
        daemon = bootstrap.build(
            folder / "data", folder / "config.toml", zone=zone, clock=fast, notifier=notifier, log=lambda line: None
        )
        bootstrap.end_at(daemon, start + timedelta(hours=hours), "run over")
        worker = threading.Thread(target=daemon.run)
        worker.start()
        worker.join(hours * 3600 / SPEED + 60)
        record = store.reminders(1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    late = sorted((r.fired_at - r.due_at).total_seconds() / SPEED for r in record if r.outcome == "fired")
    missed = sum(r.outcome == "missed" for r in record)
    p99 = late[min(len(late) - 1, int(len(late) * 0.99))] * 1000
    if not quick and len(late) < AT_LEAST:
        p99 = float("inf")  # too few reminders to judge
    return [
        Result(
            "punctuality p99",
            p99,
            "ms",
            50,
            f"{len(late)} reminders over {hours} plan hours at {SPEED:g}x, "
            f"median {late[len(late) // 2] * 1000:.1f} ms, "
            f"max {late[-1] * 1000:.1f} ms, missed {missed}",
        )
    ]


if __name__ == "__main__":
    main(measure)
