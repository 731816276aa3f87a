"""The plan's calendar as an iCalendar file (RFC 5545), with the `icalendar` library.

The only module that imports icalendar (about 120 ms and 8 MiB): `export ics` and the short-lived
process that writes the daemon's live copy load it; the daemon itself and every other command never do.
Events are made by the pure `calendar.events`; this module renders them, reads a file written
earlier back into the same values, and replaces a file atomically only when its bytes change.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import icalendar

from therapy_timer import __version__, wording
from therapy_timer.calendar.events import DOMAIN, Alarm, CalendarEvent, is_ours
from therapy_timer.clock import zone_key

PRODID = f"-//therapy-timer//therapy-timer {__version__}//EN"
OURS = "-//therapy-timer//"
REFRESH = timedelta(minutes=15)
"""How often a client subscribed to the file is asked to read it again."""


class NotOurs(ValueError):
    """The file is not an iCalendar file written by therapy-timer (so it is never overwritten)."""


def render(events: Sequence[CalendarEvent], zone: tzinfo) -> bytes:
    """The calendar file: times in `zone` with its VTIMEZONE (a TZID clients resolve on their own),
    the same bytes for the same events."""
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        uid=f"calendar@{DOMAIN}",  # fixed: icalendar would make a random one, and the bytes would differ
        name="therapy-timer",
        description=wording.NOT_ADVICE,
        refresh_interval=REFRESH,
    )
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))  # the older spelling of REFRESH-INTERVAL
    for event in events:
        calendar.add_component(_component(event, zone))
    if events:
        first = min(e.start for e in events).astimezone(zone).date() - timedelta(days=1)
        last = max(e.end for e in events).astimezone(zone).date() + timedelta(days=1)
        calendar.add_missing_timezones(first, last)
        tzid = zone_key(zone)
        if tzid and tzid not in {tz.tz_name for tz in calendar.timezones}:  # a POSIX rule (TZ=JST-9): no IANA entry
            calendar.add_component(icalendar.Timezone.from_tzinfo(zone, tzid, first, last))
    data: bytes = calendar.to_ical()
    return data


def _component(event: CalendarEvent, zone: tzinfo) -> icalendar.Event:
    component: icalendar.Event = icalendar.Event.new(
        uid=event.uid,
        start=_wall(event.start, zone),
        end=_wall(event.end, zone),
        summary=event.summary,
        description=event.description,
        status=icalendar.STATUS[event.status],
        sequence=event.sequence,
        stamp=event.stamp,
        last_modified=event.stamp,
    )
    for alarm in event.alarms:
        valarm = icalendar.Alarm()
        valarm.add("action", "DISPLAY")
        valarm.add("trigger", alarm.after_start)
        valarm.add("description", alarm.text)
        component.add_component(valarm)
    return component


def _wall(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` in `zone` (written with its TZID), or in UTC for the second 02:30 of the night summer
    time ends: RFC 5545 reads a local time that occurs twice as its first occurrence, an hour early.

    Converted with `fromutc`, which sets `fold` on the second occurrence (freezegun's `astimezone`
    drops it, and the tests run under freezegun)."""
    local = zone.fromutc(moment.astimezone(timezone.utc).replace(tzinfo=zone))
    if local.fold and local.utcoffset() != local.replace(fold=0).utcoffset():
        return moment.astimezone(timezone.utc)
    return local


def read(data: bytes) -> list[CalendarEvent]:
    """The events of a file `render` wrote (others' events in it are left out); `NotOurs` for any other file."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises ValueError and others on broken input
        raise NotOurs(f"it is not an iCalendar file ({type(exc).__name__})") from None
    if not isinstance(calendar, icalendar.Calendar) or not str(calendar.get("prodid", "")).startswith(OURS):
        raise NotOurs("it is not a calendar therapy-timer wrote")
    found = []
    for component in calendar.walk("VEVENT"):
        with contextlib.suppress(Exception):  # a damaged or foreign event: not ours to judge
            event = _event(component)
            if is_ours(event.uid):
                found.append(event)
    return found


def _event(component: Any) -> CalendarEvent:
    alarms = tuple(
        Alarm(a.decoded("trigger"), str(a.get("description", "")))
        for a in component.walk("VALARM")
        if isinstance(a.decoded("trigger"), timedelta)
    )
    stamp = component.decoded("dtstamp", None)
    return CalendarEvent(
        uid=str(component["uid"]),
        start=_aware(component.decoded("dtstart")),
        end=_aware(component.decoded("dtend")),
        summary=str(component.get("summary", "")),
        description=str(component.get("description", "")),
        alarms=alarms,
        status="CANCELLED" if str(component.get("status", "")).upper() == "CANCELLED" else "CONFIRMED",
        sequence=int(component.get("sequence", 0)),
        stamp=_aware(stamp) if stamp is not None else None,
    )


def _aware(value: Any) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("not a moment with a zone")
    return value


MAX_BYTES = 4 << 20
"""The largest calendar file read back: 14 days of sessions with the cancelled ones kept take
about 100 KiB, so a file far past that is not one therapy-timer wrote."""


def previous(path: Path) -> list[CalendarEvent]:
    """The events in the calendar file at `path` (none if there is no file); `NotOurs` if it is someone
    else's. Only a regular file of ours is read, and at most `MAX_BYTES` of it (`files.read_back`):
    /dev/zero would fill memory and a FIFO would wait for ever."""
    from therapy_timer import files

    try:
        data = files.read_back(path, MAX_BYTES)
    except files.TooLarge as exc:
        raise NotOurs(str(exc)) from None
    return [] if data is None else read(data)


def replace(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it holds those bytes already; True if written.

    Atomic and never through another user's link or into their file (`files.replace`): a calendar
    that reads the file at any moment sees the old or the new version, never half of one. A new
    file is private (0600, it says what treatment someone is having); a file replaced keeps its
    permissions.
    """
    from therapy_timer import files

    return files.replace(path, data, unless_same=True)
