"""The cli-tier tests of `tests/daemon/test_push.py` (helpers shared in `tests/fixtures/push.py`)."""

from __future__ import annotations

import json
import threading

from tests.fixtures.push import (
    Proxy,
    every_proxy_variable,
    push_config,
)
from therapy_timer import push


def test_a_bad_push_setting_stops_a_command_with_one_line_and_no_traceback(run, config_file):
    config_file.write_text('[push]\nurl = "http://ntfy.sh/back"\n')
    result = run("config", "show", code=2)
    assert result.stderr.count("\n") == 1 and "[push] url must start with https://" in result.stderr
    assert run("status").stderr.count("\n") == 1  # elsewhere a one-line warning: logging must go on


def test_config_show_shows_the_address_but_not_the_token(run, config_file):
    push_config(config_file, "https://ntfy.sh/back-a7Xq93kLm", token="tk_s3cret")
    shown = run.json("config", "show")
    assert shown["push"] == {
        "url": "https://ntfy.sh/back-a7Xq93kLm", "token": "(set, not shown)", "detail": "full", "answers": "off"
    }  # fmt: skip


def test_doctor_sends_a_test_push_and_says_it_arrived_with_the_http_status(run, config_file, server, no_desktop):
    push_config(config_file, server.url, "generic", token="tk_doc")
    report = json.loads(run("doctor", "--json", code=1).stdout)["push"]
    port = server.url.split(":")[2].split("/")[0]
    assert report["seconds"] > 0
    assert {**report, "seconds": None} == {
        "on": True,
        "server": f"127.0.0.1:{port}",
        "detail": "generic",
        "arrived": True,
        "status": 200,
        "seconds": None,
        "problem": None,
        "proxy": None,
        "sent_from": "this terminal",  # no reminders run: doctor sends it itself
    }
    (got,) = server.received
    assert (got.headers["Title"], got.headers["Authorization"]) == ("Reminder test", "Bearer tk_doc")
    said = run("doctor", code=1).stdout
    assert f"Push: a test reached 127.0.0.1:{port} (HTTP 200 in " in said and "detail: generic" in said


def test_doctor_says_plainly_when_the_test_push_did_not_arrive(run, config_file, server, no_desktop):
    push_config(config_file, server.url)
    server.status = 500
    report = json.loads(run("doctor", "--json", code=1).stdout)
    assert (report["push"]["arrived"], report["push"]["status"], report["ok"]) == (False, 500, False)
    assert "HTTP 500" in report["push"]["problem"]
    assert "Push: PROBLEM: a test did not reach 127.0.0.1:" in run("doctor", code=1).stdout


def test_doctor_with_push_off_sends_nothing_and_says_so(run, server, no_desktop):
    report = json.loads(run("doctor", "--json", code=1).stdout)["push"]
    assert report == dict.fromkeys(("server", "arrived", "status", "seconds", "problem", "proxy"), None) | {
        "on": False,
        "detail": "generic",
        "sent_from": "this terminal",
    }
    assert "Push: off (nothing is sent anywhere" in run("doctor", code=1).stdout
    assert server.received == []


def test_doctor_says_which_proxy_an_https_push_went_through(run, config_file, tls_server, monkeypatch, no_desktop):
    tunnel = Proxy(tunnel_to=tls_server.http.server_address[1])
    try:
        every_proxy_variable(monkeypatch, tunnel.url)
        push_config(config_file, "https://ntfy.proxied.test/back-a7Xq93kLm", "generic", token="tk_x")
        report = json.loads(run("doctor", "--json", code=1).stdout)["push"]
        assert (report["arrived"], report["status"], report["proxy"]) == (True, 200, tunnel.url)
        assert tunnel.requests == ["CONNECT ntfy.proxied.test:443"]  # a tunnel: the token went inside TLS
        (got,) = tls_server.received
        assert got.headers["Authorization"] == "Bearer tk_x"
        said = run("doctor", code=1).stdout
        assert f"Push: a test reached ntfy.proxied.test through the proxy {tunnel.url} (HTTP 200 in" in said
        assert len(tunnel.requests) == 2
        monkeypatch.setenv("no_proxy", "proxied.test")  # straight to the server, which resolves nowhere
        report = json.loads(run("doctor", "--json", code=1).stdout)["push"]
        assert (report["arrived"], report["proxy"]) == (False, None) and len(tunnel.requests) == 2
    finally:
        tunnel.close()


def test_doctor_against_a_server_that_trickles_gives_up_at_one_deadline(
    run, config_file, server, monkeypatch, no_desktop
):
    """A byte every 50 ms keeps every network wait short, so only a bound on the whole push ends it:
    TIMEOUT + START seconds (10; 2 here). A watchdog ends the trickle after 20 s, should that bound be gone."""
    monkeypatch.setattr(push, "TIMEOUT", 1.0)
    monkeypatch.setattr(push, "START", 1.0)
    push_config(config_file, server.url)
    server.trickle = True
    watchdog = threading.Timer(20, server.release.set)
    watchdog.start()
    try:
        report = json.loads(run("doctor", "--json", code=1).stdout)["push"]
    finally:
        watchdog.cancel()
    assert not server.release.is_set(), "the test push went on until the watchdog ended the trickle"
    assert report["arrived"] is False and report["seconds"] < 6
    assert report["problem"] == "no answer within 2 s (the push was stopped)"
