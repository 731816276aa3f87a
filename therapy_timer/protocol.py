"""The recovery protocol as a pure function: (settings, plan, logged events, horizon, zone) -> timeline.

No clock, no I/O. All arithmetic is done in UTC so the cadence is elapsed time ("every two hours"
means 120 minutes even across a daylight-saving change); only quiet periods are read off the local
clock, through `zone`.

Rules (see the README for the user's view):
- cold from the injury for `cold.days`, then moist heat until the plan ends;
- the same kind (ice or heat) starts at least its `every_hours` after the last one began, across
  quiet periods and phase changes too; two sessions of ice or heat never touch: the next one waits
  `SKIN_REST` after the last one came off, and the first heat waits the cold cadence after the last
  ice began;
- "heat made it worse" cuts the heat session in progress at once (also after "heat did not help"
  in the same session); "heat did not help" lets it finish. Either way cold holds for
  `heat.back_to_cold_hours`; after `DOCTOR_AFTER_SWITCHES` switches heat is on hold until the user
  says to try it again (`TRY_HEAT`);
- the plan start and a switch get a session at once, even in quiet periods (the user is awake),
  unless a rule above makes it wait; every other session fits in a waking period;
- walks are spread over each day's waking time and moved past any ice or heat session;
- settings change from the moment they are recorded: each session is made with the settings in
  force when it starts, so a later edit never rewrites the past;
- what happened stays: a session that is a fact (answered, reminded, recorded as missed, snoozed)
  keeps its kind, times and key whatever is reported later; the rest is worked out around the facts
  (a late report can only cut a heat session short, as an annotation);
- a snooze moves its session: the effective start and end shift, the key stays the planned start,
  and the skin rest, the walks and a switch during it follow the effective times;
- the skin rests after ice or heat that came off just before the plan (a plan replaced, or stopped
  and started again): the first session waits `SKIN_REST` after `Plan.skin_off`;
- heat comes back when its first session starts: a cold phase ends, and the heat phase begins, at
  the first heat session actually planned, so every view names the same moment.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Literal

from therapy_timer.named_tuple import NamedTuple
from therapy_timer.settings import ClockRange, Config
from therapy_timer.vocabulary import (
    HEAT_NO_HELP,
    HEAT_WORSE,
    PLAN_START,
    SNOOZE,
    SWITCH_KINDS,
    TRY_HEAT,
    EventKind,
    Mode,
    PhaseReason,
    SessionKind,
    SwitchKind,
    is_session_kind,
    is_switch,
)

if TYPE_CHECKING:
    from typing import Protocol

    class Answerable(Protocol):
        """An event as `reminders.first_answers` reads it: a protocol `Event` or a store's logged event."""

        @property
        def kind(self) -> str: ...
        @property
        def session(self) -> str | None: ...
        @property
        def at(self) -> datetime: ...


DOCTOR_AFTER_SWITCHES = 2
SKIN_REST = timedelta(minutes=15)
"""Between two sessions of ice or heat the skin gets at least this long to return to normal."""
ACUTE_FOR = timedelta(days=14)
"""The ice-then-heat plan is for the first days; an injury older than this needs a professional's plan."""
MARGIN = timedelta(days=2)
"""The timeline is worked out this far past what is asked, so no window can cut a decision short."""
_WALK_GRID = timedelta(minutes=5)


class Plan(NamedTuple):
    injured_at: datetime
    started_at: datetime
    ended_at: datetime | None = None
    skin_off: datetime | None = None  # when ice or heat last came off before this plan (worked out, not stored)


class Event(NamedTuple):
    """A logged event, as far as the protocol and the reminders care."""

    at: datetime
    kind: EventKind
    session: str | None = None
    minutes: float | None = None
    text: str | None = None


class Session(NamedTuple):
    kind: SessionKind
    start: datetime
    end: datetime
    opens: PhaseReason | Literal[""] = ""  # the reason of the phase this session opens, if it opens one
    purpose: str = ""  # walks: "rest" or "exercise"
    cut_short: bool = False  # a heat session stopped because heat made things worse
    planned_minutes: float = 0.0  # the length the settings gave it (before any cut)
    planned_start: datetime | None = None  # a snoozed session: where it was planned (its key); None: `start`

    @property
    def key(self) -> str:
        """A stable name for the session, used to mark it done and to name its reminders: its kind and
        planned start (a snooze moves the session, never its name)."""
        return session_key(self.kind, self.planned_start or self.start)

    @property
    def snoozed(self) -> bool:
        return self.planned_start is not None and self.planned_start != self.start

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


def session_key(kind: str, planned: datetime) -> str:
    return f"{kind}@{planned.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}"


def parse_key(key: str) -> tuple[SessionKind, datetime] | None:
    """The kind and planned start a session key names (None for one this version cannot read)."""
    kind, _, stamp = key.partition("@")
    if not is_session_kind(kind):
        return None
    if len(stamp) != 20 or not stamp.endswith("Z"):
        return None
    try:  # fromisoformat, not strptime: strptime loads a module and compiles patterns on every command
        planned = datetime.fromisoformat(stamp[:-1]).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return kind, planned


def moved_starts(events: Iterable[Event]) -> dict[str, datetime]:
    """Session key -> its effective start after its snoozes. A snooze is of an "on" reminder (its
    key in the event's text): it moves the start to `minutes` after the later of the snooze and when
    that reminder was due (the planned start for the first "on", the moved start for one that came
    again), as `reminders.snooze` promises it."""
    moved: dict[str, datetime] = {}
    for e in sorted(events, key=lambda e: e.at):
        if e.kind != SNOOZE or not e.session:
            continue
        parsed = parse_key(e.session)
        if parsed is None:
            continue
        again = "/snoozed-" in (e.text or "")
        due = moved.get(e.session, parsed[1]) if again else parsed[1]
        moved[e.session] = max(due, e.at) + timedelta(minutes=e.minutes or 10)
    return moved


class Phase(NamedTuple):
    mode: Mode
    start: datetime
    end: datetime | None  # None: until the plan ends, or (on_hold) until the user tries heat again
    reason: PhaseReason
    on_hold: bool = False  # cold after the doctor advice: heat waits for the user's word


class Switch(NamedTuple):
    at: datetime
    kind: SwitchKind


class SettingsOverTime(NamedTuple):
    """The settings in force over time: `first` until the first change, then each change from its moment."""

    first: Config
    changes: tuple[tuple[datetime, Config], ...] = ()

    def at(self, moment: datetime) -> Config:
        found = self.first
        for when, config in self.changes:
            if when > moment:
                break
            found = config
        return found


class Timeline(NamedTuple):
    sessions: list[Session]
    phases: list[Phase]
    switches: list[Switch]

    def phase_at(self, moment: datetime) -> Phase | None:
        """The phase in force at `moment` (the first phase for moments before the plan)."""
        found = self.phases[0] if self.phases else None
        for phase in self.phases:
            if phase.start <= moment:
                found = phase
        return found

    def current(self, moment: datetime) -> Session | None:
        """The session in progress at `moment`, if any."""
        return next((s for s in self.sessions if s.start <= moment < s.end), None)

    def latest(self, moment: datetime) -> Session | None:
        """The session in progress at `moment`, else the most recent one that started before it."""
        started = [s for s in self.sessions if s.start <= moment]
        return self.current(moment) or (started[-1] if started else None)

    def upcoming(self, moment: datetime) -> Session | None:
        """The first session that starts after `moment`."""
        return next((s for s in self.sessions if s.start > moment), None)

    def switch_count(self, moment: datetime) -> int:
        """How many times heat was given up for cold by `moment`."""
        return sum(1 for s in self.switches if s.at <= moment)

    def heat_returns(self, moment: datetime) -> datetime | None:
        """When heat comes back after `moment`, in a cold phase: the start of the first heat session
        planned (None while heat is on hold, in heat already, or beyond what was worked out). Every
        view and every command's answer names this one moment."""
        phase = self.phase_at(moment)
        if phase is None or phase.mode != "cold" or phase.on_hold:
            return None
        heat = (s for s in self.sessions if s.kind == "heat" and s.start >= moment and not s.cut_short)
        return next((s.start for s in heat if (self.phase_at(s.start) or phase).mode == "heat"), None)

    def see_doctor(self, moment: datetime) -> bool:
        """Whether heat has failed often enough by `moment` to advise a professional's look."""
        return self.switch_count(moment) >= DOCTOR_AFTER_SWITCHES


def as_settings(config: Config | SettingsOverTime) -> SettingsOverTime:
    return config if isinstance(config, SettingsOverTime) else SettingsOverTime(config)


class Fact(NamedTuple):
    """A session that happened (answered, reminded, missed or snoozed): pinned where it was."""

    kind: SessionKind
    planned: datetime  # its key's start
    start: datetime  # effective: after its snoozes
    key: str


def facts_of(keys: Iterable[str], moved: dict[str, datetime], plan: Plan, horizon: datetime) -> list[Fact]:
    """The facts among `keys` (and every snoozed session) within the plan, by planned start."""
    out: dict[str, Fact] = {}
    for key in (*keys, *moved):
        parsed = parse_key(key)
        if parsed is None or key in out:
            continue
        kind, planned = parsed
        if plan.started_at <= planned < horizon:
            out[key] = Fact(kind, planned, moved.get(key, planned), key)
    return sorted(out.values(), key=lambda f: (f.planned, f.key))


def build(
    config: Config | SettingsOverTime,
    plan: Plan,
    events: Iterable[Event],
    until: datetime,
    zone: tzinfo,
    facts: Iterable[str] = (),
) -> Timeline:
    """Every session from the plan start that starts before `until` (or the plan's end, if earlier).

    `facts`: the keys of sessions that happened (answered, reminded or missed; snoozed ones are read
    from `events`): they stay exactly where they were, and the rest is worked out around them.
    The result does not depend on `until` beyond the cut: sessions are worked out `MARGIN` further,
    so a short window shows exactly what a long one shows for the same stretch of time.
    """
    settings = as_settings(config)
    events = list(events)
    cut = min(until, plan.ended_at) if plan.ended_at else until
    horizon = max(until, plan.started_at) + MARGIN
    if plan.ended_at:
        horizon = min(horizon, plan.ended_at)
    wanted = (*SWITCH_KINDS, TRY_HEAT)
    triggers = sorted((e for e in events if e.kind in wanted and plan.started_at <= e.at < horizon), key=lambda e: e.at)
    pinned = facts_of(facts, moved_starts(events), plan, horizon)
    walker = _Walker(settings, plan, triggers, horizon, zone, [f for f in pinned if f.kind != "walk"])
    walker.run()
    walks = _walks(settings, plan, walker.sessions, horizon, zone, [f for f in pinned if f.kind == "walk"])
    worked = sorted(walker.sessions + walks, key=lambda s: (s.start, s.end))  # to the horizon, past the cut
    phases = _heat_begins_with_its_session(walker.phases, worked)  # so no window can move "heat from"
    sessions = [s for s in worked if s.start < cut]
    phases = [p for p in phases if p.start < cut] or phases[:1]
    return Timeline(sessions, phases, [s for s in walker.switches if s.at < cut])


def _heat_begins_with_its_session(phases: list[Phase], sessions: list[Session]) -> list[Phase]:
    """A heat phase that follows cold begins when its first heat session starts (not when cold's
    days ran out, perhaps at night): "heat from" means the same moment in every view."""
    out = list(phases)
    for index in range(1, len(out)):
        phase = out[index]
        if phase.mode != "heat" or out[index - 1].mode != "cold":
            continue
        until = phase.end or datetime.max.replace(tzinfo=timezone.utc)
        first = next((s.start for s in sessions if s.kind == "heat" and phase.start <= s.start < until), None)
        if first is not None and first > phase.start:
            out[index - 1] = out[index - 1]._replace(end=first)
            out[index] = phase._replace(start=first)
    return out


class _Walker:
    """Walks forward in time: at each step either the next logged event or the next session comes first."""

    def __init__(
        self,
        settings: SettingsOverTime,
        plan: Plan,
        triggers: Sequence[Event],
        horizon: datetime,
        zone: tzinfo,
        facts: Sequence[Fact] = (),
    ) -> None:
        self.settings, self.plan, self.horizon, self.zone = settings, plan, horizon, zone
        self.triggers = list(triggers)
        self.facts = list(facts)  # ice and heat that happened, earliest first: placed as they were
        self.changes = [when for when, _ in settings.changes if plan.started_at < when < horizon]
        self.sessions: list[Session] = []
        self.phases: list[Phase] = []
        self.switches: list[Switch] = []
        self.last_start: dict[SessionKind, datetime] = {}
        self.last_end: datetime | None = plan.skin_off  # the skin rests after what came off before the plan
        self.immediate: datetime | None = None
        self.opens: PhaseReason | Literal[""] = ""
        # The cold phase: it ends `cold_length` after `cold_base`, not before `cold_floor` (a settings
        # change or the user's word to try heat again); on hold it waits for that word.
        self.cold_base = plan.injured_at
        self.cold_by_switch = False
        self.cold_floor = plan.started_at
        self.hold = False

    # The phases ----------------------------------------------------------------------------

    def cold_end(self) -> datetime | None:
        if self.hold:
            return None
        config = self.settings.at(self.cold_floor)
        length = (
            timedelta(hours=config.heat.back_to_cold_hours) if self.cold_by_switch else timedelta(days=config.cold.days)
        )
        return max(self.cold_floor, self.cold_base + length)

    @property
    def mode(self) -> Mode:
        return self.phases[-1].mode

    def open(self, mode: Mode, at: datetime, reason: PhaseReason, immediate: bool) -> None:
        if self.phases:
            self.phases[-1] = self.phases[-1]._replace(end=at)
        self.phases.append(Phase(mode, at, None, reason, on_hold=mode == "cold" and self.hold))
        self.immediate = at if immediate else None
        self.opens = reason

    def run(self) -> None:
        start = self.plan.started_at
        days = timedelta(days=self.settings.at(start).cold.days)
        self.open("cold" if start < self.plan.injured_at + days else "heat", start, PLAN_START, immediate=True)
        cursor = start
        while True:
            config = self.settings.at(cursor)
            kind: SessionKind = "ice" if self.mode == "cold" else "heat"
            candidate = self.next_start(kind, config, cursor)
            fact = self.fact_first(kind, candidate, config)
            place_at = fact.planned if fact is not None else candidate  # a snoozed one exists from its planned start
            moment, action = self.next_event()
            # An event at the very moment a session starts comes first, except a switch: heat put on
            # and taken off at once is still heat that was put on (the record shows it).
            first = moment is not None and moment < self.horizon and (place_at is None or moment <= place_at)
            if first and not (action == "trigger" and moment == place_at):
                assert moment is not None
                self.apply(action, moment)
                cursor = max(cursor, moment)
                continue
            if fact is not None:
                self.place_fact(fact, fact.planned == candidate and fact.kind == kind)
                cursor = max(cursor, fact.start)
                continue
            if candidate is None:
                break
            self.place(kind, candidate, config)
            cursor = candidate
        if self.mode == "cold":
            self.phases[-1] = self.phases[-1]._replace(end=self.cold_end(), on_hold=self.hold)

    def next_event(self) -> tuple[datetime | None, str]:
        """The next logged event, settings change or phase end, whichever comes first."""
        found: list[tuple[datetime, int, str]] = []
        if self.triggers:
            found.append((self.triggers[0].at, 1, "trigger"))
        if self.changes:
            found.append((self.changes[0], 0, "change"))
        end = self.cold_end() if self.mode == "cold" else None
        if end is not None:
            found.append((end, 2, "cold-over"))
        if not found:
            return None, ""
        moment, _, action = min(found)
        return moment, action

    def apply(self, action: str, at: datetime) -> None:
        if action == "change":
            self.changes.pop(0)
            if self.mode == "cold":
                self.cold_floor = max(self.cold_floor, at)
            return
        if action == "cold-over":
            self.open("heat", at, "heat-again" if self.switches else "cold-over", immediate=False)
            return
        event = self.triggers.pop(0)
        if event.kind == TRY_HEAT:
            if self.mode == "cold" and self.hold:
                self.hold = False
                self.cold_floor = max(self.cold_floor, at)
                self.phases[-1] = self.phases[-1]._replace(on_hold=False)
            return
        if not is_switch(event.kind):  # the triggers are switches and TRY_HEAT only
            return
        if event.kind == HEAT_WORSE:
            self.cut_heat(at)
        if self.mode == "heat":
            self.switches.append(Switch(at, event.kind))
            self.hold = len(self.switches) >= DOCTOR_AFTER_SWITCHES
            self.cold_base, self.cold_by_switch, self.cold_floor = at, True, at
            self.open("cold", at, event.kind, immediate=True)

    def cut_heat(self, at: datetime) -> None:
        """Heat made it worse: a heat session in progress ends at `at` (kept, so the record shows it)."""
        for index in range(len(self.sessions) - 1, -1, -1):
            session = self.sessions[index]
            began = min(session.start, session.planned_start or session.start)  # snoozed: it may be on already
            if session.kind == "heat" and began <= at < session.end:
                self.sessions[index] = session._replace(start=min(session.start, at), end=at, cut_short=True)
                if index == len(self.sessions) - 1:
                    self.last_end = at
                return

    # The sessions --------------------------------------------------------------------------

    def next_start(self, kind: SessionKind, config: Config, cursor: datetime) -> datetime | None:
        """When the next session of `kind` can start, from `cursor` on; None if not before the horizon."""
        every = timedelta(hours=config.cold.every_hours if kind == "ice" else config.heat.every_hours)
        earliest = cursor
        if kind in self.last_start:
            earliest = max(earliest, self.last_start[kind] + every)
        if self.last_end is not None:
            earliest = max(earliest, self.last_end + SKIN_REST)
        if kind == "heat" and "ice" in self.last_start:
            earliest = max(earliest, self.last_start["ice"] + timedelta(hours=config.cold.every_hours))
        if self.immediate is not None and earliest <= self.immediate + SKIN_REST:
            # At once (or right after the skin's rest from the heat just taken off), even in a quiet
            # period: the user is awake and has just asked for it.
            return earliest
        length = timedelta(minutes=config.cold.minutes if kind == "ice" else config.heat.minutes)
        return fit(earliest, length, config.quiet_hours.periods, self.zone, self.horizon)

    def fact_first(self, kind: SessionKind, candidate: datetime | None, config: Config) -> Fact | None:
        """The next fact, if it comes before the session the rules would place next, or that session
        would run into it (with the skin's rest): facts are never moved, the rest makes way."""
        if not self.facts or self.facts[0].planned >= self.horizon:
            return None
        fact = self.facts[0]
        if candidate is None:
            return fact
        if fact.planned <= candidate:  # it stands where the rules would put this session (or before)
            return fact
        length = timedelta(minutes=config.cold.minutes if kind == "ice" else config.heat.minutes)
        return fact if fact.start <= candidate + length + SKIN_REST else None

    def place_fact(self, fact: Fact, as_planned: bool) -> None:
        """Place a session that happened, as it happened; `as_planned`: the rules gave it this start."""
        self.facts.pop(0)
        config = self.settings.at(fact.planned)
        minutes = config.cold.minutes if fact.kind == "ice" else config.heat.minutes
        end = fact.start + timedelta(minutes=minutes)
        opens = self.opens if as_planned else ""
        planned = fact.planned if fact.start != fact.planned else None
        self.sessions.append(Session(fact.kind, fact.start, end, opens, "", False, minutes, planned))
        self.last_start[fact.kind] = max(self.last_start.get(fact.kind, fact.planned), fact.planned)
        self.last_end = max(self.last_end or end, end)
        if as_planned:
            self.immediate, self.opens = None, ""

    def place(self, kind: SessionKind, start: datetime, config: Config) -> None:
        minutes = config.cold.minutes if kind == "ice" else config.heat.minutes
        end = start + timedelta(minutes=minutes)
        self.sessions.append(Session(kind, start, end, opens=self.opens, planned_minutes=minutes))
        self.last_start[kind], self.last_end = start, end
        self.immediate, self.opens = None, ""


def fit(
    earliest: datetime, length: timedelta, periods: Sequence[ClockRange], zone: tzinfo, horizon: datetime
) -> datetime | None:
    """The first moment from `earliest` on when a session of `length` touches no quiet period."""
    moment = earliest
    while moment < horizon:
        blocked = [end for start, end in quiet_spans(moment, moment + length, periods, zone) if start < moment + length]
        if not blocked:
            return moment
        moment = max(blocked)
    return None


def quiet_spans(
    start: datetime, stop: datetime, periods: Sequence[ClockRange], zone: tzinfo
) -> list[tuple[datetime, datetime]]:
    """The quiet periods that overlap [start, stop), as UTC (begin, end) pairs, earliest first."""
    first = start.astimezone(zone).date() - timedelta(days=1)
    last = stop.astimezone(zone).date()
    periods = tuple(periods)
    out = []
    day = first
    while day <= last:
        out += [(begin, end) for begin, end in _day_quiet(day, periods, zone) if begin < stop and start < end]
        day += timedelta(days=1)
    return sorted(out)


_QUIET_BY_DAY: dict[tuple[date, tuple[ClockRange, ...], int], tuple[tzinfo, tuple[tuple[datetime, datetime], ...]]] = {}


def _day_quiet(day: date, periods: tuple[ClockRange, ...], zone: tzinfo) -> tuple[tuple[datetime, datetime], ...]:
    """The quiet periods that begin on local `day`, as UTC pairs, remembered: placing a fortnight's
    sessions asks for the same days over a hundred times, and the answer depends on these alone.
    Keyed by the zone's identity (a POSIX-rule zone is not hashable); the entry holds the zone, so
    its id cannot be reused while it is remembered."""
    key = (day, periods, id(zone))
    known = _QUIET_BY_DAY.get(key)
    if known is not None and known[0] is zone:
        return known[1]
    spans = tuple(
        (wall(day, p.start, zone), wall(day + timedelta(days=1) if p.end <= p.start else day, p.end, zone))
        for p in periods
    )
    if len(_QUIET_BY_DAY) >= 512:  # a plan spans weeks, not years: a daemon running long keeps it small
        _QUIET_BY_DAY.clear()
    _QUIET_BY_DAY[key] = (zone, spans)
    return spans


def waking_periods(
    start: datetime, stop: datetime, periods: Sequence[ClockRange], zone: tzinfo
) -> Iterator[tuple[datetime, datetime]]:
    """The stretches outside every quiet period that overlap [start, stop), as UTC (wake, sleep) pairs.

    Each is cut at local midnight, so a day's waking time can be shared out among that day's walks.
    """
    day = start.astimezone(zone).date()
    while True:
        morning, night = midnight(day, zone), midnight(day + timedelta(days=1), zone)
        if morning >= stop:
            return
        moment = morning
        pieces = []
        for begin, end in quiet_spans(morning, night, periods, zone):
            if begin > moment:
                pieces.append((moment, begin))
            moment = max(moment, end)
        if moment < night:
            pieces.append((moment, night))
        yield from ((wake, sleep) for wake, sleep in pieces if wake < stop and sleep > start)
        day += timedelta(days=1)


def in_quiet_hours(moment: datetime, periods: Sequence[ClockRange], zone: tzinfo) -> bool:
    """Whether `moment` falls in a quiet period on the local clock."""
    return bool(quiet_spans(moment, moment + timedelta(seconds=1), periods, zone))


FACT_WALK_COVERS = timedelta(minutes=45)
"""A walk that happened stands for the planned walk this close to it (so it is not planned twice)."""


def _walks(
    settings: SettingsOverTime,
    plan: Plan,
    treatments: list[Session],
    horizon: datetime,
    zone: tzinfo,
    facts: Sequence[Fact] = (),
) -> list[Session]:
    """`walk.times_per_day` walks spread over each day's waking time, clear of ice and heat (by their
    effective times); a walk that happened stays as it was and stands for the planned one near it.

    Each stretch between settings changes uses the settings in force in it.
    """
    pinned = [_fact_walk(settings, plan, f) for f in facts]
    busy = sorted([*treatments, *pinned], key=lambda s: s.start)
    starts = [s.start for s in busy]
    bounds = [plan.started_at] + [w for w, _ in settings.changes if plan.started_at < w < horizon] + [horizon]
    out: list[Session] = []
    for begin, end in itertools.pairwise(bounds):
        config = settings.at(begin)
        walk = config.walk
        length = timedelta(minutes=walk.minutes)
        rest_until = plan.injured_at + timedelta(days=walk.rest_days)
        for stretch in _days(begin, end, config.quiet_hours.periods, zone):
            for wanted, sleep in _spread(stretch, walk.times_per_day):
                if not begin <= wanted < end:
                    continue
                if any(abs(f.planned - wanted) < FACT_WALK_COVERS for f in facts):
                    continue  # this walk happened (or was answered) already: it is among the facts
                moment = _clear(max(wanted, out[-1].end) if out else wanted, length, busy, starts)
                if moment < end and moment + length <= sleep:
                    purpose = "rest" if moment < rest_until else "exercise"
                    out.append(Session("walk", moment, moment + length, purpose=purpose, planned_minutes=walk.minutes))
    return sorted([*out, *pinned], key=lambda s: s.start)


def _fact_walk(settings: SettingsOverTime, plan: Plan, fact: Fact) -> Session:
    walk = settings.at(fact.planned).walk
    purpose = "rest" if fact.planned < plan.injured_at + timedelta(days=walk.rest_days) else "exercise"
    planned = fact.planned if fact.start != fact.planned else None
    end = fact.start + timedelta(minutes=walk.minutes)
    return Session("walk", fact.start, end, "", purpose, False, walk.minutes, planned)


def _days(
    begin: datetime, end: datetime, periods: Sequence[ClockRange], zone: tzinfo
) -> Iterator[list[tuple[datetime, datetime]]]:
    """The waking stretches of each local day that overlaps [begin, end), day by day (whole days)."""
    day = begin.astimezone(zone).date()
    while True:
        morning = midnight(day, zone)
        if morning >= end:
            return
        night = midnight(day + timedelta(days=1), zone)
        yield list(waking_periods(morning, night, periods, zone))
        day += timedelta(days=1)


def _spread(stretches: list[tuple[datetime, datetime]], count: int) -> Iterator[tuple[datetime, datetime]]:
    """`count` moments spread evenly over the waking time of one day, each with the end of its stretch."""
    total = sum((sleep - wake for wake, sleep in stretches), timedelta())
    for k in range(count):
        left = total * (k + 0.5) / count
        for wake, sleep in stretches:
            if left < sleep - wake:
                yield _on_grid(wake + left, wake), sleep
                break
            left -= sleep - wake


def _clear(moment: datetime, length: timedelta, busy: list[Session], starts: list[datetime]) -> datetime:
    """The first moment from `moment` on when a session of `length` overlaps none of `busy`."""
    index = max(bisect_right(starts, moment) - 1, 0)
    while index < len(busy):
        other = busy[index]
        if other.start < moment + length and moment < max(other.end, other.start + timedelta(seconds=1)):
            moment = max(other.end, moment)
        elif other.start >= moment + length:
            break
        index += 1
    return moment


def _on_grid(moment: datetime, floor: datetime) -> datetime:
    """Round down to five minutes (not before `floor`), so walks land on times that read well."""
    seconds = int(moment.timestamp())
    return max(datetime.fromtimestamp(seconds - seconds % int(_WALK_GRID.total_seconds()), timezone.utc), floor)


def wall(day: date, clock: time, zone: tzinfo) -> datetime:
    """`day` at local `clock` as UTC; a time skipped by DST resolves the way the zone's rules say."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(timezone.utc)


def midnight(day: date, zone: tzinfo) -> datetime:
    """The start of local `day`, as UTC (so differences count real hours): the one way it is worked out."""
    return wall(day, time(0), zone)


def day_of_recovery(plan: Plan, moment: datetime) -> int:
    """1 on the day of the injury (the first 24 hours), 2 on the next, and so on."""
    return max(int((moment - plan.injured_at) / timedelta(days=1)) + 1, 1)


def too_long_ago(injured_at: datetime, now: datetime) -> bool:
    """Whether the injury is past the first days this plan is for (`ACUTE_FOR`)."""
    return now - injured_at > ACUTE_FOR


# Decisions for the use cases -----------------------------------------------------------------


class SwitchResult(NamedTuple):
    """What logging a switch back to cold did, worked out from the timeline with it."""

    kind: SwitchKind
    at: datetime
    changed: bool  # False: cold was in force already, so the plan stays as it was
    heat_off_now: bool  # a heat session was in progress and comes off at `at`
    heat_finishes_at: datetime | None  # heat-no-help: the session in progress runs to here
    ice: Session | None  # the first ice after the switch
    heat_again_at: datetime | None  # when heat is tried again; None while on hold or unknown
    on_hold: bool  # heat waits until the user says to try it (after the doctor advice)
    switches: int  # times back to cold so far, this one included
    see_doctor: bool


def switch(
    config: Config | SettingsOverTime,
    plan: Plan,
    events: Sequence[Event],
    kind: SwitchKind,
    at: datetime,
    zone: tzinfo,
    facts: Iterable[str] = (),
    now: datetime | None = None,
) -> SwitchResult:
    """Decide what a switch of `kind` at `at` does to the plan (`events`: the log before it); `now`:
    when it is reported, so the ice it names is one still to come (a late report's first ice may
    be over already)."""
    facts = tuple(facts)
    before = build(config, plan, events, at + 2 * MARGIN, zone, facts)
    timeline = build(config, plan, [*events, Event(at, kind)], at + 2 * MARGIN, zone, facts)
    changed = len(timeline.switches) > len(before.switches)
    was_cut = {s.key for s in before.sessions if s.cut_short}
    cut = next((s for s in timeline.sessions if s.cut_short and s.end == at and s.key not in was_cut), None)
    running = next((s for s in timeline.sessions if s.kind == "heat" and s.start <= at < s.end), None)
    phase = timeline.phase_at(at)
    ice = next((s for s in timeline.sessions if s.kind == "ice" and s.start >= max(at, now or at)), None)
    return SwitchResult(
        kind=kind,
        at=at,
        changed=changed,
        heat_off_now=cut is not None,
        heat_finishes_at=running.end if running and kind == HEAT_NO_HELP else None,
        ice=ice,
        heat_again_at=timeline.heat_returns(at),
        on_hold=bool(phase and phase.on_hold),
        switches=timeline.switch_count(at),
        see_doctor=timeline.see_doctor(at),
    )


class TryHeatResult(NamedTuple):
    """What the user's word to try heat again did."""

    at: datetime
    accepted: bool  # False: heat was not on hold, nothing to lift
    heat_again_at: datetime | None  # when heat starts being planned again
    heat: Session | None  # the first heat session after it


def try_heat(
    config: Config | SettingsOverTime,
    plan: Plan,
    events: Sequence[Event],
    at: datetime,
    zone: tzinfo,
    facts: Iterable[str] = (),
) -> TryHeatResult:
    """Decide what "try heat again" at `at` does: it lifts the hold after the doctor advice, if any.
    Either way it names when heat comes back: the start of the first heat session planned."""
    facts = tuple(facts)
    before = build(config, plan, events, at + 2 * MARGIN, zone, facts)
    phase = before.phase_at(at)
    if phase is None or not phase.on_hold:
        return TryHeatResult(at, False, before.heat_returns(at), None)
    timeline = build(config, plan, [*events, Event(at, TRY_HEAT)], at + 2 * MARGIN, zone, facts)
    heat = next((s for s in timeline.sessions if s.kind == "heat" and s.start >= at), None)
    return TryHeatResult(at, True, heat.start if heat else timeline.heat_returns(at), heat)
