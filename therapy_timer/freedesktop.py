"""Desktop notifications with buttons: the freedesktop Notifications service, spoken to over D-Bus.

plyer sends a notification and forgets it, so it can offer no buttons, cannot replace or close what
it showed, and never hears a click. This backend talks to the notification server itself (the
`org.freedesktop.Notifications` interface: `Notify`, `CloseNotification`, `GetCapabilities`, and the
signals `ActionInvoked` and `NotificationClosed`) through jeepney: pure Python, about 0.4 MiB and
34 ms to load, with blocking calls we can bound in time. An asyncio notifier library would cost the
idle daemon 7.5 MiB and an event loop; dbus-python needs compiling against libdbus.

One thread receives from the bus. It blocks until a message arrives, so an idle daemon costs no
wake-ups; it hands replies to the calls waiting for them and server signals to `listener`. When
the connection goes away (the session bus restarted, the session ended), every waiting call fails
at once, the backend reports a problem for a while that doubles up to a minute (the notifier uses
its fallback meanwhile), and then connects again.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from therapy_timer import APP_NAME, texts

if TYPE_CHECKING:
    from jeepney import Message

    from therapy_timer.notify import Note

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
CALL_TIMEOUT = 3.0
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0)
"""Seconds to wait before connecting again after each failed or lost connection in a row."""
SOUND = "alarm-clock-elapsed"
"""The freedesktop sound theme's name for a timer that has run out: asked for on take-it-off reminders."""
URGENCY = {"low": 0, "normal": 1, "critical": 2}


class ServerEvent(NamedTuple):
    """What the notification server told us about one of our notifications."""

    kind: Literal["pressed", "closed"]
    id: int
    action: str = ""  # pressed: the button's key
    reason: int = 0  # closed: 1 expired, 2 dismissed by the user, 3 closed by us, 4 other


class BusLost(Exception):
    """The connection to the session bus went away."""


class _Connection:
    """One session-bus connection: method calls with a time limit, and server signals to a listener."""

    def __init__(self, listener: Callable[[ServerEvent], None], timeout: float) -> None:
        from jeepney import MatchRule, message_bus
        from jeepney.io.threading import open_dbus_connection

        self.listener, self.timeout = listener, timeout
        self.conn = open_dbus_connection(bus="SESSION", auth_timeout=timeout)
        self.waiting: dict[int, Future[Message]] = {}
        self.lock = threading.Lock()
        self.alive = True
        self.thread = threading.Thread(target=self._receive, name="dbus", daemon=True)
        self.thread.start()
        rule = MatchRule(type="signal", interface=SERVICE, path=PATH)
        self.call(message_bus.AddMatch(rule))

    def call(self, message: Message) -> tuple[Any, ...]:
        """Send a method call and wait (bounded) for its reply; raises BusLost, TimeoutError or DBusErrorResponse."""
        from jeepney.wrappers import unwrap_msg

        if not self.alive:
            raise BusLost("the session bus connection is closed")
        reply: Future[Message] = Future()
        with self.lock:
            serial = next(self.conn.outgoing_serial)
            self.waiting[serial] = reply
        try:
            self.conn.send(message, serial=serial)
            return tuple(unwrap_msg(reply.result(timeout=self.timeout)))
        except OSError as exc:
            self.close()
            raise BusLost(f"the session bus went away ({exc})") from None
        finally:
            with self.lock:
                self.waiting.pop(serial, None)

    def _receive(self) -> None:
        from jeepney import HeaderFields, MessageType

        try:
            while True:
                message = self.conn.receive()  # blocks while idle: no wake-ups
                header = message.header
                if header.message_type in (MessageType.method_return, MessageType.error):
                    with self.lock:
                        waiting = self.waiting.get(header.fields.get(HeaderFields.reply_serial, -1))
                    if waiting is not None and not waiting.done():
                        waiting.set_result(message)
                elif header.message_type == MessageType.signal:
                    event = _event(header.fields.get(HeaderFields.member), message.body)
                    if event is not None:
                        self.listener(event)
        except Exception:  # the bus closed the connection, or we did: nothing more will come
            pass
        finally:
            self.alive = False
            with self.lock:
                for waiting in self.waiting.values():
                    if not waiting.done():
                        waiting.set_exception(BusLost("the session bus connection closed"))

    def close(self) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            self.conn.close()


def _event(member: str | None, body: tuple[Any, ...]) -> ServerEvent | None:
    if member == "ActionInvoked" and len(body) == 2:
        return ServerEvent("pressed", int(body[0]), action=str(body[1]))
    if member == "NotificationClosed" and len(body) == 2:
        return ServerEvent("closed", int(body[0]), reason=int(body[1]))
    return None


def notify_args(note: Note, capabilities: frozenset[str]) -> tuple[Any, ...]:
    """The `Notify` call's arguments for `note`, shaped by what the server says it can do.

    Pure, so what each server is sent can be tested without one. Buttons where the server shows
    actions, else the commands to type in the body; the body escaped where the server reads markup
    (a "<" in a typed note must show as typed); critical urgency and no expiry for take-it-off
    reminders, with a sound where the server plays one.
    """
    pressable = "actions" in capabilities and bool(note.buttons)
    body = note.body if pressable or not note.typed else f"{note.body} {note.typed}"
    if "body-markup" in capabilities:
        body = html.escape(body, quote=False)
    actions = list(itertools.chain.from_iterable((key, texts.BUTTONS[key].label) for key in note.buttons))
    hints: dict[str, tuple[str, Any]] = {"urgency": ("y", URGENCY["critical" if note.sticky else "normal"])}
    if note.sticky and "sound" in capabilities:
        hints["sound-name"] = ("s", SOUND)
    expire = 0 if note.sticky else max(1, round(note.expire_seconds * 1000))
    return (APP_NAME, note.replaces, "", note.title, body, actions if pressable else [], hints, expire)


class DBusBackend:
    """Notifications through the freedesktop service, with buttons, replacement and closing."""

    name = "desktop (D-Bus)"

    def __init__(
        self,
        timeout: float = CALL_TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout, self.monotonic = timeout, monotonic
        self.listener: Callable[[ServerEvent], None] = lambda event: None
        self._connection: _Connection | None = None
        self._failures = 0
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def problem(self) -> str | None:
        from therapy_timer.notify import session_bus_available

        if not session_bus_available():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset): run inside your desktop session"
        try:
            import jeepney  # noqa: F401
        except ImportError:
            return "the jeepney package is missing (pip install jeepney)"
        wait = self._retry_at - self.monotonic()
        if self._connection is None and wait > 0:
            return f"the session bus could not be reached; trying again in {wait:.0f} s"
        return None

    def prepare(self) -> None:
        """Load jeepney now, not at the first reminder."""
        with contextlib.suppress(ImportError):
            import jeepney.io.threading  # noqa: F401

    def listen(self, listener: Callable[[ServerEvent], None]) -> None:
        self.listener = listener

    def capabilities(self) -> frozenset[str]:
        """What the server offers ("actions", "body-markup", "sound", ...), asked afresh each time:
        the server may have been replaced by another since the last reminder."""
        return frozenset(self._call("GetCapabilities")[0])

    def send(self, note: Note) -> int:
        from therapy_timer.notify import NotifyError

        try:
            args = notify_args(note, self.capabilities())
            return int(self._call("Notify", "susssasa{sv}i", args)[0])
        except Exception as exc:
            raise NotifyError(f"the notification server did not take it: {_said(exc)}") from None

    def close(self, note_id: int) -> None:
        """Take a notification off the screen (answered elsewhere); one already gone is no error."""
        from therapy_timer.notify import NotifyError

        try:
            self._call("CloseNotification", "u", (note_id,))
        except Exception as exc:
            raise NotifyError(f"could not close notification {note_id}: {_said(exc)}") from None

    def shutdown(self) -> None:
        """Close the connection and forget past failures: the next send connects at once."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            self._failures, self._retry_at = 0, 0.0

    def _call(self, method: str, signature: str | None = None, body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        """Call one method of the notification service, connecting first if need be."""
        from jeepney import DBusAddress, new_method_call

        message = new_method_call(DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE), method, signature, body)
        connection = self._connect()
        try:
            return connection.call(message)
        except BusLost:
            self._lost()
            raise

    def _connect(self) -> _Connection:
        with self._lock:
            if self._connection is not None and self._connection.alive:
                return self._connection
            if self._connection is not None:  # it went away since the last call
                self._connection = None
                self._back_off()
            if self.monotonic() < self._retry_at:
                raise BusLost("waiting before connecting to the session bus again")
            try:
                self._connection = _Connection(self.listener, self.timeout)
            except Exception as exc:
                self._back_off()
                raise BusLost(f"cannot connect to the session bus: {_said(exc)}") from None
            self._failures = 0
            return self._connection

    def _lost(self) -> None:
        with self._lock:
            if self._connection is not None and not self._connection.alive:
                self._connection = None
                self._back_off()

    def _back_off(self) -> None:
        self._retry_at = self.monotonic() + BACKOFF[min(self._failures, len(BACKOFF) - 1)]
        self._failures += 1


def _said(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
