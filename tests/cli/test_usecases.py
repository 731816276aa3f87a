"""The use cases through their dependencies: a real store in a temporary folder, a fixed "now", no click."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta

import pytest

from tests.helpers import BERLIN, T0, M, deps
from therapy_timer import json_views, usecases
from therapy_timer import store as store_module
from therapy_timer.errors import RefusedError
from therapy_timer.settings import Cold, Config
from therapy_timer.store import Store


def test_rule_9_an_edit_never_rewrites_a_session_that_began(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    usecases.answer(deps(store, T0 + 16 * M), "done", T0 + 16 * M)
    shorter = Config(cold=Cold(minutes=12))
    usecases.log_entry(deps(store, T0 + 30 * M, shorter), "pain", T0 + 30 * M, score=4)  # a write records the edit
    view = json_views.plan_window(
        usecases.plan_window(deps(store, T0 + 31 * M, shorter), T0, T0 + 5 * timedelta(hours=1))
    )
    ice = [s for s in view["sessions"] if s["kind"] == "ice"]
    assert [s["minutes"] for s in ice[:2]] == [15, 12]
    kinds = [e.kind for e in store.events()]
    assert kinds.count("settings") == 2  # the settings it began with, and the edit, from when it was recorded


def test_queries_never_write_and_show_the_settings_recorded(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    shorter = Config(cold=Cold(minutes=12))
    before = store.events()
    json_views.status(usecases.status(deps(store, T0 + 2 * M, shorter)))
    view = json_views.plan_window(
        usecases.plan_window(deps(store, T0 + 2 * M, shorter), T0, T0 + 5 * timedelta(hours=1))
    )
    usecases.report(deps(store, T0 + 2 * M, shorter))
    assert store.events() == before  # an edit a query sees is not recorded by it
    assert {s["minutes"] for s in view["sessions"] if s["kind"] == "ice"} == {15}  # the recorded settings
    usecases.snooze(deps(store, T0 + 3 * M, shorter), 10)  # the next write records it, from its moment
    settings = [e for e in store.events() if e.kind == "settings"]
    assert len(settings) == 2 and settings[-1].at == T0 + 3 * M and "cold.minutes = 12" in (settings[-1].text or "")


def test_a_refused_answer_records_no_settings_edit(store):
    usecases.start(deps(store, T0 + 10 * M), T0 + 10 * M, T0 + 10 * M, False, "Europe/Berlin")
    before = store.events()
    with pytest.raises(RefusedError):
        usecases.answer(deps(store, T0 + 10 * M, Config(cold=Cold(minutes=12))), "done", T0 - 60 * M)
    assert store.events() == before


def test_rule_5_status_shows_an_answered_session_as_answered_and_a_pending_snooze(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    snoozed = usecases.snooze(deps(store, T0 + 2 * M), 10)
    assert snoozed.title == "Ice on now" and snoozed.again_at == T0 + 12 * M
    view = json_views.status(usecases.status(deps(store, T0 + 3 * M)))
    assert view["snoozed"]["title"] == "Again: ice on now"
    usecases.answer(deps(store, T0 + 20 * M), "done", T0 + 20 * M)  # the snooze moved it to 09:12-09:27
    view = json_views.status(usecases.status(deps(store, T0 + 21 * M)))
    assert view["current"]["key"] == snoozed.session and view["current"]["outcome"] == "done"
    assert view["snoozed"] is None
    assert view["next_reminder"]["title"] == "Ice on now"  # the 11:00 one: nothing of the answered one


def test_rule_6_snooze_refuses_with_nothing_in_front_of_the_user(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    with pytest.raises(RefusedError, match="no reminder to snooze"):
        usecases.snooze(deps(store, T0 + 60 * M), 10)


def test_rule_4_try_heat_again_is_refused_when_heat_is_not_on_hold(store):
    usecases.start(deps(store, T0), T0 - timedelta(days=3), T0, False, "Europe/Berlin")
    with pytest.raises(RefusedError, match="not on hold"):
        usecases.try_heat_again(deps(store, T0 + M), T0 + M)
    assert "try-heat-again" not in [e.kind for e in store.events()]


def test_rule_11_heat_worse_in_a_cold_phase_changes_nothing_and_says_no_heat_is_on(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    result = usecases.switch(deps(store, T0 + 30 * M), "heat-worse", T0 + 30 * M)
    assert not result.changed and not result.heat_off_now


def test_an_answer_from_a_notification_is_recorded_with_its_source(store):
    usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    result = usecases.answer(deps(store, T0 + 16 * M), "done", T0 + 16 * M, source="notification")
    logged = [e for e in store.events() if e.kind == "done"]
    assert logged[0].source == "notification" and logged[0].session == result.session.key
    entry = json_views.history_entry(logged[0], BERLIN)
    assert entry["source"] == "notification"


def test_every_json_result_has_the_schema_and_whole_minutes(store):
    result = usecases.start(deps(store, T0), T0, T0, False, "Europe/Berlin")
    shown = json_views.result("start", result, BERLIN)
    assert shown["schema"] == json_views.SCHEMA and shown["command"] == "start"
    assert isinstance(shown["current"]["minutes"], int) and shown["phase_until"].endswith("+01:00")


def test_an_older_database_gains_the_source_column(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    db = sqlite3.connect(folder / store_module.DB_NAME)
    db.executescript(store_module.DDL.replace(",\n    source TEXT", "") + "PRAGMA user_version = 2;")
    moment = "2026-11-24T08:00:00+00:00"
    db.execute("INSERT INTO events (plan_id, at, kind, recorded_at) VALUES (NULL, ?, 'note', ?)", (moment, moment))
    db.commit()
    db.close()
    opened = Store(folder)
    try:
        assert [e.source for e in opened.events()] == [None]
        assert opened.db.execute("PRAGMA user_version").fetchone() == (store_module.SCHEMA_VERSION,)
    finally:
        opened.close()


def test_try_heat_again_refusal_names_the_time_as_people_read_it(store):
    usecases.start(deps(store, T0), T0 - timedelta(days=3), T0, False, "Europe/Berlin")
    usecases.switch(deps(store, T0 + M), "heat-worse", T0 + M)
    with pytest.raises(RefusedError, match="heat is planned again from") as refused:
        usecases.try_heat_again(deps(store, T0 + 2 * M), T0 + 2 * M)
    assert not re.search(r"\d{4}-\d\d-\d\dT", str(refused.value)), refused.value
