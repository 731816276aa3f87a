"""The calendar writer process: renders `plan.ics` in the data folder for the daemon's live copy.

A shell of its own (it wires itself through `bootstrap`), started by `calendar.live.spawn` at a
low priority, so icalendar (about 8 MiB) is never loaded into the daemon.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from therapy_timer.calendar.live import DAYS, NAME
from therapy_timer.store import Store


def write(folder: Path, config_path: Path, now: datetime) -> bool:
    """Write `folder`/plan.ics for the latest plan as the daemon sees it; True if the file changed.

    Read-only on the record. The settings are the config file's, or when it cannot be read the ones
    last recorded with the plan (what the daemon keeps using). Our own earlier copy, if unreadable,
    is written afresh.
    """
    from therapy_timer import usecases
    from therapy_timer.bootstrap import Wiring
    from therapy_timer.calendar import ics
    from therapy_timer.store import DB_NAME

    if not (folder / DB_NAME).exists():  # forgotten or never started: nothing to show, nothing to create
        return False
    store = Store(folder)
    try:
        latest = store.plan()
        if latest is None:
            return False
        wiring = Wiring(config_path)
        target = folder / NAME
        try:
            previous = ics.previous(target)
        except ics.NotOurs:
            previous = []
        deps = wiring.deps(store, now, wiring.settings(store).config)
        result = usecases.export_calendar(deps, DAYS, previous)
        return ics.replace(target, ics.render(result.events, deps.zone_of(latest)))
    finally:
        store.close()


def main(argv: list[str]) -> int:
    """`python -m therapy_timer.calendar.writer FOLDER CONFIG NOW`: what `live.spawn` runs."""
    from therapy_timer.errors import fail

    if hasattr(os, "nice"):
        os.nice(10)  # the desktop, the commands and the daemon's reminders come first
    try:
        folder, config_path, now = Path(argv[0]), Path(argv[1]), datetime.fromisoformat(argv[2])
        write(folder, config_path, now)
    except Exception as exc:
        fail(f"{type(exc).__name__}: {exc}", 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
