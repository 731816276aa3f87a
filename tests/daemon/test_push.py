"""Push to a phone (ntfy), opt-in: what is sent, to where, and that a push never gets in a reminder's way.

The server is a real HTTP server on 127.0.0.1, run in a thread by each test: it records every request
(path, headers, body) and answers as the test says (a status, a redirect, or nothing until released).
The daemon is the stepped one (hand clock): a reminder fires when the test steps, and the push runs
in its own real thread, which the test joins (`pusher.wait`) instead of sleeping.
"""

from __future__ import annotations

import email.header
import json
import os
import subprocess
import threading
from datetime import timedelta

import pytest

from tests.fixtures.push import every_proxy_variable, failed_lines, push_config, refused_url
from tests.helpers import T0, THERAPY_TIMER, HandClock, new_plan, stepping_daemon, tt
from therapy_timer import push
from therapy_timer.settings import Push
from therapy_timer.store import Store

pure = pytest.mark.unit


# Settings ------------------------------------------------------------------------------------------


# Through the daemon, to a real HTTP server -----------------------------------------------------------


def test_each_reminder_is_posted_to_the_topic_with_its_title_priority_tags_and_token(isolated, config_file, server):
    push_config(config_file, server.url, "full", token="tk_AbC123")
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))  # ice on, then ice off
        assert p.daemon.pusher.wait(5)
        server.wait_for(2)
    on, off = server.received
    assert on.path == off.path == "/back-a7Xq93kLm"
    assert (on.headers["Title"], on.headers["Priority"], on.headers["Tags"]) == ("Ice on now", "3", "snowflake")
    assert (off.headers["Title"], off.headers["Priority"]) == ("Ice off now", "4")
    assert on.headers["Authorization"] == off.headers["Authorization"] == "Bearer tk_AbC123"
    assert on.headers["Content-Type"] == "text/plain; charset=utf-8"
    shown = {title: body for title, body, _ in p.recorder.sent}
    assert on.body == shown["Ice on now"] and off.body == shown["Ice off now"]  # the same words as the desktop
    assert not failed_lines(p.logged)


def test_generic_detail_posts_only_the_fixed_sentences_and_no_token_when_none_is_set(isolated, config_file, server):
    push_config(config_file, server.url, "generic")
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.daemon.pusher.wait(5)
        server.wait_for(2)
    assert [(r.headers["Title"], r.body, r.headers["Priority"]) for r in server.received] == [
        ("Reminder", "Time for your next session.", "3"),
        ("Reminder", "Time to end your session.", "4"),
    ]
    assert not any("Tags" in r.headers or "Authorization" in r.headers for r in server.received)


def test_push_follows_a_config_edit_without_a_restart(isolated, config_file, server):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()  # ice on: push is off
        push_config(config_file, server.url)
        p.scheduler.step()  # ice off: the daemon reads the config at every recompute
        assert p.daemon.pusher.wait(5)
        server.wait_for(1)
        config_file.write_text("")  # off again
        p.scheduler.step()
        assert p.daemon.pusher.wait(5)
    assert [r.headers["Title"] for r in server.received] == ["Ice off now"]
    assert len(p.recorder.sent) == 3


def test_a_server_that_is_down_is_logged_once_and_the_reminders_go_on(isolated, config_file):
    push_config(config_file, refused_url())
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        for _ in range(3):
            p.scheduler.step()
            assert p.daemon.pusher.wait(5)
    assert len(p.recorder.sent) == 3 and [r.outcome for r in Store(isolated).reminders(1)] == ["fired"] * 3
    (line,) = failed_lines(p.logged)
    assert "push to 127.0.0.1:" in line and "connection refused" in line
    assert "back-a7Xq93kLm" not in line  # the topic is the key on a public server: not in the log


def test_a_server_error_is_logged_once_retried_at_each_reminder_and_its_recovery_logged_once(
    isolated, config_file, server
):
    push_config(config_file, server.url)
    server.status = 500
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        for count in (1, 2):
            p.scheduler.step()
            assert p.daemon.pusher.wait(5)
            server.wait_for(count)  # tried again at the next reminder
        (line,) = failed_lines(p.logged)
        assert "HTTP 500" in line
        server.status = 200
        p.scheduler.step()
        assert p.daemon.pusher.wait(5)
        p.scheduler.step()
        assert p.daemon.pusher.wait(5)
    assert len(server.received) == 4 and len(failed_lines(p.logged)) == 1
    assert sum("works again" in line for line in p.logged) == 1


def test_a_slow_server_never_delays_the_desktop_reminder_and_the_push_gives_up(isolated, config_file, server):
    push_config(config_file, server.url)
    server.hold = True  # answers nothing until released
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.daemon.pusher.timeout = 30
        p.scheduler.step()
        server.wait_for(1)
        # The reminder is on the desktop and recorded while its push still waits for the server.
        assert p.recorder.titles == ["Ice on now"] and [r.outcome for r in p.daemon.store.reminders(1)] == ["fired"]
        assert not p.daemon.pusher.wait(0)
        server.release.set()
        assert p.daemon.pusher.wait(5)
        server.release.clear()
        p.daemon.pusher.timeout = 0.5
        p.scheduler.step()
        server.wait_for(2)
        assert p.daemon.pusher.wait(5)  # it gave up, the server still silent
        assert not server.release.is_set() and p.recorder.titles == ["Ice on now", "Ice off now"]
    (line,) = failed_lines(p.logged)
    assert "no answer within 0.5 s" in line


def test_a_server_that_trickles_its_answer_forever_is_cut_off(isolated, config_file, server, monkeypatch):
    """Each byte comes well within the network timeout, so only a bound on the whole push ends it:
    the child process that sends it is killed."""
    monkeypatch.setattr(push, "START", 1.0)
    push_config(config_file, server.url)
    server.trickle = True
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.daemon.pusher.timeout = 0.5
        p.scheduler.step()
        assert p.recorder.titles == ["Ice on now"]
        assert p.daemon.pusher.wait(10)
        assert not server.release.is_set()
    (line,) = failed_lines(p.logged)
    assert "no answer within 1.5 s (the push was stopped)" in line


def test_one_push_at_a_time_and_only_the_newest_waits_however_long_the_server_takes(isolated, config_file, server):
    push_config(config_file, server.url)
    server.hold = True
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.daemon.pusher.timeout = 30
        p.scheduler.step()  # ice on: its push waits for the server
        server.wait_for(1)
        p.scheduler.step()  # ice off: waits for the push under way
        p.scheduler.step()  # its first repeat: waits in its place
        assert p.recorder.titles == ["Ice on now", "Ice off now", "Is the ice still on? Take it off now"]
        assert sum(t.name == "push" for t in threading.enumerate()) == 1 and len(server.received) == 1
        server.release.set()
        assert p.daemon.pusher.wait(5)
    assert [r.headers["Title"] for r in server.received] == ["Ice on now", "Is the ice still on? Take it off now"]
    assert not failed_lines(p.logged)


def test_a_real_daemon_process_pushes_its_reminder(isolated, config_file, server):
    """The whole way: `therapy-timer run` (the daemon as installed, ssl kept out of it) starts the
    child that posts; the catch-up reminder of a session begun 20 minutes ago arrives, take-it-off."""
    push_config(config_file, server.url, "full")
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}  # reminders to the log
    tt(env, "start", "--no-daemon", "--injured", "-30m", "--at", "-20m")
    daemon = subprocess.Popen(
        [*THERAPY_TIMER, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        server.wait_for(1, seconds=30)
    finally:
        daemon.terminate()
        out, _ = daemon.communicate(timeout=30)
    (got,) = server.received
    title, priority = "Is the ice still on? Take it off now", "4"  # the ice-off repeat, due as it starts
    assert (got.headers["Title"], got.headers["Priority"]) == (title, priority), out
    assert f">>> {title}: {got.body}" in out  # the same words as the desktop (here: the log) got
    assert "push to" not in out  # nothing failed


# The request itself ------------------------------------------------------------------------------------


def test_a_title_beyond_latin_1_reaches_the_server_as_an_encoded_word(server):
    said = push.Message("Eis ab \u2013 jetzt \u2744", "Körper", 4)
    assert push.deliver(push.post(Push(url=server.url), said)) == 200
    (got,) = server.received
    decoded = "".join(
        part.decode(charset or "ascii") if isinstance(part, bytes) else part
        for part, charset in email.header.decode_header(got.headers["Title"])
    )
    assert decoded == "Eis ab \u2013 jetzt \u2744" and got.body == "Körper"


def test_a_redirect_is_not_followed_so_the_token_goes_nowhere_else(server):
    server.status, server.location = 302, server.url.replace("back-a7Xq93kLm", "elsewhere")
    with pytest.raises(push.PushError, match=r"HTTP 302 .*redirect, not followed"):
        push.deliver(push.post(Push(url=server.url, token="tk_x"), push.Message("t", "b")))
    assert [r.path for r in server.received] == ["/back-a7Xq93kLm"]


def test_a_servers_odd_words_stay_on_one_line_of_the_log(server):
    server.status, server.reason = 500, "Oops\x1b[2J"
    with pytest.raises(push.PushError) as caught:
        push.deliver(push.post(Push(url=server.url), push.Message("t", "b")))
    assert str(caught.value) == "the server answered HTTP 500 Oops\\x1b[2J"


def test_a_refused_token_says_to_check_it(server):
    server.status = 403
    with pytest.raises(push.PushError, match=r"HTTP 403 Forbidden: check \[push\] token"):
        push.deliver(push.post(Push(url=server.url, token="tk_wrong"), push.Message("t", "b")))


# Proxies -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_push_to_this_machine_never_goes_through_a_proxy(
    run, config_file, server, proxy, monkeypatch, no_desktop, host
):
    """With every proxy variable set and no no_proxy, a push to http://localhost went to the proxy in
    clear, token and text and all. The daemon's way (a child process) and doctor's both go straight."""
    every_proxy_variable(monkeypatch, proxy.url)
    url = server.url.replace("127.0.0.1", host)
    assert push.in_child(push.post(Push(url=url, token="tk_x"), push.Message("Ice off now", "b")), 5) == 200
    push_config(config_file, url, "generic", token="tk_x")
    report = json.loads(run("doctor", "--json", code=1).stdout)["push"]
    assert (report["arrived"], report["status"], report["proxy"]) == (True, 200, None)
    assert proxy.requests == [] and [r.headers["Title"] for r in server.received] == ["Ice off now", "Reminder test"]
    assert "through the proxy" not in run("doctor", code=1).stdout


def test_which_addresses_are_this_machine():
    assert all(push.is_loopback(h) for h in ("localhost", "LOCALHOST.", "a.localhost", "127.0.0.1", "127.8.9.1", "::1"))
    assert not any(push.is_loopback(h) for h in ("ntfy.sh", "localhost.evil.example", "10.0.0.1", "::2", ""))


def test_https_follows_the_proxy_the_system_names_and_no_proxy(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://user:secret@proxy.example:3128")
    monkeypatch.setenv("http_proxy", "http://other.example:8080")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert push.proxy_for("https://ntfy.sh/back") == "http://user:secret@proxy.example:3128"
    assert push.shown(push.proxy_for("https://ntfy.sh/back")) == "http://proxy.example:3128"  # no password shown
    assert push.proxy_for("https://localhost:8443/back") is None
    assert push.proxy_for("http://localhost/back") is None  # http_proxy never: plain http stays on this machine
    monkeypatch.setenv("no_proxy", "example.org,ntfy.sh")
    assert push.proxy_for("https://ntfy.sh/back") is None
    assert push.proxy_for("https://push.example.net/back") == "http://user:secret@proxy.example:3128"


# One deadline for doctor's test push -------------------------------------------------------------------


@pytest.mark.daemon
def test_doctor_has_the_running_reminders_send_the_test_push_their_own_way(isolated, server, tmp_path, no_desktop):
    """Issue 21.3: the test push went from doctor's terminal, with its settings and environment; the
    reminders' pushes go from the daemon. Here push is on for the daemon only: the test must reach
    the daemon's server, sent by it, once."""
    from tests.helpers import wait_until
    from therapy_timer import daemon_client

    daemon_config = tmp_path / "daemon.toml"
    push_config(daemon_config, server.url, "generic")
    env = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
    tt({**env, "THERAPY_TIMER_CONFIG": str(daemon_config)}, "start")
    try:
        assert wait_until(lambda: daemon_client.is_running(isolated), 10)
        server.wait_for(1)  # the first reminder's push
        done = tt(env, "doctor", "--json", code=None)
        report = json.loads(done.stdout)
        assert report["push"]["sent_from"] == "the running reminders"
        assert (report["push"]["on"], report["push"]["arrived"], report["push"]["status"]) == (True, True, 200)
        assert [r.headers["Title"] for r in server.received] == ["Reminder", "Reminder test"]
        assert report["daemon"]["answered"] is True and report["daemon"]["test"]["delivered_by"] == "terminal"
    finally:
        tt(env, "stop", code=None)
        wait_until(lambda: not daemon_client.is_running(isolated), 10)
