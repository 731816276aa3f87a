"""Answers from the phone: press to answer recorded, and what the daemon's process tree costs.

A real daemon (`therapy-timer run`) with `[push] answers = "on"`, pushing over HTTPS to the stand-in
ntfy server of tests/ntfy_server.py (a certificate made for this run, trusted through SSL_CERT_FILE as
in bench/push.py), and the stand-in phone pressing the buttons it receives (the action's own request).

- Press to answer recorded: each sample is a new plan (`start --replace`, heat first: "Moist heat on
  now" with its buttons); the phone presses "Made it worse" at once, and the time runs from the
  press (its request answered by the server) until the daemon's log says it recorded it. Budget
  30 s, aim 5 s: the daemon reads the reply topic every 5 s while a reminder with buttons is in front.
- The process tree while a reminder awaits an answer ("Stop the heat now", in front for 30 minutes),
  then idle once it is answered from the phone: the daemon's threads' context switches over the
  window (from /proc, as bench/daemon_idle.py), plus those of the reading processes it started in
  that window (how many: the server counts the readings; what one costs: the same reading run here
  as the daemon runs it, measured with getrusage of the children, which is exact). Memory: the
  daemon's resident set, and with a reading process alive, the daemon's plus that process's peak.
  Idle, nothing is read at all (the server sees no request), so the tree is the daemon alone.
"""

from __future__ import annotations

import functools
import json
import os
import ssl
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import DaemonLines, Result, main, sandbox, tt
from daemon_idle import on_a_desktop, quiet_now, status_field, switches
from push import certificate

from tests.ntfy_server import Ntfy, Phone
from therapy_timer import phone

TOPIC = "back-bench"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def measure(quick: bool) -> list[Result]:
    with certificate() as (cert, key, bundle):
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        server = Ntfy(tls=tls)
        os.environ["SSL_CERT_FILE"] = str(bundle)  # the daemon and its children trust the stand-in
        try:
            return on_a_desktop(lambda session, where: run(quick, session, where, server, bundle))
        finally:
            server.close()


def run(quick: bool, session: dict[str, str], where: str, server: Ntfy, bundle: Path) -> list[Result]:
    trust = ssl.create_default_context(cafile=str(bundle))
    handset = Phone(server, TOPIC)
    config = f'{quiet_now()}\n[push]\nurl = "{server.topic_url(TOPIC)}"\ndetail = "full"\nanswers = "on"\n'
    samples, window = (3, 10) if quick else (20, 120)
    waits: list[float] = []
    with sandbox(config) as env:
        env.update(session)
        tt(env, "start", "--no-daemon", "--injured", "-3d", "--at", "-1m")
        daemon = DaemonLines(env)
        try:
            daemon.wait_for("reminders running")
            for sample in range(samples):
                if sample:
                    tt(env, "start", "--no-daemon", "--replace", "--injured", "-3d", "--at", "-1m")
                server.wait_for(functools.partial(heat_pushed, server, sample), 30)
                pressed = handset.press(handset.latest(), "Made it worse", trust)
                began = time.perf_counter()
                assert pressed == 200, pressed
                waits.append(daemon.wait_for("answered from the phone", refuse="changed nothing") - began)
                server.wait_for(lambda: handset.latest()["title"] == "Stop the heat now", 30)
            time.sleep(1)  # the follow-up's push is out; "Stop the heat now" awaits its answer
            awaiting = footprint(daemon.process.pid, server, window)
            handset.press(handset.latest(), "Done, it's off", trust)
            daemon.wait_for("answered from the phone")
            time.sleep(phone.FETCH_EVERY.total_seconds() + 1)  # a reading planned before the answer may still come
            idle = footprint(daemon.process.pid, server, window)
        finally:
            daemon.stop()
    reading = one_reading_costs(server, 3 if quick else 10)
    median, p95 = statistics.median(waits), percentile(waits, 0.95)
    tree_switches = awaiting["switches"] + awaiting["readings"] * reading["switches"]
    per = f"switches/{window} s"
    return [
        Result(
            "phone press to answer recorded",
            median,
            "s",
            30,
            f"median of {len(waits)} presses of Made it worse on the stand-in phone, each as soon as the push "
            f"arrived, until the daemon recorded it (HTTPS, readings every {phone.FETCH_EVERY.total_seconds():g} s "
            f"from the push on); p95 {p95:.1f} s, longest {max(waits):.1f} s; aim 5 s",
        ),
        Result(
            "phone press to answer recorded, p95",
            p95,
            "s",
            30,
            f"95th percentile of the same {len(waits)} presses",
        ),
        Result(
            "daemon tree memory, awaiting a phone answer",
            awaiting["rss_mb"] + reading["rss_mb"],
            "MB",
            60,
            f"peak resident set of the tree while a reminder with buttons is in front: the daemon "
            f"{awaiting['rss_mb']:.1f} MB and a reading process {reading['rss_mb']:.1f} MB, alive "
            f"{reading['seconds'] * 1000:.0f} ms of every {phone.FETCH_EVERY.total_seconds():g} s; budget: the "
            f"idle daemon's 30 MB and one reading at most, {where}",
        ),
        Result(
            "daemon tree wake-ups, awaiting a phone answer",
            tree_switches,
            per,
            round(window * 2000 / 120),
            f"context switches of the daemon's threads ({awaiting['switches']}) and of the "
            f"{awaiting['readings']} reading processes it started ({reading['switches']:.0f} each) while a "
            f"reminder with buttons is in front; budget: 2000 per 120 s, about 80 for each reading",
        ),
        Result(
            "daemon tree memory, answers on, idle",
            idle["rss_mb"],
            "MB",
            30,
            f"resident set once the reminder was answered from the phone; no process started, {where}",
        ),
        Result(
            "daemon tree wake-ups, answers on, idle",
            idle["switches"] + idle["readings"] * reading["switches"],
            per,
            4,
            f"context switches of the whole tree while idle with answers on ({idle['readings']} readings: "
            f"nothing is fetched when no reminder with buttons is in front), {where}",
        ),
    ]


def heat_pushed(server: Ntfy, before: int) -> bool:
    """Whether more than `before` "heat on" reminders reached the server (one a plan)."""
    return sum(1 for m in server.on(TOPIC) if m["title"] == "Moist heat on now") > before


def footprint(pid: int, server: Ntfy, window: float) -> dict[str, float]:
    """The daemon's resident set, its threads' context switches over `window` seconds, and how many
    readings reached the server in that time."""
    rss_mb = status_field(pid, "VmRSS") / 1024
    polls, before = len(server.polls()), switches(pid)
    time.sleep(window)
    return {"rss_mb": rss_mb, "switches": switches(pid) - before, "readings": len(server.polls()) - polls}


READINGS = """
import json, resource, sys, time
from therapy_timer import phone, push
from therapy_timer.settings import Push

request = phone.poll(Push(url=sys.argv[1], answers="on"), "reply-bench", "all")
times = []
for _ in range(int(sys.argv[2])):
    began = time.perf_counter()
    push.exchanged_in_child(request, push.TIMEOUT, "reading")
    times.append(time.perf_counter() - began)
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"switches": used.ru_nvcsw + used.ru_nivcsw, "rss_kb": used.ru_maxrss, "times": times}))
"""
"""Readings as the daemon runs them (each a child process, one GET over HTTPS), from a process of
their own, whose children are those readings only: getrusage then counts exactly what they cost."""


def one_reading_costs(server: Ntfy, runs: int) -> dict[str, float]:
    """One reading's context switches (the mean over `runs`), peak resident set and time (median)."""
    done = subprocess.run(
        [sys.executable, "-c", READINGS, server.topic_url(TOPIC), str(runs)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    said = json.loads(done.stdout)
    return {
        "switches": said["switches"] / runs,
        "rss_mb": said["rss_kb"] / 1024,
        "seconds": statistics.median(said["times"]),
    }


if __name__ == "__main__":
    main(measure)
