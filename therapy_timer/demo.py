"""`therapy-timer demo`: a throwaway plan in a temporary folder, time compressed, real notifications.

The demo runs the real daemon on a fast clock. Its plan starts at 08:00 on the second day after
an injury, so within twelve plan hours it shows ice, the change to moist heat at noon, walks, and
(at 16:05) a report that heat made it worse, which switches straight back to ice.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path

from therapy_timer import bootstrap, clock, usecases
from therapy_timer.errors import RefusedError
from therapy_timer.settings import Config
from therapy_timer.store import Store
from therapy_timer.when import local_moment


def run_demo(speed: float, hours: float, log: Callable[[str], None]) -> None:
    zone = clock.local_zone()
    today = datetime.now(zone).date()
    start = local_moment(today, time(8, 0), zone)
    injured = start - timedelta(hours=44)
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-demo-"))
    try:
        wiring = bootstrap.Wiring(folder / "config.toml", zone)
        store = Store(folder)
        try:
            _script(wiring, store, start, injured)
        finally:
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


def _script(wiring: bootstrap.Wiring, store: Store, start: datetime, injured: datetime) -> None:
    """What the demo's imaginary user does, through the same use cases as the commands: starts the
    plan, finds at 16:05 that heat made it worse, and answers every session a minute after it ends."""
    config = Config()

    def at(moment: datetime) -> usecases.Deps:
        return wiring.deps(store, moment, config)

    usecases.start(at(start), injured, start, False, clock.zone_key(wiring.zone(None)))
    worse = start + timedelta(hours=8, minutes=5)
    usecases.switch(at(worse), "heat-worse", worse)
    for session in usecases.timeline_of(at(start), start + timedelta(days=3)).sessions:
        answered = session.end + timedelta(minutes=1)
        with contextlib.suppress(RefusedError):  # a session the switch cut short, answered already
            usecases.answer(at(answered), "done", answered, session_key=session.key)
