"""Answers from the phone: the pushed reminder carries its buttons, and a press comes home.

Against the stand-in ntfy server of tests/ntfy_server.py (written from ntfy's documentation) and its
stand-in phone, which presses a button by making the action's own HTTP request. The daemon is the
stepped one (hand clock, and the server on the same clock); its readings of the reply topic run in
real threads and child processes, which the tests wait for (`Reader.wait`) instead of sleeping. One
test runs the whole way through a real daemon process.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.fixtures.phone import (
    TOPIC,
    answers_config,
    events,
    fire_next,
    heat_plan,
    ice_plan,
    read_answers,
    refused_lines,
    send,
)
from tests.helpers import T0, THERAPY_TIMER, stepping_daemon, tt
from tests.ntfy_server import Ntfy, Phone
from therapy_timer import phone, push
from therapy_timer.store import Store

pure = pytest.mark.unit


# What the buttons are, and what they carry -------------------------------------------------------


# Through the daemon, to the stand-in server and back ----------------------------------------------


def test_each_pushed_reminder_carries_its_buttons_and_they_carry_only_a_random_code(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC), "generic")
    heat_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)  # heat on
        ntfy.wait_for(lambda: len(ntfy.on(TOPIC)) == 1)
    (published,) = [r for r in ntfy.requests if r.method == "POST"]
    assert published.path == "/" and published.headers["Content-Type"] == "application/json"
    (message,) = ntfy.on(TOPIC)
    assert (message["title"], message["message"], message["priority"]) == ("Reminder", "Time for your next session.", 3)
    assert [a["label"] for a in message["actions"]] == ["Made it worse", "Didn't help", "Skip"]
    (reply,) = {a["url"] for a in message["actions"]}
    assert reply.startswith(ntfy.root) and TOPIC not in reply and len(reply.rpartition("/")[2]) >= 32
    codes = [a["body"] for a in message["actions"]]
    assert len(set(codes)) == 3 and all(phone.is_code(c) for c in codes)
    assert all(a["method"] == "POST" and a["clear"] is True and set(a) == {"action", "label", "url", "method", "body",
               "clear"} for a in message["actions"])  # fmt: skip
    carried = json.dumps([(a["url"], a["body"]) for a in message["actions"]]).lower()
    assert not any(word in carried for word in ("heat", "ice", "worse", "help", "skip", "@", "/on", "session"))
    topic = reply.rpartition("/")[2]
    assert not any(topic in line or any(c in line for c in codes) for line in p.logged)


def test_made_it_worse_pressed_on_the_phone_turns_the_plan_back_to_cold_and_closes_the_desktop_copy(
    isolated, config_file, ntfy, clock
):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    heat_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)  # heat on
        handset = Phone(ntfy, TOPIC)
        heat_on = handset.latest()
        assert heat_on["title"] == "Moist heat on now" and "Type therapy-timer" not in heat_on["message"]
        assert handset.press(heat_on, "Made it worse") == 200
        assert heat_on["id"] not in [m["id"] for m in handset.shown()]  # `clear`: gone from the phone
        read_answers(p)
        assert events(isolated) == [("heat-worse", "phone")]
        assert p.recorder.titles[-1] == "Stop the heat now"  # the desktop button's follow-up, at once
        assert list(p.recorder.on_screen.values())[-1].title == "Stop the heat now"  # in the heat's place
        ntfy.wait_for(lambda: handset.latest()["title"] == "Stop the heat now")
        assert handset.labels(handset.latest()) == ["Done, it's off"]
        assert handset.press(handset.latest(), "Done, it's off") == 200
        read_answers(p)
        assert events(isolated) == [("heat-worse", "phone"), ("done", "phone")]
        assert p.recorder.on_screen == {}  # answered: the session's notification left the desk
    said = [line for line in p.logged if "from the phone" in line]
    assert len(said) == 2 and "back to cold" in said[0] and "marked done" in said[1]


def test_the_reply_topic_is_polled_since_a_time_then_since_the_last_message_read(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)  # ice on: Skip, Snooze 10 min
        read_answers(p)
        handset = Phone(ntfy, TOPIC)
        handset.press(handset.latest(), "Snooze 10 min")
        read_answers(p)
        read_answers(p)
    first, second, third = ntfy.polls()[:3]
    reply = handset.latest()["actions"][0]["url"].rpartition("/")[2]
    assert first.path == f"/{reply}/json?poll=1&since={int(T0.timestamp()) - 60}"
    assert second.path == first.path  # nothing read yet
    (press,) = ntfy.on(reply)
    assert third.path == f"/{reply}/json?poll=1&since={press['id']}"
    assert events(isolated) == [("snooze", "phone")]


def test_a_press_that_could_not_be_recorded_is_recorded_at_the_retry_once(
    isolated, config_file, ntfy, clock, monkeypatch
):
    """Its code is used up when it is read; a failure to record the answer (a full disk) must not
    lose it: the retry records it, once."""
    from therapy_timer import usecases

    answers_config(config_file, ntfy.topic_url(TOPIC))
    heat_plan(isolated)
    real, failures = usecases.press, [OSError(28, "No space left on device")]

    def press(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(usecases, "press", press)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)
        handset = Phone(ntfy, TOPIC)
        handset.press(handset.latest(), "Made it worse")
        read_answers(p)
        assert events(isolated) == [] and any(line.startswith("problem, retrying") for line in p.logged)
        p.scheduler.run_until(clock.now() + timedelta(seconds=30))
        assert p.daemon.pusher.wait(15) and p.daemon.phone_reader.wait(15)
    assert events(isolated) == [("heat-worse", "phone")] and refused_lines(p.logged) == []


def test_unknown_altered_and_late_codes_change_nothing_and_are_logged_once_each(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    heat_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)  # heat on: in front of the person until half its session
        handset = Phone(ntfy, TOPIC)
        heat_on = handset.latest()
        worse = next(a for a in heat_on["actions"] if a["label"] == "Made it worse")
        reply, code = worse["url"], worse["body"]
        send(reply, phone.new_code())  # unknown: a code this app never gave
        send(reply, code[:-1] + ("A" if code[-1] != "A" else "B"))  # altered by one character: unknown too
        send(reply, code + "-heat-worse")  # altered: more than a code
        read_answers(p)
        assert events(isolated) == []
        clock.advance(minutes=8)  # past half the heat session: "Heat on" is no longer in front
        fire_next(p)  # heat off, with its own buttons: the readings go on
        assert handset.press(heat_on, "Made it worse") == 200  # late
        read_answers(p)
        read_answers(p)  # read once: nothing is judged twice
        assert events(isolated) == []
        assert p.recorder.titles == ["Moist heat on now", "Heat off now"]
    refused = refused_lines(p.logged)
    assert len(refused) == 3, refused  # unknown (both), not ours, late: one line each kind
    assert "never gave" in refused[0] and "not an answer this app gave" in refused[1]
    assert "stopped being current" in refused[2]
    assert all(reply.rpartition("/")[2] not in line and code not in line for line in p.logged)


def test_a_replayed_press_changes_nothing_and_is_logged_once(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)  # ice on: Skip, Snooze 10 min
        handset = Phone(ntfy, TOPIC)
        snooze = next(a for a in handset.latest()["actions"] if a["label"] == "Snooze 10 min")
        assert handset.press(handset.latest(), "Snooze 10 min") == 200
        read_answers(p)
        send(snooze["url"], snooze["body"])  # the same request again
        send(snooze["url"], snooze["body"])
        read_answers(p)
    assert events(isolated) == [("snooze", "phone")]
    (refused,) = refused_lines(p.logged)
    assert "pressed before (a replay)" in refused


def test_the_daily_check_in_comes_to_the_phone_without_buttons_and_with_what_to_type(
    isolated, config_file, ntfy, clock
):
    """Its "One of these is new" answers with the list of signs and what to do: a press on the phone
    could not show it, so the push names the commands instead, and nothing is read for it."""
    answers_config(config_file, ntfy.topic_url(TOPIC), answers="off")
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(datetime(2026, 11, 25, 6, 29, tzinfo=timezone.utc))  # 07:29 in Berlin
        assert p.daemon.pusher.wait(15)
        answers_config(config_file, ntfy.topic_url(TOPIC))
        p.scheduler.run_until(datetime(2026, 11, 25, 6, 31, tzinfo=timezone.utc))  # the check-in, 07:30
        assert p.daemon.pusher.wait(15)
        assert p.recorder.titles[-1] == "Daily check: any of these new?"
        ntfy.wait_for(lambda: ntfy.on(TOPIC)[-1]["title"] == "Daily check: any of these new?")
        assert p.scheduler.next_at("phone") is None
    pushed = ntfy.on(TOPIC)[-1]
    assert "actions" not in pushed and "therapy-timer check --none" in pushed["message"]
    assert ntfy.polls() == []


# Reading only while an answer may come, and never in a reminder's way --------------------------------


def test_nothing_is_read_before_a_push_with_buttons_nor_after_its_reminder_stops_being_current(
    isolated, config_file, ntfy, clock
):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        assert ntfy.polls() == [] and p.scheduler.next_at("phone") is None
        fire_next(p)  # ice on (Skip, Snooze): in front until half the session
        assert p.scheduler.next_at("phone") == T0 + phone.FETCH_EVERY
        while p.scheduler.next_at("phone") is not None and p.scheduler.next_at("phone") < p.scheduler.next_at():
            p.scheduler.step()
            assert p.daemon.phone_reader.wait(15)
        readings = p.daemon.phone_reader.readings
        assert readings == 89  # every 5 s while "Ice on" was in front: until half its session (7.5 min)
        p.scheduler.run_until(T0 + timedelta(minutes=14, seconds=59))  # the window closed: nothing is read
        assert p.daemon.phone_reader.readings == readings and p.scheduler.next_at("phone") is None
        fire_next(p)  # ice off: a take-it-off reminder is in front for 30 minutes, unless answered
        handset = Phone(ntfy, TOPIC)
        handset.press(handset.latest(), "Done, it's off")
        read_answers(p)
        answered_at = p.daemon.phone_reader.readings
        p.scheduler.run_until(T0 + timedelta(minutes=60))
        assert p.daemon.phone_reader.readings == answered_at  # answered: no longer in front of the person
    assert events(isolated) == [("done", "phone")]


def test_with_answers_off_a_push_has_no_buttons_and_nothing_is_read(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC), answers="off")
    heat_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=20))
        assert p.daemon.pusher.wait(15)
        ntfy.wait_for(lambda: len(ntfy.on(TOPIC)) == 2)
    assert all("actions" not in m for m in ntfy.on(TOPIC)) and ntfy.polls() == []
    assert {r.path for r in ntfy.requests} == {f"/{TOPIC}"}  # published to the topic, as before
    assert "Type therapy-timer" in ntfy.on(TOPIC)[1]["message"]  # no buttons: what to type instead
    assert Store(isolated).phone_state("topic") is None


def test_a_server_that_is_down_holds_up_no_reminder_and_is_logged_once(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        fire_next(p)
        ntfy.close()  # down from here on
        for _ in range(3):
            read_answers(p)
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.daemon.pusher.wait(15)
        assert p.recorder.titles == ["Ice on now", "Ice off now"]
    failed = [line for line in p.logged if line.startswith("reading the answers from the phone")]
    assert len(failed) == 1 and "connection refused" in failed[0] and TOPIC not in failed[0]


def test_a_slow_server_holds_up_no_reminder_and_one_reading_at_most_is_under_way(isolated, config_file, ntfy, clock):
    answers_config(config_file, ntfy.topic_url(TOPIC))
    ntfy.hold = True  # no answer to a reading until released
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        p.daemon.phone_reader.timeout = 30
        fire_next(p)  # ice on
        ntfy.wait_for(lambda: len(ntfy.on(TOPIC)) == 1)
        p.scheduler.run_until(T0 + timedelta(minutes=15))  # ice off fires, on time, while the reading waits
        assert p.recorder.titles == ["Ice on now", "Ice off now"]
        ntfy.wait_for(lambda: len(ntfy.polls()) == 1)
        assert p.daemon.phone_reader.readings == 1 and not p.daemon.phone_reader.wait(0)
        ntfy.release.set()
        assert p.daemon.phone_reader.wait(15)
        assert [r.outcome for r in Store(isolated).reminders(1)] == ["fired", "fired"]


def test_a_server_that_trickles_its_answer_forever_is_cut_off(isolated, config_file, ntfy, clock, monkeypatch):
    monkeypatch.setattr(push, "START", 1.0)
    answers_config(config_file, ntfy.topic_url(TOPIC))
    ntfy.trickle = True
    ice_plan(isolated)
    with stepping_daemon(isolated, clock) as p:
        p.daemon.phone_reader.timeout = 0.5
        fire_next(p)
        began = time.monotonic()
        read_answers(p)
        assert time.monotonic() - began < 10
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.recorder.titles == ["Ice on now", "Ice off now"]
    (failed,) = [line for line in p.logged if line.startswith("reading the answers from the phone")]
    assert "no answer within 1.5 s (the reading was stopped)" in failed


# The whole way --------------------------------------------------------------------------------------


def test_made_it_worse_pressed_on_the_phone_reaches_a_real_daemon_process(isolated, config_file):
    """`therapy-timer run` as installed: it pushes the catch-up "heat on" with its buttons; the phone
    presses "Made it worse" (the action's own HTTP request); within the budget the daemon reads it,
    records it as the desktop button would, and pushes its follow-up, "Stop the heat now"."""
    server = Ntfy()
    try:
        answers_config(config_file, server.topic_url(TOPIC))
        env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}  # reminders to the log
        tt(env, "start", "--no-daemon", "--injured", "-3d", "--at", "-1m")
        daemon = subprocess.Popen(
            [*THERAPY_TIMER, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            server.wait_for(lambda: any("actions" in m for m in server.on(TOPIC)), 30)
            handset = Phone(server, TOPIC)
            heat_on = handset.latest()
            assert handset.labels(heat_on) == ["Made it worse", "Didn't help", "Skip"]
            pressed = time.monotonic()
            assert handset.press(heat_on, "Made it worse") == 200
            server.wait_for(lambda: handset.latest()["title"] == "Stop the heat now", 30)
            took = time.monotonic() - pressed
        finally:
            daemon.terminate()
            out, _ = daemon.communicate(timeout=30)
        history = tt(env, "history", "--json")
        said = tt(env, "history")
    finally:
        server.close()
    switched = [e for e in json.loads(history.stdout)["events"] if e["kind"] == "heat-worse"]
    assert [e["source"] for e in switched] == ["phone"], out
    assert "(from the phone)" in said.stdout
    assert took < 30, f"{took:.1f} s from the press to the follow-up"
    assert "answered from the phone: made it worse: back to cold" in out and ">>> Stop the heat now" in out
    assert heat_on["id"] not in [m["id"] for m in handset.shown()]  # cleared on the phone
