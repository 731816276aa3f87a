"""Which reminder is due when, and what it says: a pure function of the timeline and the log.

Every session gets a reminder when it starts; ice and heat also get one when they end, repeated
`reminders.repeat_times` times, `repeat_after_minutes` apart, until the session is answered with
done or skip (falling asleep on an ice pack is how skin gets hurt), and never past the start of the
next ice or heat session. A snooze moves the session itself (`protocol.moved_starts`): its "on"
reminder comes again at the new start, under a new key, and its take-it-off reminders follow the
new end. No reminder of a session is due after its answer (snoozed ones neither), and one due
before the answer stops mattering at the answer.

The decisions the command line and the daemon share live here too: what a snooze applies to
(`snooze`), and which due reminders fire and which are recorded as missed (`triage`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Literal, TypeVar

from therapy_timer import protocol, wording
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.protocol import SKIN_REST, Event, Plan, Session, SettingsOverTime, Timeline
from therapy_timer.settings import Config
from therapy_timer.vocabulary import ANSWERS, SNOOZE, SWITCH_KINDS, PhaseReason, SessionKind

if TYPE_CHECKING:
    from therapy_timer.protocol import Answerable

OFF_STAYS_RELEVANT = timedelta(minutes=30)
LATE = timedelta(minutes=1)
"""An "on" reminder fired this late says how long is left of its session."""

Role = Literal["on", "off"]
What = Literal["ice", "heat", "walk", "check"]
"""What a reminder is about: a session's kind, or the daily warning-sign check-in (`checkin`)."""


class Reminder(NamedTuple):
    key: str  # stable across recomputations: "<session key>/on", "/off", "/again1", ...
    due: datetime
    title: str
    body: str
    session: str
    sticky: bool  # should stay on screen until dismissed (the "take it off" ones)
    relevant_until: datetime  # after this, a reminder that could not fire in time is recorded as missed
    role: Role = "on"
    what: What = "ice"
    ends: datetime | None = None  # "on" reminders: when the session ends (to say how long is left)
    opens: PhaseReason | Literal[""] = ""
    purpose: str = ""
    advice: str = ""  # a sentence added to the body (the doctor advice after switches)
    buttons: tuple[str, ...] = ()  # the answers it offers (wording.BUTTONS keys), most needed first

    @property
    def typed(self) -> str:
        """What to type instead of pressing a button, for servers (and terminals) without them."""
        return wording.typed(self.buttons)


def buttons(kind: SessionKind, role: Role) -> tuple[str, ...]:
    """The answers a reminder offers: what the person can sensibly say at that moment.

    Heat gets "made it worse" and "didn't help" on both its reminders, as reporting them is one of
    the app's jobs; a take-it-off reminder cannot be snoozed (longer ice or heat can hurt the skin).
    """
    if kind == "walk":
        return ("walked", "skip", "later")
    if role == "off":
        return ("done", "heat-worse", "heat-no-help") if kind == "heat" else ("done",)
    if kind == "heat":
        return ("heat-worse", "heat-no-help", "skip", "snooze")
    return ("skip", "snooze")


AnswerT = TypeVar("AnswerT", bound="Answerable")


def first_answers(events: Iterable[AnswerT]) -> dict[str, AnswerT]:
    """The first done/skip answer logged for each session key (a later one changes nothing): the one
    reading of answers that the plan state, the views and the report share."""
    found: dict[str, AnswerT] = {}
    for e in sorted(events, key=lambda e: e.at):
        if e.kind in ANSWERS and e.session and e.session not in found:
            found[e.session] = e
    return found


def answered(events: Iterable[Answerable]) -> dict[str, datetime]:
    """Session -> when it was answered."""
    return {key: e.at for key, e in first_answers(events).items()}


def outcomes(events: Iterable[Answerable]) -> dict[str, str]:
    """Session -> "done" or "skip"."""
    return {key: e.kind for key, e in first_answers(events).items()}


class AnswerDecision(NamedTuple):
    """Which session a done/skip at `at` answers, or why none."""

    session: Session | None
    refused: Literal["none-yet", "already", "unknown"] | None
    previous: str | None = None  # the earlier answer, when refused as "already"
    upcoming: Session | None = None  # the first session, when none has started yet


def answer_in_front(reminders: Sequence[Reminder], at: datetime) -> Reminder | None:
    """The reminder a "done" or "skip" typed at `at` answers: a take-it-off reminder still in front
    of the person comes first (the ice or heat may still be on the skin), then any other in front.
    `reminders` are as `build` gives them: those of answered sessions are gone already."""
    return in_front([r for r in reminders if r.sticky], at) or in_front(reminders, at)


def answer_target(timeline: Timeline, events: Iterable[Event], at: datetime, key: str | None = None) -> AnswerDecision:
    """The session in progress at `at`, else the latest one begun (or the one named `key`, from a
    notification); a session is answered once."""
    if key is not None:
        session = next((s for s in timeline.sessions if s.key == key), None)
        if session is None:
            return AnswerDecision(None, "unknown")
    else:
        session = timeline.latest(at)
        if session is None:
            return AnswerDecision(None, "none-yet", upcoming=timeline.upcoming(at))
    previous = outcomes(events).get(session.key)
    return AnswerDecision(session, "already" if previous else None, previous)


def build(
    config: Config | SettingsOverTime, timeline: Timeline, events: Iterable[Event], since: datetime, until: datetime
) -> list[Reminder]:
    """The reminders due in [since, until], earliest first, after snoozes and answers."""
    settings = protocol.as_settings(config)
    events = sorted(events, key=lambda e: e.at)
    done = answered(events)
    # Where each ice or heat session's first reminder comes: a snoozed one's "on" came as planned.
    starts = sorted(min(s.start, s.planned_start or s.start) for s in timeline.sessions if s.kind != "walk")
    out: list[Reminder] = []
    following: dict[str, datetime | None] = {}
    for session in timeline.sessions:
        here = settings.at(session.start)
        if session.end + _repeat_span(here) + OFF_STAYS_RELEVANT < since:
            continue
        if min(session.start, session.planned_start or session.start) > until:
            if session.start > until + timedelta(days=1):  # sorted by start: nothing later can be due
                break
            continue
        index = bisect_right(starts, min(session.start, session.planned_start or session.start))
        following[session.key] = starts[index] if index < len(starts) else None
        out += _for_session(here, timeline, session, following[session.key])
    for snooze in (e for e in events if e.kind == SNOOZE):
        out = _apply_snooze(out, snooze)
    kept = (_answered(r, done.get(r.session)) for r in out if since <= r.due <= until and _in_time(r, following))
    return sorted((r for r in kept if r is not None), key=lambda r: (r.due, r.key))


def _answered(reminder: Reminder, answer: datetime | None) -> Reminder | None:
    """After its session's answer a reminder never comes; one due before it matters only until then
    (so a daemon that was away does not fire it late, after the user said done)."""
    if answer is None:
        return reminder
    if reminder.due > answer:
        return None
    return reminder._replace(relevant_until=min(reminder.relevant_until, answer))


def _in_time(reminder: Reminder, following: dict[str, datetime | None]) -> bool:
    """A reminder (snoozed or not) never comes at or after the start of the next ice or heat session:
    that session's own reminder takes over, and "on" and "off" never share a minute."""
    ahead = following.get(reminder.session)
    return ahead is None or reminder.due < ahead


def for_plan(
    config: Config | SettingsOverTime,
    plan: Plan,
    events: Iterable[Event],
    since: datetime,
    until: datetime,
    zone: tzinfo,
) -> list[Reminder]:
    """The plan's reminders due in [since, until]: its sessions from the protocol, then their reminders."""
    events = list(events)
    return build(config, protocol.build(config, plan, events, until, zone), events, since, until)


def _repeat_span(config: Config) -> timedelta:
    return timedelta(minutes=config.reminders.repeat_after_minutes * config.reminders.repeat_times)


def _for_session(config: Config, timeline: Timeline, session: Session, following: datetime | None) -> list[Reminder]:
    planned = session.planned_minutes or session.minutes
    advice = ""
    if session.opens in SWITCH_KINDS and timeline.see_doctor(session.start):
        advice = wording.doctor_after_switches(timeline.switch_count(session.start))
    on = wording.session_on(session.kind, planned, session.opens, session.purpose)
    first_due = session.planned_start or session.start  # a snoozed session: its first "on" came as planned
    half = first_due + timedelta(minutes=planned) / 2
    if session.cut_short:  # heat made it worse: it comes off at once, and nothing more of it is due
        ice = next((s.start for s in timeline.sessions if s.kind == "ice" and s.start >= session.end), None)
        stop = wording.heat_stop(ice - session.end if ice is not None else SKIN_REST)
        cut = Reminder(
            f"{session.key}/stop",
            session.end,
            stop.title,
            stop.body,
            session.key,
            True,
            session.end + OFF_STAYS_RELEVANT,
            "off",
            session.kind,
            buttons=("done",),  # the heat is off: nothing else to say about this session
        )
        if session.end == session.start:  # cut at its first moment: only the stop is still news
            return [cut]
    reminders = [
        Reminder(
            f"{session.key}/on",
            first_due,
            on.title,
            f"{on.body} {advice}".strip(),
            session.key,
            False,
            half,
            "on",
            session.kind,
            session.end,
            session.opens,
            session.purpose,
            advice,
            buttons(session.kind, "on"),
        )
    ]
    if session.cut_short:
        return [*reminders, cut]
    if session.kind == "walk":
        return reminders
    every = timedelta(minutes=config.reminders.repeat_after_minutes)
    for repeat in range(config.reminders.repeat_times + 1):
        due = session.end + every * repeat
        if repeat and following is not None and due >= following:
            break  # the next session's "on" takes over; "off" and "on" never share a minute
        off = wording.session_off(session.kind, repeat)
        key = f"{session.key}/off" if repeat == 0 else f"{session.key}/again{repeat}"
        reminders.append(
            Reminder(
                key, due, off.title, off.body, session.key, True, due + OFF_STAYS_RELEVANT, "off", session.kind,
                buttons=buttons(session.kind, "off"),
            )
        )  # fmt: skip
    return reminders


# Snoozing ------------------------------------------------------------------------------------


class SnoozeDecision(NamedTuple):
    """What a snooze at `at` does: which reminder comes again when, or why it cannot."""

    target: Reminder | None
    again_at: datetime | None
    refused: Literal["nothing", "take-off"] | None


def snooze(reminders: Sequence[Reminder], at: datetime, minutes: float) -> SnoozeDecision:
    """A snooze applies to the reminder in front of the user: fallen due, still relevant, unanswered.

    `reminders` are as `build` gives them (answered sessions are not there). A "take it off"
    reminder cannot be snoozed: keeping ice or heat on longer can hurt the skin.
    """
    target = in_front(reminders, at)
    if target is None:
        return SnoozeDecision(None, None, "nothing")
    if target.sticky:
        return SnoozeDecision(target, None, "take-off")
    return SnoozeDecision(target, max(target.due, at) + timedelta(minutes=minutes), None)


def in_front(reminders: Sequence[Reminder], at: datetime) -> Reminder | None:
    """The reminder in front of the user at `at` (what a snooze applies to): the latest one that has
    fallen due and still matters."""
    current = [r for r in reminders if r.due <= at < r.relevant_until]
    return max(current, key=lambda r: (r.due, r.key)) if current else None


def _apply_snooze(reminders: list[Reminder], event: Event) -> list[Reminder]:
    """The snoozed reminder comes again the snooze's minutes later, under a new key (the session
    itself, and so its take-it-off reminders, moved with it in the timeline already)."""
    target = next((r for r in reminders if r.key == event.text), None) if event.text else None
    if target is None:
        target = in_front(reminders, event.at)
    if target is None or target.sticky:
        return reminders
    new_due = max(target.due, event.at) + timedelta(minutes=event.minutes or 10)
    shift = new_due - target.due
    out = []
    for r in reminders:
        if r.session == target.session and "/snoozed-" in r.key and r.due > event.at and r is not target:
            continue  # an earlier snooze's "again", not yet come: this snooze takes its place
        if r is target and r.due <= event.at:  # it already fell due: it comes again, under a new key
            stamp = f"{event.at.astimezone(timezone.utc):%Y%m%dT%H%M%S}"
            again = r._replace(
                key=f"{r.key}/snoozed-{stamp}",
                due=new_due,
                title=wording.snoozed(r.title),
                relevant_until=new_due + OFF_STAYS_RELEVANT,
            )
            out += [r, again]
        elif r is target:  # not yet due (snoozed ahead by its key): it simply comes later
            out.append(r._replace(due=r.due + shift, relevant_until=r.relevant_until + shift))
        else:
            out.append(r)
    return out


def snoozed_pending(reminders: Sequence[Reminder], now: datetime) -> Reminder | None:
    """The snoozed reminder still to come, if any."""
    return next((r for r in reminders if "/snoozed-" in r.key and r.due > now), None)


# Firing ----------------------------------------------------------------------------------------


def triage(due: Sequence[Reminder], now: datetime) -> tuple[list[Reminder], list[Reminder]]:
    """Which due reminders fire and which are recorded as missed.

    Only the latest one that still matters fires (after downtime a burst of stale reminders would
    only confuse). An "on" reminder fired late says how long is left of its session; one that falls
    due with less than half its session left is missed (its `relevant_until`).
    """
    relevant = [r for r in due if r.relevant_until > now]
    latest = max((r.due for r in relevant), default=None)
    fire = [r for r in relevant if r.due == latest]
    return [as_fired(r, now) for r in fire], [r for r in due if r not in fire]


def as_fired(reminder: Reminder, now: datetime) -> Reminder:
    """The reminder as it reads at `now`: an "on" reminder a minute or more late says what is left."""
    if reminder.role != "on" or reminder.ends is None or now - reminder.due < LATE or "/snoozed-" in reminder.key:
        return reminder
    left = max(round((reminder.ends - now) / timedelta(minutes=1)), 1)
    notice = wording.session_on(reminder.what, left, reminder.opens, reminder.purpose, late=True)
    return reminder._replace(title=notice.title, body=f"{notice.body} {reminder.advice}".strip())
