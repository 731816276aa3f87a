"""The daily warning-sign check-in: its schedule (pure), and the daemon that fires it and hears its buttons.

The schedule is `checkin.build`, a function of the settings, the plan, its sessions and the moments a
check was answered; the daemon runs on a hand clock and a stepping scheduler, and the recorder plays
the notification server and a person pressing "None of these" or "One of these is new".
`test_desktop.py` presses "None of these" on a real dunst.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from tests.helpers import BERLIN, T0, HandClock, new_plan, stepping_daemon
from therapy_timer import checkin, protocol, push, reminders, signs, usecases, wording
from therapy_timer import settings as settings_module
from therapy_timer.protocol import Event, Plan, SettingsOverTime
from therapy_timer.settings import Config
from therapy_timer.store import Store


def november(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of late November 2026 in Berlin, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN).astimezone(timezone.utc)


DEFAULTS = Config()
PLAN = Plan(T0, T0)


def with_settings(**sections: dict[str, object]) -> Config:
    return settings_module.from_plain(sections, Config())


def checkins(
    cfg: Config = DEFAULTS,
    plan: Plan = PLAN,
    events: list[Event] | None = None,
    answers: tuple[datetime, ...] = (),
    since: datetime = T0 - timedelta(hours=12),
    until: datetime = T0 + timedelta(days=3),
) -> list[reminders.Reminder]:
    settings = SettingsOverTime(cfg)
    events = events or []
    timeline = protocol.build(settings, plan, events, until + timedelta(days=1), BERLIN)
    return checkin.build(settings, plan, timeline, events, list(answers), since, until, BERLIN)


def schedule(found: list[reminders.Reminder]) -> list[tuple[str, str]]:
    return [(r.key, f"{r.due.astimezone(BERLIN):%d %H:%M}") for r in found]


# The schedule -----------------------------------------------------------------------------------------


def test_once_a_day_half_an_hour_after_the_night_ends_then_once_more_two_hours_later():
    found = checkins(until=november(26, 12))
    assert schedule(found) == [
        ("checkin@2026-11-25/on", "25 07:30"),
        ("checkin@2026-11-25/again", "25 09:30"),
        ("checkin@2026-11-26/on", "26 07:30"),
        ("checkin@2026-11-26/again", "26 09:30"),
    ]
    first = found[0]
    assert first.buttons == ("check-none", "check-new") and not first.sticky and first.what == "check"
    assert first.session == "checkin@2026-11-25" and first.relevant_until == november(25, 9, 30)
    assert found[1].relevant_until == november(25, 11, 30)


def test_none_on_the_day_the_start_screening_was_answered():
    early = Plan(november(24, 6), november(24, 6))  # started (and screened) in the night's quiet period
    assert schedule(checkins(plan=early, until=november(25, 12)))[:1] == [("checkin@2026-11-24/on", "24 07:30")]
    screened = checkins(plan=early, answers=(november(24, 6),), until=november(25, 12))
    assert [r.key for r in screened] == ["checkin@2026-11-25/on", "checkin@2026-11-25/again"]


def test_the_screening_of_the_evening_before_does_not_answer_the_next_morning():
    evening = Plan(november(24, 20), november(24, 20))
    found = checkins(plan=evening, answers=(november(24, 20),), until=november(25, 12))
    assert [r.key for r in found] == ["checkin@2026-11-25/on", "checkin@2026-11-25/again"]


def test_a_plan_started_after_the_mornings_check_in_gets_its_first_the_next_day():
    assert schedule(checkins(until=november(25, 8)))[0] == ("checkin@2026-11-25/on", "25 07:30")
    assert [r for r in checkins(until=november(25, 7)) if r.key.startswith("checkin@2026-11-24")] == []


def test_quiet_hours_across_midnight_set_the_morning():
    late = with_settings(quiet_hours={"periods": ["23:30-08:15"]})
    assert schedule(checkins(late, until=november(25, 12)))[:2] == [
        ("checkin@2026-11-25/on", "25 08:45"),
        ("checkin@2026-11-25/again", "25 10:45"),
    ]
    night_and_nap = with_settings(quiet_hours={"periods": ["22:00-07:00", "13:00-14:00"]})
    assert schedule(checkins(night_and_nap, until=november(25, 12)))[0] == ("checkin@2026-11-25/on", "25 07:30")
    after_midnight = with_settings(quiet_hours={"periods": ["01:00-09:00"]})
    assert schedule(checkins(after_midnight, until=november(25, 12)))[0] == ("checkin@2026-11-24/on", "24 09:30")


def test_the_night_is_the_longest_quiet_period_and_periods_that_touch_are_one():
    touching = with_settings(quiet_hours={"periods": ["22:00-02:00", "02:00-06:30", "12:00-15:00"]})
    assert schedule(checkins(touching, until=november(25, 12)))[0] == ("checkin@2026-11-25/on", "25 07:00")
    none = with_settings(quiet_hours={"periods": []})
    assert schedule(checkins(none, until=november(25, 12)))[0] == ("checkin@2026-11-25/on", "25 07:30")


def test_never_inside_a_quiet_period_the_repeat_waits_for_the_nap_to_end():
    nap = with_settings(quiet_hours={"periods": ["22:00-07:00", "09:00-10:00"]})
    found = checkins(nap, until=november(25, 12))
    again = next(r for r in found if r.key == "checkin@2026-11-25/again")
    assert november(25, 10) <= again.due < november(25, 10, 5)
    for cfg in (nap, with_settings(quiet_hours={"periods": ["23:30-08:15", "10:00-10:45"]})):
        for r in checkins(cfg, until=november(30, 0)):
            assert not protocol.in_quiet_hours(r.due, cfg.quiet_hours.periods, BERLIN), r
            quiet = protocol.quiet_spans(r.due, r.relevant_until, cfg.quiet_hours.periods, BERLIN)
            assert all(begin >= r.relevant_until for begin, _ in quiet), r  # a late one never fires into the night


def test_a_repeat_the_night_would_push_into_the_next_day_does_not_come():
    short_day = with_settings(quiet_hours={"periods": ["09:00-07:00"]})  # awake 07:00-09:00 only
    found = checkins(short_day, until=november(25, 23))
    assert [r.key for r in found if "2026-11-25" in r.key] == ["checkin@2026-11-25/on"]
    assert found[0].relevant_until == november(25, 9)  # not into the quiet period, even after downtime


def test_a_clash_with_an_ice_reminder_moves_it_to_the_next_free_minute():
    # 20-minute ice from 07:00 (the first after the night): off at 07:20, repeated at 07:25 and 07:30
    long_ice = with_settings(cold={"minutes": 20})
    ice = [r.due for r in reminders.for_plan(long_ice, Plan(T0, T0), [], november(25, 7), november(25, 8), BERLIN)]
    assert november(25, 7, 30) in ice and november(25, 7, 31) not in ice
    assert schedule(checkins(long_ice, until=november(25, 8)))[0] == ("checkin@2026-11-25/on", "25 07:31")


def test_once_the_ice_is_answered_its_repeats_are_no_clash():
    long_ice = with_settings(cold={"minutes": 20})
    done = Event(november(25, 7, 21), "done", protocol.session_key("ice", november(25, 7)))
    assert schedule(checkins(long_ice, events=[done], until=november(25, 8)))[0] == (
        "checkin@2026-11-25/on",
        "25 07:30",
    )


def test_a_clash_with_a_heat_reminder_moves_it_too():
    heat_day = Plan(november(21, 9), november(21, 9))  # injured three days before: moist heat every 4 hours
    heat = with_settings(heat={"minutes": 20}, reminders={"repeat_times": 2})
    due = [r.due for r in reminders.for_plan(heat, heat_day, [], november(25, 7), november(25, 8), BERLIN)]
    assert november(25, 7, 30) in due  # the heat from 07:00 is off at 07:20, repeated at 07:25 and 07:30
    found = checkins(heat, plan=heat_day, since=november(25, 0), until=november(25, 8))
    assert schedule(found) == [("checkin@2026-11-25/on", "25 07:31")]


def test_answered_before_the_repeat_it_does_not_come_and_the_first_matters_only_until_then():
    found = checkins(answers=(november(25, 8),), until=november(25, 12))
    assert [r.key for r in found] == ["checkin@2026-11-25/on"]
    assert found[0].relevant_until == november(25, 8)
    late = checkins(answers=(november(25, 10),), until=november(25, 12))
    assert [r.key for r in late] == ["checkin@2026-11-25/on", "checkin@2026-11-25/again"]
    assert late[1].relevant_until == november(25, 10)
    early = checkins(answers=(november(25, 6),), until=november(25, 12))  # `check` typed before it was due
    assert early == []


def test_no_plan_no_check_in():
    ended = Plan(T0, T0, ended_at=november(25, 7))
    assert checkins(plan=ended, until=november(27, 12)) == []
    ends_between = Plan(T0, T0, ended_at=november(25, 8))
    assert [r.key for r in checkins(plan=ends_between, until=november(27, 12))] == ["checkin@2026-11-25/on"]
    later = Plan(november(27, 9), november(27, 9))
    assert checkins(plan=later, until=november(27, 12)) == []


def test_the_keys_and_times_do_not_depend_on_the_window():
    whole = checkins(since=T0, until=november(28, 0))
    pieces = [
        r
        for day in range(24, 28)
        for r in checkins(since=november(day, 0), until=november(day + 1, 0) - timedelta(seconds=1))
    ]
    assert schedule(whole) == schedule(pieces)


def test_for_plan_works_the_sessions_out_first():
    assert checkin.for_plan(DEFAULTS, PLAN, [], [], T0, november(27, 0), BERLIN) == checkins(
        since=T0, until=november(27, 0)
    )


def test_a_key_names_its_day():
    assert checkin.session_key(date(2026, 11, 25)) == "checkin@2026-11-25"
    assert checkin.parse_key("checkin@2026-11-25/again") == date(2026, 11, 25)
    assert checkin.parse_key("ice@2026-11-25T06:00:00Z") is None and checkin.parse_key("checkin@someday") is None
    assert protocol.parse_key("checkin@2026-11-25") is None  # never read as a session


def test_the_night_ends_where_the_zone_says_across_a_clock_change():
    # 25 October 2026: Berlin's clocks go back at 03:00; the night still ends at 07:00 local
    assert checkin.night_ends(date(2026, 10, 25), Config().quiet_hours.periods, BERLIN).astimezone(
        BERLIN
    ).time() == time(7)


# The words ------------------------------------------------------------------------------------------------


def test_it_names_the_emergency_and_urgent_signs_and_where_there_are_no_buttons_the_command():
    first = checkins(until=november(25, 8))[0]
    for words in ("chest pain", "breathlessness", "tearing", "fainting", "between the legs", "bladder", "foot"):
        assert words in first.body.lower()
    assert [wording.BUTTONS[key].label for key in first.buttons] == ["None of these", "One of these is new"]
    assert "therapy-timer check" in first.typed and "`" not in first.typed


def test_the_list_has_every_emergency_and_urgent_sign_with_its_own_advice_and_how_to_log_it(tmp_path):
    store = Store(tmp_path / "data")
    deps = usecases.Deps(store, T0, BERLIN, with_settings(advice={"emergency_number": "999"}))
    shown = usecases.checkin_list(deps)
    serious = [s for s in signs.SIGNS if s.level in signs.SERIOUS]
    assert {s.name for s in serious} <= wording.CHECKIN_WORDS.keys()
    assert all(f"({s.name})" in shown.body for s in serious)
    assert "Call the emergency number now (999)" in shown.body and "Go to an emergency department now" in shown.body
    assert shown.body.index("(chest-pain)") < shown.body.index("999") < shown.body.index("(saddle)")
    assert "therapy-timer check --sign NAME" in shown.body and "log symptom --sign NAME" in shown.body
    store.close()


def test_a_generic_push_says_only_that_a_daily_check_is_due():
    first = checkins(until=november(25, 8))[0]
    said = push.message(first, "generic")
    assert (said.title, said.body) == ("Reminder", "A daily check is due.")
    full = push.message(first, "full")
    assert full.title == first.title and "therapy-timer check" in full.body


def test_a_sign_named_prefix_is_the_one_signs_uses():
    assert usecases.checkin_answers([]) == []
    assert signs.record_text(signs.BY_NAME["saddle"], "").startswith(signs.NAMED_PREFIX)


# The daemon ----------------------------------------------------------------------------------------------


def checks(store: Store) -> list[tuple[str | None, str | None]]:
    return [(e.text, e.source) for e in store.events() if e.kind == "check"]


def check_in_notes(recorder) -> list:
    return [n for n in recorder.notes if n.buttons == checkin.BUTTONS]


def test_the_daemon_fires_the_check_in_and_none_of_these_pressed_is_recorded_as_a_check(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(november(25, 7, 30))
        (note,) = check_in_notes(p.recorder)
        assert note.title == "Daily check: any of these new?" and p.recorder.titles[-1] == note.title
        assert "therapy-timer check" in note.plain
        p.recorder.press(note.title, "check-none")
        p.scheduler.step()
        assert checks(p.daemon.store) == [("none", "notification")]
        assert any("none of the warning signs is new" in line for line in p.logged)
        p.scheduler.run_until(november(25, 12))
        assert len(check_in_notes(p.recorder)) == 1  # no repeat after the answer
        assert note.title not in [n.title for n in p.recorder.on_screen.values()]
        fired = {r.key: r.outcome for r in p.daemon.store.reminders(1)}
        assert fired["checkin@2026-11-25/on"] == "fired" and "checkin@2026-11-25/again" not in fired


def test_unanswered_it_repeats_once_in_the_same_place(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(november(25, 13))
        first, again = check_in_notes(p.recorder)
        assert again.title == "Daily check, still open: any of these new?"
        assert p.recorder.ids[p.recorder.notes.index(again)] == p.recorder.ids[p.recorder.notes.index(first)]
        assert p.daemon.store.reminders(1)[-1].fired_at is not None
        assert checks(p.daemon.store) == []


def test_one_of_these_is_new_shows_the_signs_with_the_number_set_and_records_nothing(isolated, config_file):
    config_file.write_text('[advice]\nemergency_number = "999"\n')
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(november(25, 7, 30))
        p.recorder.press("Daily check: any of these new?", "check-new")
        p.scheduler.step()
        shown = p.recorder.notes[-1]
        assert shown.title == "Warning signs: what to do" and "(999)" in shown.body
        assert "therapy-timer check --sign NAME" in shown.body and shown.buttons == ()
        assert checks(p.daemon.store) == []  # which one is not said yet: nothing to record
        p.scheduler.run_until(november(25, 9, 30))  # still open: it asks again
        assert p.recorder.titles[-1] == "Daily check, still open: any of these new?"


def test_a_check_typed_on_the_command_line_closes_the_check_in(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(november(25, 7, 40))
        shown = [i for i, n in p.recorder.on_screen.items() if n.buttons == checkin.BUTTONS]
        assert shown
        deps = usecases.Deps(p.daemon.store, clock.now(), BERLIN, Config())
        usecases.check(deps, ["fever"])  # `check --sign fever`
        p.daemon.poke()
        p.scheduler.step()
        assert shown[0] in p.recorder.closed
        p.scheduler.run_until(november(25, 12))
        assert len(check_in_notes(p.recorder)) == 1


def test_none_of_these_on_a_day_already_answered_changes_nothing_and_says_so(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(november(25, 7, 30))
        note_id = next(i for i, n in p.recorder.on_screen.items() if n.buttons == checkin.BUTTONS)
        usecases.check(usecases.Deps(p.daemon.store, clock.now(), BERLIN, Config()), [])
        from therapy_timer.notify.dbus import ServerEvent

        p.recorder.listener(ServerEvent("pressed", note_id, action="check-none"))  # pressed before it closed
        p.scheduler.step()
        assert checks(p.daemon.store) == [("none", "command")]
        assert p.recorder.titles[-1] == "Nothing changed" and "answered already" in p.recorder.sent[-1][1]


def test_the_daemon_fires_none_on_the_day_the_start_screening_was_answered(isolated):
    new_plan(isolated, started=november(24, 6), screened=True)
    with stepping_daemon(isolated, HandClock(november(24, 6))) as p:
        p.scheduler.run_until(november(25, 7, 30))
        keys = [r.key for r in p.daemon.store.reminders(1) if r.key.startswith("checkin@")]
        assert keys == ["checkin@2026-11-25/on"]


@pytest.mark.parametrize("level_name", ["chest-pain", "saddle"])
def test_a_serious_sign_logged_by_name_answers_the_day(level_name):
    logged = [
        _logged("symptom", november(25, 8), signs.record_text(signs.BY_NAME[level_name], "")),
        _logged("symptom", november(25, 8), signs.record_text(signs.BY_NAME["heat-burn"], "")),
        _logged("symptom", november(25, 8), "my leg is weak"),
    ]
    assert usecases.checkin_answers(logged) == [november(25, 8)]


def _logged(kind: str, at: datetime, text: str):
    from therapy_timer.store import LoggedEvent

    return LoggedEvent(1, 1, at, kind, None, text, None, None, at)
