"""Queries never write: every one of them reads a record on a read-only folder, for real (a read-only
bind mount in a mount namespace of the test's own), and a write is refused there in one line."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.helpers import THERAPY_TIMER, needs_root, needs_tools

QUERIES = (
    ("status",),
    ("status", "--json"),
    ("plan", "--hours", "12"),
    ("plan", "--json"),
    ("history",),
    ("history", "--json"),
    ("report",),
    ("report", "--json"),
    ("export", "ics"),
    ("signs",),
)


def read_only(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the installed command with `folder` mounted read-only for it alone (root or CI only)."""
    command = shlex.join([*THERAPY_TIMER, *args])
    script = f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))} && "
    script += f"mount -o remount,bind,ro {shlex.quote(str(folder))} && exec {command}"
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip


@pytest.fixture
def can_mount() -> None:
    needs_root("a read-only bind mount of the data folder")
    needs_tools("unshare", package="util-linux")


def test_every_query_reads_a_read_only_record_and_a_write_is_refused_in_one_line(isolated, run, can_mount, config_file):
    run("start", "--no-daemon", "--at", "-30m")  # real time: the subprocesses below run on it
    run("log", "pain", "6")
    run("done")
    config_file.write_text("[cold]\nminutes = 12\n", encoding="utf-8")  # an edit that a query must not record
    before = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in isolated.iterdir())
    env = dict(os.environ)
    for query in QUERIES:
        result = read_only(isolated, *query, env=env)
        assert result.returncode == 0, (query, result.stderr)
        assert result.stdout.strip(), query
        if "--json" in query:
            assert json.loads(result.stdout)["command"] == query[0]
    wrote = read_only(isolated, "log", "pain", "4", env=env)
    assert wrote.returncode != 0 and wrote.stderr.count("\n") == 1, wrote.stderr
    assert "read-only" in wrote.stderr and "nothing was written" in wrote.stderr
    after = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in isolated.iterdir())
    assert after == before
