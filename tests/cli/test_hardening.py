"""Faults and bad input: nothing lost, nothing leaked, no traceback (see docs/reliability.md)."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fixtures.hardening import mutated_configs
from tests.helpers import THERAPY_TIMER, tt
from therapy_timer.cli.group import cli
from therapy_timer.notify import Note, PlyerBackend
from therapy_timer.store import Store

# Crashes and concurrency -----------------------------------------------------------------------


def test_twenty_log_commands_at_once_all_land(isolated):
    tt(None, "start", "--no-daemon")
    procs = [
        subprocess.Popen(
            [*THERAPY_TIMER, "log", "pain", str(n % 11), "--note", f"p{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(20)
    ]
    results = [(p.wait(60), p.stderr.read()) for p in procs]
    assert results == [(0, "")] * 20
    assert sorted(e.text for e in Store(isolated).events() if e.kind == "pain") == sorted(f"p{n}" for n in range(20))


# Bad config ------------------------------------------------------------------------------------


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=mutated_configs())
def test_mutated_configs_end_in_one_readable_line_and_exit_2(run, config_file, text):
    config_file.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = run.runner.invoke(cli, ["config", "show"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stdout == ""
        line = result.stderr
        assert line.count("\n") == 1 and line.startswith(f"therapy-timer: {config_file}")
        detail = line[len(f"therapy-timer: {config_file}") :]
        assert detail.startswith(":") and (
            "[" in detail
            or "line" in detail
            or "unknown key" in detail
            or "must be" in detail
            or "not valid TOML" in detail
            or "UTF-8" in detail
        )


# Bad command-line input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["start", "--injured", "2026-02-30T08:00", "--no-daemon"], "not a real date"),
        (["start", "--injured", "2999-01-01T08:00", "--no-daemon"], "is in the future"),
        (["start", "--injured", "9999-12-31T23:59", "--no-daemon"], "is in the future"),
        (["start", "--at", "99:99", "--no-daemon"], "cannot read the time"),
        (["log", "pain", "-1"], "not in the range"),
        (["log", "pain", "3.5"], "not a valid integer"),
        (["log", "pain", "ten"], "not a valid integer"),
        (["log", "pain", "99999999999999999999999"], "not in the range"),
    ],
)
def test_bad_command_line_input(run, args, message):
    result = run(*args, code=2)
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_odd_notes_are_stored_and_shown_exactly(run):
    run("start", "--no-daemon")
    notes = [
        "x" * 100_000,
        "quotes ' \" `",
        "line one\nline two\r\n",
        "<b>bold</b> &amp;",
        "$(touch /tmp/pwned); rm -rf ~ | cat &",
        "émoji 🧊 and RTL \u202e text",
        "-- --help --at now",
    ]
    for note in notes:
        run("log", "note", "--", note) if note.startswith("-") else run("log", "note", note)
    stored = [e["text"] for e in run.json("history")["events"] if e["kind"] == "note"]
    assert stored == notes
    assert not Path("/tmp/pwned").exists()


def test_a_notification_shows_markup_literally(monkeypatch):
    sent = {}

    class FakePlyer:
        @staticmethod
        def notify(**kwargs):
            sent.update(kwargs)

    import plyer

    monkeypatch.setattr(plyer, "notification", FakePlyer)
    monkeypatch.setattr("therapy_timer.notify.linux_backend", lambda: "notify-send")
    PlyerBackend().send(Note("t", "<b>not bold</b> & co"))
    assert sent["message"] == "&lt;b&gt;not bold&lt;/b&gt; &amp; co"  # the server renders this as typed


# Damaged data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty-header"])
def test_a_damaged_database_is_reported_with_its_path_and_never_recreated(run, isolated, damage):
    run("start", "--no-daemon")
    run("log", "pain", "5")
    db = isolated / "therapy-timer.sqlite3"
    content = db.read_bytes()
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(
        {
            "garbage": b"this is not a database" * 200,
            "truncated": content[: len(content) // 3],
            "empty-header": b"SQLite format 3\x00" + b"\x00" * 84,
        }[damage]
    )
    damaged = db.read_bytes()
    for args in (["status"], ["log", "pain", "4"], ["history"]):
        result = run(*args, code=1)
        assert str(db) in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == damaged
    out = run("forget", "--yes").stdout
    assert "Moved the damaged database" in out
    assert [
        p.read_bytes()
        for p in isolated.glob("therapy-timer.sqlite3.damaged-*")
        if not p.name.endswith(("-wal", "-shm"))
    ] == [damaged]


# Privacy ---------------------------------------------------------------------------------------


def test_private_folder_and_file_and_no_network(run, isolated, monkeypatch):
    used: list[object] = []
    real_connect, real_sendto = socket.socket.connect, socket.socket.sendto

    def connect(self, address):
        if self.family != socket.AF_UNIX:
            used.append(address)
        return real_connect(self, address)

    def sendto(self, data, address):
        if self.family != socket.AF_UNIX:
            used.append(address)
        return real_sendto(self, data, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    run("start", "--no-daemon")
    run("log", "pain", "4")
    run("log", "heat-worse")
    run("status")
    run("stop")
    assert used == []
    assert os.stat(isolated).st_mode & 0o777 == 0o700
    assert os.stat(isolated / "therapy-timer.sqlite3").st_mode & 0o777 == 0o600


def test_forget_asks_first_then_removes_every_record(run, isolated):
    run("start", "--no-daemon")
    run("log", "note", "private")
    assert "nothing was deleted" in run.runner.invoke(cli, ["forget"], input="n\n").stderr
    assert Store(isolated).events()
    result = run.runner.invoke(cli, ["forget"], input="y\n")
    assert result.exit_code == 0 and "Deleted" in result.stdout
    assert run.json("history")["events"] == []


# Notification failures -------------------------------------------------------------------------


# Clock trouble ---------------------------------------------------------------------------------


# Issue 11, bad input stays bad input ---------------------------------------------------------


@pytest.mark.parametrize(
    "args, says",
    [
        (["start", "--no-daemon", "--at", "0001-01-01T12:00"], "more than a year ago"),
        (["start", "--no-daemon", "--at", "0001-01-01T00:30"], "outside the dates"),  # year 0 in UTC
        (["start", "--no-daemon", "--injured", "1001-03-01T12:00"], "more than a year ago"),
        (["start", "--no-daemon", "--injured", "1925-03-01T12:00"], "more than a year ago"),
        (["start", "--no-daemon", "--at", "9999-12-31T12:00"], "in the future"),
    ],
)
def test_ancient_and_far_future_start_times_are_bad_input_and_leave_no_plan(run, args, says):
    result = run(*args, code=2)
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "unexpected" not in result.stderr
    assert run.json("status")["phase"] is None  # no broken plan left behind


@pytest.mark.parametrize("window", ["2020-01-01", "9999-12-31T12:00", "0001-01-01"])
def test_a_plan_window_far_from_now_is_bad_input(run, window):
    run("start", "--no-daemon")
    result = run("plan", "--from", window, code=2)
    assert len(result.stderr.strip().splitlines()) == 1 and "unexpected" not in result.stderr


def test_a_note_that_is_not_utf8_is_refused_in_one_line_and_nothing_is_saved(isolated):
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run([*THERAPY_TIMER, "log", "note", b"caf\xe9 \xff"], env=env, capture_output=True)
    assert done.returncode == 2, done.stderr
    assert b"not valid UTF-8" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    history = subprocess.run([*THERAPY_TIMER, "history", "--json"], env=env, capture_output=True)
    assert json.loads(history.stdout)["events"] == []


def test_history_shows_terminal_escapes_visibly_and_keeps_the_text_exact(run):
    note = "hi \x1b]0;pwned\x07 and \x1b[2J\x1b[31mred\nsecond line"
    run("log", "note", note)
    shown = run("history").stdout
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned\\x07" in shown and "second line" in shown
    assert [e["text"] for e in run.json("history")["events"]] == [note]


def test_a_config_nested_thousands_deep_is_one_line_naming_the_file(run, config_file):
    config_file.write_text("[cold]\nminutes = " + "[" * 5000 + "]" * 5000 + "\n")
    for result in (run("config", "show", code=2), run("status")):  # refused where checked, a warning elsewhere
        assert str(config_file) in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "unexpected" not in result.stderr


def test_a_stored_plan_from_year_1001_costs_nothing_and_can_be_stopped(run, isolated):
    """An absurd date already in the database (an old version, a hand edit) must not cost seconds per command."""
    run("start", "--no-daemon")
    run("log", "pain", "5")
    db = sqlite3.connect(isolated / "therapy-timer.sqlite3")
    with db:
        db.execute(
            "UPDATE plans SET injured_at = '1001-03-01T12:00:00+00:00', started_at = '1001-03-01T12:00:00+00:00'"
        )
    db.close()
    refused = run("status", code=1)
    assert "over a year ago" in refused.stderr and "stop" in refused.stderr
    run("stop")
    assert run.json("status")["phase"] is None
    assert [e["score"] for e in run.json("history")["events"] if e["kind"] == "pain"] == [5]


def test_an_empty_file_name_a_huge_plan_id_and_an_empty_note_are_one_clear_line(run):
    """Found by a newcomer: `export ics ""` said " is a folder", `report --html ""` "cannot write :",
    `report --plan 99999999999999999999999` an unexpected OverflowError, and an empty --note on a
    pain score "the pain text is empty"."""
    run("start", "--no-daemon")
    for args in (("export", "ics", ""), ("report", "--html", ""), ("report", "--csv", "")):
        said = run(*args, code=2).stderr
        assert said == "therapy-timer: the file name is empty: name a file, or - for standard output\n", args
    huge = run("report", "--plan", "99999999999999999999999", code=1).stderr
    assert huge.startswith("therapy-timer: there is no plan 99999999999999999999999") and "unexpected" not in huge
    assert "the note is empty" in run("log", "pain", "5", "--note", "", code=2).stderr
