"""The daily warning-sign check-in: when it is due, its one repeat, and whether it was answered.

Pure (no clock, no I/O), like `reminders`: the check-in reminders of a window are a function of the
settings in force, the plan, its sessions and events, and the moments a check was answered. The
daemon fires them like any other reminder (their keys are stable: "checkin@<local date>/on" and
"/again"); the command line and the buttons record the answer as `check` records one.

Rules (the README gives the user's view):
- once a local day, `AFTER_NIGHT` after the night's quiet period ends (the longest quiet period
  that ends that day; with no quiet period at all, `NO_NIGHT_ENDS`);
- only while a plan is active (from its start, before its end);
- never inside a quiet period (a check-in that would fall in one, a nap say, moves to its end), and
  never in the same minute as an ice or heat reminder: it moves to the next free minute;
- unanswered, it comes once more `AGAIN_AFTER` later, placed by the same rules, on the same day;
  a repeat pushed into the next day (by the night) does not come;
- a day's check-in is answered by a `check` (at `start`, typed, or from the check-in's button) or a
  warning sign logged by name, on that local day: no check-in of that day falls due after it (so
  none on the day the start screening was answered before it), and one due before it stops
  mattering at the answer;
- a check-in that could not fire in time (the machine was off) matters until its repeat, or for
  `AGAIN_AFTER`, never into a quiet period; after that it is recorded as missed, like any reminder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from therapy_timer import protocol, reminders, wording
from therapy_timer.protocol import Event, Plan, SettingsOverTime, Timeline
from therapy_timer.settings import ClockRange, Config

PREFIX = "checkin@"
AFTER_NIGHT = timedelta(minutes=30)
"""How long after the night's quiet period the check-in comes: time to wake up first."""
AGAIN_AFTER = timedelta(hours=2)
NO_NIGHT_ENDS = time(7, 0)
"""When the night is taken to end for someone with no quiet period at all (the default's end)."""
MINUTE = timedelta(minutes=1)
TREATMENTS = ("ice", "heat")

Role = Literal["on", "again"]


def session_key(day: date) -> str:
    """The check-in of local `day`, as its notification's session: "checkin@2026-11-25"."""
    return f"{PREFIX}{day.isoformat()}"


def parse_key(key: str) -> date | None:
    """The local day a check-in key ("checkin@2026-11-25" or ".../on") names; None for any other key."""
    if not key.startswith(PREFIX):
        return None
    try:
        return date.fromisoformat(key[len(PREFIX) :].split("/", 1)[0])
    except ValueError:
        return None


def night_ends(day: date, periods: Sequence[ClockRange], zone: tzinfo) -> datetime:
    """When the night's quiet period ends on local `day`: of the quiet periods (joined where they
    touch or overlap) that end that day, the longest. With none, `NO_NIGHT_ENDS`."""
    morning, midnight = protocol.midnight(day, zone), protocol.midnight(day + timedelta(days=1), zone)
    joined: list[list[datetime]] = []
    for begin, end in protocol.quiet_spans(morning - timedelta(days=1), midnight, periods, zone):
        if joined and begin <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([begin, end])
    ending = [(end - begin, end) for begin, end in joined if morning <= end < midnight]
    if not ending:
        return protocol.wall(day, NO_NIGHT_ENDS, zone)
    return max(ending)[1]


def place(
    earliest: datetime, periods: Sequence[ClockRange], zone: tzinfo, busy: frozenset[datetime]
) -> datetime | None:
    """The first minute from `earliest` on outside every quiet period and with no ice or heat
    reminder due in it (`busy`: those minutes); None if there is none within two days."""
    moment = earliest
    horizon = earliest + timedelta(days=2)
    while moment < horizon:
        fitted = protocol.fit(moment, MINUTE, periods, zone, horizon)
        if fitted is None:
            return None
        moment = fitted
        if _minute(moment) not in busy:
            return moment
        moment = _minute(moment) + MINUTE
    return None


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def answered_at(answers: Iterable[datetime], day: date, zone: tzinfo) -> datetime | None:
    """The first answer on local `day` (a check, or a sign logged by name), if any."""
    return min((at for at in answers if at.astimezone(zone).date() == day), default=None)


def build(
    settings: SettingsOverTime,
    plan: Plan,
    timeline: Timeline,
    events: Iterable[Event],
    answers: Sequence[datetime],
    since: datetime,
    until: datetime,
    zone: tzinfo,
) -> list[reminders.Reminder]:
    """The check-in reminders due in [since, until], earliest first.

    `events`: the plan's events (the ice and heat reminders are worked out from them, as `reminders.build`
    does); `answers`: when a check was answered or a sign logged by name, in any plan (the start
    screening of a plan that a correction replaced still counts)."""
    events = list(events)
    treatments = reminders.build(settings, timeline, events, since - timedelta(days=1), until + timedelta(days=1))
    busy = frozenset(_minute(r.due) for r in treatments if r.what in TREATMENTS)
    out: list[reminders.Reminder] = []
    day = (since - timedelta(days=1)).astimezone(zone).date()
    last = until.astimezone(zone).date()
    while day <= last:
        out += for_day(settings, plan, day, busy, answered_at(answers, day, zone), zone)
        day += timedelta(days=1)
    return sorted((r for r in out if since <= r.due <= until), key=lambda r: (r.due, r.key))


def for_plan(
    config: Config | SettingsOverTime,
    plan: Plan,
    events: Iterable[Event],
    answers: Sequence[datetime],
    since: datetime,
    until: datetime,
    zone: tzinfo,
) -> list[reminders.Reminder]:
    """The plan's check-ins due in [since, until]: its sessions from the protocol, then `build`."""
    settings, events = protocol.as_settings(config), list(events)
    timeline = protocol.build(settings, plan, events, until + timedelta(days=1), zone)
    return build(settings, plan, timeline, events, answers, since, until, zone)


def for_day(
    settings: SettingsOverTime,
    plan: Plan,
    day: date,
    busy: frozenset[datetime],
    answer: datetime | None,
    zone: tzinfo,
) -> list[reminders.Reminder]:
    """The check-in of local `day` and its repeat, as they stand after `answer` (the day's first)."""
    config = settings.at(protocol.wall(day, time(0), zone))  # the day's settings as it began
    periods = config.quiet_hours.periods
    first = place(night_ends(day, periods, zone) + AFTER_NIGHT, periods, zone, busy)
    if first is None or first.astimezone(zone).date() != day or not _in_plan(plan, first):
        return []
    again = place(first + AGAIN_AFTER, settings.at(first + AGAIN_AFTER).quiet_hours.periods, zone, busy)
    if again is not None and (again.astimezone(zone).date() != day or not _in_plan(plan, again)):
        again = None
    out = [_reminder(day, "on", first, again or first + AGAIN_AFTER, periods, zone)]
    if again is not None:
        out.append(_reminder(day, "again", again, again + AGAIN_AFTER, periods, zone))
    if answer is None:
        return out
    return [r._replace(relevant_until=min(r.relevant_until, answer)) for r in out if r.due <= answer]


def _in_plan(plan: Plan, moment: datetime) -> bool:
    return plan.started_at <= moment and (plan.ended_at is None or moment < plan.ended_at)


def _reminder(
    day: date, role: Role, due: datetime, stays: datetime, periods: Sequence[ClockRange], zone: tzinfo
) -> reminders.Reminder:
    """One check-in reminder; it matters until `stays`, or until the next quiet period begins."""
    quiet = [begin for begin, _ in protocol.quiet_spans(due, stays, periods, zone) if begin > due]
    notice = wording.checkin(again=role == "again")
    session = session_key(day)
    return reminders.Reminder(
        f"{session}/{role}",
        due,
        notice.title,
        notice.body,
        session,
        False,
        min([stays, *quiet]),
        "on",
        "check",
        buttons=BUTTONS,
    )


BUTTONS = ("check-none", "check-new")
"""What a check-in offers: none of the signs is new, or one is (which shows them, with what to do)."""


def is_checkin(reminder: reminders.Reminder) -> bool:
    return reminder.what == "check"
