"""The warning-sign questions: asked by `start` at a terminal once per injury, answered any time with
`check`, and shown by `status` (issue 20). The interactive path runs for real in a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from freezegun import freeze_time

from tests.helpers import T0_TEXT, THERAPY_TIMER, wait_until


def test_start_off_a_terminal_never_blocks_and_says_how_to_answer_later(run):
    with freeze_time(T0_TEXT):
        out = run("start", "--no-daemon").stdout
        assert "questions were not asked" in out and "therapy-timer check --none" in out and "--sign NAME" in out
        assert run.json("status")["screening_done"] is False
        assert "questions were not asked" in run("status").stdout


def test_start_json_asks_nothing_and_says_the_screening_was_not_done(run):
    with freeze_time(T0_TEXT):
        assert run.json("start", "--no-daemon")["screening_done"] is False


def test_check_none_records_the_screening_and_status_says_so(run):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        said = run.json("check", "--none")
        assert said["answer"] == "none" and said["signs"] == [] and said["plan_id"] == 1
        view = run.json("status")
        assert view["screening_done"] is True and view["warning"] is None and view["open_signs"] == []
        assert "questions were not asked" not in run("status").stdout
        assert [e["text"] for e in run.json("history")["events"] if e["kind"] == "check"] == ["none"]


def test_check_with_signs_shows_their_advice_and_status_keeps_all_of_them_most_serious_first(run, config_file):
    config_file.write_text('[advice]\nemergency_number = "999"\n', encoding="utf-8")
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        out = run("check", "--sign", "fever", "--sign", "chest-pain").stdout
        assert out.index("EMERGENCY") < out.index("GET HELP NOW") and "(999)" in out and "signs ack" in out
        view = run.json("status")
        assert [s["sign"] for s in view["open_signs"]] == ["chest-pain", "fever"]
        assert view["warning"]["sign"] == "chest-pain" and view["warning"]["action"] == "get-help-now"
        assert view["warning"]["level"] == "emergency" and "(999)" in view["warning"]["advice"]
        shown = run("status").stdout
        assert shown.index("EMERGENCY") < shown.index("GET HELP NOW: you logged fever")
        run("signs", "ack")
        assert run.json("status")["open_signs"] == [] and run.json("status")["screening_done"] is True


def test_check_refuses_what_it_cannot_record(run):
    assert "--none" in run("check", code=2).stderr  # off a terminal: say how
    assert "one of them" in run("check", "--none", "--sign", "fever", code=2).stderr
    assert "no-such" in run("check", "--sign", "no-such", code=2).stderr
    assert run.json("history")["events"] == []


def test_a_replace_that_corrects_the_injury_keeps_the_answers_and_a_new_injury_asks_again(run):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        run("check", "--none")
    with freeze_time("2026-11-24 09:30:00+01:00"):
        run("start", "--no-daemon", "--replace", "--injured", "08:00")  # the same injury, time corrected
        assert run.json("status")["screening_done"] is True
    with freeze_time("2026-11-28 09:00:00+01:00"):
        run("stop")
        assert "questions were not asked" in run("start", "--no-daemon").stdout  # a new injury
        assert run.json("status")["screening_done"] is False


# At a real terminal -------------------------------------------------------------------------------


class Terminal:
    """therapy-timer run in a pseudo-terminal: stdin and stdout are a tty, as when a person types."""

    def __init__(self, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command itself
            os.execv(sys.executable, [*THERAPY_TIMER, *args])
        self.out = b""

    def wait_for(self, text: str, count: int = 1, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while self.out.count(text.encode()) < count:
            assert time.monotonic() < end, f"no {text!r} (x{count}) in {self.out.decode(errors='replace')}"
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:  # the command ended
                    break

    def press(self, keys: str) -> None:
        """Type once the command reads single keys: switching to them drops what was typed before
        (click.getchar flushes the input), as it would for a person typing ahead."""
        waiting = wait_until(lambda: not termios.tcgetattr(self.fd)[3] & termios.ICANON, 20, every=0.01)
        assert waiting, "the command never waited for a key"
        os.write(self.fd, keys.encode())

    def finish(self) -> tuple[int, str]:
        end = time.monotonic() + 20
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status), self.out.decode(errors="replace").replace("\r\n", "\n")


def answer(terminal: Terminal, keys: list[str]) -> tuple[int, str]:
    """Press each key once its question is on the screen."""
    for number, key in enumerate(keys, 1):
        terminal.wait_for("] ", number)
        terminal.press(key)
    return terminal.finish()


def test_start_at_a_terminal_asks_and_a_yes_shows_its_advice_first(isolated: Path, run):
    code, out = answer(Terminal("start", "--no-daemon"), ["n", "y", "2", "n", "n", "n"])
    assert code == 0, out
    assert out.index("A few questions") < out.index("GET HELP NOW") < out.index("Plan started")
    assert "new trouble passing urine" in out and "questions were not asked" not in out
    view = run.json("status")
    assert view["screening_done"] is True and [s["sign"] for s in view["open_signs"]] == ["bladder-bowel"]


def test_start_at_a_terminal_can_be_skipped_and_the_plan_starts_all_the_same(isolated: Path, run):
    code, out = answer(Terminal("start", "--no-daemon"), ["n", "s"])
    assert code == 0, out
    assert "Plan started" in out and "questions were not asked" in out
    assert run.json("status")["screening_done"] is False
    code, out = answer(Terminal("check"), ["n", "n", "n", "n", "n"])
    assert code == 0 and "none of the warning signs" in out, out
    assert run.json("status")["screening_done"] is True


def test_a_replace_at_a_terminal_does_not_ask_again(isolated: Path, run):
    run("start", "--no-daemon")
    run("check", "--none")
    terminal = Terminal("start", "--no-daemon", "--replace", "--injured", "-1h")
    code, out = terminal.finish()
    assert code == 0 and "A few questions" not in out and "questions were not asked" not in out, out


def test_check_answered_not_sure_records_every_sign_the_question_names(isolated: Path, run):
    code, out = answer(Terminal("check"), ["y", "a", "n", "n", "n", "n"])
    assert code == 0, out
    assert {s["sign"] for s in run.json("status")["open_signs"]} == {
        "chest-pain",
        "breathless",
        "tearing",
        "collapse",
        "confused-fever",
    }
    assert "(112 / 999 / 911)" in out


def test_subprocess_off_a_terminal_is_told_how_to_answer(isolated: Path):
    done = subprocess.run([*THERAPY_TIMER, "check"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "--none" in done.stderr and "Traceback" not in done.stderr
