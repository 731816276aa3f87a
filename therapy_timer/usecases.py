"""What each command does, for every caller: the command line, the daemon and notification buttons.

A use case takes its dependencies (`Deps`: the store, "now", the zone, the settings and a nudger
that tells a running daemon to look again), asks the pure core (`protocol`, `reminders`) for the
decision, writes it through the store and returns a small result. No click, no printing: the
command line prints the result (as text or `--json`), a notification button shows it.

Settings are part of the record: a use case that writes (and the daemon, when it sees an edit)
records the settings when they differ from the last ones recorded for the plan (`SETTINGS` event,
in force from that moment on). Queries never write: they, like every view, work the plan out with
the settings recorded, each in force from its moment (`protocol.SettingsOverTime`), so an edit applies from
the moment it is recorded, whichever command runs first, and a read-only record can still be read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any, Literal

from therapy_timer import progress, protocol, reminders, wording
from therapy_timer.errors import RefusedError, UsageError
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.protocol import Plan, Session, SettingsOverTime, SwitchResult, Timeline, TryHeatResult
from therapy_timer.settings import Config, ConfigError, from_plain, specs
from therapy_timer.store import FiredReminder, LoggedEvent, Store, StoredPlan
from therapy_timer.vocabulary import (
    ANSWERS,
    CHECK,
    DONE,
    HEAT_WORSE,
    NOTE,
    PAIN,
    SETTINGS,
    SIGNS_ACK,
    SKIP,
    SNOOZE,
    SYMPTOM,
    TRY_HEAT,
    Answer,
    EndReason,
    LogKind,
    Source,
    SwitchKind,
    is_switch,
)

if TYPE_CHECKING:
    from therapy_timer.calendar.events import CalendarEvent
    from therapy_timer.recovery_report import Report
    from therapy_timer.reminders import Reminder
    from therapy_timer.wording import Notice

PROTOCOL_SECTIONS = ("cold", "heat", "walk", "quiet_hours", "reminders")
"""The sections the plan is made from: recorded with the plan when they change."""
LOOKAHEAD = timedelta(days=3)
"""How far past now a query works the plan out: past the daemon's scheduling window."""
LOOKBACK = timedelta(hours=6)


class Deps:
    """What a use case needs from the outside world, built for every entry point by `bootstrap.Wiring`
    (`zone` is the active plan's; `zone_of` gives any plan's, for a report or calendar of an ended one)."""

    def __init__(
        self,
        store: Store,
        now: datetime,
        zone: tzinfo,
        config: Config,
        nudge: Callable[[], None] | None = None,
        zone_of: Callable[[StoredPlan], tzinfo] | None = None,
    ) -> None:
        self.store, self.now, self.zone, self.config = store, now, zone, config
        self.nudge: Callable[[], None] = nudge or (lambda: None)
        self.zone_of: Callable[[StoredPlan], tzinfo] = zone_of or (lambda _stored: zone)


# Settings over time ------------------------------------------------------------------------------


def settings_text(config: Config) -> str:
    """The plan-making settings as recorded in the log: one "section.key = value" line each."""
    out = []
    for name in PROTOCOL_SECTIONS:
        section = getattr(config, name)
        kind: type = type(section)
        for key, spec in specs(kind).items():
            value = getattr(section, key)
            if spec.kind == "clock_ranges":
                shown = ",".join(str(span) for span in value)
            elif spec.kind == "clock":
                shown = f"{value:%H:%M}"
            elif spec.kind == "number":  # 12 and 12.0 are one setting: one text, or a change is seen where none was
                shown = f"{float(value):g}"
            else:
                shown = str(value)
            out.append(f"{name}.{key} = {shown}")
    return "\n".join(out)


def settings_from_text(text: str | None, current: Config) -> Config | None:
    """The recorded settings, over `current` for anything not recorded; None if they cannot be read."""
    data: dict[str, dict[str, Any]] = {}
    try:
        for line in (text or "").splitlines():
            name_key, _, shown = line.partition(" = ")
            name, _, key = name_key.partition(".")
            kind: type = type(getattr(current, name))
            spec = specs(kind)[key]
            value: Any = shown
            if spec.kind == "number":
                value = float(shown)
            elif spec.kind == "whole":
                value = int(shown)
            elif spec.kind == "clock_ranges":
                value = shown.split(",") if shown else []
            data.setdefault(name, {})[key] = value
        return from_plain(data, current)
    except (ValueError, KeyError, AttributeError, ConfigError):
        return None


def settings_over_time(
    events: Sequence[LoggedEvent], current: Config, pending_from: datetime | None = None
) -> SettingsOverTime:
    """The settings in force over the plan: each recorded change from its moment (`current` fills
    in what a record lacks, and stands alone for a plan that recorded none). With `pending_from`
    (a use case about to write), `current` too from that moment if it differs from the last
    recorded: what `record_settings` will record with the write."""
    changes: list[tuple[datetime, Config]] = []
    last_text = None
    for e in events:
        if e.kind == SETTINGS:
            recorded = settings_from_text(e.text, current)
            if recorded is not None:
                changes.append((e.at, recorded))
                last_text = e.text
    if pending_from is not None and changes and last_text != settings_text(current):
        changes.append((pending_from, current))
    if not changes:
        return SettingsOverTime(current)
    return SettingsOverTime(changes[0][1], tuple(changes[1:]))


def recorded_settings(store: Store, stored: StoredPlan, base: Config) -> Config:
    """The settings last recorded with `stored`, over `base` for anything not recorded (`base` itself
    when none can be read): what stays in force while config.toml is broken."""
    texts = [e.text for e in store.events(stored.id) if e.kind == SETTINGS]
    return (settings_from_text(texts[-1], base) if texts else None) or base


def record_settings(deps: Deps, stored: StoredPlan, events: Sequence[LoggedEvent], at: datetime | None = None) -> bool:
    """Record the current settings with the plan if they differ from the last recorded; True if so."""
    text = settings_text(deps.config)
    last = next((e.text for e in reversed(events) if e.kind == SETTINGS), None)
    if last == text:
        return False
    deps.store.log(stored.id, at or deps.now, SETTINGS, deps.now, text=text)
    return True


class WorkedOut(NamedTuple):
    """A plan worked out from its log: the settings in force over time, the events, the sessions,
    the sessions that are facts, and the plan as worked out (with the skin's rest before it)."""

    settings: SettingsOverTime
    events: list[protocol.Event]
    timeline: Timeline
    facts: frozenset[str] = frozenset()
    plan: protocol.Plan | None = None


def work_out(
    deps: Deps,
    stored: StoredPlan,
    logged: Sequence[LoggedEvent],
    horizon: datetime,
    zone: tzinfo,
    pending: bool = False,
) -> WorkedOut:
    """The plan's sessions up to `horizon` from `logged`, with the settings recorded (read only);
    `pending`: with a settings edit not yet recorded applied from now, as a write will record it.

    The one derivation every view and the daemon read: the sessions that happened (`fact_keys`) stay
    as they were, the skin rests after what came off before the plan (`skin_off_before`), and the
    rest is worked out around them."""
    settings = settings_over_time(logged, deps.config, deps.now if pending else None)
    events = [e.as_event() for e in logged]
    plan = stored.plan._replace(skin_off=skin_off_before(deps.store, stored))
    facts = fact_keys(events, deps.store.reminders(stored.id))
    return WorkedOut(settings, events, protocol.build(settings, plan, events, horizon, zone, facts), facts, plan)


def fact_keys(events: Sequence[protocol.Event], fired: Sequence[FiredReminder]) -> frozenset[str]:
    """The sessions that are facts: answered, or whose reminder went out or was recorded as missed
    (a snoozed one is read from the snooze itself)."""
    answered = {e.session for e in events if e.kind in ANSWERS and e.session}
    return frozenset(answered | {r.key.split("/", 1)[0] for r in fired})


CORRECTION = timedelta(minutes=5)
"""`start --replace` this soon after the start it replaces, with nothing answered, is a correction:
the replaced plan's sessions count for nothing, not even for the skin's rest."""


def skin_off_before(store: Store, stored: StoredPlan) -> datetime | None:
    """When ice or heat last came off the skin before `stored` began, in the plan before it (replaced,
    or stopped and started again): the latest end of its sessions that were facts and not skipped
    (an answer or a cut before the end ends it there). None when nothing was on, or for a correction."""
    previous = store.plan(stored.id - 1) if stored.id > 1 else None
    if previous is None or previous.plan.ended_at is None or too_old(previous, stored.plan.started_at):
        return None
    if previous.plan.ended_at < stored.plan.started_at - timedelta(days=1):
        return None  # long over (no session, snoozed or not, runs a day): its record need not be read
    logged = store.events(previous.id)
    events = [e.as_event() for e in logged]
    answers = reminders.first_answers(events)
    if not answers and stored.plan.started_at - previous.plan.started_at <= CORRECTION:
        return None
    settings = settings_over_time(logged, Config())
    moved = protocol.moved_starts(events)
    cuts = sorted(e.at for e in events if e.kind == HEAT_WORSE)
    off = []
    for key in fact_keys(events, store.reminders(previous.id)):
        parsed = protocol.parse_key(key)
        if parsed is None or parsed[0] == "walk":
            continue
        kind, planned = parsed
        start = moved.get(key, planned)
        if start >= stored.plan.started_at:
            continue
        config = settings.at(planned)
        end = start + timedelta(minutes=config.cold.minutes if kind == "ice" else config.heat.minutes)
        answer = answers.get(key)
        if answer is not None and answer.kind == SKIP:
            continue
        if answer is not None:
            end = min(end, max(answer.at, start))
        if kind == "heat":
            end = min([end, *(at for at in cuts if start <= at < end)])
        off.append(end)
    return max(off, default=None)


class PlanRead:
    """The active plan with its log, settings over time and timeline, read once for one use case.

    Reading never writes. A use case that writes passes `record=True`: a settings edit not yet
    recorded then applies from now to its decision, and `record_settings` records it with the write."""

    def __init__(self, deps: Deps, stored: StoredPlan, horizon: datetime, record: bool = False) -> None:
        if too_old(stored, deps.now):
            raise RefusedError(
                f"the active plan started {wording.when(stored.plan.started_at, deps.zone)}, over a year ago, so it "
                "cannot be followed any more; `therapy-timer stop` ends it (your record stays)",
                "plan-too-old",
            )
        self.deps, self.stored = deps, stored
        self.logged = deps.store.events(stored.id)
        worked = work_out(deps, stored, self.logged, horizon, deps.zone, record)
        self.settings, self.events, self.timeline, self.facts = worked[:4]
        self.plan = worked.plan or stored.plan

    def record_settings(self) -> None:
        """Record a settings edit this use case applied, with the answer or entry it writes."""
        record_settings(self.deps, self.stored, self.logged)

    def reminders(self, since: datetime, until: datetime) -> list[reminders.Reminder]:
        return reminders.build(self.settings, self.timeline, self.events, since, until)

    def reminders_with(self, event: protocol.Event, since: datetime, until: datetime) -> list[Reminder]:
        """The reminders as they will be once `event` is recorded: what a command promises is read
        from the same derivation the daemon will act on."""
        events = [*self.events, event]
        timeline = protocol.build(self.settings, self.plan, events, until, self.deps.zone, self.facts)
        return reminders.build(self.settings, timeline, events, since, until)


MAX_PLAN_AGE = timedelta(days=366)


def too_old(stored: StoredPlan, now: datetime) -> bool:
    """A plan that began over a year ago (only an old version or a hand-edited file could store one).

    Its timeline would cost a year or centuries of sessions on every command, so it is not computed.
    """
    return stored.plan.started_at < now - MAX_PLAN_AGE


def load(deps: Deps, horizon: datetime | None = None, record: bool = False) -> PlanRead:
    """The active plan, loaded (refused when there is none); `record`: for a use case that writes."""
    return PlanRead(deps, deps.store.require_plan(), horizon or deps.now + LOOKAHEAD, record)


class DaemonView(NamedTuple):
    """What the daemon needs at a tick: the reminders around now, and which sessions are answered."""

    reminders: list[reminders.Reminder]
    answered: frozenset[str]


def daemon_view(deps: Deps, stored: StoredPlan, since: datetime, until: datetime) -> DaemonView:
    """The plan's reminders in [since, until], its daily check-ins among them, and its answered
    sessions (and check-ins). The daemon records a settings edit as soon as it sees it (it is the one
    writer that runs all the time), then follows it."""
    from therapy_timer import checkin

    loaded = PlanRead(deps, stored, until, record=True)
    loaded.record_settings()
    answers = checkin_answers(deps.store.events())
    checks = checkin.build(
        loaded.settings, loaded.plan, loaded.timeline, loaded.events, answers, since, until, deps.zone
    )
    due = sorted([*loaded.reminders(since, until), *checks], key=lambda r: (r.due, r.key))
    answered = set(reminders.answered(loaded.events)) | {
        checkin.session_key(day) for day in checkin_days(deps, answers)
    }
    return DaemonView(due, frozenset(answered))


def checkin_answers(logged: Sequence[LoggedEvent]) -> list[datetime]:
    """When a daily check-in was answered, in any plan: a `check` (at `start`, typed, or from the
    check-in's button), or an emergency or urgent sign logged by name (`log symptom --sign`)."""
    from therapy_timer import signs

    out = []
    for e in logged:
        named = signs.named_sign(e.text or "") if e.kind == SYMPTOM else None
        if e.kind == CHECK or (named is not None and named.level in signs.SERIOUS):
            out.append(e.at)
    return out


def checkin_days(deps: Deps, answers: Sequence[datetime]) -> set[date]:
    """The local days (in the plan's zone) whose check-in is answered."""
    return {at.astimezone(deps.zone).date() for at in answers}


# Plans ---------------------------------------------------------------------------------------------


class StartResult(NamedTuple):
    plan_id: int
    injured_at: datetime
    started_at: datetime
    day: int
    phase: str
    phase_until: datetime | None
    current: Session | None
    next: Session | None
    too_long_ago: bool  # the injury is past the first days this plan is for
    cold_every_hours: float
    heat_every_hours: float
    skin_rest_from: datetime | None = None  # the plan before's last ice or heat came off here: the new one waits
    heat_first: bool = False  # the settings choose heat from the start (cold.days = 0)


def start(deps: Deps, injured: datetime, started: datetime, replace: bool, zone_name: str | None) -> StartResult:
    if injured > started:
        raise UsageError("the injury (--injured) must be before the plan start (--at)")
    stored = deps.store.start_plan(injured, started, replace, deps.now, zone_name)
    record_settings(deps, stored, [], at=started)
    deps.nudge()
    loaded = PlanRead(deps, stored, deps.now + LOOKAHEAD)
    off = loaded.plan.skin_off  # the plan before it: its first ice or heat waits for the skin's rest
    waits = off is not None and off + protocol.SKIN_REST > started
    phase = loaded.timeline.phase_at(deps.now)
    assert phase is not None
    return StartResult(
        plan_id=stored.id,
        injured_at=injured,
        started_at=started,
        day=protocol.day_of_recovery(stored.plan, deps.now),
        phase=phase.mode,
        phase_until=phase.end,
        current=loaded.timeline.current(deps.now),
        next=loaded.timeline.upcoming(deps.now),
        too_long_ago=protocol.too_long_ago(injured, deps.now),
        cold_every_hours=deps.config.cold.every_hours,
        heat_every_hours=deps.config.heat.every_hours,
        skin_rest_from=off if waits else None,
        heat_first=heat_first(loaded.settings, deps.now),
    )


def heat_first(settings: SettingsOverTime, at: datetime) -> bool:
    """Whether the settings in force at `at` choose heat from the start (`cold.days = 0`: a doctor or
    physical therapist advised it), so no cold phase follows the injury."""
    return settings.at(at).cold.days == 0


class EndResult(NamedTuple):
    plan_id: int
    ended_at: datetime
    reason: EndReason
    days: float  # since the plan started
    done: dict[str, int]  # sessions marked done, by kind
    switches_back_to_cold: int
    pain_first: int | None
    pain_last: int | None


def plan_summary(plan: Plan, timeline: Timeline, events: list[LoggedEvent], now: datetime) -> dict[str, Any]:
    """A short account of the plan, for `stop` and `recovered`: its days count from the plan's start."""
    answers = reminders.outcomes(events)
    done = {
        kind: sum(1 for s in timeline.sessions if s.kind == kind and answers.get(s.key) == "done")
        for kind in ("ice", "heat", "walk")
    }
    pains = [e.score for e in events if e.kind == "pain" and e.score is not None]
    return {
        "days": round((now - plan.started_at) / timedelta(days=1), 1),
        "done": done,
        "switches_back_to_cold": len(timeline.switches),
        "pain_first": pains[0] if pains else None,
        "pain_last": pains[-1] if pains else None,
    }


def end(deps: Deps, reason: EndReason) -> EndResult:
    """End the plan (stop, or recovered): the record stays; the daemon is told."""
    stored = deps.store.require_plan()
    if too_old(stored, deps.now):  # end it without computing its sessions: nothing to count
        logged, timeline = deps.store.events(stored.id), Timeline([], [], [])
    else:
        loaded = load(deps, deps.now, record=True)
        logged, timeline = loaded.logged, loaded.timeline
        loaded.record_settings()
    summary = plan_summary(stored.plan, timeline, logged, deps.now)
    deps.store.end_plan(stored.id, deps.now, reason)
    deps.nudge()
    return EndResult(
        plan_id=stored.id,
        ended_at=deps.now,
        reason=reason,
        days=summary["days"],
        done=summary["done"],
        switches_back_to_cold=summary["switches_back_to_cold"],
        pain_first=summary["pain_first"],
        pain_last=summary["pain_last"],
    )


# Heat and cold ----------------------------------------------------------------------------------


def switch(deps: Deps, kind: SwitchKind, at: datetime, source: Source = "command") -> SwitchResult:
    """Heat made it worse / did not help: decide, record, nudge.

    Typed, it is always recorded (it is the person's report); from a button on a reminder shown
    earlier, it is refused when it would change nothing (cold is in force already)."""
    loaded = load(deps, at + LOOKAHEAD, record=True)
    if at < loaded.stored.plan.started_at:
        raise UsageError("--at is before this plan started")
    decision = protocol.switch(
        loaded.settings, loaded.plan, loaded.events, kind, at, deps.zone, loaded.facts, now=deps.now
    )
    if source != "command" and not decision.changed:
        raise RefusedError("the plan is on cold already, so there was nothing to switch", "cold-already")
    loaded.record_settings()
    deps.store.log(loaded.stored.id, at, kind, deps.now, source=source)
    deps.nudge()
    return decision


def try_heat_again(deps: Deps, at: datetime, source: Source = "command") -> TryHeatResult:
    """The user wants to try heat again after the doctor advice: lift the hold (refused if there is none)."""
    loaded = load(deps, at + LOOKAHEAD, record=True)
    decision = protocol.try_heat(loaded.settings, loaded.plan, loaded.events, at, deps.zone, loaded.facts)
    if not decision.accepted:
        when = f"; heat is planned again from {wording.when(decision.heat_again_at, deps.zone, deps.now)}"
        raise RefusedError(
            "heat is not on hold, so there is nothing to lift" + (when if decision.heat_again_at else "")
        )
    loaded.record_settings()
    deps.store.log(loaded.stored.id, at, TRY_HEAT, deps.now, source=source)
    deps.nudge()
    return decision


# Answers and snoozes --------------------------------------------------------------------------


class AnswerResult(NamedTuple):
    outcome: Answer
    at: datetime
    session: Session


def answer(
    deps: Deps,
    outcome: Answer,
    at: datetime,
    session_key: str | None = None,
    source: Source = "command",
) -> AnswerResult:
    """Mark a session done or skipped: the named one (a button), else the one whose reminder is in
    front of the person (a take-it-off reminder first), else the current or latest; once each."""
    loaded = load(deps, at + timedelta(days=1), record=True)
    if session_key is None:
        shown = reminders.answer_in_front(loaded.reminders(at - LOOKBACK, at), at)
        session_key = shown.session if shown is not None else None
    decision = reminders.answer_target(loaded.timeline, loaded.events, at, session_key)
    if decision.refused == "none-yet":
        first = decision.upcoming
        raise RefusedError(
            "no session has started yet"
            + (f"; the first is at {wording.when(first.start, deps.zone, deps.now)}" if first else ""),
            "none-yet",
        )
    if decision.refused == "unknown":
        raise RefusedError("that session is not part of the plan (any more)", "not-planned")
    session = decision.session
    assert session is not None
    if outcome == DONE and session.snoozed and at < session.start:  # snoozed: it has not begun
        moved = wording.when(session.start, deps.zone, deps.now)
        raise RefusedError(
            f"that {session.kind} was snoozed until {moved}, so it has not begun: say done once it is off, or skip it",
            "snoozed-ahead",
            kind=session.kind,
            moved=moved,
        )
    if decision.refused == "already":
        raise RefusedError(
            f"{wording.session_label(session, deps.zone)} is already marked {decision.previous}",
            "answered",
            session=wording.session_label(session, deps.zone),
            outcome=decision.previous,
        )
    loaded.record_settings()
    earlier = deps.store.log_answer(loaded.stored.id, at, outcome, deps.now, session.key, source)
    if earlier is not None:  # answered by another command or a button in the meantime
        raise RefusedError(
            f"{wording.session_label(session, deps.zone)} is already marked {earlier}",
            "answered",
            session=wording.session_label(session, deps.zone),
            outcome=earlier,
        )
    deps.nudge()
    return AnswerResult(outcome, at, session)


class SnoozeResult(NamedTuple):
    title: str
    key: str
    session: str
    minutes: int
    again_at: datetime


def snooze(deps: Deps, minutes: int, key: str | None = None, source: Source = "command") -> SnoozeResult:
    """Remind again in `minutes`: the reminder in front of the user (or the one named by `key`)."""
    loaded = load(deps, deps.now + timedelta(days=1), record=True)
    due = loaded.reminders(deps.now - LOOKBACK, deps.now + timedelta(days=1))
    if key is not None:
        due = [r for r in due if r.key == key]
    decision = reminders.snooze(due, deps.now, minutes)
    if decision.refused == "nothing":
        raise RefusedError("there is no reminder to snooze right now", "nothing-to-snooze")
    if decision.refused == "take-off":
        raise RefusedError(wording.NO_SNOOZE_TAKE_OFF, "take-off-first")
    target, again = decision.target, decision.again_at
    assert target is not None and again is not None
    snoozed = protocol.Event(deps.now, SNOOZE, target.session, minutes, target.key)
    coming = loaded.reminders_with(snoozed, deps.now - LOOKBACK, again + timedelta(hours=1))
    if not any(r.session == target.session and r.due == again for r in coming):
        ahead = next((r for r in coming if r.due >= again and r.role == "on" and r.what != "walk"), None)
        raise RefusedError(
            f"snoozed {minutes} minutes, this reminder would run into the next session"
            + (f" ({ahead.title.lower()} at {wording.when(ahead.due, deps.zone, deps.now)})" if ahead else "")
            + ", so it would not come again: snooze it for less, or skip it",
            "snooze-too-long",
        )
    loaded.record_settings()
    deps.store.log(
        loaded.stored.id, deps.now, SNOOZE, deps.now, minutes=minutes, session=target.session,
        text=target.key, source=source,
    )  # fmt: skip
    deps.nudge()
    return SnoozeResult(target.title, target.key, target.session, minutes, again)


# Buttons on a notification ---------------------------------------------------------------------


class PressResult(NamedTuple):
    """What a button pressed on a reminder did: recorded (with what), or why nothing changed; and
    what to show in the pressed notification's place, when the button asks to see something."""

    changed: bool
    said: str
    shows: Notice | None = None


def checkin_none(deps: Deps, session_key: str) -> PressResult:
    """ "None of these" on a daily check-in: recorded as `check --none` would record it, once a day."""
    from therapy_timer import checkin, wording

    day = checkin.parse_key(session_key)
    if day is None:
        return PressResult(False, f"that reminder ({session_key}) is not a daily check")
    if day in checkin_days(deps, checkin_answers(deps.store.events())):
        return PressResult(False, wording.CHECKED_ALREADY)
    check(deps, (), source="notification")
    deps.nudge()
    return PressResult(True, wording.CHECKED_NONE)


def checkin_list(deps: Deps) -> Notice:
    """What "One of these is new" shows: the emergency and urgent signs, grouped by the advice each
    has (with the emergency number in the settings), and how to log which one."""
    from therapy_timer import signs, wording

    groups: dict[str, list[str]] = {}
    for sign in signs.SIGNS:
        if sign.level in signs.SERIOUS:
            groups.setdefault(signs.advice(sign, deps.config.advice.emergency_number), []).append(sign.name)
    return wording.checkin_signs(list(groups.items()))


def press(
    deps: Deps, plan_id: int, reminder_key: str, session_key: str, button: str, source: Source = "notification"
) -> PressResult:
    """A button on a reminder: the same answer the equivalent command gives, marked as coming from
    the notification (or from the phone, `source`). A reminder of a plan that has ended, or a
    session answered already, changes nothing, and the result says why."""
    from therapy_timer.wording import BUTTONS, SNOOZE_MINUTES

    if button == "check-new":  # the list and its advice, whatever became of the plan: nothing to record yet
        return PressResult(False, "showed the warning signs and what to do", checkin_list(deps))
    stored = deps.store.active_plan()
    if stored is None or stored.id != plan_id:
        return PressResult(False, "that reminder belongs to a plan that has ended")
    try:
        if button == "check-none":
            return checkin_none(deps, session_key)
        if button in ("done", "walked", "skip"):
            outcome: Answer = SKIP if button == "skip" else DONE
            answered = answer(deps, outcome, deps.now, session_key=session_key, source=source)
            return PressResult(True, f"{wording.session_label(answered.session, deps.zone)} marked {outcome}")
        if button in SNOOZE_MINUTES:
            snoozed = snooze(deps, SNOOZE_MINUTES[button], key=reminder_key, source=source)
            return PressResult(True, f"snoozed until {wording.when(snoozed.again_at, deps.zone, deps.now)}")
        if is_switch(button):  # where a pressed button becomes an event kind
            switched = switch(deps, button, deps.now, source=source)
            return PressResult(True, f"{BUTTONS[button].label.lower()}: back to cold ({switched.switches} so far)")
    except RefusedError as exc:
        from therapy_timer.wording import refused_on_a_button

        return PressResult(False, refused_on_a_button(exc.reason, exc.facts) or "that answer could not be recorded")
    return PressResult(False, f"that button ({button}) is not one this version knows")


# Logging ---------------------------------------------------------------------------------------


class LogResult(NamedTuple):
    kind: LogKind
    at: datetime
    plan_id: int | None
    score: int | None
    text: str | None


def log_entry(deps: Deps, kind: LogKind, at: datetime, score: int | None = None, text: str | None = None) -> LogResult:
    """Record pain, a symptom or a note; no plan needed (it joins the active plan if there is one)."""
    if text is not None and not text.strip():
        what = "note" if kind in (PAIN, NOTE) else f"{kind} text"  # a pain score's text is its --note
        raise UsageError(f"the {what} is empty; nothing was saved")
    if text is not None and not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 reach us as lone surrogates
            raise UsageError(
                "that text is not valid UTF-8 (check your terminal's encoding); nothing was saved"
            ) from None
    stored = deps.store.active_plan()
    if stored is not None and not too_old(stored, deps.now):
        record_settings(deps, stored, deps.store.events(stored.id))
    deps.store.log(stored.id if stored else None, at, kind, deps.now, score=score, text=text)
    return LogResult(kind, at, stored.id if stored else None, score, text)


# Views -----------------------------------------------------------------------------------------


def since_the_injury(events: Sequence[LoggedEvent], stored: StoredPlan) -> list[LoggedEvent]:
    """What was logged since the injury of `stored`, whichever plan it was logged with: pain logged
    before a `start --replace` or a `stop` and `start` for the same injury is part of this recovery."""
    return [e for e in events if e.at >= stored.plan.injured_at]


class Status(NamedTuple):
    """Where the person stands in the plan, as of `now`: what `status` shows. `json_views.status`
    turns it into the JSON contract, and the terminal text is written from that."""

    now: datetime
    zone: tzinfo
    plan: Plan | None  # None: no active plan
    timeline: Timeline | None
    logged: list[LoggedEvent]  # the active plan's log
    upcoming: list[Reminder]  # the reminders from a little before now to a few days ahead
    pains: list[LoggedEvent]  # everything logged since the injury (a plan it replaced counts)
    heat_first: bool
    signs: list[Any]  # the warning signs on show, most serious first (`signs.open_signs`)
    emergency_number: str
    screening_done: bool | None  # None: no active plan
    not_better: progress.Stalled | None


def status(deps: Deps) -> Status:
    stored = deps.store.active_plan()
    everything = deps.store.events()  # read once: the signs, the screening and the pain all come from it
    signs_on_show = open_signs(deps, everything)
    number = deps.config.advice.emergency_number
    stalled = not_better(deps, everything)
    if stored is None:
        return Status(deps.now, deps.zone, None, None, [], [], [], False, signs_on_show, number, None, stalled)
    loaded = PlanRead(deps, stored, deps.now + LOOKAHEAD)
    return Status(
        deps.now,
        deps.zone,
        stored.plan,
        loaded.timeline,
        loaded.logged,
        loaded.reminders(deps.now - LOOKBACK, deps.now + LOOKAHEAD),
        since_the_injury(everything, stored),
        heat_first(loaded.settings, deps.now),
        signs_on_show,
        number,
        screening_done(deps, stored, everything),
        stalled,
    )


def open_signs(deps: Deps, everything: Sequence[LoggedEvent] | None = None) -> list[Any]:
    """Every warning sign on show (logged with or without a plan, or answered at a check), most
    serious first, until `signs ack` (`signs.open_signs`). `everything`: the whole record, when the
    caller has read it already."""
    logged = [e for e in (deps.store.events() if everything is None else everything) if e.kind in (SYMPTOM, SIGNS_ACK)]
    acks = [e.at for e in logged if e.kind == SIGNS_ACK]
    symptoms = [(e.at, e.text or "") for e in logged if e.kind == SYMPTOM]
    if not symptoms or (acks and max(acks) >= max(at for at, _ in symptoms)):
        return []  # nothing to read: the sign rules are not even compiled
    from therapy_timer import signs

    return signs.open_signs(symptoms, max(acks, default=None))


def open_warning(deps: Deps) -> Any:
    """The most serious warning sign on show (logged with or without a plan), until `signs ack`."""
    shown = open_signs(deps)
    return shown[0] if shown else None


def screening_done(deps: Deps, stored: StoredPlan, everything: Sequence[LoggedEvent] | None = None) -> bool:
    """Whether the warning-sign questions were answered since this plan's injury: at `start`, by
    `check`, or at a check-in. A `start --replace` that corrects the same plan keeps the answers;
    a new injury asks again."""
    logged = deps.store.events() if everything is None else everything
    return any(e.kind == CHECK and e.at >= stored.plan.injured_at for e in logged)


def screening_state(deps: Deps) -> bool | None:
    """Whether the active plan's warning-sign questions were answered (None: no plan)."""
    stored = deps.store.active_plan()
    return None if stored is None else screening_done(deps, stored)


class CheckResult(NamedTuple):
    """A check answered: "none of these", or the signs said yes to (each logged as a symptom too)."""

    at: datetime
    plan_id: int | None
    answer: Literal["none", "signs"]
    signs: list[Any]  # signs.Sign, most serious first


def check(deps: Deps, names: Sequence[str], source: Source = "command") -> CheckResult:
    """Record the answer to the warning-sign questions: none of them (`names` empty) or these signs.

    Each sign said yes to is also logged as a symptom by name, so it gets its advice, stays in
    `status` until `signs ack` and counts in the report like a sign logged with `log symptom --sign`."""
    from therapy_timer import signs

    unknown = [name for name in names if name not in signs.BY_NAME]
    if unknown:
        raise UsageError(f"no warning sign is called {unknown[0]!r}; `therapy-timer signs` lists them")
    chosen = sorted({signs.BY_NAME[name] for name in names}, key=lambda s: (signs.ORDER[s.level], signs.SIGNS.index(s)))
    stored = deps.store.active_plan()
    plan_id = stored.id if stored is not None and not too_old(stored, deps.now) else None
    deps.store.log(plan_id, deps.now, CHECK, deps.now, text=signs.check_text(chosen), source=source)
    for sign in chosen:
        deps.store.log(plan_id, deps.now, SYMPTOM, deps.now, text=signs.record_text(sign, ""), source=source)
    return CheckResult(deps.now, plan_id, "signs" if chosen else "none", chosen)


def _progress(
    deps: Deps, everything: Sequence[LoggedEvent] | None = None
) -> tuple[list[tuple[datetime, int]], datetime, list[datetime]] | None:
    """What `progress` compares for the active plan: the pain scores since its injury (whichever
    plan they were logged with, or none), the injury, and the acknowledgements; None with no plan."""
    stored = deps.store.active_plan()
    if stored is None:
        return None
    injured = stored.plan.injured_at
    events = deps.store.events() if everything is None else everything
    pains = [
        (e.at, e.score)
        for e in events
        if e.kind == PAIN
        and e.score is not None
        and e.at >= injured  # with or without a plan, or in the plan this one replaced
    ]
    return pains, injured, [e.at for e in events if e.kind == SIGNS_ACK]


def not_better(deps: Deps, everything: Sequence[LoggedEvent] | None = None) -> progress.Stalled | None:
    """The "see a doctor or physical therapist" notice (`progress.Stalled`) on show now, or None."""
    found = _progress(deps, everything)
    if found is None:
        return None
    pains, injured, acks = found
    return progress.stalled(pains, injured, deps.now, acks)


def not_better_in_reminder(deps: Deps, fired_today: Sequence[datetime]) -> progress.Stalled | None:
    """The notice for the reminder firing now, once a day (`progress.in_reminder`), or None."""
    found = _progress(deps)
    if found is None:
        return None
    pains, injured, acks = found
    return progress.in_reminder(pains, injured, deps.now, acks, fired_today)


def acknowledge_signs(deps: Deps) -> bool:
    """The user has read the warning signs, or the notice that the pain is not getting better, and
    acted on them: they leave `status`. False if none was on show."""
    if not open_signs(deps) and not_better(deps) is None:
        return False
    stored = deps.store.active_plan()
    deps.store.log(stored.id if stored else None, deps.now, SIGNS_ACK, deps.now)
    return True


def report(deps: Deps, plan_id: int | None = None) -> Report:
    """The recovery report (`report.Report`) on a plan: the one given, else the latest, active or ended.

    Read-only: unlike the other use cases it records nothing, not even a settings change it sees
    (the settings in force are worked out as `record_settings` would record them). Entries logged
    with no plan active that fall within the plan's time are part of it.
    """
    from therapy_timer import clock, recovery_report

    stored = deps.store.plan(plan_id)
    if stored is None:
        if plan_id is None:
            raise RefusedError("there is no plan to report on yet: start one with `therapy-timer start`")
        raise RefusedError(f"there is no plan {plan_id}; `therapy-timer report` without --plan shows the latest")
    plan = stored.plan
    if plan.ended_at is None and too_old(stored, deps.now):
        raise RefusedError("the active plan started over a year ago; `therapy-timer stop` ends it (your record stays)")
    zone = deps.zone_of(stored)
    until = min(plan.ended_at, deps.now) if plan.ended_at else deps.now
    loose = [e for e in deps.store.events() if e.plan_id is None and plan.started_at <= e.at <= until]
    logged = sorted(deps.store.events(stored.id) + loose, key=lambda e: (e.at, e.id))
    if plan.ended_at is None:  # the sessions planned for the rest of today count as planned
        local = deps.now.astimezone(zone)
        horizon = protocol.midnight(local.date() + timedelta(days=1), zone)
    else:
        horizon = plan.ended_at
    worked = work_out(deps, stored, logged, horizon, zone)
    settings, timeline = worked.settings, worked.timeline
    texts = [(plan.started_at, settings_text(settings.first))]
    texts += [(at, settings_text(config)) for at, config in settings.changes]
    return recovery_report.build(stored, timeline, logged, texts, deps.now, zone, clock.zone_key(zone))


class CalendarExport(NamedTuple):
    """The plan's sessions as calendar events over a stretch of days (`calendar.events`)."""

    plan_id: int
    zone: str | None  # the plan's IANA zone: the events' TZID
    start: datetime
    end: datetime
    events: list[CalendarEvent]
    sessions: int  # events of sessions still planned
    cancelled: int  # events kept to tell a calendar that a session exported before is off


def export_calendar(deps: Deps, days: int, previous: Sequence[CalendarEvent] = ()) -> CalendarExport:
    """The latest plan (active or ended) as calendar events from the start of today through `days` days
    from now; `previous`: the events of the file written last time, so what is no longer planned is
    marked cancelled. Read-only, like `report`: a settings change it sees is applied, not recorded."""
    from therapy_timer import clock
    from therapy_timer.calendar import events as calendar_events

    stored = deps.store.plan()
    if stored is None:
        raise RefusedError("there is no plan to export yet: start one with `therapy-timer start`")
    plan = stored.plan
    if plan.ended_at is None and too_old(stored, deps.now):
        raise RefusedError("the active plan started over a year ago; `therapy-timer stop` ends it (your record stays)")
    zone = deps.zone_of(stored)
    span = calendar_events.window(deps.now, zone, days)
    farthest = deps.now + timedelta(days=calendar_events.MAX_DAYS + 1)  # a file from a longer --days earlier
    until = max([span[1], *(p.start for p in previous if p.start < farthest)])
    sessions: list[Session] = []
    due: list[reminders.Reminder] = []
    if plan.ended_at is None or plan.ended_at > span[0]:
        worked = work_out(deps, stored, deps.store.events(stored.id), until, zone)
        settings, events, timeline = worked.settings, worked.events, worked.timeline
        sessions = timeline.sessions
        due = reminders.build(settings, timeline, events, span[0] - timedelta(days=1), until + timedelta(days=1))
    known_until = until if plan.ended_at is None else datetime.max.replace(tzinfo=timezone.utc)  # ended: all known
    made = calendar_events.events(stored.id, sessions, known_until, due, span, previous, deps.now)
    cancelled = sum(1 for e in made if e.status == "CANCELLED")
    return CalendarExport(stored.id, clock.zone_key(zone), span[0], span[1], made, len(made) - cancelled, cancelled)


class PlanWindow(NamedTuple):
    """The plan over a window of time: what `plan` shows (`json_views.plan_window` words it)."""

    start: datetime
    end: datetime
    zone: tzinfo
    timeline: Timeline
    logged: list[LoggedEvent]
    heat_first: bool


def plan_window(deps: Deps, start: datetime, end: datetime) -> PlanWindow:
    loaded = load(deps, end)
    return PlanWindow(start, end, deps.zone, loaded.timeline, loaded.logged, heat_first(loaded.settings, start))


def timeline_of(deps: Deps, until: datetime) -> Timeline:
    return load(deps, until).timeline
