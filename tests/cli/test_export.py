"""`therapy-timer export ics`: the command with a real database under frozen time, and its bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import icalendar
import pytest
from freezegun import freeze_time

from tests.helpers import T0_TEXT, THERAPY_TIMER, tt
from therapy_timer.calendar import events as calendar_events
from therapy_timer.cli import records


def events_of(data: bytes | str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).events)


def starts(events: list[icalendar.Event], status: str = "CONFIRMED") -> list[tuple[str, str]]:
    return [(str(e["summary"]), f"{e.decoded('dtstart'):%a %H:%M}") for e in events if e["status"] == status]


def test_to_stdout_one_event_per_session_from_today_through_the_days_asked(run):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        planned = run.json("plan", "--from", "2026-11-24T00:00", "--hours", "48")["sessions"]
        out = run("export", "ics", "--days", "1").stdout_bytes
    events = events_of(out)
    # Ice every two hours from 09:00 until the quiet night (22:00-07:00), today and Wednesday (--days 1).
    ice = [(d, f"{h:02}:00") for d in ("Tue", "Wed") for h in (7, 9, 11, 13, 15, 17, 19, 21) if (d, h) != ("Tue", 7)]
    assert [t for s, t in starts(events) if s == "Ice"] == [f"{d} {t}" for d, t in ice]
    assert [e.decoded("dtstart") for e in events] == [datetime.fromisoformat(s["start"]) for s in planned]
    assert [str(e["summary"]) for e in events] == [
        {"ice": "Ice", "walk": "Short walk"}[s["kind"]] for s in planned
    ]  # the same sessions as `plan` shows, walks included
    first = events[0]
    assert first.decoded("dtstart").tzinfo.key == "Europe/Berlin"  # type: ignore[union-attr]
    assert b"DTSTART;TZID=Europe/Berlin:20261124T090000" in out and b"BEGIN:VTIMEZONE" in out
    assert [(str(a["action"]), a.decoded("trigger").seconds) for a in first.walk("VALARM")] == [
        ("DISPLAY", 0),
        ("DISPLAY", 15 * 60),
    ]


def test_a_switch_back_to_cold_marks_the_heat_exported_before_as_cancelled(run, tmp_path):
    target = tmp_path / "plan.ics"
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon", "--injured", "-3d")  # heat: 09:00, 13:00, 17:00, then 07:00 ...
        run("export", "ics", str(target))
    before = events_of(target.read_bytes())
    assert {s for s, _ in starts(before)} == {"Moist heat", "Gentle walk"}
    with freeze_time("2026-11-24 09:05:00+01:00"):
        run("log", "heat-worse")
        said = run("export", "ics", str(target)).stdout
    after = events_of(target.read_bytes())
    cancelled = [e for e in after if e["status"] == "CANCELLED"]
    # Cold holds for 24 hours: Tuesday's later heat is off; whatever heat was exported stays in the file,
    # as planned still (the same session, the same UID) or cancelled.
    heat_today = {e["uid"] for e in before if e["summary"] == "Moist heat" and e.decoded("dtstart").day == 24}
    heat_today -= {calendar_events.uid(1, "heat@2026-11-24T08:00:00Z")}  # the one cut at 09:05
    assert len(heat_today) == 3 and heat_today <= {e["uid"] for e in cancelled}  # 13:00, 17:00, 21:00
    assert {e["uid"] for e in before} <= {e["uid"] for e in after}
    assert all(int(e["sequence"]) == 1 and not list(e.walk("VALARM")) for e in cancelled)
    assert ("Moist heat (stopped early)", "Tue 09:00") in starts(after)
    assert ("Ice", "Tue 09:20") in starts(after)  # after the skin's 15 minutes
    assert f"{len(cancelled)} exported before that are off now (marked cancelled)" in said


def test_after_stop_every_session_still_to_come_is_cancelled(run, tmp_path):
    target = tmp_path / "plan.ics"
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        run("export", "ics", str(target))
    with freeze_time("2026-11-24 12:00:00+01:00"):
        run("stop")
        result = run.json("export", "ics", str(target))
    after = events_of(target.read_bytes())
    kept = [e for e in after if e["status"] == "CONFIRMED"]
    stopped = datetime.fromisoformat("2026-11-24 12:00:00+01:00")
    assert starts(kept) == [("Ice", "Tue 09:00"), ("Ice", "Tue 11:00")]  # the walk at 12:35 is off too
    assert [e.decoded("dtstart") for e in kept] == [
        e.decoded("dtstart") for e in after if e.decoded("dtstart") < stopped
    ]
    assert len(kept) == result["sessions"] and result["cancelled"] == len(after) - len(kept) > 10
    assert result["command"] == "export ics" and result["file"] == str(target)


def test_writing_the_same_plan_again_leaves_the_file_untouched(run, tmp_path):
    target = tmp_path / "plan.ics"
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        run("export", "ics", str(target))
    inode, data = target.stat().st_ino, target.read_bytes()
    with freeze_time("2026-11-24 09:40:00+01:00"):
        run("export", "ics", str(target))
    assert target.stat().st_ino == inode and target.read_bytes() == data


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--days", "0"], 2, "'--days': 0 is not in the range 1<=x<=14"),
        (["--days", "15"], 2, "'--days': 15 is not in the range 1<=x<=14"),
        (["--days", "soon"], 2, "'--days': 'soon' is not a valid integer"),
        (["--json"], 2, "--json needs a FILE"),
        (["{tmp}"], 2, "is a folder"),
        (["{tmp}/no/such/folder/plan.ics"], 2, "cannot write"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(run, tmp_path, args, code, says):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        result = run("export", "ics", *[a.format(tmp=tmp_path) for a in args], code=code)
    assert says in result.stderr and result.stderr.count("\n") == 1 and result.stdout == ""


def test_a_file_that_is_not_ours_is_never_overwritten(run, tmp_path):
    theirs = tmp_path / "family.ics"
    theirs.write_bytes(icalendar.Calendar.new(prodid="-//Family//Calendar//EN").to_ical())
    data = theirs.read_bytes()
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        result = run("export", "ics", str(theirs), code=1)
    assert "not a calendar therapy-timer wrote; nothing was written" in result.stderr
    assert theirs.read_bytes() == data


def test_the_events_keep_the_plans_zone_whatever_zone_the_command_runs_in(run, monkeypatch):
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        monkeypatch.setenv("TZ", "America/New_York")
        out = run("export", "ics", "--days", "1").stdout_bytes
    assert b"DTSTART;TZID=Europe/Berlin:20261124T090000" in out and b"New_York" not in out


def test_a_link_to_a_synced_file_stays_a_link_and_the_file_it_points_to_is_updated(run, tmp_path):
    synced = tmp_path / "Sync" / "plan.ics"
    synced.parent.mkdir()
    link = tmp_path / "plan.ics"
    link.symlink_to(synced)
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        run("export", "ics", str(link))
        run("export", "ics", str(link), "--days", "1")
    assert link.is_symlink() and events_of(synced.read_bytes())


def test_no_plan_no_export(run):
    assert "no plan to export" in run("export", "ics", code=1).stderr


def test_the_bound_on_days_is_the_cores():
    assert records.EXPORT_MAX_DAYS == calendar_events.MAX_DAYS


def test_stdout_export_in_a_real_process_is_a_calendar(tmp_path: Path):
    import os
    import subprocess

    env = dict(os.environ)
    tt(env, "start", "--no-daemon")
    done = subprocess.run([*THERAPY_TIMER, "export", "ics"], env=env, capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stderr == b""
    assert len(events_of(done.stdout)) > 10


def special_file(kind: str, tmp_path: Path) -> str:
    """/dev/zero (endless bytes), /dev/full (endless bytes, every write fails) or a FIFO (no one at the other end)."""
    if kind != "fifo":
        return f"/dev/{kind}"
    import os

    fifo = tmp_path / "plan.ics"
    os.mkfifo(fifo)
    return str(fifo)


@pytest.mark.parametrize(
    ("kind", "what"), [("zero", "a device"), ("full", "a device"), ("fifo", "a FIFO (named pipe)")]
)
def test_a_device_or_a_fifo_is_refused_in_one_line_at_once_and_nothing_is_read(tmp_path, kind, what):
    """The installed command, in a process of its own with 1 GiB of address space: reading /dev/zero
    back as "the file exported before" ate memory until MemoryError, and a FIFO waited for ever."""
    import os
    import resource
    import subprocess

    def small() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    name = special_file(kind, tmp_path)
    tt(None, "start", "--no-daemon")
    for command in (["export", "ics", name], ["report", "--csv", name], ["report", "--html", name]):
        done = subprocess.run(
            [*THERAPY_TIMER, *command],
            capture_output=True,
            text=True,
            timeout=30,
            preexec_fn=small,
            env=dict(os.environ),
        )
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr == (
            f"therapy-timer: {name} is {what}, not a file; nothing was written: "
            "name a file (or - for standard output)\n"
        )
        assert done.stdout == ""


def test_a_previous_file_past_the_size_limit_is_not_read_whole_and_not_overwritten(run, tmp_path):
    from therapy_timer.calendar import ics

    big = tmp_path / "plan.ics"
    big.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * ics.MAX_BYTES)
    with freeze_time(T0_TEXT):
        run("start", "--no-daemon")
        result = run("export", "ics", str(big), code=1)
    assert "is there already and it is larger than 4096 KiB; nothing was written" in result.stderr
    assert big.stat().st_size == ics.MAX_BYTES + 17
