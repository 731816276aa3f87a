"""Shared fixtures (every test gets its own data folder, config path and time zone) and test tiers.

Every test belongs to exactly one tier, so `make check` can run the fast ones while `make test`
(what CI runs) runs them all:
- unit: pure functions, single modules and the stepped daemon; no subprocesses, no real waiting (`make check`);
- cli: the command line in-process or as a subprocess, with a real database;
- daemon: the scheduler with real threads, sockets and timing, or crash and fault runs;
- system: the whole installed set-up against real outside things (a notification server, the benchmarks).
A test's tier is its folder (tests/unit, tests/cli, tests/daemon, tests/system): no table to keep.
A test module outside them, or a test marked for another tier, is an error, so a new file cannot
slip out of `make check`'s view.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import BERLIN_NAME, wait_until
from therapy_timer.cli.group import cli
from therapy_timer.store import Store

pytest_plugins = [
    "tests.fixtures.commands",
    "tests.fixtures.daemon",
    "tests.fixtures.desktop",
    "tests.fixtures.hardening",
    "tests.fixtures.live_calendar",
    "tests.fixtures.phone",
    "tests.fixtures.push",
    "tests.fixtures.report",
]
"""The fixtures and helpers tests share, one module per subject (tests/fixtures/): a fixture there is
passed to any test that names it; a test module imports a helper from there, never from another test
module (tests/unit/test_test_layout.py checks both)."""

TIER_NAMES = ("unit", "cli", "daemon", "system")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each test the tier of its folder (tests/unit, tests/cli, tests/daemon, tests/system); a
    test that names another tier with a marker is an error: move it to that folder."""
    for item in items:
        tier = item.path.parent.name
        if tier not in TIER_NAMES:
            raise pytest.UsageError(
                f"{item.path.name} is in no tier folder: move it to tests/unit, cli, daemon or system"
            )
        own = [name for name in TIER_NAMES if item.get_closest_marker(name) and name != tier]
        if own:
            raise pytest.UsageError(f"{item.nodeid} is marked {own[0]} but lives in tests/{tier}: move it")
        item.add_marker(getattr(pytest.mark, tier))


RUN_MARK = "THERAPY_TIMER_TEST_RUN"
TEST_MARK = "THERAPY_TIMER_TEST_ID"
"""Variables every process a test starts inherits: how a process left behind is traced to this run
and to its test (names alone would also catch other runs on the machine)."""


def marked(variable: str, value: str) -> list[tuple[int, str]]:
    """(pid, command line) of every live process (not a zombie) whose environment has `variable=value`."""
    wanted = f"{variable}={value}".encode()
    found = []
    for proc in Path("/proc").iterdir() if Path("/proc/self").exists() else []:
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if wanted not in (proc / "environ").read_bytes().split(b"\0"):
                continue
            if (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, IndexError):
            continue
        found.append((int(proc.name), command))
    return found


def end_left_behind(variable: str, value: str, patience: float) -> list[str]:
    """Wait up to `patience` seconds for the processes marked so to end (a daemon told to stop takes
    a moment), then end the rest; returns what had to be ended."""
    wait_until(lambda: not marked(variable, value), patience, every=0.05)
    left = marked(variable, value)
    for pid, _ in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return [f"{pid}: {command}" for pid, command in left]


def pytest_sessionstart(session: pytest.Session) -> None:
    os.environ[RUN_MARK] = uuid.uuid4().hex


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A test run leaves nothing running: no daemon, bus, screen or notification server of its own."""
    left = end_left_behind(RUN_MARK, os.environ.get(RUN_MARK, ""), 5.0)
    if left:
        session.config.get_terminal_writer().line(
            "processes this test run left running (now ended):\n" + "\n".join(left)
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def leaves_nothing_running(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every process a test starts has ended when it is over (issue 21.15: a `doctor --json` test left
    `dbus-launch --autolaunch` and a bus behind). The unit tier starts none, so it is not looked at."""
    if request.node.get_closest_marker("unit"):
        yield
        return
    mark = uuid.uuid4().hex
    monkeypatch.setenv(TEST_MARK, mark)
    yield
    left = end_left_behind(TEST_MARK, mark, 5.0)
    if left:
        pytest.fail("this test left processes running (now ended):\n" + "\n".join(left), pytrace=False)


@pytest.fixture
def runtime_dir() -> Iterator[Path]:
    """A private runtime folder (the daemon's socket lives there) with a short path, as $XDG_RUNTIME_DIR is."""
    folder = Path(tempfile.mkdtemp(prefix="tt-run-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def unit_tests_start_no_process(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The unit tier is what `make check` runs in seconds: a subprocess there is a test in the wrong tier."""
    if request.node.get_closest_marker("unit"):

        def refuse(*args: Any, **kwargs: Any) -> None:
            raise AssertionError("a unit test started a process: mark it cli, daemon or system")

        monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runtime_dir: Path) -> Path:
    """Point data, config and XDG folders at a temporary place; Berlin time unless a test says otherwise."""
    data = tmp_path / "data"
    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(data))
    monkeypatch.setenv("THERAPY_TIMER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime_dir))
    monkeypatch.setenv("TZ", BERLIN_NAME)
    monkeypatch.delenv("THERAPY_TIMER_DEBUG", raising=False)
    return data


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


@pytest.fixture
def store(isolated: Path) -> Iterator[Store]:
    """The record in the test's data folder, opened (and closed after the test)."""
    opened = Store(isolated)
    yield opened
    opened.close()


class Run:
    """Invoke the command line in-process; `.json` parses stdout."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0) -> Any:
        result = self.runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, (
            f"{args}: exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def run() -> Run:
    return Run()
