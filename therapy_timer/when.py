"""Turning what a user types ("now", "14:30", "-2h", "yesterday 22:15", ISO 8601) into a moment.

Pure: the current time and the local zone are arguments, so parsing never reads a clock.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from therapy_timer.errors import UsageError
from therapy_timer.safe_text import one_line

_CLOCK = r"([01]?\d|2[0-3]):([0-5]\d)"
_DAY_CLOCK = re.compile(rf"^(?:(today|yesterday)\s+)?{_CLOCK}$")
_OFFSET = re.compile(r"^([+-])\s*(?:(\d{1,3})d)?\s*(?:(\d{1,4})h)?\s*(?:(\d{1,6})m(?:in)?)?$")
RECENT_SLACK = timedelta(minutes=1)
REACH = timedelta(days=366)
EXAMPLES = 'try "now", "14:30", "-2h", "-30m", "yesterday 22:15" or "2026-11-24T14:30"'


def parse_when(text: str, now: datetime, zone: tzinfo, past: bool = False) -> datetime:
    """The moment `text` names, as an aware UTC datetime; raises UsageError with an example.

    `past`: the text names something that happened, so a bare clock time ("23:50") means the most
    recent one (yesterday's, just after midnight), not one later today.
    Nothing more than `REACH` (a year) from now is accepted: the plan is for the first days of a
    spasm, and a date in year 1 or 9999 is a typo that would otherwise make every later command
    compute centuries of sessions.
    """
    try:
        moment = _parse(text, now, zone, past)
    except OverflowError:
        moment = None
    shown = one_line(text.strip())
    if moment is None:
        raise UsageError(f'"{shown}" is outside the dates this app can use; {EXAMPLES}')
    if moment > now + REACH:
        raise UsageError(f'"{shown}" is in the future, more than a year from now')
    if moment < now - REACH:
        raise UsageError(f'"{shown}" is more than a year ago; the plan is for the first days of a spasm')
    return moment


def _parse(text: str, now: datetime, zone: tzinfo, past: bool) -> datetime:
    spoken = text.strip().lower()
    if spoken == "now":
        return now.astimezone(timezone.utc)
    if match := _DAY_CLOCK.match(spoken):
        day = now.astimezone(zone).date() - timedelta(days=1 if match[1] == "yesterday" else 0)
        moment = local_moment(day, time(int(match[2]), int(match[3])), zone, text)
        if past and match[1] is None and moment > now + RECENT_SLACK:
            moment = local_moment(day - timedelta(days=1), time(int(match[2]), int(match[3])), zone, text)
        return moment
    if (match := _OFFSET.match(spoken)) and any(match.groups()[1:]):
        days, hours, minutes = (int(g or 0) for g in match.groups()[1:])
        delta = timedelta(days=days, hours=hours, minutes=minutes)
        return (now + (delta if match[1] == "+" else -delta)).astimezone(timezone.utc)
    return _iso(text.strip(), zone)


def _iso(text: str, zone: tzinfo) -> datetime:
    candidate = text[:-1] + "+00:00" if text[-1:] in "zZ" and text[:-1] else text
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError as exc:
        reason = str(exc)
        if re.match(r"^\d{4}-\d{2}-\d{2}", text) and ("range" in reason or "must be in" in reason):
            raise UsageError(f'"{one_line(text)}" is not a real date or time ({reason})') from None
        raise UsageError(f'cannot read the time "{one_line(text)}": {EXAMPLES}') from None
    if moment.tzinfo is None:
        return local_moment(moment.date(), moment.time(), zone, text)
    return moment.astimezone(timezone.utc)


def local_moment(day: date, clock: time, zone: tzinfo, text: str = "") -> datetime:
    """`day` at wall-clock `clock` in `zone`, refusing a time the clocks skipped (DST gap)."""
    naive = datetime.combine(day, clock)
    moment = naive.replace(tzinfo=zone)
    if moment.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != naive:
        shown = one_line(text) or naive.isoformat(" ", "minutes")
        raise UsageError(f'"{shown}" does not exist in your time zone: the clocks skipped that hour')
    return moment.astimezone(timezone.utc)
