"""One plan state (issue 18), rule by rule, on the pure derivation: no database, no threads.

- What happened stays: facts (answered, reminded, missed, snoozed) are pinned by their keys.
- A snooze moves its session; its key stays.
- The skin rests after what came off before the plan.
- Heat comes back with its first session, in every view.
- done answers the session whose reminder is in front of the person.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from tests.helpers import BERLIN, H, M, hhmm, local, of
from therapy_timer import protocol, reminders, vocabulary
from therapy_timer.protocol import SKIN_REST, Event, Plan, build
from therapy_timer.settings import Config, Heat

DAY2 = local(2026, 11, 24, 9, 0)
QUICK = Config(heat=Heat(back_to_cold_hours=1))  # cold for an hour after a switch: two switches in a day
INJURED = DAY2 - timedelta(hours=26)  # cold until 11:00 on the 25th


def keys(timeline, kind=None):
    return [s.key for s in timeline.sessions if kind in (None, s.kind)]


def test_a_late_try_heat_again_keeps_the_ice_sessions_that_were_done():
    """Two switches put heat on hold; two ice sessions were done at 19:15 and 21:15; then try-heat-again
    is reported for 18:00. The two ice sessions stay (facts); heat is worked out around them."""
    injured = local(2026, 11, 21, 9, 0)  # heat phase by the 24th
    first = build(QUICK, Plan(injured, DAY2), [], DAY2 + 12 * H, BERLIN)
    heat = [s.start for s in of(first, "heat")]
    worse = [Event(heat[0] + 5 * M, "heat-worse")]
    second = build(QUICK, Plan(injured, DAY2), worse, DAY2 + 12 * H, BERLIN)
    again = next(s.start for s in of(second, "heat") if s.start > worse[0].at)
    worse.append(Event(again + 5 * M, "heat-no-help"))  # the second switch: heat waits for the user's word
    before = build(QUICK, Plan(injured, DAY2), worse, DAY2 + 2 * protocol.MARGIN, BERLIN)
    assert before.phase_at(local(2026, 11, 24, 18, 0)).on_hold
    ice = [s for s in of(before, "ice") if local(2026, 11, 24, 18, 30) <= s.start < local(2026, 11, 24, 22, 0)][:2]
    done = [Event(s.end, "done", session=s.key) for s in ice]
    assert len(done) == 2
    later = [*worse, *done, Event(local(2026, 11, 24, 18, 0), vocabulary.TRY_HEAT)]
    facts = [e.session for e in done]
    after = build(QUICK, Plan(injured, DAY2), later, DAY2 + 2 * protocol.MARGIN, BERLIN, facts)
    assert [s for s in after.sessions if s.key in facts] == ice  # kind, times and keys as they were
    without = build(QUICK, Plan(injured, DAY2), later, DAY2 + 2 * protocol.MARGIN, BERLIN)
    assert not set(facts) <= set(keys(without))  # without the facts pinned, the late report erased them
    treatments = [s for s in after.sessions if s.kind != "walk"]
    for a, b in itertools.pairwise(treatments):
        assert b.start - a.end >= SKIN_REST, (a, b)


def test_a_backdated_heat_worse_annotates_a_heat_session_done_and_keeps_it():
    injured = local(2026, 11, 21, 9, 0)
    first = build(Config(), Plan(injured, DAY2), [], DAY2 + H * 30, BERLIN)
    heat = of(first, "heat")[:2]
    done = [Event(s.end, "done", session=s.key) for s in heat]
    worse = Event(heat[0].start + 5 * M, "heat-worse")
    after = build(Config(), Plan(injured, DAY2), [*done, worse], DAY2 + H * 30, BERLIN, [e.session for e in done])
    kept = {s.key: s for s in after.sessions}
    assert heat[1].key in kept and kept[heat[1].key].kind == "heat"  # the later heat, done, stays heat
    cut = kept[heat[0].key]
    assert cut.cut_short and cut.end == worse.at and cut.start == heat[0].start  # annotated, not erased


def test_a_snooze_moves_the_session_its_off_reminder_walks_and_the_next_ice():
    plan = Plan(DAY2 - 30 * M, DAY2 - 30 * M)  # started 08:30: ice now, and again at 10:30
    first = build(Config(), plan, [], DAY2 + 6 * H, BERLIN)
    ice = of(first, "ice")[1]
    snooze = Event(ice.start + 2 * M, "snooze", ice.key, 30, f"{ice.key}/on")
    moved = build(Config(), plan, [snooze], DAY2 + 6 * H, BERLIN)
    again = next(s for s in moved.sessions if s.key == ice.key)
    assert (again.start, again.end, again.planned_start) == (ice.start + 32 * M, ice.end + 32 * M, ice.start)
    for walk in of(moved, "walk"):
        assert walk.end <= again.start or walk.start >= again.end  # never in the middle of the moved ice
    due = reminders.build(Config(), moved, [snooze], plan.started_at, DAY2 + 6 * H)
    mine = [(r.key.rsplit("/", 1)[-1], r.due) for r in due if r.session == ice.key]
    assert mine[0] == ("on", ice.start) and mine[1][1] == again.start and ("off", again.end) in mine


def test_heat_worse_during_a_snoozed_heat_session_stops_it_at_once():
    plan = Plan(INJURED - 2 * H * 24, DAY2)  # heat phase
    first = build(Config(), plan, [], DAY2 + 8 * H, BERLIN)
    heat = of(first, "heat")[0]
    snooze = Event(heat.start + M, "snooze", heat.key, 10, f"{heat.key}/on")
    worse = Event(heat.start + 13 * M, "heat-worse")  # the heat went on at the snooze's end, 11 min in
    events = [snooze, worse]
    timeline = build(Config(), plan, events, DAY2 + 8 * H, BERLIN)
    cut = next(s for s in timeline.sessions if s.key == heat.key)
    assert cut.cut_short and cut.end == worse.at
    stop = next(r for r in reminders.build(Config(), timeline, events, DAY2, DAY2 + 8 * H) if r.key.endswith("/stop"))
    assert stop.due == worse.at  # at once, not when a snooze ends
    ice = next(s for s in of(timeline, "ice") if s.start >= worse.at)
    minutes = round((ice.start - worse.at) / M)
    assert f"ice follows in about {minutes} minutes" in stop.body


def test_the_skin_rests_after_what_came_off_before_the_plan_and_the_start_stays():
    off = DAY2 - 5 * M
    plan = Plan(DAY2 - 3 * H, DAY2, skin_off=off)
    timeline = build(Config(), plan, [], DAY2 + 6 * H, BERLIN)
    first = next(s for s in timeline.sessions if s.kind != "walk")
    assert first.start == off + SKIN_REST and timeline.phases[0].start == DAY2


def test_heat_comes_back_with_its_first_session_in_every_answer():
    """Cold ends at 01:40 in the night: heat is back at 07:00, its first session, and the phase, the
    switch's answer and try-heat's answer all say 07:00."""
    injured = local(2026, 11, 22, 1, 40)
    timeline = build(Config(), Plan(injured, injured), [], injured + 3 * 24 * H, BERLIN)
    heat = of(timeline, "heat")[0]
    assert hhmm(heat.start) == "Tue 07:00"
    assert timeline.phases[0].end == timeline.phases[1].start == heat.start
    assert timeline.heat_returns(injured + 24 * H) == heat.start
    refused = protocol.try_heat(Config(), Plan(injured, injured), [], injured + 24 * H, BERLIN)
    assert not refused.accepted and refused.heat_again_at == heat.start


def test_after_a_switch_heat_is_tried_again_from_its_first_planned_session():
    injured = local(2026, 11, 20, 9, 0)
    plan = Plan(injured, DAY2)
    at = local(2026, 11, 24, 13, 5)
    result = protocol.switch(Config(), plan, [], "heat-no-help", at, BERLIN)
    timeline = build(Config(), plan, [Event(at, "heat-no-help")], at + 3 * 24 * H, BERLIN)
    first_heat = next(s for s in of(timeline, "heat") if s.start > at)
    assert result.heat_again_at == first_heat.start == timeline.heat_returns(at)


def test_done_answers_the_take_it_off_reminder_in_front_not_the_walk_that_began():
    plan = Plan(DAY2 - 3 * H, DAY2)
    timeline = build(Config(), plan, [], DAY2 + 6 * H, BERLIN)
    ice = of(timeline, "ice")[0]
    walk = Event(ice.end + 25 * M, "x")  # a moment when a walk may have begun and "Ice off" still shows
    fake_walk = protocol.Session("walk", ice.end + 24 * M, ice.end + 29 * M, purpose="rest", planned_minutes=5)
    with_walk = timeline._replace(sessions=sorted([*timeline.sessions, fake_walk], key=lambda s: s.start))
    due = reminders.build(Config(), with_walk, [], DAY2 - H, walk.at)
    shown = reminders.answer_in_front(due, walk.at)
    assert shown is not None and shown.session == ice.key and shown.sticky


def test_heat_from_is_the_same_in_every_window_however_short():
    """Found by a newcomer: `plan --hours 24` said cold until 18:30 while `status` said heat from 19:00;
    after a switch, a short window invented a heat phase at the window's end."""
    injured = local(2026, 11, 23, 18, 30)
    plan = Plan(injured, DAY2)
    full = build(Config(), plan, [], DAY2 + 4 * 24 * H, BERLIN)
    first_heat = of(full, "heat")[0].start
    for hours in (1, 6, 24, 30, 33, 34, 37, 38, 60):
        short = build(Config(), plan, [], DAY2 + hours * H, BERLIN)
        assert short.phases[0].end == first_heat, hours
        assert all(p.start < DAY2 + hours * H for p in short.phases)
    switched = [Event(local(2026, 11, 27, 5, 2), "heat-no-help")]
    late = Plan(local(2026, 11, 21, 9, 0), local(2026, 11, 27, 5, 0))
    returns = build(Config(), late, switched, late.started_at + 4 * 24 * H, BERLIN).heat_returns(switched[0].at)
    for hours in (1, 12, 24, 30):
        short = build(Config(), late, switched, late.started_at + hours * H, BERLIN)
        cold = next(p for p in short.phases if p.reason == "heat-no-help")
        assert cold.end == returns, hours
