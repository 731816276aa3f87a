"""The cli-tier tests of `tests/daemon/test_phone.py` (helpers shared in `tests/fixtures/phone.py`)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from tests.fixtures.phone import (
    TOPIC,
    answers_config,
)
from tests.ntfy_server import Ntfy
from therapy_timer.store import Store


def test_doctor_says_whether_answers_from_the_phone_are_on_and_when_the_last_arrived(
    run, config_file, isolated, no_desktop_tools
):
    server = Ntfy()
    try:
        answers_config(config_file, server.topic_url(TOPIC), answers="off")
        assert json.loads(run("doctor", "--json", code=1).stdout)["phone_answers"] == {
            "on": False, "last_arrived": None, "desk_clears_phone": False
        }  # fmt: skip
        assert (
            'Answers from the phone: off (pushes carry no buttons; [push] answers = "on" adds them)'
            in run("doctor", code=1).stdout
        )
        answers_config(config_file, server.topic_url(TOPIC))
        assert "Answers from the phone: on (none has arrived yet)" in run("doctor", code=1).stdout
        run("start", "--no-daemon", "--injured", "-3d")
        store, now = Store(isolated), datetime.now(timezone.utc)
        store.log(1, now, "heat-worse", now, source="phone")
        store.close()
        report = json.loads(run("doctor", "--json", code=1).stdout)["phone_answers"]
        said = run("doctor", code=1).stdout
    finally:
        server.close()
    assert report["on"] is True and datetime.fromisoformat(report["last_arrived"]) == now.replace(microsecond=0)
    assert (
        f"Answers from the phone: on (the last arrived {now.astimezone(ZoneInfo('Europe/Berlin')):%a %d %b %H:%M})"
        in said
    )
    assert "stays on the phone until you swipe it away" in said
    assert TOPIC not in json.dumps(report)


def test_history_and_the_report_say_an_answer_came_from_the_phone(run, isolated):
    run("start", "--no-daemon", "--injured", "-3d", "--at", "-10m")
    store, now = Store(isolated), datetime.now(timezone.utc)
    store.log(1, now, "heat-worse", now, source="phone")
    store.close()
    assert "(from the phone)" in run("history").stdout
    assert [e["source"] for e in run.json("history")["events"] if e["kind"] == "heat-worse"] == ["phone"]
    assert "(from the phone)" in run("report").stdout
    assert [s["source"] for s in run.json("report")["switches"]] == ["phone"]
