"""Desktop notifications behind a small interface: D-Bus with buttons, plyer, then the terminal.

On Linux the freedesktop service is spoken to directly (`notify.dbus`), so reminders carry
buttons, replace one another and close when answered. plyer stays the path for macOS, Windows and
sessions without that service, and the fallback when it fails.

plyer fails silently in some set-ups (its notify-send path ignores the exit status, and with no
backend it raises NotImplementedError), so we check for a backend ourselves before each call,
bound every call in time (a hung D-Bus must not stall the schedule), and fall back to the
terminal/log, saying so once, while retrying the desktop at every reminder.

The interface is `notify.base`; each backend has a module of its own; which backends a process
uses is decided where the process is wired (`bootstrap.desktop_backends`). The names below are
re-exported so `from therapy_timer.notify import Note` keeps working.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from therapy_timer import wording
from therapy_timer.notify.base import (
    SEND_TIMEOUT,
    Backend,
    Delivery,
    Note,
    NotifyError,
    Unanswerable,
    bounded,
    linux_backend,
    session_bus_address,
    session_bus_available,
)
from therapy_timer.notify.notify_send import NotifySendBackend
from therapy_timer.notify.plyer_backend import PlyerBackend
from therapy_timer.notify.terminal import TerminalBackend

__all__ = [
    "SEND_TIMEOUT",
    "Backend",
    "Delivery",
    "Note",
    "Notifier",
    "NotifyError",
    "NotifySendBackend",
    "PlyerBackend",
    "TerminalBackend",
    "Unanswerable",
    "bounded",
    "linux_backend",
    "session_bus_address",
    "session_bus_available",
]


class Notifier:
    """Tries the desktop backends in order, then the terminal; reports a lost desktop once."""

    def __init__(
        self,
        desktop: list[Backend] | None = None,
        fallback: Backend | None = None,
        log: Callable[[str], None] = print,
        timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.desktop: list[Backend] = list(desktop or [])  # which ones: `bootstrap.desktop_backends`
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
            self.log(f"{wording.DESKTOP_DOWN} ({'; '.join(reasons) or 'no desktop backend'})")
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
