"""Ordinary commands load only what they use: start-up is judged by bench/startup.py, and these
keep the cuts it measured from coming back unnoticed (no timing here, only what gets imported)."""

from __future__ import annotations

import os
import sys
from unittest import mock

import pytest
from freezegun import freeze_time

from tests.helpers import imported, importing, tt


@pytest.fixture
def user_env(tmp_path):
    """A user's environment: no THERAPY_TIMER_* overrides, no config file, a plan started."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THERAPY_TIMER_", "XDG_DATA", "XDG_CONFIG"))}
    env["HOME"] = str(tmp_path)
    tt(env, "start", "--no-daemon")
    return env


def test_status_loads_neither_the_daemon_nor_what_only_other_commands_need(user_env):
    loaded = imported("status", env=user_env)
    # therapy_timer.reminders is wanted: status shows the next reminder and a pending snooze (issue 9)
    unwanted = {"apscheduler", "plyer", "json", "tomllib", "icalendar", "csv"}
    unwanted.add("statistics")  # about 8 ms (fractions, decimal, random) for a median of a few scores
    unwanted |= {
        "therapy_timer.recovery_report",
        "therapy_timer.report_text",
        "therapy_timer.report_html",
    }  # `report` alone
    if sys.platform == "linux":
        unwanted.add("platformdirs")  # the XDG rule is read directly there
    assert "therapy_timer.json_views" in loaded and "therapy_timer.reminders" in loaded
    assert {m for m in loaded if m.split(".")[0] in unwanted or m in unwanted} == set()


def test_status_loads_no_command_module_and_not_click(user_env):
    """The glance: `status` and `status --json` are answered before click is loaded (about twice a
    bare interpreter's start), by the code the click command runs (`cli.app`)."""
    for args in (("status",), ("status", "--json")):
        loaded = imported(*args, env=user_env)
        assert "click" not in loaded, args
        assert {m for m in loaded if m.startswith("therapy_timer.cli.")} == {"therapy_timer.cli.app"}, args


@pytest.mark.parametrize("args", [("status", "--help"), ("status", "--jsn"), ("--help",), ("plan",)])
def test_anything_else_goes_through_click_loading_only_its_commands_module(user_env, args):
    """`status --help`, a typo, the group's help and every other command are click's to parse; a
    command still loads only its own group's module (the group's help loads them all, to list them)."""
    loaded, done = importing(user_env, *args, code=None)
    assert "click" in loaded and "therapy_timer.cli.group" in loaded
    if args != ("--help",):
        commands = {m for m in loaded if m.startswith("therapy_timer.cli.")} - {"therapy_timer.cli.group"}
        assert commands == {"therapy_timer.cli.app", "therapy_timer.cli.context", "therapy_timer.cli.plans"}, args
    if args == ("status", "--jsn"):
        assert done.returncode == 2 and "No such option '--jsn'" in done.stderr


def test_json_is_loaded_when_asked_for(user_env):
    assert "json" in imported("status", "--json", env=user_env)


def answered(argv: list[str], through_click: bool, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """What `therapy-timer ARGV` prints and exits with, by the glance (`cli.main`) or through click."""
    from therapy_timer import cli
    from therapy_timer.cli.group import cli as group

    capsys.readouterr()
    with pytest.raises(SystemExit) as ended:
        if through_click:
            group.main(argv)
        else:
            with mock.patch.object(sys, "argv", ["therapy-timer", *argv]):
                cli.main()
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.mark.parametrize(
    "state", ["no plan", "a plan", "a broken config.toml", "a plan ended", "a file as data folder"]
)
@pytest.mark.parametrize("argv", [["status"], ["status", "--json"]])
def test_the_glance_answers_exactly_as_the_click_command_does(state, argv, run, config_file, isolated, capsys):
    """Same output, same warnings, same exit status (and the same one-line refusal), either way."""
    with freeze_time("2026-11-24 09:00:00+01:00"):
        if state == "a file as data folder":
            isolated.rmdir() if isolated.is_dir() else None
            isolated.write_text("not a folder")
        elif state != "no plan":
            run("start", "--no-daemon", "--injured", "-1d")
            run("log", "pain", "6")
        if state == "a broken config.toml":
            config_file.write_text("[cold\nminutes = 12\n")
        if state == "a plan ended":
            run("stop")
        glance, clicked = answered(argv, False, capsys), answered(argv, True, capsys)
    assert glance == clicked
    code, out, err = glance
    if state == "a file as data folder":
        assert code != 0 and out == "" and err.startswith("therapy-timer: ") and err.count("\n") == 1
    else:
        assert code == 0 and out
    assert ("warning" in err) == (state == "a broken config.toml")
