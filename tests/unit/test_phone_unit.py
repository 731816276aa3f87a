"""The unit-tier tests of `tests/daemon/test_phone.py` (helpers shared in `tests/fixtures/phone.py`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.helpers import T0
from therapy_timer import phone, push
from therapy_timer.settings import Push
from therapy_timer.store import PhoneButton


def test_answers_from_the_phone_are_off_by_default_and_need_push():
    assert Push().answers == "off" and not phone.on(Push())
    assert not phone.on(Push(answers="on")) and phone.on(Push(url="https://ntfy.sh/x", answers="on"))


@pytest.mark.parametrize(
    "offered, on_the_phone",
    [
        (("heat-worse", "heat-no-help", "skip", "snooze"), ("heat-worse", "heat-no-help", "skip")),
        (("done", "heat-worse", "heat-no-help"), ("heat-worse", "done", "heat-no-help")),
        (("skip", "snooze"), ("skip", "snooze")),
        (("walked", "skip", "later"), ("walked", "skip", "later")),
        (("done",), ("done",)),
        (("check-none", "check-new"), ()),  # the daily check-in: its answer is a list the phone cannot show
    ],
)
def test_the_push_offers_the_reminders_own_answers_made_it_worse_first_three_at_most(offered, on_the_phone):
    assert phone.phone_buttons(offered) == on_the_phone


def test_a_push_with_buttons_is_json_to_the_server_root_with_http_actions_that_clear():
    settings = Push(url="https://ntfy.example.org/back-a7Xq93kLm", token="tk_x", detail="full", answers="on")
    said = push.Message(
        "Heat off now",
        "Take the heat off.",
        4,
        ("hotsprings",),
        (push.Action("Done, it's off", "https://r/x", "c0de"),),
    )
    request = push.post(settings, said)
    assert (request.method, request.url) == ("POST", "https://ntfy.example.org/")
    assert request.headers == {"Content-Type": "application/json", "Authorization": "Bearer tk_x"}
    assert json.loads(request.body) == {
        "topic": "back-a7Xq93kLm",
        "message": "Take the heat off.",
        "title": "Heat off now",
        "priority": 4,
        "tags": ["hotsprings"],
        "actions": [
            {"action": "http", "label": "Done, it's off", "url": "https://r/x", "method": "POST", "body": "c0de",
             "clear": True},
        ],
    }  # fmt: skip
    assert push.from_bytes(push.as_bytes(request)) == request  # as the child process reads it


def test_the_reading_is_a_poll_of_the_reply_topic_since_a_time_then_since_the_last_message():
    settings = Push(url="https://ntfy.sh/back-a7Xq93kLm", token="tk_x", answers="on")
    request = phone.poll(settings, "reply-abc", "1795507140")
    assert request.method == "GET" and request.headers == {"Authorization": "Bearer tk_x"}
    assert request.url == "https://ntfy.sh/reply-abc/json?poll=1&since=1795507140"
    button = PhoneButton("c", 1, "k", "s", "done", T0, T0 + timedelta(minutes=30))
    assert phone.first_since([button]) == str(int(T0.timestamp()) - 60)


def test_a_reading_keeps_only_message_events_and_survives_a_cut_off_line():
    answer = (
        b'{"id":"a1","time":1795507200,"event":"open","topic":"r"}\n'
        b'{"id":"b2","time":1795507201,"event":"message","topic":"r","message":"xyz"}\n'
        b'{"id":"c3","time":1795507202,"event":"keepalive","topic":"r"}\n'
        b'{"id":"d4","time":1795507203,"event":"mess'
    )
    assert phone.read(answer) == [phone.Heard("b2", datetime.fromtimestamp(1795507201, timezone.utc), "xyz")]


def test_each_code_is_judged_unknown_used_late_or_an_answer():
    code = phone.new_code()
    fresh = PhoneButton(code, 1, "s/off", "s", "done", T0, T0 + timedelta(minutes=30))
    assert phone.judge(fresh, code, T0 + timedelta(minutes=1)) == "answer"
    assert phone.judge(fresh, code, T0 + timedelta(minutes=30)) == "late"
    assert phone.judge(fresh._replace(used_at=T0), code, T0) == "used"
    assert phone.judge(None, phone.new_code(), T0) == "unknown"
    assert phone.judge(fresh, code + "x", T0) == "not-ours"
    assert phone.judge(fresh, "heat-worse", T0) == "not-ours"
