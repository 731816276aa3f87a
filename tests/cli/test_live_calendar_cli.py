"""The cli-tier tests of `tests/unit/test_live_calendar.py` (helpers shared in `tests/fixtures/live_calendar.py`)."""

from __future__ import annotations

from tests.fixtures.live_calendar import started
from tests.helpers import T0
from therapy_timer.calendar import live as live_calendar
from therapy_timer.calendar import writer


def test_forget_deletes_the_calendar_copy_too(isolated, run):
    started(run)
    writer.write(isolated, isolated.parent / "config.toml", T0)
    assert (isolated / live_calendar.NAME).exists()
    removed = run.json("forget", "--yes")["removed"]
    assert str(isolated / live_calendar.NAME) in removed and not (isolated / live_calendar.NAME).exists()
