"""Zones: an IANA name or a rule written the POSIX way in TZ, read as the C library reads it, recorded
with the plan as written, and refused in one line when it is neither (never silently read as UTC)."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import pytest
from freezegun import freeze_time

from therapy_timer import clock
from therapy_timer.clock import UnknownZone, local_zone, zone_key, zone_named

RULES = (
    "JST-9",
    "<+0530>-5:30",
    "CET-1CEST,M3.5.0,M10.5.0/3",
    "UTC+3",  # POSIX's sign: three hours behind UTC
    "NZST-12NZDT,M9.5.0,M4.1.0/3",  # summer time across the new year
    "<-03>3",
    "AEST-10AEDT,M10.1.0,M4.1.0/3",
)


@pytest.fixture
def c_library_tz():
    """Set TZ for the C library's `time.localtime`, and restore it afterwards."""
    before = os.environ.get("TZ")
    yield lambda rule: (os.environ.__setitem__("TZ", rule), time.tzset())
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.mark.parametrize("rule", RULES)
def test_a_posix_rule_gives_the_c_librarys_local_time_through_a_year(rule, c_library_tz):
    c_library_tz(rule)
    zone = zone_named(rule)
    assert zone is not None and zone_key(zone) == rule  # recorded with the plan as written
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for _ in range(366 * 24):  # every hour of a year, both summer-time changes included
        expected = time.localtime(moment.timestamp())
        local = moment.astimezone(zone)
        assert local.utcoffset() == timedelta(seconds=expected.tm_gmtoff), (rule, moment)
        assert (local.hour, local.minute) == (expected.tm_hour, expected.tm_min), (rule, moment)
        moment += timedelta(hours=1)


@pytest.mark.parametrize("rule", ["JST-9", ":JST-9", "CET-1CEST,M3.5.0,M10.5.0/3"])
def test_tz_written_the_posix_way_is_this_machines_zone(rule, monkeypatch):
    monkeypatch.setenv("TZ", rule)
    zone = local_zone()
    assert zone_key(zone) == rule.lstrip(":")
    assert datetime(2026, 7, 1, 1, 25, tzinfo=timezone.utc).astimezone(zone).hour != 1


@pytest.mark.parametrize("value", ["garbage!!", "XYZ", "Mars/Olympus_Mons", "JST-9,bogus", "12345"])
def test_a_tz_that_is_neither_a_name_nor_a_rule_is_refused_in_one_line(value, monkeypatch):
    monkeypatch.setenv("TZ", value)
    with pytest.raises(UnknownZone) as refused:
        local_zone()
    assert "\n" not in str(refused.value) and value in str(refused.value)
    assert zone_named(value) is None


def test_iana_names_and_zoneinfo_paths_stay_iana(monkeypatch):
    monkeypatch.setenv("TZ", "/usr/share/zoneinfo/Asia/Tokyo")
    assert zone_key(local_zone()) == "Asia/Tokyo"
    assert zone_key(clock.zone_named("EST5EDT") or timezone.utc) == "EST5EDT"  # an IANA name first


def test_a_plan_started_under_a_posix_tz_is_computed_in_it_by_every_command(run, monkeypatch):
    """The bug: TZ=JST-9 was read as UTC, so the app said 01:25 while the clock said 10:25."""
    monkeypatch.setenv("TZ", "JST-9")
    with freeze_time("2026-12-07T01:25:00Z"):
        started = run.json("start", "--no-daemon")
        assert started["started_at"] == "2026-12-07T10:25:00+09:00"
    monkeypatch.setenv("TZ", "Europe/Berlin")  # another shell: the plan keeps its zone
    with freeze_time("2026-12-07T01:30:00Z"):
        status = run.json("status")
        assert status["now"] == "2026-12-07T10:30:00+09:00" and status["next"]["start"].endswith("+09:00")
        plan = run.json("plan", "--hours", "6")
        assert all(s["start"].endswith("+09:00") for s in plan["sessions"])


def test_a_tz_that_cannot_be_read_is_one_line_and_exit_2(run, monkeypatch):
    monkeypatch.setenv("TZ", "garbage!!")
    result = run("status", code=2)
    assert result.stderr.count("\n") == 1 and "TZ='garbage!!'" in result.stderr
