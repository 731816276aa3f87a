"""Reports and calendar files written into a shared sticky folder (like /tmp), where another user
planted a file or a symbolic link under the name first.

Real users, a real sticky folder, the installed command run as an ordinary user (root would pass
every permission check). The kernel's own guards for sticky folders (`fs.protected_regular`,
`fs.protected_symlinks`) are switched off for the test where the machine lets it, and restored
after, so what refuses here is the app itself. Adding users needs root, which CI has; elsewhere
these tests are skipped, and in CI they refuse to skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import click
import pytest

import therapy_timer
from tests.helpers import needs_root

PATIENT, PLANTER = "tt-patient", "tt-planter"
SECRET = "numb left leg since the fall"
GUARDS = ("protected_regular", "protected_symlinks")


class User(NamedTuple):
    name: str
    uid: int
    gid: int


def add_user(name: str) -> bool:
    """Create `name` (True), or use it as it is (False); useradd is retried while another holds its lock."""
    if subprocess.run(["id", name], capture_output=True).returncode == 0:
        return False
    for _ in range(50):
        done = subprocess.run(
            ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], capture_output=True, text=True
        )
        if done.returncode == 0 or subprocess.run(["id", name], capture_output=True).returncode == 0:
            return True
        time.sleep(0.1)  # /etc/passwd locked by a useradd running at the same moment
    raise AssertionError(f"useradd {name}: {done.stderr}")


@pytest.fixture(scope="module")
def users() -> Iterator[tuple[User, User]]:
    """The patient (runs therapy-timer) and a planter (another user on the same machine)."""
    needs_root("a second and a third real user")
    created = [name for name in (PATIENT, PLANTER) if add_user(name)]
    try:
        yield tuple(User(n, pwd.getpwnam(n).pw_uid, pwd.getpwnam(n).pw_gid) for n in (PATIENT, PLANTER))  # type: ignore[misc]
    finally:
        for name in created:
            subprocess.run(["userdel", name], check=False, capture_output=True)


@pytest.fixture
def unguarded() -> Iterator[None]:
    """The kernel's own protections for sticky folders off, where the machine allows it; restored after."""
    before = {}
    for guard in GUARDS:
        path = Path("/proc/sys/fs") / guard
        with contextlib.suppress(OSError):
            before[guard] = path.read_text().strip()
            path.write_text("0\n")
    try:
        yield
    finally:
        for guard, value in before.items():
            with contextlib.suppress(OSError):
                (Path("/proc/sys/fs") / guard).write_text(f"{value}\n")


@pytest.fixture
def shared() -> Iterator[Path]:
    """A real sticky folder anyone may write in, as /tmp is."""
    folder = Path(tempfile.mkdtemp(prefix="tt-shared-", dir="/tmp"))
    os.chmod(folder, 0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def home(users: tuple[User, User]) -> Iterator[Path]:
    """The patient's own private folder: their data, config and runtime folder, and a file of theirs."""
    folder = Path(tempfile.mkdtemp(prefix="tt-patient-", dir="/tmp"))
    os.chown(folder, users[0].uid, users[0].gid)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def interpreter(user: User) -> tuple[list[str], dict[str, str]]:
    """A Python the user may run, with this therapy-timer and its libraries importable.

    The test's own interpreter when the user can run it; else the system's, pointed at the same
    source and the same installed libraries (the test's may live in a folder only root can enter)."""
    try:
        ok = subprocess.run([sys.executable, "-c", "pass"], user=user.uid, group=user.gid, extra_groups=[]).returncode
    except OSError:
        ok = 1
    if ok == 0:
        return [sys.executable], {}
    source = Path(therapy_timer.__file__).resolve().parents[1]
    libraries = Path(click.__file__).resolve().parents[1]
    return ["/usr/bin/python3"], {"PYTHONPATH": f"{source}{os.pathsep}{libraries}"}


def as_patient(users: tuple[User, User], home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    patient = users[0]
    python, extra = interpreter(patient)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TZ": "Europe/Berlin",
        "LANG": "C.UTF-8",
        "THERAPY_TIMER_DATA_DIR": str(home / "data"),
        "THERAPY_TIMER_CONFIG": str(home / "config.toml"),
        "XDG_RUNTIME_DIR": str(home),
        **extra,
    }
    return subprocess.run(
        [*python, "-m", "therapy_timer", *args],
        user=patient.uid,
        group=patient.gid,
        extra_groups=[],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
    )


def plant(path: Path, owner: User, *, text: str | None = None, link_to: Path | None = None) -> None:
    """What the other user leaves under a name in the shared folder: a file anyone may write, or a link."""
    if link_to is not None:
        path.symlink_to(link_to)
        os.lchown(path, owner.uid, owner.gid)
    else:
        path.write_text(text or "")
        os.chown(path, owner.uid, owner.gid)
        os.chmod(path, 0o666)


WRITERS = {
    "report --csv": ("report", "--csv"),
    "report --html": ("report", "--html"),
    "export ics": ("export", "ics"),
}


@pytest.fixture
def patient_with_a_record(users: tuple[User, User], home: Path) -> None:
    for args in (("start", "--no-daemon"), ("log", "symptom", SECRET)):
        done = as_patient(users, home, *args)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("writer", WRITERS)
def test_a_file_another_user_planted_in_a_shared_folder_is_refused(
    users, home, shared, unguarded, patient_with_a_record, writer
):
    planted = shared / "for-the-physio"
    plant(planted, users[1], text="planted by someone else\n")
    done = as_patient(users, home, *WRITERS[writer], str(planted))
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr == (
        f"therapy-timer: {planted} belongs to another user; nothing was written: choose another name\n"
    )
    assert planted.read_text() == "planted by someone else\n"  # nothing of the record reached their file
    assert os.stat(planted).st_uid == users[1].uid
    assert [p.name for p in shared.iterdir()] == [planted.name]  # and no temporary file was left


@pytest.mark.parametrize("writer", WRITERS)
def test_a_link_another_user_planted_in_a_shared_folder_is_not_written_through(
    users, home, shared, unguarded, patient_with_a_record, writer
):
    mine = home / "notes.txt"  # a file of the patient's own, the link's target
    mine.write_text("my own notes\n")
    os.chown(mine, users[0].uid, users[0].gid)
    planted = shared / "for-the-physio"
    plant(planted, users[1], link_to=mine)
    done = as_patient(users, home, *WRITERS[writer], str(planted))
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr == (
        f"therapy-timer: {planted} is a symbolic link another user made; nothing was written through it\n"
    )
    assert mine.read_text() == "my own notes\n" and planted.is_symlink()


@pytest.mark.parametrize("writer", WRITERS)
def test_in_a_shared_folder_the_patient_gets_a_private_file_of_their_own_and_can_write_it_again(
    users, home, shared, unguarded, patient_with_a_record, writer
):
    target = shared / "for-the-physio"
    for _ in range(2):
        done = as_patient(users, home, *WRITERS[writer], str(target))
        assert done.returncode == 0, done.stderr
    info = os.lstat(target)
    assert stat.S_ISREG(info.st_mode) and info.st_uid == users[0].uid and stat.S_IMODE(info.st_mode) == 0o600
    assert [p.name for p in shared.iterdir()] == [target.name]


def test_the_patients_own_link_is_followed_to_the_file_it_points_to(
    users, home, shared, unguarded, patient_with_a_record
):
    synced = home / "Sync"
    synced.mkdir()
    os.chown(synced, users[0].uid, users[0].gid)
    link = shared / "plan.ics"
    link.symlink_to(synced / "plan.ics")
    os.lchown(link, users[0].uid, users[0].gid)
    done = as_patient(users, home, "export", "ics", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and (synced / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
