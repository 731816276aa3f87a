"""The daemon's live calendar copy (`plan.ics` in the data folder): rewritten when the plan changes
(a switch, a snooze, a settings edit, `stop`), never on an idle tick, and never at the cost of a reminder.

The stepped tests write the copy in the test's own process (`helpers.write_here`); the real-process
test shows the daemon itself never loads icalendar and that the final copy is there when it has stopped.
"""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from tests.fixtures.live_calendar import Counting, Stuck, at, copy_of, started, step
from tests.helpers import T0, Finished, HandClock, M, stepping_daemon
from therapy_timer.calendar import live as live_calendar

stepped = pytest.mark.unit


@stepped
def test_the_first_tick_writes_the_copy_and_idle_ticks_do_not_touch_it(isolated, run):
    started(run)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock, calendar=True) as p:
        writer = p.daemon.calendar.start = Counting()
        step(p)
        assert len(writer.asked) == 1
        events = copy_of(isolated)
        assert at(events[0]) == "Ice 24 08:00Z CONFIRMED" and at(events[-1]).startswith("Gentle walk 27 ")  # to Friday
        assert (isolated / live_calendar.NAME).stat().st_mode & 0o777 == 0o600
        inode = (isolated / live_calendar.NAME).stat().st_ino
        step(p)  # "Ice off now" at 09:15: a tick with nothing new for the calendar
        step(p)  # its repeat
        assert clock.now() == T0 + 20 * M and len(writer.asked) == 1
        with freeze_time(T0 + 21 * M):
            run("log", "pain", "4")  # a new entry in the log: a copy is made, with the same bytes
        p.daemon.poke()
        step(p)
        assert len(writer.asked) == 2 and (isolated / live_calendar.NAME).stat().st_ino == inode


@stepped
def test_a_switch_back_to_cold_cancels_the_heat_in_the_copy(isolated, run):
    started(run, "--injured", "-3d")  # heat: 09:00, 13:00, 17:00, 21:00
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock, calendar=True) as p:
        step(p)
        assert "Moist heat 24 12:00Z CONFIRMED" in [at(e) for e in copy_of(isolated)]
        clock.advance(minutes=5)
        with freeze_time(clock.now()):
            run("log", "heat-worse")
        p.daemon.poke()
        step(p)
        assert p.recorder.titles[-1] == "Stop the heat now"
    events = [at(e) for e in copy_of(isolated)]
    assert events[:2] == ["Moist heat (stopped early) 24 08:00Z CONFIRMED", "Ice 24 08:20Z CONFIRMED"]
    assert {
        "Moist heat 24 12:00Z CANCELLED",
        "Moist heat 24 16:00Z CANCELLED",
        "Moist heat 24 20:00Z CANCELLED",
    } <= set(events)


@stepped
def test_a_snooze_moves_the_alarms_in_the_copy(isolated, run):
    started(run)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock, calendar=True) as p:
        step(p)
        assert [a.decoded("trigger") for a in copy_of(isolated)[0].walk("VALARM")] == [0 * M, 15 * M]
        clock.advance(minutes=2)
        with freeze_time(clock.now()):
            run("snooze")  # the ice moves to 09:12-09:27: "Ice on now" came at 09:00, again at 09:12
        p.daemon.poke()
        step(p)
        ice = copy_of(isolated)[0]
    assert ice.decoded("dtstart") == T0 + 12 * M  # the event moved with the session, its UID did not
    assert [a.decoded("trigger") for a in ice.walk("VALARM")] == [-12 * M, 0 * M, 15 * M]
    assert int(ice["sequence"]) == 1


@stepped
def test_a_settings_edit_reaches_the_copy_from_the_session_it_applies_to(isolated, run, config_file):
    started(run)
    clock = HandClock(T0 + 5 * M)
    with stepping_daemon(isolated, clock, calendar=True) as p:
        step(p)
        config_file.write_text("[cold]\nminutes = 12\n")
        p.daemon.poke()  # as the config watch would
        step(p)
    first, *later = [e for e in copy_of(isolated) if e["summary"] == "Ice"]
    length = [e.decoded("dtend") - e.decoded("dtstart") for e in (first, *later)]
    assert length[0] == 15 * M and set(length[1:]) == {12 * M}  # the session under way keeps its 15 minutes
    assert int(first["sequence"]) == 0 and {int(e["sequence"]) for e in later} == {1}


@stepped
def test_stop_leaves_a_final_copy_with_everything_to_come_cancelled(isolated, run):
    started(run)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock, calendar=True) as p:
        step(p)
        clock.advance(hours=3)
        with freeze_time(clock.now()):
            run("stop")
        p.daemon.poke()
        step(p)
        assert p.scheduler.stopped and p.recorder.titles[-1] == "Reminders stopped"
    events = copy_of(isolated)
    kept = [at(e) for e in events if e["status"] == "CONFIRMED"]
    assert kept == ["Ice 24 08:00Z CONFIRMED", "Ice 24 10:00Z CONFIRMED"]
    assert len(events) - len(kept) > 30 and all(e["status"] == "CANCELLED" for e in events[2:])


@stepped
def test_a_copy_that_cannot_be_written_is_said_once_and_tried_again_at_the_next_tick(isolated, run):
    started(run)
    clock = HandClock(T0)
    failures = [Finished(1, b"OSError: [Errno 28] No space left on device")] * 2
    with stepping_daemon(isolated, clock, calendar=True) as p:
        p.daemon.calendar.start = lambda *_: failures.pop() if failures else Finished(0)
        step(p, 3)  # 09:00, 09:15, 09:20: each tick tries again until one works
        assert p.recorder.titles == ["Ice on now", "Ice off now", "Is the ice still on? Take it off now"]
    problems = [line for line in p.logged if "calendar copy" in line]
    assert problems == [
        f"the calendar copy ({isolated / 'plan.ics'}) was not written: OSError: [Errno 28] No space left on device",
        f"the calendar copy ({isolated / 'plan.ics'}) is written again",
    ]


@stepped
def test_a_stuck_writer_holds_up_no_reminder_and_is_ended_when_the_daemon_stops(isolated, run, monkeypatch):
    monkeypatch.setattr(live_calendar, "WAIT", 0.2)
    started(run)
    clock = HandClock(T0)
    stuck, writer = Stuck(), Counting()
    writers = [stuck]
    with stepping_daemon(isolated, clock, calendar=True) as p:
        p.daemon.calendar.start = lambda *args: writers.pop() if writers else writer(*args)
        p.scheduler.step()  # 09:00: the writer starts, and hangs
        clock.advance(minutes=2)
        with freeze_time(clock.now()):
            run("log", "pain", "3")
        p.daemon.poke()
        p.scheduler.step()  # a change: a copy is wanted, but one writer at a time
        p.scheduler.step()  # 09:15
        assert p.recorder.titles == ["Ice on now", "Ice off now"] and writer.asked == []
    assert stuck.returncode == -9 and writer.asked == []  # ended at close; nothing written after it
    assert any("was not written: exit status -9" in line for line in p.logged)
