"""Plan computation: a 30-day plan with 10 switches back to cold, built by the pure protocol."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta, timezone

from common import Result, main

from therapy_timer import protocol
from therapy_timer.clock import local_zone
from therapy_timer.settings import Config
from therapy_timer.vocabulary import TRY_HEAT


def measure(quick: bool) -> list[Result]:
    config, zone = Config(), local_zone()
    injured = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
    plan = protocol.Plan(injured, injured)
    # heat starts on day 3; each switch holds cold 24 h, so one every 2.5 days lands in heat; after the
    # doctor advice (the second switch on) heat waits for the user's word, given an hour after each
    switches = [injured + timedelta(days=2, hours=2) + timedelta(hours=60) * k for k in range(10)]
    events = [protocol.Event(at, "heat-worse") for at in switches]
    events += [protocol.Event(at + timedelta(hours=1), TRY_HEAT) for at in switches]
    until = injured + timedelta(days=30)
    timeline = protocol.build(config, plan, events, until, zone)
    assert len(timeline.switches) == 10, timeline.switches
    runs = []
    for _ in range(5 if quick else 50):
        began = time.perf_counter()
        protocol.build(config, plan, events, until, zone)
        runs.append(time.perf_counter() - began)
    return [
        Result(
            "plan computation",
            statistics.median(runs) * 1000,
            "ms",
            20,
            f"30 days, 10 switches, {len(timeline.sessions)} sessions, median of {len(runs)}",
        )
    ]


if __name__ == "__main__":
    main(measure)
