"""The protocol rules, driven through the pure function with explicit times (no clock)."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from therapy_timer.config import Cold, Config, Heat, QuietHours, Walk
from therapy_timer.protocol import Event, Plan, build, day_of_recovery, in_quiet_hours

BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)


def local(y: int, mo: int, d: int, h: int, mi: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=zone).astimezone(timezone.utc)


def hhmm(moment: datetime, zone: ZoneInfo = BERLIN) -> str:
    return moment.astimezone(zone).strftime("%a %H:%M")


def of(timeline, kind):
    return [s for s in timeline.sessions if s.kind == kind]


def test_cold_phase_ice_every_two_hours_from_the_injury_then_heat_every_four():
    injured = local(2026, 11, 24, 9, 10)
    timeline = build(Config(), Plan(injured, injured), [], injured + timedelta(days=3), BERLIN)
    ice, heat = of(timeline, "ice"), of(timeline, "heat")
    assert [hhmm(s.start) for s in ice[:8]] == [
        "Tue 09:10",
        "Tue 11:10",
        "Tue 13:10",
        "Tue 15:10",
        "Tue 17:10",
        "Tue 19:10",
        "Tue 21:10",
        "Wed 07:00",
    ]
    assert all(s.end - s.start == timedelta(minutes=15) for s in ice + heat)
    cold_end = injured + timedelta(days=2)
    assert all(s.start < cold_end for s in ice) and all(s.start >= cold_end for s in heat)
    assert [hhmm(s.start) for s in heat[:3]] == ["Thu 09:15", "Thu 13:15", "Thu 17:15"]  # after the last ice ends
    assert timeline.phase_at(cold_end - H).mode == "cold" and timeline.phase_at(cold_end + H).mode == "heat"


def test_no_session_overlaps_quiet_hours_across_midnight_but_a_late_start_gets_one_at_once():
    injured = local(2026, 11, 24, 23, 30)
    timeline = build(Config(), Plan(injured, injured), [], injured + timedelta(days=2), BERLIN)
    first, second = timeline.sessions[:2]
    assert (first.kind, hhmm(first.start), first.opens) == ("ice", "Tue 23:30", "plan-start")
    assert (second.kind, hhmm(second.start)) == ("ice", "Wed 07:00")
    quiet = QuietHours()
    for s in timeline.sessions[1:]:
        assert not in_quiet_hours(s.start, quiet, BERLIN) and not in_quiet_hours(
            s.end - timedelta(seconds=1), quiet, BERLIN
        )
        # the same, read off the local clock rather than through in_quiet_hours: within 07:00-22:00
        assert time(7, 0) <= s.start.astimezone(BERLIN).time() < s.end.astimezone(BERLIN).time() <= time(22, 0), s


def test_quiet_hours_within_one_day():
    config = Config(quiet_hours=QuietHours(start=time(13, 0), end=time(15, 0)))
    start = local(2026, 11, 24, 12, 0)
    timeline = build(config, Plan(start, start), [], start + timedelta(hours=6), BERLIN)
    assert [hhmm(s.start) for s in of(timeline, "ice")] == ["Tue 12:00", "Tue 15:00", "Tue 17:00"]


def test_daylight_saving_change_keeps_elapsed_cadence_and_local_quiet_hours():
    # Clocks in Berlin go back from 03:00 to 02:00 on Sunday 25 October 2026.
    injured = local(2026, 10, 24, 20, 0)
    timeline = build(Config(), Plan(injured, injured), [], injured + timedelta(days=2), BERLIN)
    ice = of(timeline, "ice")
    sunday = [s for s in ice if s.start.astimezone(BERLIN).date().day == 25]
    assert hhmm(sunday[0].start) == "Sun 07:00" and sunday[0].start.astimezone(BERLIN).utcoffset() == H
    gaps = {b.start - a.start for a, b in itertools.pairwise(sunday)}
    assert gaps == {2 * H}
    saturday = [s for s in ice if s.start.astimezone(BERLIN).date().day == 24]
    assert saturday[-1].start.astimezone(BERLIN).utcoffset() == 2 * H
    assert all(s.end.astimezone(BERLIN).time() <= time(22, 0) for s in sunday)


def test_plan_started_on_day_three_begins_with_heat_at_once():
    injured = local(2026, 11, 21, 10, 0)
    start = local(2026, 11, 23, 11, 30)
    timeline = build(Config(), Plan(injured, start), [], start + timedelta(hours=12), BERLIN)
    assert timeline.phases[0].mode == "heat"
    assert not of(timeline, "ice")
    assert [hhmm(s.start) for s in of(timeline, "heat")] == ["Mon 11:30", "Mon 15:30", "Mon 19:30"]
    assert day_of_recovery(Plan(injured, start), start) == 3


def test_heat_worse_stops_heat_at_once_starts_ice_and_holds_cold_for_a_day():
    injured = local(2026, 11, 21, 10, 0)
    start = local(2026, 11, 23, 11, 30)
    worse = start + timedelta(minutes=7)
    timeline = build(Config(), Plan(injured, start), [Event(worse, "heat-worse")], start + timedelta(days=2), BERLIN)
    heat = of(timeline, "heat")
    assert heat[0].end == worse and heat[0].cut_short
    ice = of(timeline, "ice")
    assert ice[0].start == worse and ice[0].opens == "heat-worse"
    assert ice[1].start - ice[0].start == 2 * H
    assert timeline.switches[0].at == worse
    back_to_heat = [s for s in heat[1:]]
    assert back_to_heat[0].start >= worse + 24 * H and back_to_heat[0].opens == "heat-again"
    assert all(s.start < worse + 24 * H for s in ice)


def test_heat_no_help_lets_the_session_finish_then_ice():
    injured = local(2026, 11, 21, 10, 0)
    start = local(2026, 11, 23, 11, 30)
    said = start + timedelta(minutes=5)
    timeline = build(Config(), Plan(injured, start), [Event(said, "heat-no-help")], start + timedelta(days=1), BERLIN)
    heat, ice = of(timeline, "heat"), of(timeline, "ice")
    assert not heat[0].cut_short and ice[0].start == heat[0].end


def test_two_switches_back_to_cold_advise_a_professional():
    injured = local(2026, 11, 20, 10, 0)
    start = local(2026, 11, 23, 11, 30)
    first = start + timedelta(minutes=5)
    second = first + timedelta(hours=27)  # heat is tried again after 24 h
    timeline = build(
        Config(),
        Plan(injured, start),
        [Event(first, "heat-worse"), Event(second, "heat-worse")],
        start + timedelta(days=3),
        BERLIN,
    )
    assert [s.at for s in timeline.switches] == [first, second]
    assert not timeline.see_doctor(second - H) and timeline.see_doctor(second)


def test_switch_logged_in_a_cold_phase_changes_nothing():
    injured = local(2026, 11, 24, 9, 0)
    events = [Event(injured + 3 * H, "heat-worse")]
    assert build(Config(), Plan(injured, injured), events, injured + timedelta(days=1), BERLIN).switches == []


def test_walks_spread_over_the_day_rest_then_exercise_and_clear_of_ice():
    injured = local(2026, 11, 24, 6, 0)
    timeline = build(Config(), Plan(injured, injured), [], injured + timedelta(days=5), BERLIN)
    walks = of(timeline, "walk")
    days = {}
    for w in walks:
        days.setdefault(w.start.astimezone(BERLIN).date(), []).append(w)
    assert all(len(day) == 4 for day in days.values())
    assert {w.purpose for w in walks if w.start < injured + timedelta(days=3)} == {"rest"}
    assert {w.purpose for w in walks if w.start >= injured + timedelta(days=3)} == {"exercise"}


def test_an_ended_plan_has_no_sessions_after_its_end():
    injured = local(2026, 11, 24, 9, 0)
    ended = injured + 5 * H
    timeline = build(Config(), Plan(injured, injured, ended), [], injured + timedelta(days=2), BERLIN)
    assert timeline.sessions and all(s.start < ended for s in timeline.sessions)


minutes = st.integers(min_value=1, max_value=20)
configs = st.builds(
    Config,
    cold=st.builds(
        Cold, days=st.sampled_from([1, 1.5, 2]), minutes=minutes, every_hours=st.sampled_from([1, 1.5, 2, 3])
    ),
    heat=st.builds(
        Heat,
        minutes=minutes,
        every_hours=st.sampled_from([1, 2, 4, 6]),
        back_to_cold_hours=st.sampled_from([1, 12, 24]),
    ),
    walk=st.builds(Walk, times_per_day=st.integers(1, 8), minutes=st.integers(1, 30), rest_days=st.integers(0, 14)),
    quiet_hours=st.builds(
        QuietHours,
        start=st.sampled_from([time(22), time(0), time(13), time(23, 30)]),
        end=st.sampled_from([time(7), time(6, 30), time(15)]),
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    config=configs,
    injured_offset=st.integers(0, 96 * 60),
    started_after=st.integers(0, 72 * 60),
    switch_offsets=st.lists(st.integers(0, 120 * 60), max_size=4),
    kinds=st.lists(st.sampled_from(["heat-worse", "heat-no-help"]), min_size=4, max_size=4),
    zone=st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata"]),
)
def test_sessions_never_overlap_and_respect_limits(config, injured_offset, started_after, switch_offsets, kinds, zone):
    tz = ZoneInfo(zone)
    injured = local(2026, 10, 22, 0, 0, tz) + timedelta(minutes=injured_offset)
    start = injured + timedelta(minutes=started_after)
    events = [Event(start + timedelta(minutes=o), k) for o, k in zip(switch_offsets, kinds, strict=False)]
    timeline = build(config, Plan(injured, start), events, start + timedelta(days=6), tz)
    sessions = timeline.sessions
    assert sessions == sorted(sessions, key=lambda s: s.start)
    for a, b in itertools.pairwise(sessions):
        assert a.end <= b.start, (a, b)
    immediate = {s.start for s in sessions if s.opens in ("plan-start", "heat-worse", "heat-no-help")}
    for s in sessions:
        assert s.start >= start and s.end > s.start
        if s.kind != "walk":
            assert s.end - s.start <= timedelta(minutes=20)
        if s.start not in immediate:
            assert not in_quiet_hours(s.start, config.quiet_hours, tz)
            assert not in_quiet_hours(s.end - timedelta(seconds=1), config.quiet_hours, tz)
