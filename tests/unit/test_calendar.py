"""The calendar export's pure core (`calendar.events`) on hand-made sessions, and the iCalendar file
`ics` makes of it. Every expected time below is worked out by hand from the scenario."""

from __future__ import annotations

from datetime import datetime, timezone

import icalendar
import pytest

from tests.helpers import BERLIN, H, M, local
from therapy_timer import reminders, wording
from therapy_timer.calendar import events as calendar_events
from therapy_timer.calendar import ics
from therapy_timer.calendar.events import Alarm, CalendarEvent, uid
from therapy_timer.protocol import Event, Phase, Session, Timeline
from therapy_timer.settings import Config

UTC = timezone.utc


NOW = local(2026, 11, 24, 8, 30)  # Tuesday
DAY = (local(2026, 11, 24, 0, 0), local(2026, 11, 25, 0, 0))
ICE = Session("ice", local(2026, 11, 24, 9, 0), local(2026, 11, 24, 9, 15), planned_minutes=15)
WALK = Session("walk", local(2026, 11, 24, 10, 0), local(2026, 11, 24, 10, 5), purpose="rest", planned_minutes=5)
HEAT_CUT = Session("heat", local(2026, 11, 24, 13, 0), local(2026, 11, 24, 13, 5), cut_short=True, planned_minutes=15)


def made(sessions: list[Session], log: list[Event] = (), previous: list[CalendarEvent] = (), now: datetime = NOW):  # type: ignore[assignment]
    timeline = Timeline(sessions, [Phase("cold", local(2026, 11, 24, 0, 0), None, "plan-start")], [])
    due = reminders.build(Config(), timeline, log, DAY[0] - 24 * H, DAY[1] + 24 * H)
    return calendar_events.events(7, sessions, DAY[1], due, DAY, previous, now)


def test_uid_names_the_plan_and_the_session_and_a_domain_of_nobody():
    assert uid(7, ICE.key) == "plan7-ice-20261124T080000Z@therapy-timer.invalid"
    assert calendar_events.is_ours(uid(7, ICE.key)) and not calendar_events.is_ours("1234@example.org")


def test_the_window_runs_from_today_midnight_to_the_end_of_the_last_day():
    assert calendar_events.window(NOW, BERLIN, 3) == (local(2026, 11, 24, 0, 0), local(2026, 11, 28, 0, 0))
    # Across the end of summer time (Sun 25 Oct 2026, 03:00 -> 02:00) the local midnights stay midnights.
    start, end = calendar_events.window(local(2026, 10, 24, 10, 0), BERLIN, 1)
    assert start == datetime(2026, 10, 23, 22, 0, tzinfo=UTC) and end == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)
    assert end - start == 49 * H  # Saturday 24 h, Sunday 25 h


def test_ice_has_an_alarm_at_its_start_and_one_at_its_end_with_the_notifications_words():
    (ice,) = made([ICE])
    on, off = wording.session_on("ice", 15, "", ""), wording.session_off("ice", 0)
    assert (ice.start, ice.end) == (local(2026, 11, 24, 9, 0), local(2026, 11, 24, 9, 15))
    assert ice.summary == "Ice" and ice.description == on.body
    assert ice.alarms == (Alarm(0 * M, f"{on.title}\n{on.body}"), Alarm(15 * M, f"{off.title}\n{off.body}"))
    assert ice.status == "CONFIRMED" and ice.sequence == 0 and ice.stamp == NOW


def test_a_walk_has_one_alarm_and_a_cut_heat_session_ends_at_the_cut_with_its_stop_alarm():
    walk, heat = made([WALK, HEAT_CUT])
    assert walk.summary == "Short walk" and [a.after_start for a in walk.alarms] == [0 * M]
    assert heat.summary == "Moist heat (stopped early)" and heat.end == local(2026, 11, 24, 13, 5)
    assert [a.after_start for a in heat.alarms] == [0 * M, 5 * M]
    assert heat.alarms[1].text.startswith("Stop the heat now\n")


def test_the_repeats_of_the_off_reminder_are_left_to_the_desktop():
    timeline = Timeline([ICE], [], [])
    due = reminders.build(Config(), timeline, [], DAY[0], DAY[1])
    assert any("/again" in r.key for r in due)  # the desktop has repeats at 09:20 and 09:25...
    (ice,) = calendar_events.events(7, [ICE], DAY[1], due, DAY, [], NOW)
    assert len(ice.alarms) == 2  # ...the calendar only the start and the end


def test_a_snooze_moves_the_event_and_its_alarms_and_keeps_its_uid():
    # Snoozed 10 minutes at 09:02: the ice moves to 09:12-09:27 (the timeline moved it); "ice on" came
    # at 09:00 and comes again at 09:12, "ice off" at the new end. The UID stays the planned start's.
    snooze = Event(local(2026, 11, 24, 9, 2), "snooze", session=ICE.key, minutes=10, text=f"{ICE.key}/on")
    moved = ICE._replace(start=ICE.start + 12 * M, end=ICE.end + 12 * M, planned_start=ICE.start)
    (ice,) = made([moved], [snooze])
    assert (ice.start, ice.end, ice.uid) == (moved.start, moved.end, uid(7, ICE.key))
    assert [a.after_start for a in ice.alarms] == [-12 * M, 0 * M, 15 * M]
    assert ice.alarms[1].text.startswith("Again: ice on now\n") and ice.alarms[2].text.startswith("Ice off now\n")


def test_an_answered_session_loses_the_alarms_after_the_answer():
    done = Event(local(2026, 11, 24, 9, 10), "done", session=ICE.key)
    (ice,) = made([ICE], [done])
    assert [a.after_start for a in ice.alarms] == [0 * M]


def test_an_unchanged_event_keeps_its_version_and_a_changed_one_gets_the_next():
    first = made([ICE, WALK])
    later = NOW + 2 * H
    assert made([ICE, WALK], previous=first, now=later) == first  # same sequence, same stamp
    longer = ICE._replace(end=ICE.end + 5 * M)
    ice, walk = made([longer, WALK], previous=first, now=later)
    assert (ice.sequence, ice.stamp) == (1, later) and (walk.sequence, walk.stamp) == (0, NOW)


def test_a_session_exported_before_and_no_longer_planned_is_cancelled_until_it_is_over():
    heat = Session("heat", local(2026, 11, 24, 17, 0), local(2026, 11, 24, 17, 15), planned_minutes=15)
    first = made([ICE, heat])
    later = NOW + H
    ice, dropped = made([ICE], previous=first, now=later)
    assert ice == first[0]
    assert dropped.uid == first[1].uid and dropped.status == "CANCELLED" and dropped.alarms == ()
    assert (dropped.start, dropped.end, dropped.sequence, dropped.stamp) == (heat.start, heat.end, 1, later)
    # Written again: it stays cancelled, unchanged ...
    assert made([ICE], previous=[ice, dropped], now=later + H) == [ice, dropped]
    # ... until a window that starts after it ended: then it leaves the file.
    next_day = (DAY[1], DAY[1] + 24 * H)
    assert calendar_events.events(7, [ICE], next_day[1], [], next_day, [ice, dropped], later) == []


def test_what_is_over_still_planned_or_beyond_what_was_worked_out_is_not_cancelled():
    def exported(start: datetime) -> CalendarEvent:
        key = f"ice@{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
        return CalendarEvent(uid(7, key), start, start + 15 * M, "Ice", "", ())

    past = exported(local(2026, 11, 23, 9, 0))  # yesterday: over, it leaves the file
    outside = Session("ice", local(2026, 11, 25, 9, 0), local(2026, 11, 25, 9, 15))  # planned, after the window
    beyond = exported(local(2026, 11, 26, 9, 0))  # after what was worked out (DAY[1]): not judged
    previous = [past, exported(outside.start), beyond]
    (ice,) = calendar_events.events(7, [ICE, outside], DAY[1], [], DAY, previous, NOW)
    assert ice.uid == uid(7, ICE.key)
    # The same file when `outside` is no longer planned: that one is cancelled, the others still not.
    _, cancelled = calendar_events.events(7, [ICE], DAY[1] + 24 * H, [], DAY, previous, NOW)
    assert cancelled.start == outside.start and cancelled.status == "CANCELLED"


def test_the_events_of_another_plan_are_cancelled_when_a_new_plan_replaces_it():
    old = made([ICE])
    (cancelled, ice) = calendar_events.events(8, [ICE._replace(start=ICE.start + M)], DAY[1], [], DAY, old, NOW)
    assert cancelled.uid == old[0].uid and cancelled.status == "CANCELLED"
    assert ice.uid == uid(8, "ice@2026-11-24T08:01:00Z") and ice.status == "CONFIRMED"


# The iCalendar file ---------------------------------------------------------------------------


def test_the_file_names_the_zone_of_the_plan_and_carries_its_vtimezone():
    data = ics.render(made([ICE, WALK]), BERLIN).decode()
    assert "DTSTART;TZID=Europe/Berlin:20261124T090000" in data and "DTEND;TZID=Europe/Berlin:20261124T091500" in data
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin" in data and "TZOFFSETTO:+0100" in data
    calendar = icalendar.Calendar.from_ical(data)
    (ice, walk) = calendar.events
    alarms = [(a["action"], a.decoded("trigger")) for a in ice.walk("VALARM")]
    assert alarms == [("DISPLAY", 0 * M), ("DISPLAY", 15 * M)]
    assert ice["status"] == "CONFIRMED" and ice["uid"] == uid(7, ICE.key) and int(ice["sequence"]) == 0
    assert ice.decoded("dtstamp") == NOW and ice.decoded("last-modified") == NOW
    assert len(list(walk.walk("VALARM"))) == 1


def test_the_file_reads_back_into_the_same_events_and_the_same_events_give_the_same_bytes():
    events = made([ICE, WALK, HEAT_CUT])
    data = ics.render(events, BERLIN)
    assert ics.read(data) == events
    assert ics.render(ics.read(data), BERLIN) == data


def test_a_cancelled_event_says_so_in_the_file():
    first = made([ICE, WALK])
    data = ics.render(made([ICE], previous=first, now=NOW + H), BERLIN)
    walk = icalendar.Calendar.from_ical(data).events[1]
    assert walk["status"] == "CANCELLED" and int(walk["sequence"]) == 1 and not list(walk.walk("VALARM"))


def test_a_file_of_someone_else_is_refused(tmp_path):
    theirs = icalendar.Calendar.new(prodid="-//Someone//Calendar//EN")
    with pytest.raises(ics.NotOurs):
        ics.read(theirs.to_ical())
    with pytest.raises(ics.NotOurs):
        ics.read(b"not a calendar at all")
    assert ics.previous(tmp_path / "none.ics") == []


def test_the_file_is_replaced_whole_and_only_when_its_bytes_change(tmp_path):
    target = tmp_path / "plan.ics"
    assert ics.replace(target, b"one") and target.read_bytes() == b"one"
    assert target.stat().st_mode & 0o777 == 0o600
    inode = target.stat().st_ino
    assert not ics.replace(target, b"one") and target.stat().st_ino == inode  # untouched
    target.chmod(0o644)
    assert ics.replace(target, b"two") and target.read_bytes() == b"two" and target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]  # no temporary file left behind
