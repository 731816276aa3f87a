"""The unit-tier tests of `tests/daemon/test_push.py` (helpers shared in `tests/fixtures/push.py`)."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest

from tests.fixtures.push import (
    reminder,
)
from tests.helpers import T0, HandClock, new_plan, stepping_daemon
from therapy_timer import config_file, push
from therapy_timer.settings import ConfigError, Push


def test_push_is_off_by_default_and_says_nothing_about_health_until_asked():
    assert Push() == Push(url="", token="", detail="generic")
    assert config_file.parse(b"")[0].push.url == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://ntfy.sh/back-a7Xq93kLm",
        "https://ntfy.example.org:8443/topic?x=1",
        "http://localhost:8080/back",
        "http://127.0.0.1/back",
        "http://[::1]:2586/back",
        "",
    ],
)
def test_a_push_address_is_https_or_this_machine(url):
    built, warnings = config_file.parse(f'[push]\nurl = "{url}"\n'.encode())
    assert built.push.url == url and warnings == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ('url = "ntfy.sh/back"', 'must be an ntfy topic address like "https://ntfy.sh/your-topic", not "ntfy.sh/back"'),
        ('url = "ftp://ntfy.sh/back"', "must be an ntfy topic address"),
        ('url = "https://ntfy.sh"', 'must name a topic after the server, like "https://ntfy.sh/your-topic"'),
        ('url = "https://ntfy.sh/"', "must name a topic"),
        ('url = "http://ntfy.sh/back"', "must start with https:// so reminders travel encrypted"),
        ('url = "http://localhost.evil.example/back"', "must start with https://"),
        ('url = "https://me:pw@ntfy.sh/back"', "must not hold a user name or password"),
        ('url = "https://ntfy.sh/back up"', "no spaces"),
        ('url = "https://ntfy.sh/r\u00fccken"', "must be plain ASCII"),
        ("url = 1", "must be text in quotes, not 1"),
        ('detail = "everything"', 'must be "generic" or "full", not "everything"'),
        ('token = "tk_abc def"', "must be the token alone"),
        ('token = "tk_abc\\r\\nX-Evil: 1"', "must be the token alone"),
        ("token = 12345", "must be text in quotes"),
    ],
)
def test_a_bad_push_setting_is_one_line_naming_the_key(text, expected):
    with pytest.raises(ConfigError) as caught:
        config_file.parse(f"[push]\n{text}\n".encode(), "c.toml")
    said = str(caught.value)
    key = text.split(" ")[0]
    assert said.startswith(f"c.toml: [push] {key} ") and expected in said and "\n" not in said
    assert "12345" not in said and "abc" not in said  # a token is not repeated on the screen


def test_full_detail_is_the_reminder_itself_with_what_to_type_and_a_priority_that_matches():
    said = push.message(reminder(), "full")
    assert said.title == "Ice off now" and said.priority == push.HIGH == 4 and said.tags == ("snowflake",)
    assert said.body.startswith("Take the ice off and let the skin rest. ") and "therapy-timer done" in said.body
    walk = push.message(reminder("Time for a short walk", sticky=False, what="walk"), "full")
    assert walk.priority == push.DEFAULT == 3 and walk.tags == ("walking",)


def test_generic_detail_says_nothing_about_ice_heat_or_the_back():
    off = push.message(reminder(), "generic")
    on = push.message(reminder("Ice on now", sticky=False), "generic")
    assert (off.title, off.body, off.priority, off.tags) == ("Reminder", "Time to end your session.", 4, ())
    assert (on.title, on.body, on.priority) == ("Reminder", "Time for your next session.", 3)
    words = f"{off} {on}".lower()
    assert not any(w in words for w in ("ice", "heat", "walk", "back", "pain", "therapy", "skin"))


def test_with_push_off_the_daemon_fires_its_reminders_without_touching_the_network(isolated, monkeypatch):
    used: list[object] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        if self.family != socket.AF_UNIX:
            used.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=25))
        assert p.daemon.pusher.wait(0)
    assert len(p.recorder.sent) == 4 and used == [] and "push" not in {t.name for t in threading.enumerate()}


def test_the_request_reaches_the_child_process_whole():
    settings = Push(url="https://ntfy.sh/back-a7Xq93kLm", token="tk_x", detail="full")
    request = push.post(
        settings, push.Message("Eis ab \u2013 jetzt", "Line one\n\nline three: done", 4, ("snowflake",))
    )
    assert push.from_bytes(push.as_bytes(request)) == request
