"""Reminder times and texts: on/off, repeats until answered, snooze, switch and doctor advice."""

from __future__ import annotations

from datetime import timedelta

from tests.helpers import BERLIN, M, local
from therapy_timer.protocol import SKIN_REST, Event, Plan, build
from therapy_timer.reminders import build as reminders_for
from therapy_timer.reminders import in_front, snooze, triage
from therapy_timer.settings import Config, Reminders

DEFAULTS = Config()


def setup(events=(), config=DEFAULTS, hours=6):
    injured = local(2026, 11, 24, 9, 0)
    timeline = build(config, Plan(injured, injured), list(events), injured + timedelta(hours=hours), BERLIN)
    return (
        injured,
        timeline,
        reminders_for(config, timeline, list(events), injured - timedelta(hours=1), injured + timedelta(hours=hours)),
    )


def test_each_ice_session_has_on_off_and_two_repeats():
    injured, timeline, reminders = setup()
    first = [r for r in reminders if r.session == timeline.sessions[0].key]
    assert [(r.due - injured) / M for r in first] == [0, 15, 20, 25]
    assert [r.title for r in first] == [
        "Ice on now",
        "Ice off now",
        "Is the ice still on? Take it off now",
        "Is the ice still on? Take it off now",
    ]
    assert [r.sticky for r in first] == [False, True, True, True]
    assert "towel" in first[0].body


def test_done_answers_the_session_so_none_of_its_reminders_is_due_after_it():
    injured, timeline, _ = setup()
    key = timeline.sessions[0].key
    _, _, reminders = setup([Event(injured + 16 * M, "done", session=key)])
    mine = [r for r in reminders if r.session == key]
    assert [(r.due - injured) / M for r in mine] == [0, 15]  # what fell due before the answer, as history
    assert all(r.relevant_until <= injured + 16 * M for r in mine)  # and never fired late after it
    fire, missed = triage(mine, injured + 17 * M)
    assert fire == [] and missed == mine


def test_repeats_are_configurable():
    config = Config(reminders=Reminders(repeat_after_minutes=3, repeat_times=0))
    injured, timeline, reminders = setup(config=config)
    assert [(r.due - injured) / M for r in reminders if r.session == timeline.sessions[0].key] == [0, 15]


def test_snooze_moves_the_current_reminder_and_the_rest_of_its_session():
    injured, timeline, _ = setup()
    key = timeline.sessions[0].key
    _, moved, reminders = setup([Event(injured + 2 * M, "snooze", key, 10, f"{key}/on")])
    assert (moved.sessions[0].key, moved.sessions[0].start) == (key, injured + 12 * M)  # the session moved
    assert [((r.due - injured) / M, r.title) for r in reminders if r.session == key][:3] == [
        (0, "Ice on now"),
        (12, "Again: ice on now"),
        (27, "Ice off now"),
    ]


def test_a_take_it_off_reminder_is_never_snoozed():
    injured, _, reminders = setup()
    target = in_front(reminders, injured + 16 * M)
    assert target.sticky
    _, _, after = setup([Event(injured + 16 * M, "snooze", minutes=10)])
    assert after == reminders


def two_switches(second_kind):
    """A plan in heat, switched back to cold twice: both during a heat session (5 minutes in)."""
    config = Config()
    injured = local(2026, 11, 20, 9, 0)
    start = local(2026, 11, 23, 9, 0)
    first = start + 5 * M
    once = build(config, Plan(injured, start), [Event(first, "heat-worse")], start + timedelta(days=2), BERLIN)
    again = next(s for s in once.sessions if s.kind == "heat" and s.opens == "heat-again")
    second = again.start + 5 * M
    events = [Event(first, "heat-worse"), Event(second, second_kind)]
    timeline = build(config, Plan(injured, start), events, start + timedelta(days=2), BERLIN)
    return (first, second), timeline, reminders_for(config, timeline, events, start, start + timedelta(days=2))


def test_heat_worse_says_stop_the_heat_at_once_then_ice_once_the_skin_settled_and_counts_the_switches():
    (first, second), _, reminders = two_switches("heat-worse")
    stops = [r for r in reminders if r.title == "Stop the heat now"]
    assert [r.due for r in stops] == [first, second] and all(r.sticky for r in stops)
    backs = [r for r in reminders if r.title == "Back to cold: ice on now"]
    assert [r.due for r in backs] == [first + SKIN_REST, second + SKIN_REST]  # the skin settles first
    assert "doctor" not in backs[0].body
    assert "not worked twice" in backs[1].body and "doctor or physical therapist" in backs[1].body


def test_a_second_switch_by_heat_no_help_also_advises_a_doctor():
    _, _, reminders = two_switches("heat-no-help")
    back = [r for r in reminders if r.title == "Back to cold: ice on now"]
    assert len(back) == 2 and "doctor or physical therapist" in back[1].body


# Rule 6: an answered session's reminders never fire; snooze only what is in front of the user.


def test_a_snoozed_reminder_does_not_fire_after_done():
    injured, timeline, _ = setup()
    key = timeline.sessions[0].key
    events = [
        Event(injured + 2 * M, "snooze", minutes=10, text=f"{key}/on"),
        Event(injured + 4 * M, "done", session=key),
    ]
    _, _, reminders = setup(events)
    assert not [r for r in reminders if r.session == key and r.due > injured + 4 * M]


def test_snooze_with_nothing_in_front_of_the_user_is_refused_and_take_it_off_cannot_be_snoozed():
    injured, _, reminders = setup()
    assert snooze(reminders, injured + 60 * M, 10).refused == "nothing"  # between sessions
    assert snooze(reminders, injured + 16 * M, 10).refused == "take-off"
    decision = snooze(reminders, injured + 2 * M, 10)
    assert decision.refused is None and decision.target.title == "Ice on now"
    assert decision.again_at == injured + 12 * M


def test_stop_the_heat_cannot_be_snoozed():
    (first, _), _, reminders = two_switches("heat-worse")
    decision = snooze(reminders, first + M, 5)
    assert decision.refused == "take-off" and decision.target.title == "Stop the heat now"


# Rule 7: a late "on" reminder says what is left, or is missed when too little is.


def test_a_late_on_reminder_says_how_long_is_left_or_is_missed():
    injured, _, reminders = setup()
    on = reminders[0]
    fire, missed = triage([on], injured + 5 * M)
    assert missed == [] and "10 minutes left" in fire[0].body and fire[0].key == on.key
    fire, missed = triage([on], injured + 14 * M)
    assert fire == [] and missed == [on]
    fire, _ = triage([on], injured + timedelta(seconds=20))  # on time: the planned length
    assert "for 15 minutes" in fire[0].body


def test_repeats_never_reach_into_the_next_session():
    config = Config(reminders=Reminders(repeat_after_minutes=30, repeat_times=5))
    _injured, timeline, reminders = setup(config=config)
    first, second = [s for s in timeline.sessions if s.kind == "ice"][:2]
    assert max(r.due for r in reminders if r.session == first.key) < second.start


def test_snoozing_again_and_again_never_reaches_into_the_next_session():
    injured, timeline, _ = setup()
    first, second = [s for s in timeline.sessions if s.kind == "ice"][:2]
    events = []
    for minute in (2, 63):  # "Ice on now" at 09:00, snoozed to 10:02, snoozed again to 11:03
        _, _, due = setup(events)
        decision = snooze(due, injured + minute * M, 60)
        assert decision.refused is None
        events.append(Event(injured + minute * M, "snooze", decision.target.session, 60, decision.target.key))
    _, moved, reminders = setup(events)
    first, second = [s for s in moved.sessions if s.kind == "ice"][:2]  # the snoozes moved the first ice
    assert first.start == injured + 123 * M and second.start >= first.end + SKIN_REST
    assert max(r.due for r in reminders if r.session == first.key) < second.start


def test_repeats_stop_before_a_snoozed_next_session_s_first_reminder():
    """Found by the property test: with ice every hour and repeats every 16 minutes, the next session
    snoozed by a minute moved its start, but its first "on" came as planned, in the same minute as
    the last "ice off" repeat. Repeats stop before the next session's first reminder."""
    from therapy_timer.settings import Cold

    config = Config(cold=Cold(every_hours=1, minutes=12), reminders=Reminders(repeat_after_minutes=16, repeat_times=3))
    _, timeline, _ = setup(config=config)
    first, second = [s for s in timeline.sessions if s.kind == "ice"][:2]
    snoozed = Event(second.start + 0 * M, "snooze", second.key, 1, f"{second.key}/on")
    _, _, due = setup([snoozed], config=config)
    ons = {r.due for r in due if r.session == second.key and r.role == "on"}
    offs = {r.due for r in due if r.session == first.key and r.role == "off"}
    assert second.start in ons and not ons & offs and max(offs) < second.start
