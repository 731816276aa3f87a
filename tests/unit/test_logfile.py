"""daemon.log stays small: past its cap it is set aside as daemon.log.1 and a new one takes over.

Real files in a temporary folder; the daemon's stdout and stderr are stood in for by two descriptors
of the test's own, opened on the log as `start` opens it (append), so `dup2` moves them for real.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from therapy_timer import logfile
from therapy_timer.daemon_client import LOG_NAME

LIMIT = 4096


@pytest.fixture
def outputs(tmp_path: Path) -> Iterator[tuple[Path, int, int]]:
    """The log file, and a 'stdout' and 'stderr' both writing to it."""
    path = tmp_path / LOG_NAME
    out = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    err = os.dup(out)
    yield path, out, err
    os.close(out)
    os.close(err)


def test_driven_far_past_the_cap_the_log_stays_bounded_and_keeps_the_newest_lines(outputs):
    path, out, err = outputs
    log = logfile.CappedLog(path, lambda line: os.write(out, f"{line}\n".encode()), LIMIT, (out, err))
    assert log.outputs == [out, err]
    longest = 0
    for n in range(5000):  # 5000 lines of about 40 bytes: nearly 50 times the cap
        line = f"2026-11-24 09:00:00 line {n:05} of the daemon's log"
        longest = max(longest, len(line) + 1)
        log(line)
        assert path.stat().st_size <= LIMIT + longest
    older = path.with_name(LOG_NAME + ".1")
    assert older.stat().st_size <= LIMIT + longest
    assert sorted(p.name for p in path.parent.iterdir()) == [LOG_NAME, LOG_NAME + ".1"]  # no third file
    kept = (older.read_text() + path.read_text()).splitlines()
    assert kept[-1].endswith("line 04999 of the daemon's log")
    numbers = [int(line.split()[3]) for line in kept]
    assert numbers == list(range(numbers[0], 5000))  # the newest lines, none missing, in order
    assert len(kept) * longest >= LIMIT  # at least a cap's worth of the lines before the newest
    os.write(err, b"a traceback on stderr\n")  # stderr followed stdout into the new file
    assert path.read_text().endswith("a traceback on stderr\n")


def test_a_rotation_that_fails_writes_the_line_anyway_and_is_tried_again_at_the_next(outputs):
    path, out, err = outputs
    log = logfile.CappedLog(path, lambda line: os.write(out, f"{line}\n".encode()), LIMIT, (out, err))
    os.write(out, b"x" * LIMIT + b"\n")
    blocker = path.with_name(LOG_NAME + ".new")
    blocker.mkdir()  # the new file cannot be made (as on a folder that takes no new file)
    log("the disk is full; retrying in 5 s")
    assert path.read_text().endswith("the disk is full; retrying in 5 s\n")
    assert not path.with_name(LOG_NAME + ".1").exists()
    blocker.rmdir()
    log("it works again")
    assert path.read_text() == "it works again\n"
    assert path.with_name(LOG_NAME + ".1").read_text().endswith("the disk is full; retrying in 5 s\n")


def test_a_rotation_that_stops_half_way_carries_on_in_a_new_file_at_the_next_line(outputs, monkeypatch):
    path, out, err = outputs
    log = logfile.CappedLog(path, lambda line: os.write(out, f"{line}\n".encode()), LIMIT, (out, err))
    os.write(out, b"x" * LIMIT + b"\n")
    replace = os.replace
    calls = []

    def second_fails(source: Path, destination: Path) -> None:
        calls.append(destination)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        replace(source, destination)

    monkeypatch.setattr(os, "replace", second_fails)
    log("one")  # daemon.log is now daemon.log.1, and no new daemon.log took over
    assert not path.exists() and path.with_name(LOG_NAME + ".1").read_text().endswith("one\n")
    log("two")
    assert path.read_text() == "two\n"


def test_an_output_that_is_not_the_log_is_left_alone(tmp_path, outputs):
    path, _, _ = outputs
    elsewhere = os.open(tmp_path / "journal", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        write = print
        assert logfile.CappedLog(path, write, LIMIT, (elsewhere,)).outputs == []
        assert logfile.capped(tmp_path / "another folder", write) is write
    finally:
        os.close(elsewhere)
