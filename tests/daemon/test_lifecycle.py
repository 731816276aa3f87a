"""The daemon as a real process on a bad day: a full disk, its files deleted, a hostile neighbour.

Real processes throughout (the daemon spawned by `start` or run directly), a real tmpfs that
fills up, and a second real user. Mounting and adding a user need root, which CI has; elsewhere
those tests are skipped, and in CI they refuse to skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers import THERAPY_TIMER, needs_root, needs_tools, tt, wait_until
from therapy_timer import daemon_client, logfile
from therapy_timer.store import DB_NAME, Store

OTHER = "tt-neighbour"


def desktopless_env() -> dict[str, str]:
    """The test's own folders (set by conftest), and no desktop session: reminders go to the log."""
    return {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}


def daemon_pid(folder: Path) -> int:
    return int((folder / daemon_client.LOCK_NAME).read_text().split()[0])


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def daemons_for(folder: Path) -> list[int]:
    """Every running daemon process whose data folder is `folder`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if b"therapy_timer.daemon" not in (proc / "cmdline").read_bytes():
                continue
            env = dict(item.split(b"=", 1) for item in (proc / "environ").read_bytes().split(b"\0") if b"=" in item)
            if env.get(b"THERAPY_TIMER_DATA_DIR") == os.fsencode(folder.absolute()) and alive(int(proc.name)):
                found.append(int(proc.name))
    return found


def log_of(folder: Path) -> str:
    path = folder / daemon_client.LOG_NAME
    return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture
def ended(isolated: Path) -> Iterator[None]:
    """Whatever a test leaves running for its data folder is ended afterwards."""
    yield
    for pid in daemons_for(isolated):
        with contextlib.suppress(OSError):
            os.kill(pid, 15)


# A full disk -----------------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB tmpfs."""
    needs_root("a full disk (a small tmpfs)")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with open(filler, "wb") as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 65536)
            out.flush()
    return filler


def test_a_full_disk_delays_a_reminder_and_never_silences_the_daemon(small_disk, monkeypatch, ended):
    folder = small_disk / "data"
    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(folder))
    env = desktopless_env()
    due_in = timedelta(seconds=8)
    began = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=15) + due_in
    tt(env, "start", "--no-daemon", "--at", began.strftime("%Y-%m-%dT%H:%M:%SZ"))  # ice-off due in 8 s
    log = open(folder / daemon_client.LOG_NAME, "ab")  # noqa: SIM115 - the daemon's stdout, as `start` opens it
    daemon = subprocess.Popen([sys.executable, "-m", "therapy_timer.daemon"], env=env, stdout=log, stderr=log)
    log.close()
    try:
        assert wait_until(lambda: "Ice on now" in log_of(folder), 10), log_of(folder)
        filler = fill(small_disk)  # the disk is full before ice-off falls due, and stays full after
        seconds_past_due = (began + timedelta(minutes=15) - datetime.now(timezone.utc)).total_seconds() + 3
        assert seconds_past_due > 3, "too slow: the disk was full only after the reminder fell due"
        assert not wait_until(lambda: any(r.key.endswith("/off") for r in Store(folder).reminders(1)), seconds_past_due)
        filler.unlink()  # space returns; a retry comes within 5 s
        assert wait_until(lambda: any(r.key.endswith("/off") for r in Store(folder).reminders(1)), 15)
        assert daemon.poll() is None and daemon_client.is_running(folder)
        off = [r for r in Store(folder).reminders(1) if r.key.endswith("/off")]
        assert [r.outcome for r in off] == ["fired"]
        assert "retrying in 5 s" in log_of(folder)  # the tick did fail on the full disk
        assert log_of(folder).count(">>> Ice off now") == 1  # delivered once, recorded at the retry
    finally:
        daemon.terminate()
        daemon.wait(10)


def test_a_daemon_log_past_its_cap_is_set_aside_and_the_newest_lines_are_kept(isolated, ended):
    """The daemon as `start` runs it: its stdout and stderr are daemon.log, already at the cap."""
    env = desktopless_env()
    tt(env, "start", "--no-daemon")
    old = b"".join(b"2026-11-01 09:00:00 an old line %06d\n" % n for n in range(logfile.MAX_BYTES // 34 + 1))
    (isolated / daemon_client.LOG_NAME).write_bytes(old)
    os.chmod(isolated / daemon_client.LOG_NAME, 0o600)
    tt(env, "start", "--replace")
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)[-500:]
    pid = daemon_pid(isolated)
    log = isolated / daemon_client.LOG_NAME
    assert log.stat().st_size < 10_000 and "an old line" not in log_of(isolated)
    assert (isolated / (daemon_client.LOG_NAME + ".1")).read_bytes().startswith(old)
    for output in (1, 2):  # stdout and stderr (a traceback) both carry on in the new file
        assert os.readlink(f"/proc/{pid}/fd/{output}") == str(log)
    tt(env, "forget", "--yes")
    assert not log.exists() and not (isolated / (daemon_client.LOG_NAME + ".1")).exists()


# Files deleted or replaced under a running daemon ----------------------------------------------------


def test_forget_while_the_daemon_runs_ends_it_first_and_a_new_start_gets_reminders(isolated, ended):
    env = desktopless_env()
    tt(env, "start")
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)
    pid = daemon_pid(isolated)
    tt(env, "forget", "--yes")
    assert not daemon_client.is_running(isolated)  # it let go of its files before forget deleted them
    assert wait_until(lambda: not alive(pid), 5)
    assert "Reminders: starting in the background" in tt(env, "start").stdout
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)
    assert len(daemons_for(isolated)) == 1
    tt(env, "stop")
    assert wait_until(lambda: not daemons_for(isolated), 10)


def installed(env: dict[str, str], *args: str) -> str:
    """The command as installed (the venv's console script), as a person runs it."""
    command = str(Path(sys.executable).parent / "therapy-timer")
    done = subprocess.run([command, *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def stays_running(folder: Path) -> bool:
    """A daemon serves `folder` now and still does a moment later (an ending one would be gone)."""
    if not wait_until(lambda: daemon_client.is_running(folder), 5):
        return False
    time.sleep(0.7)
    return daemon_client.is_running(folder) and len(daemons_for(folder)) == 1


@pytest.mark.parametrize("no_daemon", [False, True], ids=["start", "start --no-daemon"])
def test_stop_then_start_keeps_the_reminders_and_their_login_entry_every_time(isolated, ended, no_daemon):
    """Issue 21.1: the ending daemon and the new `start` raced: in about half the tries `start`
    said the reminders were running, then the daemon ended, and the login entry was gone."""
    from therapy_timer import autostart

    env = desktopless_env()
    installed(env, "start")
    for attempt in range(8):
        if not daemon_client.is_running(isolated):
            installed(env, "start", "--replace")
        assert wait_until(lambda: daemon_client.is_running(isolated), 5)
        installed(env, "stop")
        said = installed(env, "start", *(["--no-daemon"] if no_daemon else []))
        if no_daemon:
            if "Reminders: running; they follow the new plan." in said:
                assert stays_running(isolated), f"try {attempt}: said running, yet the reminders ended"
            else:
                assert "Reminders: not started (--no-daemon)" in said
                assert wait_until(lambda: not daemons_for(isolated), 5), f"try {attempt}"
        else:
            assert autostart.entry_path().exists(), f"try {attempt}: the login entry is gone"
            assert stays_running(isolated), f"try {attempt}: the reminders ended after {said.splitlines()[-2]!r}"
    installed(env, "stop")


@pytest.mark.parametrize("how", ["folder deleted", "database replaced"])
def test_a_daemon_whose_files_are_deleted_or_replaced_ends_itself(isolated, ended, how):
    env = desktopless_env()
    tt(env, "start")
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)
    pid = daemon_pid(isolated)
    if how == "folder deleted":
        shutil.rmtree(isolated)
    else:
        database = isolated / DB_NAME
        shutil.copy(database, isolated / "copy")
        os.replace(isolated / "copy", database)
    assert wait_until(lambda: not alive(pid), 5), "the daemon kept running on files that are gone"
    if how == "database replaced":
        assert "removed or replaced" in log_of(isolated)
    tt(env, "start", "--replace")  # a start now gets one daemon, for the files that exist
    assert wait_until(lambda: len(daemons_for(isolated)) == 1, 5)


# A hostile neighbour ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def neighbour() -> Iterator[str]:
    """A second real user on this machine."""
    needs_root("a second real user")
    created = subprocess.run(["id", OTHER], capture_output=True).returncode != 0
    if created:
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER], check=True)
    try:
        yield OTHER
    finally:
        if created:
            subprocess.run(["userdel", OTHER], check=False)


def test_a_data_folder_another_user_prepared_is_refused_and_nothing_is_written_through_it(
    isolated, neighbour, tmp_path
):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    isolated.mkdir()
    shutil.chown(isolated, neighbour)
    os.chmod(isolated, 0o777)
    (isolated / daemon_client.LOG_NAME).symlink_to(victim)
    done = tt(desktopless_env(), "start", code=1)
    assert "belongs to another user" in done.stderr and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert victim.read_text() == "mine\n" and os.listdir(isolated) == [daemon_client.LOG_NAME]


def test_a_log_planted_as_a_symlink_in_our_own_folder_is_not_written_through(isolated, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n")
    env = desktopless_env()
    tt(env, "start", "--no-daemon")
    (isolated / daemon_client.LOG_NAME).symlink_to(victim)
    done = tt(env, "start", "--replace")  # the plan starts; the reminders say why they do not
    assert "Reminders: not started:" in done.stdout and "is a symbolic link" in done.stdout
    assert victim.read_text() == "mine\n"
    assert not daemon_client.is_running(isolated)


def test_the_daemon_runs_private_from_its_own_folder(isolated, ended, tmp_path):
    env = desktopless_env()
    subprocess.run([*THERAPY_TIMER, "start"], env=env, cwd=tmp_path, check=True, timeout=60)
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)
    pid = daemon_pid(isolated)
    assert os.readlink(f"/proc/{pid}/cwd") == "/"  # not the folder `start` was run from
    umask = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Umask"))
    assert umask.split()[1] == "0077"
    for name in (daemon_client.LOG_NAME, daemon_client.LOCK_NAME, DB_NAME):
        assert stat.S_IMODE(os.stat(isolated / name).st_mode) == 0o600, name
    tt(env, "stop")


def test_another_user_can_neither_reach_the_socket_nor_find_an_abstract_name(isolated, ended, neighbour):
    env = desktopless_env()
    tt(env, "start")
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)
    address = daemon_client.address(isolated)
    assert Path(address).is_socket()
    probe = (
        "import socket, sys\n"
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
        "try:\n    s.sendto(b'replan', sys.argv[1])\nexcept PermissionError:\n    sys.exit(3)\n"
    )
    os.chmod(Path(address).parent.parent, 0o711)  # even with the parent open to all, our folder is 0700
    done = subprocess.run(["runuser", "-u", neighbour, "--", "/usr/bin/python3", "-c", probe, address], timeout=30)
    assert done.returncode == 3
    abstract = [line for line in Path("/proc/net/unix").read_text().splitlines() if "@therapy-timer" in line]
    assert abstract == []
    tt(env, "stop")


def test_a_runtime_folder_another_user_made_first_is_refused_by_start(isolated, neighbour, tmp_path, monkeypatch):
    """No $XDG_RUNTIME_DIR and no /run/user/<uid>: the fallback runtime-<uid> in the temporary
    folder is a name anyone can take first."""
    if Path(f"/run/user/{os.geteuid()}").is_dir():
        pytest.skip("/run/user/<uid> exists here, so no fallback is used")
    temp = tmp_path / "tmp"
    temp.mkdir(mode=0o1777)
    taken = temp / f"runtime-{os.geteuid()}"
    taken.mkdir(mode=0o777)
    shutil.chown(taken, neighbour)
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", str(temp))
    done = tt(desktopless_env(), "start")  # the plan is recorded; the reminders say why they cannot start
    assert "Reminders: not started: there is no private runtime folder" in done.stdout
    assert done.stderr == "" and not daemon_client.is_running(isolated)
    assert os.listdir(taken) == []


# Where reminders cannot run: the answer says what was done ------------------------------------------


def test_a_stale_runtime_folder_records_the_plan_and_says_the_reminders_did_not_start_and_why(isolated, tmp_path):
    """Issue 21.2: a tmux from an old login keeps XDG_RUNTIME_DIR=/run/user/<uid>, gone since, which
    its user cannot make again. (A folder under a plain file cannot be made either, even by root.)"""
    from therapy_timer import autostart

    blocked = tmp_path / "old-login"
    blocked.write_text("")
    env = {**desktopless_env(), "XDG_RUNTIME_DIR": str(blocked / "run")}
    done = tt(env, "start")
    assert done.stderr == "" and "unexpected" not in done.stdout
    said = next(line for line in done.stdout.splitlines() if line.startswith("Reminders:"))
    assert said.startswith(f"Reminders: not started: XDG_RUNTIME_DIR ({blocked / 'run'}) cannot be used")
    assert "earlier login" in said and "The plan is recorded" in said and "`therapy-timer run`" in said
    assert json.loads(tt(env, "status", "--json").stdout)["phase"] is not None  # recorded, as it says
    assert not daemon_client.is_running(isolated) and not autostart.entry_path().exists()  # nothing else was done
    stopped = tt(env, "stop")
    assert stopped.stdout.startswith("Plan ended") and stopped.stderr == ""


@pytest.mark.parametrize("home", ["", None], ids=["HOME empty", "HOME unset"])
def test_without_a_home_folder_start_says_the_reminders_run_but_will_not_come_back(
    isolated, ended, run, monkeypatch, home
):
    """Issue 21.2: no home folder (HOME unset or empty, and no entry in the user database, as in some
    containers): the reminders run, the login entry cannot be written, and both answers say so."""
    import pwd

    from therapy_timer import autostart

    def no_entry(uid: int) -> None:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    said = next(line for line in run("start").stdout.splitlines() if line.startswith("Reminders:"))
    assert said.startswith("Reminders: starting in the background")
    assert "They will not come back after a restart: there is no home folder" in said and "set HOME" in said
    assert wait_until(lambda: daemon_client.is_running(isolated), 10)
    assert not Path("/.config/autostart").exists()  # an empty HOME never meant the root folder
    stopped = run("stop")
    assert stopped.stdout.startswith("Plan ended")
    assert stopped.stderr.startswith("therapy-timer: warning: the plan has ended, but the login entry")
    assert "there is no home folder" in stopped.stderr and stopped.stderr.count("\n") == 1
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated.parent / "xdg-config"))
    assert not autostart.entry_path().exists()


def test_a_data_folder_whose_name_is_not_utf8_gets_reminders_and_plain_answers(tmp_path, monkeypatch):
    """Issue 21.2: the socket's name was made from the folder's name as UTF-8, which failed after
    the plan was recorded ("unexpected problem ... nothing else was changed"), and `stop` the same."""
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/d\xff"))
    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(folder))
    env = desktopless_env()

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*THERAPY_TIMER, *args], env=env, capture_output=True, timeout=60,
            encoding="utf-8", errors="replace",
        )  # fmt: skip
        assert done.returncode == 0 and "unexpected" not in done.stderr, f"{args}: {done.stderr}"
        return done

    try:
        said = next(line for line in command("start").stdout.splitlines() if line.startswith("Reminders:"))
        assert said.startswith("Reminders: starting in the background")
        assert "They will not come back after a restart: THERAPY_TIMER_DATA_DIR (" in said
        assert "\\xff) is not valid UTF-8" in said
        assert stays_running(folder)
        assert "Reminders: running" in command("status").stdout
        assert command("stop").stdout.startswith("Plan ended")
        assert wait_until(lambda: not daemons_for(folder), 10)
    finally:
        for pid in daemons_for(folder):
            os.kill(pid, 15)


# Config edits and sessions ---------------------------------------------------------------------------


def test_start_outside_a_desktop_session_says_at_once_that_reminders_only_reach_the_log(isolated, ended):
    out = tt(desktopless_env(), "start").stdout
    assert "not a desktop session" in out and "reach only the log" in out and str(isolated) in out
    tt(desktopless_env(), "stop")


# Coming back after a reboot ----------------------------------------------------------------------------

AWKWARD = "my data %d \"q\" $HOME \\back 'x' `id`"  # a space, a field code, quotes, $, a backslash, backticks


def test_the_login_entry_is_valid_and_starts_the_daemon_for_an_awkward_folder(tmp_path, monkeypatch, ended):
    needs_tools("desktop-file-validate", package="desktop-file-utils")
    needs_tools("gio", package="libglib2.0-bin")
    from therapy_timer import autostart

    folder = tmp_path / AWKWARD
    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(folder))
    env = desktopless_env()
    tt(env, "start", "--no-daemon")
    assert autostart.install(folder) == "login entry"
    checked = subprocess.run(["desktop-file-validate", str(autostart.entry_path())], capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    subprocess.run(["gio", "launch", str(autostart.entry_path())], env=env, check=True, timeout=30)
    assert wait_until(lambda: daemon_client.is_running(folder), 10), "the login entry did not start the daemon"
    assert daemons_for(folder)  # for exactly this folder
    tt(env, "stop")
    assert wait_until(lambda: not daemon_client.is_running(folder), 10)
    assert not autostart.entry_path().exists()


def test_the_systemd_unit_is_valid_for_an_awkward_folder(tmp_path, monkeypatch):
    needs_tools("systemd-analyze", package="systemd")
    from therapy_timer import autostart

    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(tmp_path / AWKWARD))
    unit = tmp_path / autostart.UNIT
    unit.write_text(autostart.systemd_unit(tmp_path / AWKWARD))
    checked = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert f"ExecStart={autostart.systemd_argument(sys.executable)}" in unit.read_text()


def test_where_systemd_runs_the_session_start_installs_and_starts_a_user_service(
    isolated, tmp_path, monkeypatch, runtime_dir
):
    """A user manager is there ($XDG_RUNTIME_DIR/systemd/private); systemctl is a recording stand-in."""
    from therapy_timer import autostart

    (runtime_dir / "systemd").mkdir()
    (runtime_dir / "systemd" / "private").touch()
    calls = tmp_path / "systemctl.calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "systemctl").write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n')
    (bin_dir / "systemctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    env = desktopless_env()
    assert "reach only the log (journal" in tt(env, "start").stdout
    assert calls.read_text().splitlines() == [
        "--user daemon-reload",
        f"--user enable {autostart.UNIT}",
        f"--user restart {autostart.UNIT}",
    ]
    assert autostart.unit_path().exists() and not autostart.entry_path().exists()
    assert not daemon_client.is_running(isolated)  # systemd starts it, not `start`
    tt(env, "stop")
    assert calls.read_text().splitlines()[3:] == [f"--user disable {autostart.UNIT}", "--user daemon-reload"]
    assert not autostart.unit_path().exists()


def test_a_config_file_that_is_a_fifo_does_not_hang_status(isolated, config_file):
    tt(desktopless_env(), "start", "--no-daemon")
    os.mkfifo(config_file)
    done = tt(desktopless_env(), "status")  # the timeout of 60 s is the hang detector
    assert "not a plain file" in done.stderr and done.stderr.count("\n") == 1  # a warning; status still answers
    assert "not a plain file" in tt(desktopless_env(), "config", "show", code=2).stderr


def test_a_database_from_before_zones_were_recorded_is_upgraded_in_place(isolated, run):
    import sqlite3

    from therapy_timer import store

    isolated.mkdir(mode=0o700)
    with sqlite3.connect(isolated / DB_NAME) as db:
        db.executescript(store.DDL.replace(",\n    zone TEXT", "") + "PRAGMA user_version = 1;")
        db.execute(
            "INSERT INTO plans (injured_at, started_at) VALUES ('2026-11-24T08:00:00+00:00', "
            "'2026-11-24T08:00:00+00:00')"
        )
    stored = Store(isolated).active_plan()
    assert stored is not None and stored.zone is None  # the machine's zone is used, as before
    with sqlite3.connect(isolated / DB_NAME) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (store.SCHEMA_VERSION,)
    assert run.json("status")["phase"] is not None


def test_a_nudge_from_another_user_is_ignored_even_through_a_misconfigured_folder(isolated, ended, neighbour):
    """Defence in depth: the kernel vouches for each sender's uid (SCM_CREDENTIALS)."""
    env = desktopless_env()
    tt(env, "start")
    assert wait_until(lambda: "Ice on now" in log_of(isolated), 10), log_of(isolated)
    address = daemon_client.address(isolated)
    for opened in (Path(address).parent.parent, Path(address).parent, Path(address)):
        os.chmod(opened, 0o777)  # the mistake: everything open to everyone
    probe = "import socket, sys\nsocket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'replan', sys.argv[1])\n"
    sent = subprocess.run(["runuser", "-u", neighbour, "--", "/usr/bin/python3", "-c", probe, address], timeout=30)
    assert sent.returncode == 0  # it got through the permissions...
    assert wait_until(lambda: "ignored a nudge from another user" in log_of(isolated), 5), log_of(isolated)
    assert "Reminders stopped" not in log_of(isolated)
    for opened in (Path(address).parent.parent, Path(address).parent):
        os.chmod(opened, 0o700)  # mistake mended; our own nudges are still heard
    tt(env, "stop")
    assert wait_until(lambda: not daemon_client.is_running(isolated), 10)


def test_a_full_or_read_only_disk_is_named_as_such_and_never_points_at_forget(small_disk, monkeypatch):
    """Issue 11.11: a healthy record on a full or read-only disk must not be called damaged."""
    data = small_disk / "data"
    monkeypatch.setenv("THERAPY_TIMER_DATA_DIR", str(data))
    env = desktopless_env()
    tt(env, "start", "--no-daemon")
    tt(env, "log", "pain", "6")
    filler = fill(small_disk)
    full = tt(env, "log", "note", "x" * 100_000, code=None)
    assert full.returncode != 0 and "is full" in full.stderr and "forget" not in full.stderr, full.stderr
    filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    read_only = tt(env, "log", "pain", "4", code=None)
    assert read_only.returncode != 0 and "is read-only here" in read_only.stderr, read_only.stderr
    assert "nothing was written" in read_only.stderr and read_only.stderr.count("\n") == 1
    assert "forget" not in read_only.stderr and "damaged" not in read_only.stderr
    assert [e["score"] for e in json.loads(tt(env, "history", "--json").stdout)["events"] if e["kind"] == "pain"] == [6]


# The test run itself ------------------------------------------------------------------------------


def test_the_check_for_processes_a_test_left_running_finds_and_ends_them():
    """conftest's check (issue 21.15) sees a process by the mark in its environment, not by its name."""
    from tests.conftest import TEST_MARK, end_left_behind

    mark = os.environ[TEST_MARK]
    left = subprocess.Popen(["sleep", "60"])  # inherits this test's mark
    stranger = subprocess.Popen(["sleep", "60"], env={k: v for k, v in os.environ.items() if k != TEST_MARK})
    try:
        assert end_left_behind(TEST_MARK, mark, 0.2) == [f"{left.pid}: sleep 60"]
        assert left.wait(5) == -9 and stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()
