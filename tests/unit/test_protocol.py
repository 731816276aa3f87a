"""The protocol rules, driven through the pure function with explicit times (no clock)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BERLIN, H, M, hhmm, local, of
from therapy_timer import protocol
from therapy_timer.protocol import (
    SKIN_REST,
    Event,
    Plan,
    SettingsOverTime,
    build,
    day_of_recovery,
    in_quiet_hours,
    too_long_ago,
)
from therapy_timer.settings import ClockRange, Cold, Config, Heat, QuietHours, Walk


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
    # the last ice began at 09:00: the first heat waits the cold cadence (two hours), not just its end
    assert [hhmm(s.start) for s in heat[:3]] == ["Thu 11:00", "Thu 15:00", "Thu 19:00"]
    # heat comes back when its first session starts: the phase changes there, so every view names 11:00
    assert timeline.phase_at(heat[0].start - M).mode == "cold" and timeline.phase_at(heat[0].start).mode == "heat"
    assert timeline.phases[0].end == timeline.phases[1].start == heat[0].start


def test_no_cold_phase_starts_with_heat_at_once_every_four_hours():
    """cold.days = 0 (a clinician advised heat first): heat from the plan's start, no ice at all."""
    injured = local(2026, 11, 24, 9, 10)
    timeline = build(Config(cold=Cold(days=0)), Plan(injured, injured), [], injured + timedelta(days=2), BERLIN)
    assert [(p.mode, p.reason) for p in timeline.phases] == [("heat", "plan-start")]
    assert of(timeline, "ice") == []
    heat = of(timeline, "heat")
    assert (hhmm(heat[0].start), heat[0].opens) == ("Tue 09:10", "plan-start")
    assert [hhmm(s.start) for s in heat[1:4]] == ["Tue 13:10", "Tue 17:10", "Tue 21:10"]


def test_no_session_overlaps_quiet_hours_across_midnight_but_a_late_start_gets_one_at_once():
    injured = local(2026, 11, 24, 23, 30)
    timeline = build(Config(), Plan(injured, injured), [], injured + timedelta(days=2), BERLIN)
    first, second = timeline.sessions[:2]
    assert (first.kind, hhmm(first.start), first.opens) == ("ice", "Tue 23:30", "plan-start")
    assert (second.kind, hhmm(second.start)) == ("ice", "Wed 07:00")
    quiet = QuietHours().periods
    for s in timeline.sessions[1:]:
        assert not in_quiet_hours(s.start, quiet, BERLIN) and not in_quiet_hours(
            s.end - timedelta(seconds=1), quiet, BERLIN
        )
        # the same, read off the local clock rather than through in_quiet_hours: within 07:00-22:00
        assert time(7, 0) <= s.start.astimezone(BERLIN).time() < s.end.astimezone(BERLIN).time() <= time(22, 0), s


def test_quiet_hours_within_one_day():
    config = Config(quiet_hours=QuietHours((ClockRange(time(13, 0), time(15, 0)),)))
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
    assert ice[0].start == worse + SKIN_REST and ice[0].opens == "heat-worse"  # never straight from heat to ice
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
    assert not heat[0].cut_short and ice[0].start == heat[0].end + SKIN_REST


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
        lambda start, end: QuietHours((ClockRange(start, end),)),
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
    assert_sound(timeline.sessions, start, config, tz)


def assert_sound(sessions, start, config, tz):
    """Sessions in order, never overlapping, within their lengths, and clear of quiet hours (unless
    asked for at once)."""
    assert sessions == sorted(sessions, key=lambda s: s.start)
    for a, b in itertools.pairwise(sessions):
        assert a.end <= b.start, (a, b)
    immediate = {s.start for s in sessions if s.opens in ("plan-start", "heat-worse", "heat-no-help")}
    for s in sessions:
        assert s.start >= start and (s.end > s.start or s.cut_short)  # heat cut at its first moment stays
        if s.kind != "walk":
            assert s.end - s.start <= timedelta(minutes=20)
        if s.start not in immediate:
            assert not in_quiet_hours(s.start, config.quiet_hours.periods, tz)
            if s.end > s.start:  # a session cut at its first moment has no last second to judge
                assert not in_quiet_hours(s.end - timedelta(seconds=1), config.quiet_hours.periods, tz)


def test_heat_cut_at_its_first_moment_right_as_quiet_hours_end_is_sound():
    """Found by the property above (about one run in forty): heat at 06:30, as quiet hours end, made
    worse at 06:30 is cut to no length; its end is the quiet period's, which is not a fault."""
    tz = ZoneInfo("America/New_York")
    config = Config(quiet_hours=QuietHours((ClockRange(time(22), time(6, 30)),)))
    start = local(2026, 10, 25, 2, 30, tz)  # at night: the first heat comes at once, the next at 06:30
    worse = local(2026, 10, 25, 6, 30, tz)
    timeline = build(
        config, Plan(start - timedelta(days=3), start), [Event(worse, "heat-worse")], start + timedelta(days=1), tz
    )
    cut = [s for s in timeline.sessions if s.cut_short]
    assert [(s.kind, s.start, s.end) for s in cut] == [("heat", worse, worse)]
    assert_sound(timeline.sessions, start, config, tz)


# The rules of issue 9, one test each ----------------------------------------------------------


def treatments(timeline):
    return [s for s in timeline.sessions if s.kind != "walk"]


def test_rule_1_the_same_kind_keeps_its_cadence_across_quiet_hours_and_never_touches():
    for minutes in (15, 20):
        config = Config(cold=Cold(minutes=minutes))
        start = local(2026, 11, 24, 6, 55)  # quiet hours end at 07:00
        timeline = build(config, Plan(start, start), [], start + timedelta(hours=6), BERLIN)
        assert [hhmm(s.start) for s in of(timeline, "ice")][:3] == ["Tue 06:55", "Tue 08:55", "Tue 10:55"]
    for at, then in ((5, 30), (6, 0)):
        start = local(2026, 11, 24, at, then)
        timeline = build(Config(), Plan(start, start), [], start + timedelta(hours=4), BERLIN)
        assert of(timeline, "ice")[1].start == start + 2 * H  # 07:30 or 08:00, not 07:00


def test_rule_1_a_switch_to_cold_just_before_quiet_hours_end_keeps_the_cadence():
    injured = local(2026, 11, 20, 9, 0)
    start = local(2026, 11, 24, 6, 40)
    timeline = build(Config(), Plan(injured, start), [Event(start + 10 * M, "heat-worse")], start + 6 * H, BERLIN)
    heat, ice = of(timeline, "heat"), of(timeline, "ice")
    assert heat[0].cut_short and ice[0].start == heat[0].end + SKIN_REST
    assert ice[1].start == ice[0].start + 2 * H
    for a, b in itertools.pairwise(treatments(timeline)):
        assert a.end + SKIN_REST <= b.start


def test_rule_2_the_first_heat_waits_the_cold_cadence_after_the_last_ice_began():
    injured = local(2026, 11, 22, 10, 10)  # cold ends Tue 10:10, during the ice of 10:00 (07:00 + 1h30 x 2)
    start = local(2026, 11, 24, 9, 0)
    timeline = build(Config(), Plan(injured, start), [], start + 12 * H, BERLIN)
    last_ice, first_heat = of(timeline, "ice")[-1], of(timeline, "heat")[0]
    assert first_heat.start >= last_ice.start + 2 * H


def test_rule_3_heat_worse_after_heat_no_help_in_the_same_session_cuts_the_heat():
    injured = local(2026, 11, 20, 9, 0)
    start = local(2026, 11, 23, 11, 30)
    events = [Event(start + 3 * M, "heat-no-help"), Event(start + 6 * M, "heat-worse")]
    timeline = build(Config(), Plan(injured, start), events, start + timedelta(days=1), BERLIN)
    heat = of(timeline, "heat")[0]
    assert heat.cut_short and heat.end == start + 6 * M
    assert [s.kind for s in timeline.switches] == ["heat-no-help"]  # one switch: the second word only cut it


def test_rule_3_heat_worse_at_the_first_minute_keeps_the_session_in_the_record():
    injured = local(2026, 11, 20, 9, 0)
    start = local(2026, 11, 23, 11, 30)
    timeline = build(Config(), Plan(injured, start), [Event(start, "heat-worse")], start + 6 * H, BERLIN)
    heat = of(timeline, "heat")[0]
    assert heat.start == heat.end == start and heat.cut_short


def test_rule_4_after_the_doctor_advice_heat_waits_for_the_users_word():
    injured = local(2026, 11, 18, 9, 0)
    start = local(2026, 11, 23, 9, 0)
    first = start + 5 * M
    once = build(Config(), Plan(injured, start), [Event(first, "heat-worse")], start + 3 * timedelta(days=1), BERLIN)
    second = next(s for s in of(once, "heat") if s.opens == "heat-again").start + 5 * M
    events = [Event(first, "heat-worse"), Event(second, "heat-worse")]
    held = build(Config(), Plan(injured, start), events, second + timedelta(days=4), BERLIN)
    assert not [s for s in of(held, "heat") if s.start > second]
    assert held.phase_at(second + 30 * H).on_hold and held.phase_at(second + 30 * H).end is None
    word = second + 30 * H
    tried = build(
        Config(), Plan(injured, start), [*events, Event(word, "try-heat-again")], word + timedelta(days=1), BERLIN
    )
    again = [s for s in of(tried, "heat") if s.start > second]
    assert again and again[0].start >= word and again[0].opens == "heat-again"
    assert tried.switch_count(word) == 2


def test_rule_4_try_heat_again_never_shortens_the_cold():
    injured = local(2026, 11, 18, 9, 0)
    start = local(2026, 11, 23, 9, 0)
    events = [Event(start + 5 * M, "heat-worse")]
    once = build(Config(), Plan(injured, start), events, start + 3 * timedelta(days=1), BERLIN)
    second = next(s for s in of(once, "heat") if s.opens == "heat-again").start + 5 * M
    events += [Event(second, "heat-no-help"), Event(second + H, "try-heat-again")]
    timeline = build(Config(), Plan(injured, start), events, second + timedelta(days=3), BERLIN)
    assert next(s for s in of(timeline, "heat") if s.start > second).start >= second + 24 * H


def test_rule_8_any_window_shows_the_sessions_of_the_full_timeline():
    start = local(2026, 11, 24, 9, 0)
    full = build(Config(), Plan(start, start), [], start + timedelta(days=5), BERLIN)
    for hours in (0.35, 1, 5, 30):
        for offset in range(0, 48 * 60, 50):
            until = start + offset * M + timedelta(hours=hours)
            short = build(Config(), Plan(start, start), [], until, BERLIN)
            assert short.sessions == [s for s in full.sessions if s.start < until]
    before = build(Config(), Plan(start, start), [], start - 5 * H, BERLIN)
    assert before.sessions == [] and before.phase_at(start - 6 * H).mode == "cold"


def test_rule_9_a_settings_change_applies_from_its_moment_and_never_to_sessions_that_began():
    start = local(2026, 11, 24, 9, 0)
    change = start + 5 * M  # during the first ice
    settings = SettingsOverTime(Config(), ((change, Config(cold=Cold(minutes=12))),))
    timeline = build(settings, Plan(start, start), [], start + 6 * H, BERLIN)
    ice = of(timeline, "ice")
    assert ice[0].minutes == 15 and ice[1].minutes == 12


def test_rule_10_several_quiet_periods_each_honoured_with_the_cadence_across_each():
    quiet = QuietHours((ClockRange(time(22), time(7)), ClockRange(time(13), time(14))))
    start = local(2026, 11, 24, 7, 0)
    timeline = build(Config(quiet_hours=quiet), Plan(start, start), [], start + timedelta(days=1), BERLIN)
    starts = [hhmm(s.start) for s in of(timeline, "ice")]
    assert starts[:6] == ["Tue 07:00", "Tue 09:00", "Tue 11:00", "Tue 14:00", "Tue 16:00", "Tue 18:00"]
    for s in timeline.sessions[1:]:
        assert not in_quiet_hours(s.start, quiet.periods, BERLIN)
        assert not in_quiet_hours(s.end - timedelta(seconds=1), quiet.periods, BERLIN)


def test_rule_11_an_injury_weeks_ago_is_past_what_this_plan_is_for():
    now = local(2026, 11, 24, 9, 0)
    assert too_long_ago(now - timedelta(days=15), now) and not too_long_ago(now - timedelta(days=3), now)


def test_heat_worse_at_night_gets_ice_after_the_skin_rest_not_in_the_morning():
    """Heat that made it worse at 03:44 means ice at 03:59: the user is awake and has just asked for cold."""
    injured = local(2026, 11, 20, 9, 0)
    start = local(2026, 11, 24, 3, 30)  # a plan started at night gets its heat at once
    worse = start + 14 * M
    timeline = build(Config(), Plan(injured, start), [Event(worse, "heat-worse")], start + 12 * H, BERLIN)
    heat, ice = of(timeline, "heat"), of(timeline, "ice")
    assert heat[0].cut_short and heat[0].end == worse
    assert ice[0].start == worse + SKIN_REST and ice[0].opens == "heat-worse"
    assert hhmm(ice[1].start) == "Tue 07:00"  # the next one waits for quiet hours to end, 2 h or more later


def test_local_midnight_is_one_function_and_a_spring_forward_day_is_23_hours_long():
    spring = protocol.midnight(date(2026, 3, 29), BERLIN)
    assert spring == datetime(2026, 3, 28, 23, 0, tzinfo=timezone.utc)
    assert protocol.midnight(date(2026, 3, 30), BERLIN) - spring == timedelta(hours=23)
    assert protocol.midnight(date(2026, 10, 26), BERLIN) - protocol.midnight(date(2026, 10, 25), BERLIN) == timedelta(
        hours=25
    )
