"""Parsing the times people type."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.helpers import BERLIN
from therapy_timer.errors import UsageError
from therapy_timer.when import parse_when

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)  # 13:00 in Berlin


@pytest.mark.parametrize(
    "text, expected",
    [
        ("now", "2026-11-24T12:00"),
        ("14:30", "2026-11-24T13:30"),
        ("-2h", "2026-11-24T10:00"),
        ("-30m", "2026-11-24T11:30"),
        ("-1h15m", "2026-11-24T10:45"),
        ("+45m", "2026-11-24T12:45"),
        ("yesterday 22:15", "2026-11-23T21:15"),
        ("2026-11-24T14:30", "2026-11-24T13:30"),
        ("2026-11-24T14:30Z", "2026-11-24T14:30"),
        ("2026-11-24T14:30+05:00", "2026-11-24T09:30"),
    ],
)
def test_accepted_forms(text, expected):
    assert parse_when(text, NOW, BERLIN) == datetime.fromisoformat(expected).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-02-30T10:00", "not a real date"),
        ("2026-03-29T02:30", "does not exist in your time zone"),
        ("banana", 'cannot read the time "banana"'),
        ("25:00", "cannot read the time"),
        ("-", "cannot read the time"),
        ("", "cannot read the time"),
    ],
)
def test_rejected_forms(text, message):
    with pytest.raises(UsageError, match=message):
        parse_when(text, NOW, BERLIN)


def test_rule_11_a_bare_clock_time_for_something_that_happened_is_the_most_recent_one():
    from datetime import datetime, timezone

    from therapy_timer.when import parse_when

    just_after_midnight = datetime(2026, 11, 25, 0, 10, tzinfo=BERLIN).astimezone(timezone.utc)
    said = parse_when("23:50", just_after_midnight, BERLIN, past=True)
    assert said == datetime(2026, 11, 24, 23, 50, tzinfo=BERLIN)
    assert parse_when("00:05", just_after_midnight, BERLIN, past=True).day == 24  # 23:05 UTC, today's 00:05
    assert parse_when("23:50", just_after_midnight, BERLIN) > just_after_midnight  # a window may be ahead
