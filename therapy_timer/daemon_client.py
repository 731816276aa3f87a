"""The reminder daemon's lock, socket and messages (both ends), and a command's side: running? nudge, start, end.

Kept free of APScheduler and plyer so ordinary commands start fast. "Running" is decided by an
OS file lock the daemon holds for its whole life (released by the kernel if it dies), never by
guessing from a pid. A nudge is one datagram on a Unix socket in the per-user runtime folder that
the daemon blocks on, so it learns of a change at once without polling. Files in the data folder
are opened without following symlinks.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO, Any

from therapy_timer.named_tuple import NamedTuple

LOCK_NAME = "daemon.lock"
LOG_NAME = "daemon.log"
NUDGE = b"replan"
DESKTOP = b"desktop"
FORGET = b"forget"
"""`forget` is about to delete the record: the daemon closes its notifications and ends."""
BUS = b"bus="
MESSAGE = 1024
"""The largest message the daemon reads: a command's word and its session bus address."""
HOW = b"how"
"""doctor's question: how did your last reminder go? Answered (JSON) to the asking socket's address."""
TEST = b"test"
"""doctor's request: send a test notification, and a test push when push is on, your way; say how they went."""
QUESTIONS = (HOW, TEST)
ANSWER = 65536
"""The largest answer doctor reads."""

if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(handle: IO[bytes], exclusive: bool) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(handle: IO[bytes], exclusive: bool) -> bool:
        try:
            fcntl.flock(handle.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class DaemonLock:
    """The one-daemon-per-user lock, held by the running daemon in the data folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self.handle: IO[bytes] | None = None

    def acquire(self) -> bool:
        from therapy_timer.paths import ensure_private_dir, open_private

        ensure_private_dir(self.path.parent)
        handle = os.fdopen(open_private(self.path, os.O_RDWR | os.O_CREAT), "r+b")
        if not _try_lock(handle, exclusive=True):
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self.handle = handle
        return True

    def release(self) -> None:
        if self.handle:
            _unlock(self.handle)
            self.handle.close()
            self.handle = None


def is_running(folder: Path) -> bool:
    """Whether a daemon holds the lock for this data folder right now."""
    from therapy_timer.paths import NO_FOLLOW

    try:
        handle = os.fdopen(os.open(folder / LOCK_NAME, os.O_RDONLY | NO_FOLLOW), "rb")
    except OSError:
        return False
    with handle:
        if _try_lock(handle, exclusive=False):
            _unlock(handle)
            return False
        return True


def address(folder: Path) -> str:
    """The daemon's socket: a short path in the per-user runtime folder, named after the data folder.

    Never a Linux abstract name: those have no permissions, so another user could take the name
    first or flood it. The runtime folder is 0700, so only this user can reach the socket.
    """
    import zlib  # not hashlib: that would load OpenSSL into the daemon for nothing

    from therapy_timer.paths import runtime_dir

    # os.fsencode: a folder whose name is not valid UTF-8 still has one address (the same as before for any other)
    return str(runtime_dir() / f"{zlib.crc32(os.fsencode(folder.resolve())):08x}.sock")


def remove_stale_sockets(folder: Path) -> int:
    """Remove the sockets in our runtime folder that nobody listens on; returns how many.

    A daemon that was killed leaves its socket behind (each data folder has its own name, so they
    pile up). A socket is stale when connecting to it is refused: a datagram socket accepts a
    connection while its owner has it bound, without anything being sent. It is removed only if it
    is still the same file afterwards, so a daemon that bound anew there in the meantime keeps its own.
    """
    import socket
    import stat

    removed = 0
    for path in folder.glob("*.sock"):
        try:
            before = os.lstat(path)
            if not stat.S_ISSOCK(before.st_mode):
                continue
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as probe:
                try:
                    probe.connect(str(path))
                    continue  # someone listens
                except ConnectionRefusedError:
                    pass
            if os.lstat(path).st_ino == before.st_ino:
                os.unlink(path)
                removed += 1
        except OSError:  # gone already, too long a path, not ours to remove: leave it
            continue
    return removed


def nudge(folder: Path, what: bytes = NUDGE) -> bool:
    """Tell a running daemon to re-read the plan; False when no daemon listens.

    The message names this command's desktop session bus, if it has one: a daemon started outside
    the desktop (from a console, over ssh, before login) takes it and reaches the desktop from then on.
    """
    import socket

    if not hasattr(socket, "AF_UNIX"):  # pragma: no cover - the daemon re-reads at its next wake-up
        return False
    from therapy_timer.errors import TherapyTimerError

    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    message = what + (b"\n" + BUS + bus.encode() if bus and len(bus) < MESSAGE - 64 else b"")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(message, address(folder))
            return True
        except (OSError, ValueError, TherapyTimerError):  # no daemon, or no runtime folder for one to listen in
            return False


def ask(folder: Path, question: bytes, seconds: float) -> dict[str, Any] | None:
    """Ask the daemon serving `folder` (HOW or TEST) and wait up to `seconds` for its answer; None
    when none comes (no daemon, or one from before it could answer).

    The answer comes back to a socket of our own, bound for the while in the same private runtime
    folder (a datagram socket answers only to a bound address); it is removed afterwards.
    """
    import json
    import socket

    if not hasattr(socket, "AF_UNIX"):  # pragma: no cover
        return None
    from therapy_timer.errors import TherapyTimerError
    from therapy_timer.paths import runtime_dir

    try:
        reply = runtime_dir() / f"ask-{os.getpid()}-{os.urandom(4).hex()}.sock"
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(str(reply))
            try:
                sock.settimeout(seconds)
                sock.sendto(question, address(folder))
                data = sock.recv(ANSWER)
            finally:
                reply.unlink(missing_ok=True)
        answer = json.loads(data)
    except (OSError, ValueError, TherapyTimerError):  # no daemon, no answer in time, or not one we can read
        return None
    return answer if isinstance(answer, dict) else None


def answer(sock: Any, to: Any, what: dict[str, Any]) -> None:
    """Send `what` (JSON) to the asking socket `to`; an asker that has gone is no error."""
    import json

    with contextlib.suppress(OSError, TypeError, ValueError):
        sock.sendto(json.dumps(what).encode(), to)


def offer_desktop(folder: Path) -> bool:
    """Offer a running daemon this command's desktop session, without asking it to re-read the plan."""
    return bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS")) and nudge(folder, DESKTOP)


def is_forget(data: bytes) -> bool:
    """Whether a message to the daemon is `forget`'s: close the notifications and end."""
    return data.partition(b"\n")[0] == FORGET


def read_message(data: bytes) -> tuple[bool, str | None]:
    """(whether to re-read the plan, the desktop session bus offered) from a message to the daemon."""
    head, _, rest = data.partition(b"\n")
    bus = rest[len(BUS) :].decode("utf-8", "replace").strip() if rest.startswith(BUS) else None
    return head not in (DESKTOP, *QUESTIONS), bus or None


def end_daemon(folder: Path, seconds: float = 5.0, asking: bytes | None = None) -> bool:
    """End the daemon serving `folder` (before its files are deleted); True once none runs.

    With `asking`, that message goes first, so the daemon ends by itself and tidies up on the way
    (`FORGET`: it closes its notifications); SIGTERM follows only if it has not ended within
    `seconds`. The daemon wrote its pid into the lock it still holds, so the pid is the live daemon's.
    """
    import contextlib
    import signal

    if not is_running(folder):
        return True
    if asking is not None and nudge(folder, asking) and _ended(folder, seconds):
        return True
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(int((folder / LOCK_NAME).read_text().split()[0]), signal.SIGTERM)
    return _ended(folder, seconds)


def _ended(folder: Path, seconds: float) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while is_running(folder):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def no_desktop_session() -> str | None:
    """Why notifications from a daemon started here could not reach a desktop, or None.

    Only a Linux desktop needs a D-Bus session bus; elsewhere there is nothing to check.
    """
    if not sys.platform.startswith("linux"):
        return None
    from therapy_timer.notify import session_bus_available

    return None if session_bus_available() else "this is not a desktop session (there is no D-Bus session bus)"


def spawn(folder: Path) -> None:
    """Start the daemon detached from this terminal, logging to daemon.log in the data folder."""
    import subprocess

    from therapy_timer.paths import ensure_private_dir, open_private

    ensure_private_dir(folder)
    log = os.fdopen(open_private(folder / LOG_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT), "ab")
    options: dict[str, object] = (
        {"start_new_session": True}
        if sys.platform != "win32"
        else {
            "creationflags": getattr(subprocess, "DETACHED_PROCESS", 0)
            | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
        }
    )
    from therapy_timer.autostart import daemon_command, daemon_environment

    env = {**os.environ, **daemon_environment(folder)}  # absolute paths: the daemon runs from "/"
    with log:
        subprocess.Popen(
            daemon_command(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            close_fds=True,
            cwd=os.path.abspath(os.sep),
            env=env,
            **options,
        )  # type: ignore[call-overload]


class Started(NamedTuple):
    """What `start_daemon` did: which way the reminders come back after a reboot, whether a daemon
    was running already (it was told of the new plan), and why they will not come back, if so."""

    way: str
    already_running: bool
    no_comeback: str | None = None


def start_daemon(folder: Path) -> Started:
    """Start the reminders in the background and make them come back after a reboot.

    The way back ("systemd": a user service, which also starts them now; "login entry": an XDG
    autostart entry, the daemon spawned here; "none") is installed even when a daemon runs
    already: after `stop` the daemon that is ending still holds its lock for a moment, and the
    entry `stop` removed must come back. That daemon is nudged, and carries on with the new plan
    (it looks for one after letting go of its lock: `Daemon._carry_on`). Refuses (RefusedError)
    only when no daemon can be started; a way back that cannot be installed is said in
    `no_comeback`, and the reminders start all the same.
    """
    from therapy_timer import autostart
    from therapy_timer.paths import ensure_runtime_dir

    if is_running(folder):
        way, problem = _install(folder)
        nudge(folder)
        return Started(way, True, problem)
    ensure_runtime_dir()  # refused here, in one line, rather than by the daemon in its log
    way, problem = _install(folder)
    if not autostart.start(folder):
        spawn(folder)
    return Started(way, False, problem)


def _install(folder: Path) -> tuple[str, str | None]:
    from therapy_timer import autostart

    try:
        return autostart.install(folder), None
    except Exception as exc:  # the reminders run all the same; say why they will not come back
        return "none", _why(exc)


def remove_autostart() -> str | None:
    """The plan is over: the reminders no longer come back at login. Returns why the login entry
    (or user service) could not be removed, or None when it is gone (or was never there)."""
    from therapy_timer import autostart

    try:
        autostart.remove()
    except Exception as exc:  # the plan has ended already: say exactly what is left
        return _why(exc)
    return None


def _why(exc: Exception) -> str:
    from therapy_timer.errors import TherapyTimerError

    if isinstance(exc, TherapyTimerError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc}"
