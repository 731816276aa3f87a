"""A real calendar client reads the export: khal imports `export ics` and lists every session at the
right time, across the night summer time ends in Berlin (Sun 25 Oct 2026, 03:00 CEST -> 02:00 CET).

The plan starts at 23:00 on Saturday with a short quiet period, so ice comes every two hours through
the change: 23:00 and 01:00 summer time, then 02:00, 04:00 ... winter time (two hours apart, though the
clock shows one). khal lists the events twice: in Berlin time, as the person sees them, and in UTC,
where an hour lost or gained shows. Skipped without khal on a developer machine; never in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from freezegun import freeze_time

from tests.helpers import BERLIN, needs_tools


@pytest.fixture
def khal() -> str:
    needs_tools("khal", package="khal")
    return str(shutil.which("khal"))


def khal_list(khal: str, folder: Path, zone: str, calendar: Path) -> list[str]:
    """Import `calendar` into a fresh khal calendar whose local zone is `zone`; its listing, one line an event."""
    root = folder / zone.replace("/", "-")
    (root / "vdir").mkdir(parents=True)
    config = root / "config"
    config.write_text(
        "[calendars]\n[[plan]]\n"
        f"path = {root / 'vdir'}\ntype = calendar\n"
        "[locale]\n"
        f"local_timezone = {zone}\ndefault_timezone = {zone}\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {root / 'khal.db'}\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(root), "XDG_CONFIG_HOME": str(root)}
    imported = subprocess.run(
        [khal, "-c", str(config), "import", "--batch", str(calendar)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imported.returncode == 0, imported.stderr
    listed = subprocess.run(
        [khal, "-c", str(config), "list", "--format", "{start-date} {start-time}-{end-time} {title}",
         "--day-format", "", "2026-10-23", "4d"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    return [line for line in listed.stdout.splitlines() if line.strip()]


def test_khal_lists_each_session_at_its_time_across_the_end_of_summer_time(run, khal, tmp_path, config_file):
    config_file.write_text('[quiet_hours]\nperiods = ["12:00-12:05"]\n')
    target = tmp_path / "plan.ics"
    with freeze_time("2026-10-24 23:00:00+02:00"):
        run("start", "--no-daemon")
        run("export", "ics", str(target), "--days", "1")  # Saturday and Sunday
    events = list(icalendar.Calendar.from_ical(target.read_bytes()).events)
    ice = [e.decoded("dtstart") for e in events if e["summary"] == "Ice"]
    # Every two hours of elapsed time from 21:00 UTC; the quiet 12:00-12:05 moves the 12:00 one to 12:05.
    assert [f"{t.astimezone(timezone.utc):%d %H:%M}" for t in ice[:8]] == [
        "24 21:00", "24 23:00", "25 01:00", "25 03:00", "25 05:00", "25 07:00", "25 09:00", "25 11:05",
    ]  # fmt: skip
    assert [f"{t.astimezone(BERLIN):%H:%M%z}" for t in ice[:4]] == [
        "23:00+0200",
        "01:00+0200",
        "02:00+0100",
        "04:00+0100",
    ]

    listed = {zone: khal_list(khal, tmp_path, zone, target) for zone in ("Europe/Berlin", "UTC")}
    for zone, lines in listed.items():
        shown = ZoneInfo(zone)
        assert lines == [
            f"{e.decoded('dtstart').astimezone(shown):%Y-%m-%d %H:%M}-{e.decoded('dtend').astimezone(shown):%H:%M} "
            f"{e['summary']}"
            for e in events
        ], zone
    # Saturday's ice at 23:00; Sunday 12 of them (01:00 ... 22:05) and 4 walks.
    assert len(events) == 1 + 12 + 4
    assert listed["Europe/Berlin"][:3] == [
        "2026-10-24 23:00-23:15 Ice", "2026-10-25 01:00-01:15 Ice", "2026-10-25 02:00-02:15 Ice",
    ]  # fmt: skip
    assert listed["UTC"][:3] == [
        "2026-10-24 21:00-21:15 Ice",
        "2026-10-24 23:00-23:15 Ice",
        "2026-10-25 01:00-01:15 Ice",
    ]


def test_an_export_after_a_change_updates_khal_instead_of_adding_copies(run, khal, tmp_path):
    target = tmp_path / "plan.ics"
    with freeze_time("2026-10-24 09:00:00+02:00"):
        run("start", "--no-daemon", "--injured", "-3d")  # moist heat 09:00, 13:00, 17:00, 21:00
        run("export", "ics", str(target), "--days", "1")
    first = khal_list(khal, tmp_path, "Europe/Berlin", target)
    assert "2026-10-24 13:00-13:15 Moist heat" in first
    with freeze_time("2026-10-24 09:05:00+02:00"):
        run("log", "heat-worse")
        run("export", "ics", str(target), "--days", "1")
    vdir = tmp_path / "Europe-Berlin" / "vdir"
    before = sorted(p.name for p in vdir.iterdir())
    root = tmp_path / "Europe-Berlin"
    env = {**os.environ, "XDG_DATA_HOME": str(root), "XDG_CONFIG_HOME": str(root)}
    done = subprocess.run(
        [khal, "-c", str(root / "config"), "import", "--batch", str(target)], env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0
    after = sorted(p.name for p in vdir.iterdir())
    new = [name for name in after if name not in before]
    assert [name for name in new if "-ice-20261024T" in name]  # the ice that replaced Saturday's heat
    exported = {str(e["uid"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).events}
    assert set(after) == {f"{uid}.ics" for uid in exported} | set(before)  # one event per UID, no copies
    heat_13 = icalendar.Calendar.from_ical(
        (vdir / "plan1-heat-20261024T110000Z@therapy-timer.invalid.ics").read_bytes()
    )
    (event,) = heat_13.events  # khal keeps one file per UID: the event was updated in place
    assert event["status"] == "CANCELLED" and int(event["sequence"]) == 1
    assert event.decoded("dtstart") == datetime(2026, 10, 24, 13, tzinfo=BERLIN)
