"""The command line through click's runner (frozen time) and one real subprocess."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from datetime import datetime

import pytest
from freezegun import freeze_time

from tests.helpers import BERLIN, T0_TEXT, THERAPY_TIMER, imported, tt, wait_until


@pytest.fixture
def plan(run):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
    return run


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


@freeze_time(T0_TEXT)
def test_start_prints_what_happens_next_and_a_notice(run):
    out = run("start", "--injured", "-1h", "--no-daemon").stdout
    assert "day 1 of recovery" in out and "Now:  ice until 09:15" in out
    assert "not medical advice" in out


@freeze_time(T0_TEXT)
def test_a_second_plan_is_refused_unless_replaced(plan):
    result = plan("start", "--no-daemon", code=1)
    assert result.stderr.startswith("therapy-timer: a plan is already active") and result.stderr.count("\n") == 1
    plan("start", "--no-daemon", "--replace", "--injured", "-3d")
    assert plan.json("status")["phase"] == "heat"


@freeze_time("2026-11-24 09:05:00+01:00")
def test_status_json_contract(plan):
    view = plan.json("status")
    assert view["phase"] == "cold"
    assert iso(view["injured_at"]) == iso("2026-11-24T09:00:00+01:00") == iso(view["started_at"])
    assert view["current"]["kind"] == "ice" and iso(view["current"]["end"]) == iso("2026-11-24T09:15:00+01:00")
    assert view["next"]["kind"] == "ice" and iso(view["next"]["start"]) == iso("2026-11-24T11:00:00+01:00")
    assert view["switches_back_to_cold"] == [] and view["daemon_running"] is False
    assert view["current"]["start"].endswith("+01:00")


def test_status_without_a_plan(run):
    view = run.json("status")
    assert view["phase"] is None and view["current"] is None


@freeze_time("2026-11-24 09:05:00+01:00")
def test_plan_json_lists_sessions_in_the_window_sorted(plan):
    view = plan.json("plan", "--from", "2026-11-24T20:00", "--hours", "12")
    kinds = [(s["kind"], iso(s["start"]).strftime("%H:%M")) for s in view["sessions"]]
    assert kinds[:3] == [("walk", "20:05"), ("ice", "21:00"), ("ice", "07:00")]
    assert view["phase"] == "cold"
    starts = [iso(s["start"]) for s in view["sessions"]]
    assert starts == sorted(starts)
    text = plan("plan", "--from", "2026-11-24T20:00", "--hours", "12").stdout
    assert "21:00-21:15  ICE" in text and "Wednesday 25 November" in text


def test_heat_worse_switches_back_to_cold_and_is_recorded(run):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon", "--injured", "-3d")
    with freeze_time("2026-11-24 09:05:00+01:00"):
        out = run("log", "heat-worse").stdout
        assert out.startswith("Take the heat off now, and look at the skin.") and "Back to cold" in out
        view = run.json("status")
    assert view["phase"] == "cold" and view["current"] is None  # the heat came off; the skin settles first
    assert view["next"]["kind"] == "ice" and iso(view["next"]["start"]) == iso("2026-11-24T09:20:00+01:00")
    assert [iso(s) for s in view["switches_back_to_cold"]] == [iso("2026-11-24T09:05:00+01:00")]
    with freeze_time("2026-11-25 09:10:00+01:00"):  # cold's 24 hours are over, but the 09:00 ice runs
        view = run.json("status")
        assert view["phase"] == "cold" and iso(view["phase_until"]) == iso("2026-11-25T11:00:00+01:00")
        assert iso(view["next"]["start"]) == iso(view["phase_until"]) and view["next"]["kind"] == "heat"
    with freeze_time("2026-11-25 11:10:00+01:00"):  # heat is back with its first session
        assert run.json("status")["phase"] == "heat"
        out = run("log", "heat-no-help").stdout
        assert "doctor or physical therapist" in out
        assert run.json("status")["see_doctor"] is True


def test_done_and_skip_mark_the_current_or_latest_session(plan):
    with freeze_time("2026-11-24 09:20:00+01:00"):
        assert "Marked done: ice 09:00-09:15" in plan("done").stdout
        assert "already marked done" in plan("done", code=1).stderr
    with freeze_time("2026-11-24 11:01:00+01:00"):
        assert "Marked skipped: ice 11:00-11:15" in plan("skip").stdout
        entries = plan.json("history")["events"]
    assert [e["kind"] for e in entries] == ["plan-start", "settings", "done", "skip"]  # the settings it began with


@freeze_time("2026-11-24 09:02:00+01:00")
def test_snooze_and_its_limits(plan):
    assert 'Snoozed: "Ice on now" comes again at 09:12' in plan("snooze").stdout
    plan("snooze", "61", code=2)
    with freeze_time("2026-11-24 09:28:00+01:00"):  # the snooze moved ice-off from 09:15 to 09:27
        assert "cannot be snoozed" in plan("snooze", "5", code=1).stderr


@freeze_time(T0_TEXT)
@pytest.mark.parametrize(
    "args, code, message",
    [
        (["log", "pain", "11"], 2, "11 is not in the range 0<=x<=10"),
        (["log", "pain", "bad"], 2, "'bad' is not a valid integer"),
        (["log", "pain", "3", "--at", "2026-02-30T10:00"], 2, "not a real date"),
        (["log", "pain", "3", "--at", "tomorrow-ish"], 2, "cannot read the time"),
        (["log", "pain", "3", "--at", "+2h"], 2, "is in the future"),
        (["start", "--replace", "--no-daemon", "--injured", "2030-01-01T10:00"], 2, "is in the future"),
        (["start", "--replace", "--no-daemon", "--injured", "-1h", "--at", "-2h"], 2, "must be before the plan start"),
        (["snooze", "0"], 2, "0 is not in the range"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(plan, args, code, message):
    before = plan.json("history")
    result = plan(*args, code=code)
    assert result.stderr.startswith("therapy-timer: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert plan.json("history") == before


@pytest.mark.parametrize(
    "args", [["done"], ["skip"], ["stop"], ["recovered"], ["snooze"], ["log", "heat-worse"], ["plan"]]
)
def test_commands_that_need_a_plan_say_so(run, args):
    result = run(*args, code=1)
    assert result.stderr == "therapy-timer: no active plan: start one with `therapy-timer start`\n"


@freeze_time(T0_TEXT)
def test_a_broken_config_is_an_error_with_the_file_and_nothing_is_recorded(run, config_file):
    config_file.write_text("[cold]\nminutes = 30\n")
    result = run("start", "--no-daemon", code=2)
    assert result.stderr.startswith(f"therapy-timer: {config_file}: [cold] minutes = 30 is out of range")
    config_file.write_text("[cold]\nminutes = 13\n")
    run("start", "--no-daemon")
    assert run.json("config", "show")["cold"]["minutes"] == 13
    config_file.write_text("[cold\n")
    assert f"{config_file}:1:6: not valid TOML" in run("config", "show", code=2).stderr  # checking it says so
    assert f"{config_file}:1:6: not valid TOML" in run("start", "--no-daemon", "--replace", code=2).stderr


@freeze_time(T0_TEXT)
def test_heat_first_by_choice_is_said_by_start_status_and_plan(run, config_file):
    config_file.write_text("[cold]\ndays = 0\n")
    started = run("start", "--no-daemon")
    assert "[cold] days = 0 is outside what the protocol advises (1-2 days); using it anyway" in started.stderr
    assert "Heat first, as chosen in the settings (cold.days = 0): moist heat every 4 h." in started.stdout
    assert "Cold first" not in started.stdout and "The cold phase is over" not in started.stdout
    assert "       heat first, as chosen in the settings (cold.days = 0)" in run("status").stdout.splitlines()
    status = run.json("status")
    assert (status["phase"], status["heat_first"], status["current"]["kind"]) == ("heat", True, "heat")
    assert "heat phase from Tue 24 Nov 09:00 until you end the plan (heat first, as chosen" in run("plan").stdout
    assert run.json("start", "--no-daemon", "--replace")["heat_first"] is True
    config_file.write_text("[cold]\ndays = 2\n")
    run("log", "pain", "4")  # a command that writes records the edit: it applies from now on
    assert run.json("status")["heat_first"] is False


def test_a_broken_config_does_not_keep_anyone_from_logging_or_seeing_the_plan(plan, config_file):
    """Found by a newcomer: one typo made status, log and history refuse to run."""
    config_file.write_text("[cold]\nminutes = 12\n")
    plan("start", "--no-daemon", "--replace")
    config_file.write_text("[cold\nminutes = 14\n")
    status = plan("status")
    assert status.stderr.count("\n") == 1 and "not valid TOML" in status.stderr and "last recorded" in status.stderr
    assert plan.json("status")["current"]["minutes"] == 12  # the settings recorded with the plan, not the defaults
    plan("log", "pain", "4")
    kinds = [e["kind"] for e in plan.json("history")["events"]]
    assert kinds[-3:] == ["plan-start", "settings", "pain"]  # no settings change recorded from the broken file


def test_symptom_warning_signs_get_advice(plan):
    assert "URGENT" in plan("log", "symptom", "numb", "in", "the", "groin").stdout
    out = plan("log", "symptom", "tingling down my leg").stdout
    assert "doctor" in out and "URGENT" not in out
    silent = plan("log", "symptom", "stiff in the morning").stdout
    assert silent.startswith("Saved.") and "cannot judge" in silent and "match none" not in silent  # never good news
    assert silent.index("call the emergency number now") < silent.index("go to an emergency department now")
    assert "chest-pain" in silent and "bladder-bowel" in silent
    assert "--sign NAME" in silent and "radiating" not in silent  # the serious ones, and how to name one


def test_notes_are_kept_exactly_as_typed(plan):
    note = 'it\'s "bad" <b>today</b> $(rm -rf ~) `x`\nsecond line'
    plan("log", "note", note)
    plan("log", "pain", "7", "--note", note)
    entries = plan.json("history")["events"]
    assert [e.get("text") for e in entries[-2:]] == [note, note]
    assert "$(rm -rf ~)" in plan("history").stdout


def test_recovered_shows_a_summary_and_prevention_tips(plan):
    with freeze_time("2026-11-24 09:20:00+01:00"):
        plan("log", "pain", "7")
        plan("done")
    with freeze_time("2026-11-27 10:00:00+01:00"):
        plan("log", "pain", "2")
        out = plan("recovered").stdout
    assert "1 ice" in out and "Pain went from 7/10 to 2/10" in out and "  - Stay active: regular walking" in out
    assert "after 3 days" in out and "time(s)" not in out  # counted from the plan's start, in words
    assert plan.json("status")["phase"] is None
    assert plan.json("history")["events"][-1]["kind"] == "plan-end"


def test_config_path_init_and_show(run, config_file):
    assert run("config", "path").stdout.strip() == str(config_file)
    run("config", "init")
    assert "days = 2" in config_file.read_text()
    assert "already exists" in run("config", "init", code=1).stderr
    assert run.json("config", "show")["quiet_hours"] == {"periods": ["22:00-07:00"]}


def test_every_command_has_help(run):
    for args in (["--help"], ["start", "--help"], ["log", "symptom", "--help"], ["config", "show", "--help"]):
        assert "Usage:" in run(*args).stdout


def test_two_commands_at_once_both_land(plan, isolated):
    procs = [
        subprocess.Popen(
            [*THERAPY_TIMER, "log", "pain", str(n)],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in (3, 4)
    ]
    assert [p.wait(timeout=30) for p in procs] == [0, 0]
    assert sorted(e["score"] for e in plan.json("history")["events"] if e["kind"] == "pain") == [3, 4]


def test_real_subprocess_end_to_end(isolated):
    tt(None, "start", "--no-daemon", "--injured", "-30m")
    view = json.loads(tt(None, "status", "--json").stdout)
    assert view["phase"] == "cold"
    bad = tt(None, "log", "pain", "11", code=2)
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    tt(None, "stop")
    assert json.loads(tt(None, "status", "--json").stdout)["phase"] is None
    db = isolated / "therapy-timer.sqlite3"
    assert (os.stat(isolated).st_mode & 0o777, os.stat(db).st_mode & 0o777) == (0o700, 0o600)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("args", [("status",), ("plan", "--hours", "2")])
def test_ordinary_commands_do_not_load_the_daemon_libraries(plan, args):
    loaded = imported(*args, env=None)
    assert "therapy_timer.usecases" in loaded  # it did its work
    assert not {m for m in loaded if m.split(".")[0] in ("apscheduler", "plyer")}


@freeze_time(T0_TEXT)
def test_start_in_the_heat_phase_says_what_to_do_now(run):
    out = run("start", "--injured", "-3d", "--no-daemon").stdout
    assert "Now:  heat until 09:15" in out and "Next: " in out


def test_start_spawns_the_reminders_and_stop_ends_them(isolated, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}

    def running() -> bool:
        return json.loads(tt(env, "status", "--json").stdout)["daemon_running"]

    assert "starting in the background" in tt(env, "start").stdout
    autostart = tmp_path / "xdg-config" / "autostart" / "therapy-timer.desktop"
    assert '"-m" "therapy_timer.daemon"' in autostart.read_text()
    log = isolated / "daemon.log"
    assert wait_until(lambda: log.exists() and "Ice on now" in log.read_text()), (
        log.read_text() if log.exists() else "no log"
    )
    assert running()
    tt(env, "stop")
    assert wait_until(lambda: not running())
    assert not autostart.exists()


def test_every_reporting_command_speaks_json_with_the_schema(run):
    with freeze_time(T0_TEXT):
        shown = run.json("start", "--no-daemon", "--injured", "-3d")
        assert shown["schema"] == 1 and shown["command"] == "start" and shown["current"]["minutes"] == 15
        assert run.json("log", "pain", "4")["score"] == 4
        assert run.json("log", "note", "fine")["text"] == "fine"
        assert run.json("log", "symptom", "stiff")["warning_signs"] == []
    with freeze_time("2026-11-24 09:02:00+01:00"):
        snoozed = run.json("snooze", "5")
        assert snoozed["minutes"] == 5 and snoozed["again_at"].startswith("2026-11-24T09:07")
    with freeze_time("2026-11-24 09:08:00+01:00"):
        switched = run.json("log", "heat-worse")
        assert switched["heat_off_now"] is True and switched["ice"]["kind"] == "ice"
        assert run.json("done")["session"]["cut_short"] is True
    with freeze_time("2026-11-24 09:09:00+01:00"):
        ended = run.json("stop")
        assert set(ended) >= {"schema", "command", "days", "done", "pain_first", "pain_last"}
    assert run.json("forget", "--yes")["removed"]


def test_rule_11_heat_worse_in_a_cold_phase_says_only_what_is_true(plan):
    with freeze_time("2026-11-24 09:30:00+01:00"):
        out = plan("log", "heat-worse").stdout
    assert "Take the heat off" not in out and "stays as it is" in out


def test_rule_11_history_shows_the_injury_in_local_time(plan):
    start = plan.json("history")["events"][0]
    assert start["injured_at"] == "2026-11-24T09:00:00+01:00" and start["text"] is None


def test_status_json_has_the_same_keys_with_and_without_a_plan(run):
    without = run.json("status")
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        with_plan = run.json("status")
    assert set(without) == set(with_plan) and with_plan["schema"] == without["schema"] == 1


@freeze_time(T0_TEXT)
def test_a_plan_start_says_first_what_current_guidance_says_then_to_keep_moving(run):
    out = run("start", "--no-daemon").stdout.splitlines()
    assert (
        out[0]
        == "Back spasms are common, rarely serious, and usually ease within days to weeks. Staying gently active helps."
    )
    assert any(line.startswith("Keep moving as the pain allows") for line in out)
    assert "Now:  ice until 09:15 (15 min left): ice pack (or frozen vegetables) wrapped in a towel" in out


@freeze_time(T0_TEXT)
def test_rule_11_an_injury_weeks_ago_is_told_what_this_plan_is_for(run):
    out = run("start", "--no-daemon", "--injured", "-20d").stdout
    assert "for the first days" in out and "physical therapist" in out


@freeze_time(T0_TEXT)
def test_from_day_14_pain_no_lower_than_at_the_start_shows_a_notice_until_it_falls_or_is_acknowledged(run):
    run("start", "--no-daemon", "--injured", "-15d")  # day 16
    asked = run.json("status")["not_better"]
    assert (asked["day"], asked["needs_score"], asked["recent_median"]) == (16, True, None)
    assert "please log one each day (`therapy-timer log pain N`)" in run("status").stdout
    run("log", "pain", "6", "--at", "-15d")  # day 1
    run("log", "pain", "6")
    view = run.json("status")["not_better"]
    assert (view["first_day"], view["first_median"], view["recent_median"], view["needs_score"]) == (1, 6.0, 6.0, False)
    out = run("status").stdout
    assert "See a doctor or physical therapist. It is day 16, and your pain is no lower than at the start" in out
    run("log", "pain", "2")  # the last three days' middle score is 4 now: lower than 6
    assert run.json("status")["not_better"] is None and "physical therapist" not in run("status").stdout
    run("log", "pain", "8")  # 6, 2 and 8: 6 again
    assert run.json("status")["not_better"] is not None
    assert "Noted." in run("signs", "ack").stdout
    assert run.json("status")["not_better"] is None
    run("signs", "ack", code=1)  # nothing left to acknowledge


def test_a_logged_urgent_sign_stays_in_status_until_acknowledged(plan):
    answer = plan("log", "symptom", "--sign", "bladder-bowel").stdout
    assert "URGENT" in answer and "cannot judge" in answer and "sounds like" not in answer
    view = plan.json("status")
    assert view["warning"]["action"] == "get-help-now" and view["warning"]["sign"] == "bladder-bowel"
    assert "GET HELP NOW" in plan("status").stdout
    plan("signs", "ack")
    assert plan.json("status")["warning"] is None
    assert "therapy-timer signs" in plan("status").stdout  # the pointer to the list stays
    plan("signs", "ack", code=1)  # nothing left to acknowledge


def test_a_sign_logged_without_a_plan_shows_too(run):
    run("log", "symptom", "I", "have", "a", "fever")
    assert run.json("status")["warning"]["action"] == "get-help-now"


def test_start_names_the_signs_and_signs_lists_them_all(run):
    out = run("start", "--no-daemon").stdout
    assert "Warning signs" in out and "log symptom --sign" in out
    listed = run("signs").stdout
    order = ["Call the emergency number", "Go to an emergency department", "See a doctor within", "See a doctor or"]
    assert [listed.index(heading) for heading in order] == sorted(listed.index(heading) for heading in order)
    assert "saddle" in listed and "112 / 999 / 911" in listed
    assert {s["sign"] for s in run.json("signs")["signs"]} >= {"saddle", "heat-burn", "nerve"}


def test_log_symptom_with_no_words_off_a_terminal_says_how_to_name_a_sign(run):
    result = run("log", "symptom", code=2)
    assert "--sign" in result.stderr


def test_a_replaced_plan_lets_the_skin_rest_before_its_first_ice(run):
    """Found by a newcomer: replacing a plan put ice back on five minutes after the last came off."""
    with freeze_time("2026-11-24 09:20:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        run("done", "--at", "09:15")  # the 09:00 ice came off at 09:15
        out = run("start", "--no-daemon", "--replace", "--injured", "yesterday 20:00").stdout
        assert "the skin rests first: no ice or heat before 09:30" in out
        view = run.json("status")
    assert view["current"] is None and iso(view["next"]["start"]) == iso("2026-11-24T09:30:00+01:00")
    assert iso(view["started_at"]) == iso("2026-11-24T09:20:00+01:00")  # the plan's start is not put in the future
    with freeze_time("2026-11-24 09:22:00+01:00"):
        run("log", "heat-worse", "--at", "09:21")  # a report just after the start is not "before the plan"
    with freeze_time("2026-11-24 11:00:00+01:00"):  # long after: nothing to wait for
        out = run("start", "--no-daemon", "--replace").stdout
    assert "rests first" not in out and "Now:  ice until 11:15" in out


def test_a_skipped_session_never_touched_the_skin(run):
    with freeze_time("2026-11-24 09:05:00+01:00"):
        run("start", "--no-daemon", "--at", "09:00")
        run("skip")
        out = run("start", "--no-daemon", "--replace").stdout
    assert "rests first" not in out and "Now:  ice until 09:20" in out


def test_two_answers_given_at_the_same_moment_cannot_both_land(plan, isolated, monkeypatch):
    """Found by a newcomer: `done & skip &` recorded both for one session. Here the other command's
    answer lands between this one reading the plan and writing its answer."""
    from therapy_timer import usecases
    from therapy_timer.bootstrap import Wiring
    from therapy_timer.errors import RefusedError
    from therapy_timer.settings import Config
    from therapy_timer.store import Store

    store, other = Store(isolated), Store(isolated)
    now = datetime.fromisoformat("2026-11-24T09:05:00+01:00")
    real = store.log_answer

    def raced(plan_id, at, kind, now_, session, source=None):
        other.log(plan_id, at, "skip", now_, session=session)  # the other command, a moment earlier
        return real(plan_id, at, kind, now_, session, source)

    monkeypatch.setattr(store, "log_answer", raced)
    deps = Wiring(isolated.parent / "config.toml", BERLIN).deps(store, now, Config())
    with pytest.raises(RefusedError, match="already marked skip"):
        usecases.answer(deps, "done", now)
    assert [e.kind for e in store.events() if e.kind in ("done", "skip")] == ["skip"]
    store.close()
    other.close()


def test_a_plan_replaced_to_correct_the_injury_time_starts_at_once(run):
    with freeze_time("2026-11-24 09:02:00+01:00"):
        run("start", "--no-daemon")
        out = run("start", "--no-daemon", "--replace", "--injured", "-3d").stdout  # the ice was never answered
    assert "rests first" not in out and "Now:  heat until 09:17" in out


def test_an_empty_symptom_or_note_is_refused_and_nothing_saved(plan):
    """Found by a newcomer: blank entries were saved and filled the report with empty lines."""
    for args in (("log", "symptom", "   "), ("log", "note", ""), ("log", "pain", "3", "--note", " ")):
        assert "empty; nothing was saved" in plan(*args, code=2).stderr
    assert [e["kind"] for e in plan.json("history")["events"]] == ["plan-start", "settings"]


def test_not_a_number_is_refused_like_any_bad_number(plan):
    """Found by a newcomer: 'nan' passed the range check (it is unordered) and broke the command."""
    for args in (("plan", "--hours", "nan"), ("demo", "--speed", "nan"), ("demo", "--hours", "NaN")):
        result = plan(*args, code=2)
        assert "is not a number" in result.stderr and "unexpected" not in result.stderr


@freeze_time(T0_TEXT)
def test_an_entry_logged_for_another_moment_says_which(plan):
    assert plan("log", "pain", "4").stdout == "Saved: pain 4/10.\n"
    assert plan("log", "pain", "5", "--at", "08:30").stdout == "Saved: pain 5/10 for 08:30.\n"


@pytest.mark.parametrize("command", [("status",), ("plan",), ("history",), ("signs",), ("config", "show")])
def test_every_json_output_leads_with_its_schema_and_command(plan, command):
    """The README's contract; a newcomer found five commands without `command` and two without `schema`."""
    out = plan.json(*command)
    assert list(out)[:2] == ["schema", "command"] and out["schema"] == 1 and out["command"] == " ".join(command)


@freeze_time("2026-11-24 09:01:00+01:00")
def test_done_long_before_the_end_says_no_take_it_off_reminder_will_come(plan):
    """Found by a newcomer: `done` meaning "it's on" silently cancelled the take-it-off reminder."""
    out = plan("done").stdout
    assert "It had 14 min to go, so no take-it-off reminder will come: if it is still on, take it off by 09:15" in out


@freeze_time(T0_TEXT)
def test_status_says_to_take_the_heat_off_while_the_stop_is_unanswered(run):
    """Found by a newcomer: status said 'Now: nothing; rest comfortably' under a 'Stop the heat now'."""
    run("start", "--no-daemon", "--injured", "-3d")
    run("log", "heat-worse")
    assert "Now:  Stop the heat now (since 09:00): if it is still on, take it off" in run("status").stdout
    assert run.json("status")["take_off"]["title"] == "Stop the heat now"
    run("done")
    now = "Now:  nothing planned; carry on with your usual activities as the pain allows"  # day 4
    assert now in run("status").stdout and run.json("status")["take_off"] is None


def test_an_unexpected_problem_never_claims_that_nothing_else_was_changed(run, monkeypatch):
    """Issue 21.2: the catch-all answer said "nothing else was changed" after `start` had recorded a
    plan; it cannot know, so it says where to look instead."""
    from therapy_timer import usecases

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(usecases, "status", broken)
    said = run("status", code=1).stderr
    assert said.startswith("therapy-timer: unexpected problem (RuntimeError: a bug)") and said.count("\n") == 1
    assert "nothing else was changed" not in said and "`therapy-timer status` shows it" in said


def test_doctor_with_reminders_that_do_not_answer_judges_from_this_terminal_and_says_so(run, isolated, monkeypatch):
    """A daemon from before doctor could ask (it holds the lock and listens, never answers) costs
    doctor two seconds, not a push's wait, and doctor says what it could not learn."""
    import socket as sockets

    from therapy_timer import daemon_client, paths

    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    run("start", "--no-daemon")
    lock = daemon_client.DaemonLock(isolated)
    assert lock.acquire()
    paths.ensure_runtime_dir()
    silent = sockets.socket(sockets.AF_UNIX, sockets.SOCK_DGRAM)
    silent.bind(daemon_client.address(isolated))
    try:
        began = time.monotonic()
        report = json.loads(run("doctor", "--json", code=1).stdout)
        assert time.monotonic() - began < 5
        assert report["daemon_running"] is True and report["daemon"] == {"answered": False}
        assert report["push"]["sent_from"] == "this terminal"
        assert "they did not answer doctor's question" in run("doctor", code=1).stdout
    finally:
        silent.close()
        lock.release()
