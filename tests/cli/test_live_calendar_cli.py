"""The cli-tier tests of `tests/unit/test_live_calendar.py` (they share its helpers)."""

from __future__ import annotations

from tests.helpers import T0
from tests.unit.test_live_calendar import (  # noqa: F401 (fixtures are used by name)
    Counting,
    Stuck,
    at,
    copy_of,
    started,
    step,
)
from therapy_timer.calendar import live as live_calendar
from therapy_timer.calendar import writer


def test_forget_deletes_the_calendar_copy_too(isolated, run):
    started(run)
    writer.write(isolated, isolated.parent / "config.toml", T0)
    assert (isolated / live_calendar.NAME).exists()
    removed = run.json("forget", "--yes")["removed"]
    assert str(isolated / live_calendar.NAME) in removed and not (isolated / live_calendar.NAME).exists()
