"""The recovery report of a long plan: 30 days, 10 switches back to cold, 4 pain scores a day.

Measures `usecases.report` (reading the record and working out every day) with its three
renderers (text, HTML page, CSV), in-process, so the figure is the report's own cost and not the
interpreter's start-up (bench/startup.py judges that).
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import Result, main

from therapy_timer import bootstrap, report_html, report_text, usecases
from therapy_timer.errors import RefusedError
from therapy_timer.settings import Config
from therapy_timer.store import Store

ZONE = timezone.utc


def record(store: Store, days: int) -> datetime:
    """A plan of `days` days like bench/plan_compute.py's, with answers and pain scores; returns its end."""
    injured = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
    end = injured + timedelta(days=days)

    def deps(now: datetime) -> usecases.Deps:
        return bootstrap.Wiring(Path("/nonexistent/config.toml"), ZONE).deps(store, now, Config())

    usecases.start(deps(injured), injured, injured, False, "UTC")
    for k in range(10):
        at = injured + timedelta(days=2, hours=2) + timedelta(hours=60) * k
        if at >= end:
            break
        usecases.switch(deps(at), "heat-worse", at)
        with contextlib.suppress(RefusedError):  # heat is on hold only from the second switch
            usecases.try_heat_again(deps(at + timedelta(hours=1)), at + timedelta(hours=1))
    for index, session in enumerate(usecases.timeline_of(deps(end), end).sessions):
        if session.end < end and index % 5 and not session.cut_short:
            usecases.answer(deps(session.end), "done", session.end, session_key=session.key)
    for hours in range(0, days * 24, 6):
        at = injured + timedelta(hours=hours)
        usecases.log_entry(deps(at), "pain", at, score=(hours // 6) % 11)
    usecases.end(deps(end), "recovered")
    return end


def measure(quick: bool) -> list[Result]:
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-bench-"))
    store = Store(folder / "data")
    try:
        end = record(store, 7 if quick else 30)
        deps = bootstrap.Wiring(folder / "config.toml", ZONE).deps(store, end + timedelta(hours=1), Config())
        runs = []
        for _ in range(3 if quick else 30):
            began = time.perf_counter()
            made = usecases.report(deps)
            report_text.text_lines(made, ZONE)
            page = report_html.page(made, ZONE)
            report_text.csv_text(store.events(), ZONE)
            runs.append(time.perf_counter() - began)
        events = len(store.events())
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(
            "recovery report",
            statistics.median(runs) * 1000,
            "ms",
            100,
            f"{len(made.days)} days, {events} events, {len(made.pain)} pain scores, {len(made.switches)} switches, "
            f"page {len(page) // 1024} KB; data + text + HTML + CSV, median of {len(runs)}",
        )
    ]


if __name__ == "__main__":
    main(measure)
