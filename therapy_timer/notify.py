"""Desktop notifications behind a small interface: D-Bus with buttons, plyer, then the terminal.

On Linux the freedesktop service is spoken to directly (`freedesktop.py`), so reminders carry
buttons, replace one another and close when answered. plyer stays the path for macOS, Windows and
sessions without that service, and the fallback when it fails.

plyer fails silently in some set-ups (its notify-send path ignores the exit status, and with no
backend it raises NotImplementedError), so we check for a backend ourselves before each call,
bound every call in time (a hung D-Bus must not stall the schedule), and fall back to the
terminal/log, saying so once, while retrying the desktop at every reminder.
"""

from __future__ import annotations

import functools
import html
import os
import shutil
import sys
import threading
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

from therapy_timer import APP_NAME, texts

SEND_TIMEOUT = 5.0


class Note(NamedTuple):
    """One notification to show: what it says, and how it may be answered."""

    title: str
    body: str
    sticky: bool = False  # a take-it-off reminder: stays (critical urgency) until answered
    buttons: tuple[str, ...] = ()  # texts.BUTTONS keys, for servers that show buttons
    typed: str = ""  # what to type instead, added to the body where there are no buttons
    replaces: int = 0  # the server's id of the notification this one takes the place of
    expire_seconds: float = 30  # how long a non-sticky notification stays

    @property
    def plain(self) -> str:
        """The body for a backend without buttons: the commands to type come with it."""
        return f"{self.body} {self.typed}" if self.typed else self.body


class Delivery(NamedTuple):
    """Who took a notification, and the id its server gave it (0: it cannot be replaced or closed)."""

    backend: str
    id: int = 0


class NotifyError(Exception):
    """A backend could not deliver; the message says why, in one line."""


class Backend(Protocol):
    name: str

    def problem(self) -> str | None:
        """Why this backend cannot deliver right now, with what to install; None when it can."""

    def prepare(self) -> None:
        """Load what sending needs ahead of time (optional)."""

    def send(self, note: Note) -> int:
        """Deliver one notification or raise NotifyError; returns the server's id for it, or 0."""

    def close(self, note_id: int) -> None:
        """Take a notification shown by this backend off the screen (where the backend can)."""

    def listen(self, listener: Callable[[Any], None]) -> None:
        """Hear what the person does with the notifications (where the backend can)."""

    def shutdown(self) -> None:
        """Let go of any connection, so the next send connects afresh (a new session bus)."""


class Unanswerable:
    """The part of a backend that can neither close nor hear its notifications."""

    def close(self, note_id: int) -> None:
        """Nothing to close: this backend keeps no handle on what it showed."""

    def listen(self, listener: Callable[[Any], None]) -> None:
        """Nothing to hear: this backend's notifications have no buttons."""

    def shutdown(self) -> None:
        """Nothing held: each send starts afresh."""


def linux_backend() -> str | None:
    """Which of plyer's Linux backends it will use: "portal", "dbus", "notify-send" or None."""
    if os.path.isdir("/app"):
        return "portal"
    try:
        import dbus  # noqa: F401

        return "dbus"
    except ImportError:
        pass
    return "notify-send" if shutil.which("notify-send") else None


def session_bus_address() -> str | None:
    """The session bus's address: DBUS_SESSION_BUS_ADDRESS, else the user's bus socket
    (`$XDG_RUNTIME_DIR/bus`) where one is there, else None.

    Never "autolaunch": a D-Bus client with no address but an X display runs
    `dbus-launch --autolaunch`, which starts a bus of its own that outlives the command.
    """
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if address:
        return address
    runtime = os.environ.get("XDG_RUNTIME_DIR") or ("" if sys.platform == "win32" else f"/run/user/{os.getuid()}")
    socket = os.path.join(runtime, "bus") if runtime else ""
    return f"unix:path={socket}" if socket and os.path.exists(socket) else None


def session_bus_available() -> bool:
    return session_bus_address() is not None


class PlyerBackend(Unanswerable):
    """plyer's notification facade: notify-send or dbus on Linux, native on macOS and Windows."""

    name = "desktop (plyer)"

    def problem(self) -> str | None:
        if not sys.platform.startswith("linux"):
            return None
        if not session_bus_available():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset): run inside your desktop session"
        if linux_backend() is None:
            return (
                "no notification tool: install notify-send (Debian/Ubuntu: apt install libnotify-bin; "
                "Fedora: dnf install libnotify; Arch: pacman -S libnotify)"
            )
        return None

    def prepare(self) -> None:
        """Load plyer and its platform backend now, not at the first reminder."""
        import importlib
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                from plyer.utils import platform

                importlib.import_module(f"plyer.platforms.{platform}.notification")
            except Exception:
                pass

    def send(self, note: Note) -> int:
        import warnings

        title, body, sticky = note.title, note.plain, note.sticky
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # plyer warns about dbus-python before falling back to notify-send
            from plyer import notification

            if sys.platform.startswith("linux"):
                if linux_backend() == "portal":  # plyer pastes text into a GVariant string: no straight quotes
                    title, body = title.replace("'", "\u2019"), body.replace("'", "\u2019")
                body = html.escape(body, quote=False)  # servers read body markup; show text as written
            try:
                notification.notify(
                    title=title, message=body, app_name=APP_NAME, timeout=0 if sticky else round(note.expire_seconds)
                )
            except NotImplementedError:
                raise NotifyError("plyer has no notification backend on this system") from None
            except Exception as exc:
                raise NotifyError(f"plyer failed: {type(exc).__name__}: {exc}") from None
        return 0


class NotifySendBackend(Unanswerable):
    """libnotify's `notify-send`, run by us rather than through plyer, on Linux.

    plyer runs the same command but ignores its exit status (a bus with no notification server
    makes it fail silently, and the reminder would be recorded as delivered) and drops the
    timeout. Here a failure is an error, so the Notifier falls back, and a hanging call is killed
    and its process reaped within `timeout` seconds instead of leaving a thread and a child behind.
    """

    name = "desktop (notify-send)"

    def __init__(self, timeout: float = SEND_TIMEOUT - 1) -> None:
        self.timeout = timeout

    def problem(self) -> str | None:
        return PlyerBackend().problem()

    def prepare(self) -> None:
        """Nothing to load: the command runs at each reminder."""

    def send(self, note: Note) -> int:
        import subprocess

        expire = 0 if note.sticky else round(note.expire_seconds * 1000)
        command = ["notify-send", f"--app-name={APP_NAME}", f"--expire-time={expire}"]
        if note.sticky:
            command.append("--urgency=critical")
        command += [
            "--",
            note.title,
            html.escape(note.plain, quote=False),
        ]  # servers read body markup: show it as typed
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:  # run() has killed and reaped the child
            raise NotifyError(f"notify-send gave no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise NotifyError(f"notify-send could not run: {exc.strerror}") from None
        if done.returncode != 0:
            said = " ".join(done.stderr.split())[:200] or f"exit status {done.returncode}"
            raise NotifyError(f"notify-send failed: {said}")
        return 0


def desktop_backends() -> list[Backend]:
    """The desktop path for this system: on Linux the D-Bus service with buttons first, then
    notify-send we can check (or plyer); plyer everywhere else."""
    if not sys.platform.startswith("linux"):
        return [PlyerBackend()]
    from therapy_timer.freedesktop import DBusBackend

    second: Backend = NotifySendBackend() if linux_backend() == "notify-send" else PlyerBackend()
    return [DBusBackend(), second]


class TerminalBackend(Unanswerable):
    """Writes the reminder to this process's output (the terminal, or daemon.log), with a bell."""

    name = "terminal"

    def __init__(self, write: Callable[[str], None] | None = None) -> None:
        self.write = write or (lambda line: print(line, flush=True))

    def problem(self) -> str | None:
        return None

    def prepare(self) -> None:
        """Nothing to load: printing is always ready."""

    def send(self, note: Note) -> int:
        bell = "\a" if sys.stdout.isatty() else ""
        self.write(f"{bell}>>> {note.title}: {note.plain}")
        return 0


def bounded(call: Callable[[], Any], seconds: float) -> Any:
    """Run `call`, giving up after `seconds`: a hung notification must not stall the schedule."""
    failure: list[BaseException] = []
    result: list[Any] = []

    def runner() -> None:
        try:
            result.append(call())
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=runner, name="notify", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise NotifyError(f"no answer within {seconds:g} s")
    if failure:
        raise (
            failure[0]
            if isinstance(failure[0], NotifyError)
            else NotifyError(f"{type(failure[0]).__name__}: {failure[0]}")
        )
    return result[0] if result else None


class Notifier:
    """Tries the desktop backends in order, then the terminal; reports a lost desktop once."""

    def __init__(
        self,
        desktop: list[Backend] | None = None,
        fallback: Backend | None = None,
        log: Callable[[str], None] = print,
        timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.desktop: list[Backend] = desktop if desktop is not None else desktop_backends()
        self.fallback: Backend = fallback or TerminalBackend()
        self.log = log
        self.timeout = timeout
        self.desktop_down = False

    def prepare(self) -> None:
        for backend in self.desktop:
            backend.prepare()

    def listen(self, listener: Callable[[Any], None]) -> None:
        """Pass what the person does with a notification (a button, a dismissal) to `listener`."""
        for backend in self.desktop:
            backend.listen(listener)

    def send(self, note: Note, replacing: Delivery | None = None) -> Delivery:
        """Deliver one notification, in place of `replacing` where the same backend showed it."""
        reasons = []
        for backend in self.desktop:
            reason = backend.problem()
            if reason is None:
                same = replacing is not None and replacing.backend == backend.name
                shown = note._replace(replaces=replacing.id if same and replacing else 0)
                try:
                    note_id = bounded(functools.partial(backend.send, shown), self.timeout)
                except NotifyError as exc:
                    reason = str(exc)
                else:
                    if self.desktop_down:
                        self.log(f"desktop notifications work again ({backend.name})")
                        self.desktop_down = False
                    return Delivery(backend.name, int(note_id or 0))
            reasons.append(f"{backend.name}: {reason}")
        if not self.desktop_down:
            self.log(f"{texts.DESKTOP_DOWN} ({'; '.join(reasons) or 'no desktop backend'})")
            self.desktop_down = True
        self.fallback.send(note)
        return Delivery(self.fallback.name)

    def reset(self) -> None:
        """The desktop session changed: every backend connects afresh, and the next send tries them all."""
        for backend in self.desktop:
            backend.shutdown()

    def close(self, shown: Delivery) -> None:
        """Take a notification off the screen; one that cannot be closed (or is gone) is left be."""
        backend = next((b for b in self.desktop if b.name == shown.backend), None)
        if backend is None or not shown.id:
            return
        try:
            bounded(functools.partial(backend.close, shown.id), self.timeout)
        except NotifyError as exc:
            self.log(f"could not close a notification: {exc}")
