"""What a calendar file of the plan holds: its sessions as plain events, each with its alarms.

Pure (no clock, no I/O, no icalendar): `calendar/ics.py` turns these values into an iCalendar file and
reads them back, `usecases.export_calendar` gathers what they are made from.

- One event per session, named by a UID made of the plan and the session key, so a calendar that
  imports the file again (or re-reads a subscription) updates the event instead of adding a copy.
- Its alarms are the session's reminders as the desktop shows them (the same titles and bodies):
  at the start, and for ice and heat at the end ("take it off"). A snooze moves the alarms the
  desktop would move; a session answered (done, skipped) loses the alarms after the answer. The
  repeats of an unanswered take-it-off reminder are left out: a phone cannot know the answer.
- A session exported before that is no longer planned (heat dropped by a switch back to cold,
  everything after `stop`, a plan replaced) stays in the file as CANCELLED, until it is over:
  a calendar that only imports would otherwise keep showing it, alarms and all.
- SEQUENCE grows and DTSTAMP/LAST-MODIFIED move only when an event changes, so an unchanged plan
  gives the same bytes (the daemon rewrites its live copy only when they differ).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Literal

from therapy_timer import wording
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.protocol import Session, midnight
from therapy_timer.reminders import Reminder

DOMAIN = "therapy-timer.invalid"
"""The right-hand side of every UID: `.invalid` is reserved (RFC 2606), so it is no one's real domain."""
DAYS = 3
MAX_DAYS = 14
"""`--days` is bounded: the plan is for the first days after a spasm (`protocol.ACUTE_FOR`)."""
EventStatus = Literal["CONFIRMED", "CANCELLED"]


class Alarm(NamedTuple):
    """A display alarm: `after_start` from the event's start (a relative trigger, as phones handle best)."""

    after_start: timedelta
    text: str  # the reminder's title, a new line, its body


class CalendarEvent(NamedTuple):
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str
    alarms: tuple[Alarm, ...]
    status: EventStatus = "CONFIRMED"
    sequence: int = 0
    stamp: datetime | None = None  # when this version was made: DTSTAMP and LAST-MODIFIED

    def content(self) -> tuple[object, ...]:
        """What a calendar shows; a change here is a new version of the event (SEQUENCE + 1)."""
        return (self.start, self.end, self.summary, self.description, self.alarms, self.status)


def uid(plan_id: int, session_key: str) -> str:
    """`plan3-ice-20261124T080000Z@therapy-timer.invalid`: the same session of the same plan, the same UID."""
    kind, _, start = session_key.partition("@")
    return f"plan{plan_id}-{kind}-{start.replace('-', '').replace(':', '')}@{DOMAIN}"


_UID = re.compile(rf"plan(\d+)-([a-z]+)-(\d{{8}}T\d{{6}}Z)@{re.escape(DOMAIN)}")


def is_ours(event_uid: str) -> bool:
    return _UID.fullmatch(event_uid) is not None


def window(now: datetime, zone: tzinfo, days: int) -> tuple[datetime, datetime]:
    """The stretch exported: from the start of today (so today's earlier sessions stay in view) to the
    end of the day `days` days from now, local days in the plan's zone."""
    today = now.astimezone(zone).date()
    return midnight(today, zone), midnight(today + timedelta(days=days + 1), zone)


def events(
    plan_id: int,
    sessions: Sequence[Session],
    known_until: datetime,
    reminders: Sequence[Reminder],
    span: tuple[datetime, datetime],
    previous: Sequence[CalendarEvent],
    now: datetime,
) -> list[CalendarEvent]:
    """The calendar's events: the sessions that overlap `span`, then those exported before (`previous`)
    that are no longer planned, as CANCELLED; each keeps its SEQUENCE and stamp unless it changed.

    `sessions` is the plan's timeline as worked out up to `known_until` (and `reminders` those of its
    sessions): an earlier event beyond that is not judged (it leaves the file, it is not cancelled),
    nor is one that is still planned but outside `span`.
    """
    start, end = span
    by_session: dict[str, list[Reminder]] = {}
    for r in sorted(reminders, key=lambda r: (r.due, r.key)):
        by_session.setdefault(r.session, []).append(r)
    made = [
        _event(plan_id, s, by_session.get(s.key, []))
        for s in sessions
        if s.start < end and (s.end > start or s.start >= start)
    ]
    before = {p.uid: p for p in previous}
    out = [_versioned(e, before.get(e.uid), now) for e in made]
    fresh = {e.uid for e in made}
    planned = {uid(plan_id, s.key) for s in sessions}
    for p in before.values():
        if p.uid in fresh or p.end <= start:
            continue  # updated above, or over (nothing left to correct)
        if p.status == "CANCELLED":
            out.append(p)
        elif p.uid not in planned and p.start < known_until:
            out.append(p._replace(status="CANCELLED", alarms=(), sequence=p.sequence + 1, stamp=now))
    return sorted(out, key=lambda e: (e.start, e.uid))


def _event(plan_id: int, session: Session, reminders: list[Reminder]) -> CalendarEvent:
    shown = [r for r in reminders if "/again" not in r.key]  # the repeats wait for an answer a phone cannot see
    if shown:
        description = shown[0].body
    else:
        on = wording.session_on(
            session.kind, session.planned_minutes or session.minutes, session.opens, session.purpose
        )
        description = on.body
    return CalendarEvent(
        uid=uid(plan_id, session.key),
        start=session.start.astimezone(timezone.utc),
        end=session.end.astimezone(timezone.utc),
        summary=wording.event_title(session.kind, session.purpose, session.cut_short),
        description=description,
        alarms=tuple(Alarm(r.due - session.start, f"{r.title}\n{r.body}") for r in shown),
    )


def _versioned(event: CalendarEvent, before: CalendarEvent | None, now: datetime) -> CalendarEvent:
    if before is None:
        return event._replace(stamp=now)
    if before.content() == event.content():
        return event._replace(sequence=before.sequence, stamp=before.stamp or now)
    return event._replace(sequence=before.sequence + 1, stamp=now)
