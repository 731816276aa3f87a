"""The recovery protocol as a pure function: (config, plan, logged events, horizon, zone) -> timeline.

No clock, no I/O. All arithmetic is done in UTC so the cadence is elapsed time ("every two hours"
means 120 minutes even across a daylight-saving change); only quiet hours are read off the local
clock, through `zone`.

Rules (see the README for the user's view):
- cold from the injury for `cold.days`, then moist heat until the plan ends;
- "heat made it worse" ends the heat session in progress at once and starts ice at that moment;
  "heat did not help" lets it finish and starts ice right after; either way cold holds for
  `heat.back_to_cold_hours` before heat is tried again;
- the first session of each waking period starts at its beginning (or at the plan start or the
  switch, which get a session at once even in quiet hours: the user is awake), then one every
  `every_hours` while it fits before quiet hours;
- walks are spread over each waking period and moved past any ice or heat session they would overlap.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import NamedTuple

from therapy_timer.config import Config, QuietHours

HEAT_WORSE = "heat-worse"
HEAT_NO_HELP = "heat-no-help"
SWITCH_KINDS = (HEAT_WORSE, HEAT_NO_HELP)
ANSWERS = ("done", "skip")  # the logged events that answer a session
DOCTOR_AFTER_SWITCHES = 2
_WALK_GRID = timedelta(minutes=5)


# Value types are NamedTuples rather than frozen dataclasses: every command imports this module,
# and each frozen dataclass costs about 0.6 ms of start-up to build (bench/startup.py).


class Plan(NamedTuple):
    injured_at: datetime
    started_at: datetime
    ended_at: datetime | None = None


class Event(NamedTuple):
    """A logged event, as far as the protocol and the reminders care."""

    at: datetime
    kind: str
    session: str | None = None
    minutes: float | None = None


class Session(NamedTuple):
    kind: str  # "ice" | "heat" | "walk"
    start: datetime
    end: datetime
    opens: str = ""  # the reason of the phase this session opens ("plan-start", "cold-over", ...)
    purpose: str = ""  # walks: "rest" or "exercise"
    cut_short: bool = False  # a heat session stopped because heat made things worse

    @property
    def key(self) -> str:
        """A stable name for the session, used to mark it done and to name its reminders."""
        return f"{self.kind}@{self.start.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}"

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


class Phase(NamedTuple):
    mode: str  # "cold" | "heat"
    start: datetime
    end: datetime | None  # None: until the plan ends
    reason: str  # "plan-start", "cold-over", "heat-worse", "heat-no-help", "heat-again"


class Switch(NamedTuple):
    at: datetime
    kind: str  # HEAT_WORSE or HEAT_NO_HELP


class Timeline(NamedTuple):
    sessions: list[Session]
    phases: list[Phase]
    switches: list[Switch]

    def phase_at(self, moment: datetime) -> Phase:
        """The phase in force at `moment` (the first phase for moments before the plan)."""
        found = self.phases[0]
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

    def see_doctor(self, moment: datetime) -> bool:
        """Whether heat has failed often enough by `moment` to advise a professional's look."""
        return sum(1 for s in self.switches if s.at <= moment) >= DOCTOR_AFTER_SWITCHES


def build(config: Config, plan: Plan, events: Iterable[Event], until: datetime, zone: tzinfo) -> Timeline:
    """Every session from the plan start up to `until` (or the plan's end, if earlier)."""
    horizon = min(until, plan.ended_at) if plan.ended_at else until
    triggers = sorted(
        (e for e in events if e.kind in SWITCH_KINDS and plan.started_at <= e.at < horizon), key=lambda e: e.at
    )
    treatments, phases, switches = _treatments(config, plan, triggers, horizon, zone)
    walks = _walks(config, plan, treatments, horizon, zone)
    return Timeline(sorted(treatments + walks, key=lambda s: s.start), phases, switches)


def _treatments(
    config: Config, plan: Plan, triggers: Sequence[Event], horizon: datetime, zone: tzinfo
) -> tuple[list[Session], list[Phase], list[Switch]]:
    """Ice and heat sessions, walking the phases forward in time and applying each switch."""
    sessions: list[Session] = []
    phases: list[Phase] = []
    switches: list[Switch] = []
    cold_until = plan.injured_at + timedelta(days=config.cold.days)
    mode = "cold" if plan.started_at < cold_until else "heat"
    cursor, reason, pending = plan.started_at, "plan-start", list(triggers)
    while cursor < horizon:
        trigger = None
        phase_end: datetime | None  # None: the phase lasts until the plan ends
        if mode == "cold":
            stop, phase_end = min(cold_until, horizon), cold_until
            pending = [e for e in pending if e.at >= cold_until]  # heat is not in use: nothing to switch
        else:
            pending = [e for e in pending if e.at >= cursor]
            trigger = pending.pop(0) if pending else None
            stop = trigger.at if trigger else horizon
            phase_end = stop if trigger else None
        phases.append(Phase(mode, cursor, phase_end, reason))
        settings = config.cold if mode == "cold" else config.heat
        kind = "ice" if mode == "cold" else "heat"
        immediate = reason != "cold-over" and reason != "heat-again"
        last_end = sessions[-1].end if sessions else cursor
        sessions += _cadence(
            kind,
            cursor,
            stop,
            settings.every_hours,
            settings.minutes,
            immediate,
            last_end,
            reason,
            config.quiet_hours,
            zone,
        )
        if trigger is None:
            if mode == "heat":
                break
            mode, cursor, reason = "heat", cold_until, ("cold-over" if not switches else "heat-again")
            continue
        cursor = _switch(sessions, trigger)
        switches.append(Switch(trigger.at, trigger.kind))
        mode, reason = "cold", trigger.kind
        cold_until = trigger.at + timedelta(hours=config.heat.back_to_cold_hours)
    return sessions, phases, switches


def _switch(sessions: list[Session], trigger: Event) -> datetime:
    """Apply a switch back to cold to the heat session in progress; return when ice starts."""
    last = sessions[-1] if sessions else None
    if last is None or not (last.kind == "heat" and last.start <= trigger.at < last.end):
        return trigger.at
    if trigger.kind == HEAT_NO_HELP:
        return last.end  # not urgent: the session finishes, ice follows
    sessions.pop()
    if trigger.at > last.start:
        sessions.append(last._replace(end=trigger.at, cut_short=True))
    return trigger.at


def _cadence(
    kind: str,
    start: datetime,
    stop: datetime,
    every_hours: float,
    minutes: float,
    immediate: bool,
    last_end: datetime,
    reason: str,
    quiet: QuietHours,
    zone: tzinfo,
) -> list[Session]:
    """Sessions of one kind from `start` to `stop`: one at each waking period's start, then every N hours."""
    every, length = timedelta(hours=every_hours), timedelta(minutes=minutes)
    cursor = max(start, last_end)
    out: list[Session] = []
    if cursor >= stop:
        return out
    anchored = None  # the waking period whose first session was the immediate one
    if immediate:
        out.append(Session(kind, cursor, cursor + length, opens=reason))
        anchored = cursor
    for wake, sleep in waking_periods(cursor, stop, quiet, zone):
        if anchored is not None and wake <= anchored < sleep:
            moment = anchored + every
        else:
            moment = max(wake, cursor, out[-1].end if out else cursor)
        while moment < stop and moment + length <= sleep:
            out.append(Session(kind, moment, moment + length, opens="" if out else reason))
            moment += every
    return out


def _walks(config: Config, plan: Plan, treatments: list[Session], horizon: datetime, zone: tzinfo) -> list[Session]:
    """`walk.times_per_day` walks spread over each waking period, clear of ice and heat."""
    walk = config.walk
    length = timedelta(minutes=walk.minutes)
    rest_until = plan.injured_at + timedelta(days=walk.rest_days)
    starts = [s.start for s in treatments]
    out: list[Session] = []
    for wake, sleep in waking_periods(plan.started_at, horizon, config.quiet_hours, zone):
        slot = (sleep - wake) / walk.times_per_day
        for k in range(walk.times_per_day):
            wanted = _on_grid(wake + slot * (k + 0.5))
            moment = _clear(max(wanted, out[-1].end) if out else wanted, length, treatments, starts)
            if plan.started_at <= moment < horizon and moment + length <= sleep:
                out.append(
                    Session("walk", moment, moment + length, purpose="rest" if moment < rest_until else "exercise")
                )
    return out


def _clear(moment: datetime, length: timedelta, busy: list[Session], starts: list[datetime]) -> datetime:
    """The first moment from `moment` on when a session of `length` overlaps none of `busy`."""
    index = max(bisect_right(starts, moment) - 1, 0)
    while index < len(busy):
        other = busy[index]
        if other.start < moment + length and moment < other.end:
            moment = other.end
        elif other.start >= moment + length:
            break
        index += 1
    return moment


def _on_grid(moment: datetime) -> datetime:
    """Round down to five minutes, so walks land on times that read well."""
    seconds = int(moment.timestamp())
    return datetime.fromtimestamp(seconds - seconds % int(_WALK_GRID.total_seconds()), timezone.utc)


def waking_periods(
    start: datetime, stop: datetime, quiet: QuietHours, zone: tzinfo
) -> Iterator[tuple[datetime, datetime]]:
    """The periods outside quiet hours that overlap [start, stop), as UTC (wake, sleep) pairs."""
    day = start.astimezone(zone).date() - timedelta(days=1)
    crosses_midnight = quiet.start < quiet.end
    while True:
        wake = wall(day, quiet.end, zone)
        if wake >= stop:
            return
        sleep = wall(day + timedelta(days=1) if crosses_midnight else day, quiet.start, zone)
        if sleep > start:
            yield wake, sleep
        day += timedelta(days=1)


def in_quiet_hours(moment: datetime, quiet: QuietHours, zone: tzinfo) -> bool:
    """Whether `moment` falls in quiet hours on the local clock."""
    return not any(
        wake <= moment < sleep for wake, sleep in waking_periods(moment, moment + timedelta(seconds=1), quiet, zone)
    )


def wall(day: date, clock: time, zone: tzinfo) -> datetime:
    """`day` at local `clock` as UTC; a time skipped by DST resolves the way the zone's rules say."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(timezone.utc)


def day_of_recovery(plan: Plan, moment: datetime) -> int:
    """1 on the day of the injury (the first 24 hours), 2 on the next, and so on."""
    return max(int((moment - plan.injured_at) / timedelta(days=1)) + 1, 1)
