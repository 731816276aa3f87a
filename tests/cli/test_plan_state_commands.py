"""One plan state through the command line (issue 18): each defect as it was reproduced, with `--at`
and frozen time, and the views (the command's answer, status, plan, the calendar) compared."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from freezegun import freeze_time


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_after_try_heat_again_every_view_names_the_first_heat_session(run, config_file):
    """Two switches, then try-heat-again: the answer, status and plan name one moment, the start of
    the first heat session, and status no longer tells the user to run a command that would refuse."""
    config_file.write_text("[heat]\nback_to_cold_hours = 1\n", encoding="utf-8")
    with freeze_time("2026-11-24 09:06:00+01:00"):
        run("start", "--no-daemon", "--injured", "-4d", "--at", "09:00")
        run("log", "heat-worse", "--at", "09:05")
    with freeze_time("2026-11-24 13:20:00+01:00"):
        first = run.json("status")
        assert first["phase"] == "heat", first
        run("log", "heat-no-help")
        held = run.json("status")
        assert held["heat_on_hold"] and held["heat_from"] is None
        assert "try-heat-again" in run("status").stdout
    with freeze_time("2026-11-24 17:05:00+01:00"):
        tried = run.json("log", "try-heat-again")
        status = run.json("status")
        window = run.json("plan", "--hours", "48")
        text = run("status").stdout
    first_heat = next(
        s["start"] for s in window["sessions"] if s["kind"] == "heat" and iso(s["start"]) >= iso(status["now"])
    )
    assert tried["heat_again_at"] is not None and iso(tried["heat_again_at"]) == iso(first_heat)
    assert iso(status["heat_from"]) == iso(first_heat) and not status["heat_on_hold"]
    assert "try-heat-again" not in text and "until you" not in text
    with freeze_time("2026-11-24 17:06:00+01:00"):
        refused = run("log", "try-heat-again", code=1)
        assert "not on hold" in refused.stderr


def test_a_late_try_heat_again_keeps_the_ice_sessions_done_and_the_report_counts_them(run, config_file):
    config_file.write_text("[heat]\nback_to_cold_hours = 1\n", encoding="utf-8")
    with freeze_time("2026-11-24 09:06:00+01:00"):
        run("start", "--no-daemon", "--injured", "-4d", "--at", "09:00")
        run("log", "heat-worse", "--at", "09:05")
    with freeze_time("2026-11-24 13:20:00+01:00"):
        run("log", "heat-no-help")
    with freeze_time("2026-11-24 22:00:00+01:00"):
        window = run.json("plan", "--from", "13:00", "--hours", "9")
        ice = [s for s in window["sessions"] if s["kind"] == "ice" and iso(s["start"]).hour >= 18][:2]
        for s in ice:
            run("done", "--at", iso(s["end"]).strftime("%H:%M"))
        before = run.json("report")
        run("log", "try-heat-again", "--at", "18:00")
        after = run.json("plan", "--from", "13:00", "--hours", "9")
        report = run.json("report")
    kept = {s["key"]: s for s in after["sessions"]}
    for s in ice:
        assert kept[s["key"]]["kind"] == "ice" and kept[s["key"]]["outcome"] == "done"
        assert (kept[s["key"]]["start"], kept[s["key"]]["end"]) == (s["start"], s["end"])
    assert report["totals"]["done"] == before["totals"]["done"]


def test_stop_then_start_lets_the_skin_rest_and_the_start_is_not_in_the_future(run):
    with freeze_time("2026-11-24 09:20:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        run("done", "--at", "09:15")
        run("stop")
        started = run.json("start", "--no-daemon")
        status = run.json("status")
        assert iso(started["started_at"]) == iso("2026-11-24T09:20:00+01:00")
        assert iso(status["next"]["start"]) == iso("2026-11-24T09:30:00+01:00")
        run("log", "heat-worse")  # not "before this plan started"


def test_replace_right_after_made_it_worse_lets_the_skin_rest(run):
    with freeze_time("2026-11-24 09:06:00+01:00"):
        run("start", "--no-daemon", "--injured", "-4d", "--at", "09:00")
        run("log", "heat-worse", "--at", "09:05")  # the heat came off at 09:05
        run("start", "--no-daemon", "--replace", "--injured", "-4d")
        status = run.json("status")
    assert iso(status["next"]["start"]) >= iso("2026-11-24T09:20:00+01:00")


def test_a_correction_within_five_minutes_with_nothing_answered_drops_the_old_sessions(run):
    with freeze_time("2026-11-24 09:02:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        out = run("start", "--no-daemon", "--replace", "--injured", "yesterday 20:00").stdout
    assert "rests first" not in out and "Now:  ice until" in out


def test_done_after_the_ice_off_reminder_marks_the_ice_not_the_walk_that_began(run):
    """The README's example: "Ice off now" says to type done; done typed after the next walk began
    marked the walk, and "Is the ice still on?" kept coming."""
    with freeze_time("2026-11-24 08:20:00+01:00"):
        run("start", "--no-daemon", "--at", "08:00")
        run("done", "--at", "08:15")
        window = run.json("plan", "--hours", "12")
    sessions = window["sessions"]
    close = timedelta(minutes=25)
    walks = [
        walk
        for ice, walk in itertools.pairwise(sessions)
        if ice["kind"] == "ice" and walk["kind"] == "walk" and iso(walk["start"]) - iso(ice["end"]) < close
    ]
    assert walks, "a walk right after an ice session"
    walk = walks[0]
    with freeze_time(iso(walk["start"]) + timedelta(minutes=1)):
        out = run("done").stdout
        status = run.json("status")
    assert out.startswith("Marked done: ice"), out
    assert status["take_off"] is None


def test_snooze_promises_what_comes_and_moves_the_session(run):
    with freeze_time("2026-11-24 09:02:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        snoozed = run.json("snooze", "10")
        status = run.json("status")
        window = run.json("plan", "--hours", "1")
    assert iso(snoozed["again_at"]) == iso("2026-11-24T09:12:00+01:00")
    assert iso(status["snoozed"]["due"]) == iso(snoozed["again_at"])
    ice = next(s for s in window["sessions"] if s["key"] == snoozed["session"])
    assert iso(ice["start"]) == iso(snoozed["again_at"]) and iso(ice["end"]) == iso("2026-11-24T09:27:00+01:00")


def test_done_after_a_snooze_is_refused_until_the_session_begins_and_skip_still_works(run):
    """Found by a newcomer: done right after a snooze marked the moved session done, "with 25 min to
    go", and a later done said "no session has started yet" with a raw ISO time."""
    with freeze_time("2026-11-24 09:02:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        run("snooze", "10")  # the ice moves to 09:12
        refused = run("done", code=1)
        assert "snoozed until 09:12" in refused.stderr and "has not begun" in refused.stderr
        assert refused.stderr.count("\n") == 1
    with freeze_time("2026-11-24 09:05:00+01:00"):
        assert "snoozed until 09:12" in run("done", "--at", "09:04", code=1).stderr
        assert run("skip").stdout.startswith("Marked skipped: ice 09:12-09:27")


def test_no_session_yet_names_its_time_as_people_read_it(run):
    with freeze_time("2026-11-24 09:20:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        run("done", "--at", "09:15")
        run("stop")
        run("start", "--no-daemon")  # the skin rests: the first ice at 09:30
        refused = run("done", code=1)
    assert "no session has started yet; the first is at 09:30" in refused.stderr


def test_a_late_report_is_said_in_the_past_and_promises_only_what_is_to_come(run):
    """Found by a newcomer: `log heat-worse --at -1h55m` said "Take the heat off now" and promised
    ice at a time already gone."""
    with freeze_time("2026-11-24 11:02:00+01:00"):
        run("start", "--no-daemon", "--injured", "-3d", "--at", "09:00")
        out = run("log", "heat-worse", "--at", "09:07").stdout
        status = run.json("status")
    assert out.startswith("Recorded for 09:07.") and "Take the heat off now" not in out
    assert "The heat came off at 09:07" in out
    ice = status["next"]
    assert ice["kind"] == "ice" and f"from {iso(ice['start']):%H:%M}" in out  # the next ice still to come
    assert datetime.fromisoformat(ice["start"]) > datetime.fromisoformat(status["now"])


def test_didnt_help_at_night_says_why_the_ice_waits_for_the_morning(run):
    with freeze_time("2026-11-24 05:02:00+01:00"):
        run("start", "--no-daemon", "--injured", "-3d")  # heat now, inside the quiet hours
        out = run("log", "heat-no-help").stdout
    assert "Finish this heat session (until 05:17)" in out
    assert "from 07:00 (the next time outside your quiet hours)" in out and "skin settles" not in out


def test_pain_logged_before_a_replace_or_a_restart_still_shows(run):
    """Found by a newcomer: pain 7 logged, then start --replace for the same injury: status said
    "none logged"."""
    with freeze_time("2026-11-24 09:20:00+01:00"):
        run("start", "--no-daemon", "--injured", "yesterday 18:30")
        run("log", "pain", "7")
        run("start", "--no-daemon", "--replace", "--injured", "yesterday 17:00")
        assert run.json("status")["last_pain"]["score"] == 7
        run("stop")
        run("start", "--no-daemon", "--injured", "yesterday 17:00")
        assert "Last pain: 7/10" in run("status").stdout
