"""Reminder times and texts: on/off, repeats until answered, snooze, switch and doctor advice."""

from __future__ import annotations

from datetime import timedelta

from tests.test_protocol import BERLIN, local
from therapy_timer.config import Config, Reminders
from therapy_timer.protocol import Event, Plan, build
from therapy_timer.reminders import build as reminders_for
from therapy_timer.reminders import snooze_target

M = timedelta(minutes=1)


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


def test_done_stops_the_repeats():
    injured, timeline, _ = setup()
    key = timeline.sessions[0].key
    _, _, reminders = setup([Event(injured + 16 * M, "done", session=key)])
    assert [(r.due - injured) / M for r in reminders if r.session == key] == [0, 15]


def test_repeats_are_configurable():
    config = Config(reminders=Reminders(repeat_after_minutes=3, repeat_times=0))
    injured, timeline, reminders = setup(config=config)
    assert [(r.due - injured) / M for r in reminders if r.session == timeline.sessions[0].key] == [0, 15]


def test_snooze_moves_the_current_reminder_and_the_rest_of_its_session():
    injured, timeline, _ = setup()
    key = timeline.sessions[0].key
    _, _, reminders = setup([Event(injured + 2 * M, "snooze", minutes=10)])
    assert [((r.due - injured) / M, r.title) for r in reminders if r.session == key][:3] == [
        (0, "Ice on now"),
        (12, "Again: ice on now"),
        (27, "Ice off now"),
    ]


def test_a_take_it_off_reminder_is_never_snoozed():
    injured, _, reminders = setup()
    target = snooze_target(reminders, injured + 16 * M)
    assert target.sticky
    _, _, after = setup([Event(injured + 16 * M, "snooze", minutes=10)])
    assert after == reminders


def two_switches(second_kind):
    """A plan in heat, switched back to cold twice (heat is tried again after 24 h in between)."""
    config = Config()
    injured = local(2026, 11, 20, 9, 0)
    start = local(2026, 11, 23, 9, 0)
    first, second = start + 5 * M, start + timedelta(hours=27, minutes=5)
    events = [Event(first, "heat-worse"), Event(second, second_kind)]
    timeline = build(config, Plan(injured, start), events, start + timedelta(days=2), BERLIN)
    return (first, second), timeline, reminders_for(config, timeline, events, start, start + timedelta(days=2))


def test_switch_reminder_tells_to_stop_heat_and_second_one_advises_a_doctor():
    (first, second), timeline, reminders = two_switches("heat-worse")
    switched = [r for r in reminders if r.due in (first, second) and r.key.endswith("/on")]
    assert [r.title for r in switched] == ["Stop the heat now: ice on instead"] * 2
    assert "doctor" not in switched[0].body and "doctor or physical therapist" in switched[1].body
    assert not [r for r in reminders if r.session == timeline.sessions[0].key and r.key.endswith("/off")]  # cut short


def test_a_second_switch_by_heat_no_help_also_advises_a_doctor():
    _, _, reminders = two_switches("heat-no-help")
    back = [r for r in reminders if r.title == "Back to cold: ice on now"]
    assert back and "doctor or physical therapist" in back[0].body
