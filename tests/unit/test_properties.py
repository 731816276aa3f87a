"""The invariants of issue 9 over random plans: settings (several quiet periods, edits), injury and start
times, zones, and what people log (switches, answers, snoozes). Pure: no database, no threads."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.helpers import M
from therapy_timer import protocol, reminders
from therapy_timer.protocol import SKIN_REST, Event, Plan, SettingsOverTime, in_quiet_hours
from therapy_timer.settings import ClockRange, Cold, Config, Heat, QuietHours, Reminders, Walk, longest_awake_minutes
from therapy_timer.vocabulary import SNOOZE, SWITCH_KINDS, TRY_HEAT

ORIGIN = datetime(2026, 10, 22, 0, 0, tzinfo=timezone.utc)  # the autumn clock change falls in the range
PERIODS = [
    ClockRange(time(22), time(7)),
    ClockRange(time(23, 30), time(6, 30)),
    ClockRange(time(0), time(7)),
    ClockRange(time(13), time(14)),
    ClockRange(time(13, 30), time(15)),
    ClockRange(time(9, 40), time(10, 10)),
    ClockRange(time(18), time(18, 45)),
]

quiet = st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True).map(tuple)
configs = st.builds(
    Config,
    cold=st.builds(
        Cold, days=st.sampled_from([1, 1.5, 2]), minutes=st.integers(1, 20), every_hours=st.sampled_from([1, 1.5, 2, 3])
    ),
    heat=st.builds(
        Heat,
        minutes=st.integers(1, 20),
        every_hours=st.sampled_from([1, 2, 4, 6]),
        back_to_cold_hours=st.sampled_from([1, 12, 24]),
    ),
    walk=st.builds(
        Walk, times_per_day=st.integers(1, 8), minutes=st.integers(1, 30), rest_days=st.sampled_from([0, 2, 3])
    ),
    quiet_hours=st.builds(QuietHours, quiet),
    reminders=st.builds(Reminders, repeat_after_minutes=st.integers(1, 30), repeat_times=st.integers(0, 5)),
).filter(lambda c: longest_awake_minutes(c.quiet_hours.periods) >= 60)

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
TREATMENTS = ("ice", "heat")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    first=configs,
    edits=st.lists(st.tuples(st.integers(0, 100 * 60), configs), max_size=2),
    injured_offset=st.integers(0, 96 * 60),
    started_after=st.integers(0, 72 * 60),
    words=st.lists(st.tuples(st.integers(0, 110 * 60), st.sampled_from([*SWITCH_KINDS, TRY_HEAT])), max_size=5),
    answers=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 40), st.sampled_from(["done", "skip"])), max_size=6),
    snoozes=st.lists(st.tuples(st.integers(0, 110 * 60), st.integers(1, 60)), max_size=4),
    zone_name=st.sampled_from(ZONES),
    window=st.tuples(st.integers(-12 * 60, 100 * 60), st.integers(15, 30 * 60)),
)
def test_the_plan_and_its_reminders_keep_every_rule(
    first, edits, injured_offset, started_after, words, answers, snoozes, zone_name, window
):
    zone = ZoneInfo(zone_name)
    injured = ORIGIN + injured_offset * M
    start = injured + started_after * M
    plan = Plan(injured, start)
    changes = tuple(sorted(((start + offset * M, config) for offset, config in edits), key=lambda c: c[0]))
    assume(len({when for when, _ in changes}) == len(changes))
    every = SettingsOverTime(first, changes)
    events = [Event(start + offset * M, kind) for offset, kind in words]
    until = start + timedelta(days=5)
    timeline = protocol.build(every, plan, events, until, zone)
    sessions = timeline.sessions

    # No two sessions overlap; ice and heat never touch (the skin gets SKIN_REST between them).
    for a, b in itertools.pairwise(sessions):
        assert a.end <= b.start or (a.start == a.end == b.start), (a, b)
    treatments = [s for s in sessions if s.kind in TREATMENTS]
    for a, b in itertools.pairwise(treatments):
        assert a.end < b.start and b.start - a.end >= timedelta(minutes=15) == SKIN_REST, (a, b)

    # The same kind starts its every_hours apart or more, across quiet periods and phase changes.
    for kind in TREATMENTS:
        same = [s for s in treatments if s.kind == kind]
        for a, b in itertools.pairwise(same):
            config = every.at(b.start)
            hours = config.cold.every_hours if kind == "ice" else config.heat.every_hours
            assert b.start - a.start >= timedelta(hours=hours), (a, b)

    # The first heat after ice waits the cold cadence after that ice began.
    for heat in (s for s in treatments if s.kind == "heat"):
        ices = [s for s in treatments if s.kind == "ice" and s.start < heat.start]
        if ices:
            assert heat.start - ices[-1].start >= timedelta(hours=every.at(heat.start).cold.every_hours), heat

    # Nothing in a quiet period except a session started at once by the user (plan start or switch),
    # or right after the skin's rest from the heat that switch took off.
    at_once = [start] + [s.at for s in timeline.switches]
    for s in sessions:
        if s.kind in TREATMENTS and any(moment <= s.start <= moment + SKIN_REST for moment in at_once):
            continue
        periods = every.at(s.start).quiet_hours.periods
        assert not in_quiet_hours(s.start, periods, zone), s
        if s.end > s.start:
            assert not in_quiet_hours(s.end - timedelta(seconds=1), periods, zone), s

    # What people answer and snooze, in order, the way the use cases decide it.
    logged = list(events)
    for index, after, outcome in answers:
        if index < len(sessions):
            moment = sessions[index].start + after * M
            decision = reminders.answer_target(timeline, logged, moment, sessions[index].key)
            if decision.refused is None:
                logged.append(Event(moment, outcome, session=sessions[index].key))
    for offset, minutes in sorted(snoozes):
        moment = start + offset * M
        due = reminders.build(every, timeline, logged, moment - timedelta(hours=6), moment + timedelta(days=1))
        decision = reminders.snooze(due, moment, minutes)
        if decision.refused is None and decision.target is not None:
            logged.append(Event(moment, SNOOZE, decision.target.session, minutes, decision.target.key))
    timeline = protocol.build(every, plan, logged, until, zone)
    due = reminders.build(every, timeline, logged, start - timedelta(hours=1), until)

    # No reminder of an answered session; no two reminders in one minute that contradict each other.
    answered = reminders.answered(logged)
    late = [r for r in due if r.session in answered and not r.due <= r.relevant_until <= answered[r.session]]
    assert not late and not [r for r in due if r.session in answered and r.due > answered[r.session]]
    for _, group in itertools.groupby(due, key=lambda r: r.due.replace(second=0, microsecond=0)):
        said = {(r.role, r.what) for r in group if r.what in TREATMENTS}
        ons = {what for role, what in said if role == "on"}
        offs = {what for role, what in said if role == "off"}
        assert not (ons and offs) and len(ons) <= 1, said

    # `plan` of any window is the full timeline cut to that window.
    begin = start + window[0] * M
    end = begin + window[1] * M
    assume(end < until)
    short = protocol.build(every, plan, logged, end, zone)
    overlapping = [s for s in timeline.sessions if s.start < end and (s.end > begin or s.start >= begin)]
    assert [s for s in short.sessions if s.start < end and (s.end > begin or s.start >= begin)] == overlapping
