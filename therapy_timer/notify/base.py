"""The notification interface every backend and the daemon share: what a notification says
(`Note`), who delivered it (`Delivery`), what a backend does (`Backend`), and a bound on any call in
time. It imports nothing of ours but the app's name, so a backend and the notifier can both build
on it without importing each other."""

from __future__ import annotations

import os
import shutil
import sys
import threading
from collections.abc import Callable
from typing import Any, Protocol

from therapy_timer.named_tuple import NamedTuple

SEND_TIMEOUT = 5.0


class Note(NamedTuple):
    """One notification to show: what it says, and how it may be answered."""

    title: str
    body: str
    sticky: bool = False  # a take-it-off reminder: stays (critical urgency) until answered
    buttons: tuple[str, ...] = ()  # wording.BUTTONS keys, for servers that show buttons
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
