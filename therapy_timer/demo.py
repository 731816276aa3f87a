"""`therapy-timer demo`: a throwaway plan in a temporary folder, time compressed, real notifications.

The demo runs the real daemon on a fast clock. Its plan starts at 08:00 on the second day after
an injury, so within twelve plan hours it shows ice, the change to moist heat at noon, walks, and
(at 16:05) a report that heat made it worse, which switches straight back to ice.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from therapy_timer import bootstrap, clock, protocol
from therapy_timer.config import Config
from therapy_timer.store import Store
from therapy_timer.when import local_moment


def run_demo(speed: float, hours: float, log: Callable[[str], None]) -> None:
    zone = clock.local_zone()
    today = datetime.now(zone).date()
    start = local_moment(today, time(8, 0), zone)
    injured = start - timedelta(hours=44)
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-demo-"))
    try:
        store = Store(folder)
        plan_id = store.start_plan(injured, start, False, start).id
        _script(store, plan_id, start, injured, zone)
        store.close()
        log(
            f"demo: {hours:g} plan hours at {speed:g}x ({hours * 3600 / speed:.0f} s); injured two days ago at "
            f"{injured.astimezone(zone):%H:%M}, so the cold phase ends at noon. "
            "Each session is marked done a minute after it ends, "
            "and at 16:05 the demo reports that heat made things worse."
        )
        fast = clock.FastClock(start, speed)
        daemon = bootstrap.build(
            folder,
            folder / "config.toml",
            zone=zone,
            clock=fast,
            log=lambda line: log(f"[plan {fast.now().astimezone(zone):%H:%M}] {line}"),
        )
        bootstrap.end_at(daemon, start + timedelta(hours=hours), "demo over")
        daemon.run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _script(store: Store, plan_id: int, start: datetime, injured: datetime, zone) -> None:  # type: ignore[no-untyped-def]
    """What the demo's imaginary user does: answers every session, and finds heat made it worse."""
    worse = start + timedelta(hours=8, minutes=5)
    store.log(plan_id, worse, "heat-worse", start)
    timeline = protocol.build(
        Config(), protocol.Plan(injured, start), [protocol.Event(worse, "heat-worse")], start + timedelta(days=3), zone
    )
    for session in timeline.sessions:
        store.log(plan_id, session.end + timedelta(minutes=1), "done", start, session=session.key)
