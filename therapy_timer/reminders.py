"""Which reminder is due when, and what it says: a pure function of the timeline and the log.

Every session gets a reminder when it starts; ice and heat also get one when they end, repeated
`reminders.repeat_times` times, `repeat_after_minutes` apart, until the session is answered with
done or skip (falling asleep on an ice pack is how skin gets hurt). A snooze moves the current
reminder, and the rest of its session's reminders with it, later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone, tzinfo

from therapy_timer import protocol, texts
from therapy_timer.config import Config
from therapy_timer.protocol import ANSWERS, SWITCH_KINDS, Event, Plan, Session, Timeline

OFF_STAYS_RELEVANT = timedelta(minutes=30)


@dataclass(frozen=True)
class Reminder:
    key: str  # stable across recomputations: "<session key>/on", "/off", "/again1", ...
    due: datetime
    title: str
    body: str
    session: str
    sticky: bool  # should stay on screen until dismissed (the "take it off" ones)
    relevant_until: datetime  # after this, a reminder that could not fire in time is dropped


def build(
    config: Config, timeline: Timeline, events: Iterable[Event], since: datetime, until: datetime
) -> list[Reminder]:
    """The reminders due in [since, until], earliest first, after answers and snoozes."""
    events = sorted(events, key=lambda e: e.at)
    answered = {e.session: e.at for e in reversed(events) if e.kind in ANSWERS and e.session}
    out: list[Reminder] = []
    for session in timeline.sessions:
        if session.end + _repeat_span(config) + OFF_STAYS_RELEVANT < since:
            continue
        if session.start > until:
            break
        cutoff = answered.get(session.key)
        out += [r for r in _for_session(config, timeline, session) if cutoff is None or r.due <= cutoff]
    for snooze in (e for e in events if e.kind == "snooze"):
        out = _apply_snooze(out, snooze)
    return sorted((r for r in out if since <= r.due <= until), key=lambda r: (r.due, r.key))


def for_plan(
    config: Config, plan: Plan, events: Iterable[Event], since: datetime, until: datetime, zone: tzinfo
) -> list[Reminder]:
    """The plan's reminders due in [since, until]: its sessions from the protocol, then their reminders."""
    events = list(events)
    return build(config, protocol.build(config, plan, events, until, zone), events, since, until)


def _repeat_span(config: Config) -> timedelta:
    return timedelta(minutes=config.reminders.repeat_after_minutes * config.reminders.repeat_times)


def _for_session(config: Config, timeline: Timeline, session: Session) -> list[Reminder]:
    planned = {"ice": config.cold.minutes, "heat": config.heat.minutes}.get(session.kind, session.minutes)
    on = texts.session_on(session.kind, planned, session.opens, session.purpose)
    body = on.body
    if session.opens in (*SWITCH_KINDS, "heat-again") and timeline.see_doctor(session.start):
        body = f"{body} {texts.DOCTOR_AFTER_SWITCHES}"
    reminders = [Reminder(f"{session.key}/on", session.start, on.title, body, session.key, False, session.end)]
    if session.kind == "walk" or session.cut_short:
        return reminders
    every = timedelta(minutes=config.reminders.repeat_after_minutes)
    for repeat in range(config.reminders.repeat_times + 1):
        off = texts.session_off(session.kind, repeat)
        due = session.end + every * repeat
        key = f"{session.key}/off" if repeat == 0 else f"{session.key}/again{repeat}"
        reminders.append(Reminder(key, due, off.title, off.body, session.key, True, due + OFF_STAYS_RELEVANT))
    return reminders


def snooze_target(reminders: list[Reminder], at: datetime) -> Reminder | None:
    """The reminder a snooze at `at` applies to: the one still current, else the next one due."""
    current = [r for r in reminders if r.due <= at < r.relevant_until]
    if current:
        return max(current, key=lambda r: (r.due, r.key))
    return min((r for r in reminders if r.due > at), key=lambda r: (r.due, r.key), default=None)


def _apply_snooze(reminders: list[Reminder], snooze: Event) -> list[Reminder]:
    """Move the current reminder (and its session's later ones) later by the snooze's minutes.

    A "take it off" reminder is never moved: keeping ice or heat on longer can hurt the skin.
    """
    target = snooze_target(reminders, snooze.at)
    if target is None or target.sticky:
        return reminders
    new_due = max(target.due, snooze.at) + timedelta(minutes=snooze.minutes or 10)
    shift = new_due - target.due
    out = []
    for r in reminders:
        if r is target and r.due <= snooze.at:  # it already fell due: it comes again, under a new key
            stamp = f"{snooze.at.astimezone(timezone.utc):%Y%m%dT%H%M%S}"
            out += [
                r,
                replace(
                    r,
                    key=f"{r.key}/snoozed-{stamp}",
                    due=new_due,
                    title=texts.snoozed(r.title),
                    relevant_until=new_due + OFF_STAYS_RELEVANT,
                ),
            ]
        elif r.session == target.session and r.due >= target.due:
            out.append(replace(r, due=r.due + shift, relevant_until=r.relevant_until + shift))
        else:
            out.append(r)
    return out
