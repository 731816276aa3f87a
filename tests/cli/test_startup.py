"""Ordinary commands load only what they use: start-up is judged by bench/startup.py, and these
keep the cuts it measured from coming back unnoticed (no timing here, only what gets imported)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def imported(*args: str, env: dict[str, str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "therapy_timer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


@pytest.fixture
def user_env(tmp_path):
    """A user's environment: no THERAPY_TIMER_* overrides, no config file, a plan started."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THERAPY_TIMER_", "XDG_DATA", "XDG_CONFIG"))}
    env["HOME"] = str(tmp_path)
    subprocess.run([sys.executable, "-m", "therapy_timer", "start", "--no-daemon"], env=env, check=True, timeout=60)
    return env


def test_status_loads_neither_the_daemon_nor_what_only_other_commands_need(user_env):
    loaded = imported("status", env=user_env)
    # therapy_timer.reminders is wanted: status shows the next reminder and a pending snooze (issue 9)
    unwanted = {"apscheduler", "plyer", "json", "tomllib", "icalendar", "csv"}
    unwanted.add("statistics")  # about 8 ms (fractions, decimal, random) for a median of a few scores
    unwanted |= {"therapy_timer.report", "therapy_timer.report_html"}  # loaded by `report` alone
    if sys.platform == "linux":
        unwanted.add("platformdirs")  # the XDG rule is read directly there
    assert "click" in loaded and "therapy_timer.views" in loaded and "therapy_timer.reminders" in loaded
    assert {m for m in loaded if m.split(".")[0] in unwanted or m in unwanted} == set()


def test_status_loads_no_other_commands_module(user_env):
    """The command line is a package with one module per command group, each imported only when its
    command runs: `status` must not pay for the others."""
    loaded = {m for m in imported("status", env=user_env) if m.startswith("therapy_timer.cli.")}
    assert loaded == {"therapy_timer.cli.context", "therapy_timer.cli.plans"}, loaded


def test_json_is_loaded_when_asked_for(user_env):
    assert "json" in imported("status", "--json", env=user_env)
