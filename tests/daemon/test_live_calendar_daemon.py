"""The daemon-tier tests of `tests/unit/test_live_calendar.py` (helpers shared in `tests/fixtures/live_calendar.py`)."""

from __future__ import annotations

import os
import subprocess

from tests.fixtures.live_calendar import copy_of
from tests.helpers import THERAPY_TIMER, tt, wait_until
from therapy_timer.calendar import live as live_calendar


def test_the_real_daemon_writes_the_copy_in_a_process_of_its_own_and_the_last_one_when_it_stops(isolated, tmp_path):
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}  # the daemon's imports, on its stderr
    tt(env, "start", "--no-daemon")
    out = (tmp_path / "daemon.out").open("wb")  # a file, not a pipe: thousands of import lines never block it
    daemon = subprocess.Popen([*THERAPY_TIMER, "run"], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        copy = isolated / live_calendar.NAME
        assert wait_until(copy.exists, 15), "no calendar copy within 15 s"
        assert all(e["status"] == "CONFIRMED" for e in copy_of(isolated))
        tt(env, "stop")
        daemon.wait(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
        out.close()
    output = (tmp_path / "daemon.out").read_text(errors="replace")
    imported = [line for line in output.splitlines() if line.startswith("import time:")]
    assert any("therapy_timer.daemon" in line for line in imported)
    assert not [line for line in imported if "icalendar" in line]
    assert "CANCELLED" in {str(e["status"]) for e in copy_of(isolated)}
