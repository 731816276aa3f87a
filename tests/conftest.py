"""Shared fixtures: every test gets its own data folder, config path and time zone."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from therapy_timer.cli import cli

BERLIN = "Europe/Berlin"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data, config and XDG folders at a temporary place; Berlin time unless a test says otherwise."""
    data = tmp_path / "data"
    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(data))
    monkeypatch.setenv("THERAPY_TIMER_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("TZ", BERLIN)
    monkeypatch.delenv("THERAPY_TIMER_DEBUG", raising=False)
    return data


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


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


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)  # type: ignore[misc]
