"""Help for every command, and the first thing a newcomer types: the bare command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.commands import every_command
from tests.helpers import tt

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("words", every_command(), ids=" ".join)
def test_every_command_has_help_and_the_readme_names_it(run, words):
    result = run(*words, "--help")
    usage = result.stdout.splitlines()[0]
    assert usage.startswith("Usage: ") and usage.split()[2 : 2 + len(words)] == list(words)
    assert result.stderr == ""
    assert f"`{' '.join(words)}" in README, f"the README's command table lacks {' '.join(words)}"


@pytest.mark.parametrize("words", [(), ("log",), ("config",)], ids=lambda w: " ".join(w) or "no command")
def test_a_group_with_no_command_prints_its_help_on_stdout(run, words):
    result = run(*words)
    assert result.stdout == run(*words, "--help").stdout
    assert result.stdout.count("\n") > 5 and "\\n" not in result.stdout
    assert "Commands:" in result.stdout and result.stderr == ""


def test_doctor_json_stays_json_when_the_terminal_fallback_speaks(run, monkeypatch, tmp_path):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # no session bus there: the desktop is out
    result = run("doctor", "--json", code=1)
    report = json.loads(result.stdout)
    assert report["notifications"]["delivered_by"] == "terminal"
    assert ">>> therapy-timer test" in result.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_as_the_readme_shows_it(shell, isolated):
    import os

    env = {**os.environ, "_THERAPY_TIMER_COMPLETE": f"{shell}_source"}
    script = tt(env)
    assert "_THERAPY_TIMER_COMPLETE" in script.stdout
    assert f"_THERAPY_TIMER_COMPLETE={shell}_source therapy-timer" in README
    env.update(_THERAPY_TIMER_COMPLETE="bash_complete", COMP_WORDS="therapy-timer log h", COMP_CWORD="2")
    words = tt(env, code=None).stdout
    assert sorted(words.split()) == ["plain,heat-no-help", "plain,heat-worse"]
