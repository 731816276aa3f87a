"""The unit-tier tests of `tests/daemon/test_daemon.py` (helpers shared in `tests/fixtures/daemon.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from tests.fixtures.daemon import end_plan
from tests.helpers import T0, HandClock, new_plan, stepping_daemon
from therapy_timer import daemon_client, signs
from therapy_timer.notify import NotifyError
from therapy_timer.store import Store


def test_a_tick_fires_what_is_due_and_plans_the_next_one_at_its_due_time(isolated):
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(seconds=0.3))
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()  # the first tick, asked for when the daemon opened
        assert p.recorder.titles == ["Ice on now"]
        assert p.scheduler.next_at() == T0 + timedelta(minutes=15)
        p.scheduler.step()
        assert p.recorder.sent[-1][0] == "Ice off now" and p.recorder.sent[-1][2] is True  # stays until dismissed
        record = p.daemon.store.reminders(1)
        assert [(r.outcome, r.backend) for r in record] == [("fired", "recorder")] * 2
        assert record[0].due_at == T0 and record[0].fired_at == T0 + timedelta(seconds=0.3)
        assert record[1].fired_at == record[1].due_at == T0 + timedelta(minutes=15)
        p.daemon.tick()
        assert len(p.recorder.sent) == 2  # nothing fires twice


def test_after_downtime_only_the_latest_relevant_reminder_fires_the_rest_are_recorded_missed(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0 + timedelta(minutes=17))) as p:
        p.scheduler.step()
        assert p.recorder.titles == ["Ice off now"]
        outcomes = {r.key.rsplit("/", 1)[1]: r.outcome for r in p.daemon.store.reminders(1)}
    assert outcomes == {"on": "missed", "off": "fired"}


def test_an_ice_off_reminder_hours_late_is_not_fired(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0 + timedelta(hours=2, minutes=5))) as p:
        p.scheduler.step()
        assert p.recorder.titles == ["Ice on now"]  # the 11:00 session, not 09:15's ice-off
        assert sum(r.outcome == "missed" for r in p.daemon.store.reminders(1)) >= 4


def test_a_restarted_daemon_continues_the_same_plan(isolated):
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(seconds=1))
    with stepping_daemon(isolated, clock) as first:
        first.scheduler.step()
    clock.advance(minutes=15)
    with stepping_daemon(isolated, clock) as second:  # as after a crash or reboot
        second.scheduler.step()
    assert first.recorder.titles == ["Ice on now"] and second.recorder.titles == ["Ice off now"]


def test_repeats_until_done_and_a_nudge_after_done_stops_them(isolated, run):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=20))
        assert p.recorder.titles == ["Ice on now", "Ice off now", "Is the ice still on? Take it off now"]
        with freeze_time(clock.now() + timedelta(minutes=1)):
            run("done")
        p.daemon.poke()  # what the command's nudge does
        p.scheduler.run_until(T0 + timedelta(minutes=40))
        assert len(p.recorder.sent) == 3
        assert p.scheduler.next_at() == T0 + timedelta(hours=2)  # the next ice session


def test_the_plan_runs_for_a_day_of_stepped_time(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(days=1))
        record = p.daemon.store.reminders(1)
    assert record and {r.outcome for r in record} == {"fired"}
    assert all(r.fired_at == r.due_at for r in record)  # stepped time: each one exactly on time
    assert len(p.recorder.sent) == len(record)


def test_any_number_of_nudges_cost_one_recompute(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        for _ in range(16_000):
            p.daemon.poke()
        assert len(p.scheduler.queue) == 1
        p.scheduler.step()
        p.daemon.poke()  # a nudge after that recompute began is a new one
        assert len(p.scheduler.queue) == 1


def test_a_nudge_while_a_tick_runs_is_not_lost(isolated, run):
    """The pending flag is cleared before the recompute reads the database."""
    new_plan(isolated, injured=T0 - timedelta(days=3))  # heat phase
    with stepping_daemon(isolated, HandClock(T0)) as p:
        real_tick = p.daemon._tick

        def tick_during_which_heat_gets_worse() -> None:
            with freeze_time(T0 + timedelta(seconds=1)):
                run("log", "heat-worse")
            p.daemon.poke()
            real_tick()

        p.daemon._tick = tick_during_which_heat_gets_worse
        p.scheduler.step()
        p.daemon._tick = real_tick
        p.scheduler.run_until(T0 + timedelta(seconds=2))
    assert p.recorder.titles[-1] == "Stop the heat now"


def test_desktop_failure_falls_back_to_the_terminal_says_so_once_and_recovers(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.recorder.failure = NotifyError("no server")
        p.scheduler.run_until(T0 + timedelta(minutes=20))
        assert [r.backend for r in p.daemon.store.reminders(1)] == ["terminal"] * 3
        assert sum("not reaching you" in line for line in p.logged) == 1
        assert sum(line.startswith(">>> ") for line in p.logged) == 3
        p.recorder.failure = None
        p.scheduler.step()
        assert p.recorder.titles == ["Is the ice still on? Take it off now"]
        assert any("work again" in line for line in p.logged)


def test_a_broken_config_keeps_the_last_good_one_and_says_why(isolated, config_file):
    config_file.write_text("[cold]\nminutes = 12\n")
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        config_file.write_text("[cold]\nminutes = 99\n")
        p.scheduler.step()
        assert p.scheduler.clock.now() == T0 + timedelta(minutes=12)
    assert p.recorder.titles == ["Ice on now", "therapy-timer settings problem", "Ice off now"]
    assert any("keep the previous settings" in line and "minutes = 99" in line for line in p.logged)


@pytest.mark.parametrize("first", ["good", "none"])
def test_a_config_that_breaks_the_parser_itself_keeps_the_last_good_settings(isolated, config_file, first):
    """A TOML array nested 5000 deep makes tomllib raise RecursionError, not a ConfigError."""
    if first == "good":
        config_file.write_text("[cold]\nminutes = 12\n")
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        config_file.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
        p.scheduler.step()
        p.scheduler.step()
        assert p.scheduler.clock.now() == T0 + timedelta(minutes=12 if first == "good" else 15)
    assert p.recorder.titles == ["therapy-timer settings problem", "Ice on now", "Ice off now"]
    assert any("nested too deeply" in line for line in p.logged)


def test_a_failing_tick_is_retried_even_when_logging_fails_too(isolated):
    """Logging raises and the record cannot be written: the retry is planned regardless."""
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        store = p.daemon.store
        real_record = store.record_reminder

        def disk_full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        store.record_reminder = disk_full
        p.logged.failure = OSError(28, "No space left on device")  # the log is on the same full disk
        p.scheduler.step()
        assert p.scheduler.next_at() == T0 + timedelta(seconds=5)
        p.scheduler.step()
        assert p.scheduler.next_at() == T0 + timedelta(seconds=15)  # backing off
        store.record_reminder = real_record  # space is back
        p.scheduler.step()
        assert [(r.key.rsplit("/")[-1], r.outcome) for r in store.reminders(1)] == [("on", "fired")]
        assert p.recorder.titles == ["Ice on now"]  # delivered once, recorded when the disk allowed
        assert p.scheduler.next_at() == T0 + timedelta(minutes=15)


def test_the_daemon_and_every_command_follow_the_zone_recorded_with_the_plan(isolated, run, monkeypatch):
    """Started in New York at 15:00. The daemon runs with TZ=Asia/Kolkata, where it is 01:30 and the
    next session (two hours on) would fall in quiet hours; `done` comes from a Kolkata shell too.
    Both follow the plan's zone, so they agree on the 17:00 session and its key."""
    at = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("TZ", "America/New_York")
    with freeze_time(at):
        run("start", "--no-daemon")
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    with stepping_daemon(isolated, HandClock(at), zone=ZoneInfo("Asia/Kolkata")) as p:
        p.scheduler.run_until(at + timedelta(minutes=15))
        with freeze_time(at + timedelta(minutes=16)):
            run("done")
        p.daemon.poke()
        p.scheduler.run_until(at + timedelta(hours=2, minutes=15))
        assert p.recorder.titles.count("Ice on now") == 2  # 15:00 and 17:00 in New York
        assert p.recorder.titles[-1] == "Ice off now"
        with freeze_time(at + timedelta(hours=2, minutes=16)):
            assert "Marked done: ice 17:00-17:15" in run("done").stdout
        sent = len(p.recorder.titles)
        p.daemon.poke()
        p.scheduler.run_until(at + timedelta(hours=2, minutes=40))
        assert len(p.recorder.titles) == sent  # the answer reached the daemon's session: no repeats


def test_a_plan_started_as_the_daemon_ends_is_carried_on_with(isolated):
    """Issue 21.1: `stop; start`. The daemon reads "no plan"; before it lets go of its lock the new
    `start` records its plan, sees the lock held and only nudges. The daemon must serve that plan."""
    new_plan(isolated)
    clock = HandClock(T0 + timedelta(seconds=1))
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        end_plan(isolated)  # `stop`
        release = p.daemon.lock.release

        def a_start_comes_first() -> None:  # `start`, between the daemon's read and its letting go
            assert daemon_client.is_running(isolated)  # so `start` would only nudge
            new_plan(isolated, injured=T0 + timedelta(minutes=2), started=T0 + timedelta(minutes=2))
            p.daemon.lock.release = release
            release()

        p.daemon.lock.release = a_start_comes_first
        clock.advance(minutes=2)
        p.daemon.poke()  # the nudge `stop` sent
        p.scheduler.step()
        assert not p.scheduler.stopped, "the daemon ended although a new plan had started"
        assert daemon_client.is_running(isolated)  # it took its lock back
        assert any("they carry on with it" in line for line in p.logged)
        assert p.recorder.titles[-2:] == ["Reminders stopped", "Ice on now"]  # the old plan's end, the new one's first
        assert p.daemon.store.reminders(2) != []


def test_a_plan_ended_for_good_ends_the_daemon_and_lets_go_of_its_lock(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0 + timedelta(seconds=1))) as p:
        p.scheduler.step()
        end_plan(isolated)
        p.daemon.poke()
        p.scheduler.step()
        assert p.scheduler.stopped and not daemon_client.is_running(isolated)
        assert p.recorder.titles[-1] == "Reminders stopped"


def test_a_daemon_that_a_newer_one_replaced_as_it_ended_leaves_the_plan_to_it(isolated):
    """`start` found the lock free (the daemon had let go) and began a daemon of its own, which took it."""
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0 + timedelta(seconds=1))) as p:
        p.scheduler.step()
        end_plan(isolated)
        newer = daemon_client.DaemonLock(isolated)
        release = p.daemon.lock.release

        def the_newer_daemon_takes_over() -> None:
            p.daemon.lock.release = release
            release()
            new_plan(isolated, injured=T0 + timedelta(minutes=2), started=T0 + timedelta(minutes=2))
            assert newer.acquire()

        p.daemon.lock.release = the_newer_daemon_takes_over
        p.daemon.poke()
        p.scheduler.step()
        assert p.scheduler.stopped and p.daemon.store.reminders(2) == []  # the newer daemon's to fire
        assert any("the reminders started with it serve it" in line for line in p.logged)
        newer.release()


def test_run_refuses_without_a_plan(run):
    assert "no active plan" in run("run", code=1).stderr


def test_the_next_reminder_repeats_a_logged_warning_sign_once(isolated):
    plan_id = new_plan(isolated)
    store = Store(isolated)
    store.log(plan_id, T0 + timedelta(minutes=5), "symptom", T0 + timedelta(minutes=5), text="I wet the bed")
    store.close()
    with stepping_daemon(isolated, HandClock(T0 + timedelta(minutes=6))) as p:
        p.scheduler.step()  # the first reminder after the sign was logged (the late "Ice on now")
        p.scheduler.step()
        bodies = [body for _, body, _ in p.recorder.sent]
        assert f"Get help now: you logged {signs.BY_NAME['bladder-bowel'].label}." in bodies[0]
        assert all("you logged" not in body for body in bodies[1:]) and len(bodies) >= 2


def test_from_day_14_pain_no_lower_than_at_the_start_is_said_in_the_first_reminder_of_each_day(isolated):
    plan_id = new_plan(isolated, injured=T0 - timedelta(days=15))  # day 16 of recovery
    store = Store(isolated)
    store.log(plan_id, T0 - timedelta(days=15) + timedelta(hours=1), "pain", T0, score=6)  # day 1
    store.log(plan_id, T0 - timedelta(hours=1), "pain", T0, score=6)  # this morning: no lower
    store.close()
    said = "Day 16 and your pain is no lower than at the start: please see a doctor or physical therapist."
    with stepping_daemon(isolated, HandClock(T0 + timedelta(seconds=0.3))) as p:
        p.scheduler.run_until(T0 + timedelta(hours=14))  # 09:00 to 23:00 in Berlin: the whole waking day
        today = [note.body for note in p.recorder.notes]
        assert len(today) > 4 and said in today[0] and all(said not in body for body in today[1:])
        p.scheduler.run_until(T0 + timedelta(hours=23, minutes=30))  # the next morning, 08:30
        tomorrow = [note.body for note in p.recorder.notes[len(today) :]]
        assert tomorrow and said in tomorrow[0]  # still day 16 until 09:00, as status counts days
        assert all("no lower" not in body for body in tomorrow[1:])


def test_pain_that_has_fallen_adds_nothing_to_the_reminders(isolated):
    plan_id = new_plan(isolated, injured=T0 - timedelta(days=15))
    store = Store(isolated)
    store.log(plan_id, T0 - timedelta(days=15) + timedelta(hours=1), "pain", T0, score=6)
    store.log(plan_id, T0 - timedelta(hours=1), "pain", T0, score=3)
    store.close()
    with stepping_daemon(isolated, HandClock(T0 + timedelta(seconds=0.3))) as p:
        p.scheduler.run_until(T0 + timedelta(hours=3))
        assert p.recorder.notes and all("doctor" not in note.body for note in p.recorder.notes)


def test_a_daemon_started_while_the_config_is_broken_keeps_the_plans_recorded_settings(isolated, run, config_file):
    """A reboot while config.toml has a typo: the daemon keeps the settings recorded with the plan
    (12-minute ice), as every command does, and records nothing over them (it used to record the
    defaults, and the next ice came off after 15 minutes)."""
    config_file.write_text("[cold]\nminutes = 12\n", encoding="utf-8")
    with freeze_time(T0):
        run("start", "--no-daemon")
    config_file.write_text("[cold]\nminutes = = 12\n", encoding="utf-8")  # broken
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=13))
        assert p.recorder.titles == ["therapy-timer settings problem", "Ice on now", "Ice off now"]
        due = [r for r in p.daemon.store.reminders(1) if r.key.endswith("/off")]
        assert [r.due_at for r in due] == [T0 + timedelta(minutes=12)]
        settings = [e.text for e in p.daemon.store.events() if e.kind == "settings"]
        assert len(settings) == 1 and "cold.minutes = 12" in (settings[0] or "")
