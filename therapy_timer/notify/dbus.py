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

Only the notification server presses our buttons. Any program on the session bus can emit an
`ActionInvoked` signal, broadcast or sent to us alone, so the connection follows which unique
name owns `org.freedesktop.Notifications` (asked once, then told by the bus's `NameOwnerChanged`,
which only the bus itself can send) and passes on a press or a closing only from that name; one
from anybody else is passed on as "refused", for the daemon to log. The match rule names the
service as sender too, so the bus does not even wake us for a forged broadcast. When the owner
changes (the server restarted) or the connection ends, the ids that server gave mean nothing any
more, maybe another application's notification on the next server: the listener hears "restarted".
"""

from __future__ import annotations

import contextlib
import html
import itertools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal

from therapy_timer import APP_NAME, wording
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.safe_text import one_line

if TYPE_CHECKING:
    from jeepney import Message

    from therapy_timer.notify.base import Note

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
BUS = "org.freedesktop.DBus"
"""The bus itself: the only sender of `NameOwnerChanged` (the bus stamps every client's own name on what it sends)."""
CALL_TIMEOUT = 3.0
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0)
"""Seconds to wait before connecting again after each failed or lost connection in a row."""
SOUND = "alarm-clock-elapsed"
"""The freedesktop sound theme's name for a timer that has run out: asked for on take-it-off reminders."""
URGENCY = {"low": 0, "normal": 1, "critical": 2}


class ServerEvent(NamedTuple):
    """What the notification server told us about one of our notifications, or about itself.

    "refused": a press or closing sent by a program that is not the server (`sender`), not to be
    believed. "restarted": the server changed or the connection ended; the ids it gave are void.
    """

    kind: Literal["pressed", "closed", "refused", "restarted"]
    id: int
    action: str = ""  # pressed, refused: the button's key, as sent
    reason: int = 0  # closed: 1 expired, 2 dismissed by the user, 3 closed by us, 4 other
    sender: str = ""  # refused: the unique bus name that sent it


class BusLost(Exception):
    """The connection to the session bus went away."""


class _Connection:
    """One session-bus connection: method calls with a time limit, and server signals to a listener."""

    def __init__(self, listener: Callable[[ServerEvent], None], timeout: float) -> None:
        from jeepney import MatchRule, message_bus
        from jeepney.io.threading import open_dbus_connection
        from jeepney.wrappers import DBusErrorResponse

        self.listener, self.timeout = listener, timeout
        self.conn = open_dbus_connection(bus="SESSION", auth_timeout=timeout)
        self.waiting: dict[int, Future[Message]] = {}
        self.lock = threading.Lock()
        self.alive = True
        self.owner = ""  # the unique name that owns SERVICE: the only one whose signals count
        self._owner_news = 0  # NameOwnerChanged signals heard: a GetNameOwner answer from before one is stale
        self.thread = threading.Thread(target=self._receive, name="dbus", daemon=True)
        self.thread.start()
        try:
            self.call(message_bus.AddMatch(MatchRule(type="signal", sender=SERVICE, interface=SERVICE, path=PATH)))
            owners = MatchRule(type="signal", sender=BUS, interface=BUS, member="NameOwnerChanged")
            owners.add_arg_condition(0, SERVICE)
            self.call(message_bus.AddMatch(owners))
            heard_before = self._owner_news
            try:
                owner = str(self.call(message_bus.GetNameOwner(SERVICE))[0])
            except DBusErrorResponse:  # no server yet: the bus starts one at the first Notify, and says so
                owner = ""
            with self.lock:
                if self._owner_news == heard_before:
                    self.owner = owner
        except BaseException:
            self.close()
            raise

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
                    self._signal(message)
        except Exception:  # the bus closed the connection, or we did: nothing more will come
            pass
        finally:
            self.alive = False
            with self.lock:
                for waiting in self.waiting.values():
                    if not waiting.done():
                        waiting.set_exception(BusLost("the session bus connection closed"))
                had_owner, self.owner = self.owner, ""
            if had_owner:
                self._tell(ServerEvent("restarted", 0))

    def _signal(self, message: Message) -> None:
        previous = ""
        with self.lock:
            owner, event = judge(message, self.owner)
            if owner is not None:
                self._owner_news += 1
                previous, self.owner = self.owner, owner
        if owner is not None and previous and previous != owner:
            self._tell(ServerEvent("restarted", 0))
        if event is not None:
            self._tell(event)

    def _tell(self, event: ServerEvent) -> None:
        """Pass `event` on; nothing the listener does may end the thread that receives from the bus."""
        with contextlib.suppress(Exception):
            self.listener(event)

    def close(self) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            self.conn.close()


def judge(message: Message, owner: str) -> tuple[str | None, ServerEvent | None]:
    """What a signal from the bus means, given who owns the notification service now.

    Returns (the new owner when the bus says the service changed hands, else None; the event to
    pass on, else None). Pure, so a forger can be played without a bus. A press or closing counts
    only from `owner`; from anyone else it is "refused" (with its sender); one whose arguments are
    not what the specification says is dropped.
    """
    from jeepney import HeaderFields

    fields = message.header.fields
    sender = str(fields.get(HeaderFields.sender, ""))
    member, signature = fields.get(HeaderFields.member), fields.get(HeaderFields.signature, "")
    body = message.body
    if fields.get(HeaderFields.interface) == BUS:
        if sender == BUS and member == "NameOwnerChanged" and signature == "sss" and body[0] == SERVICE:
            return str(body[2]), None
        return None, None
    if fields.get(HeaderFields.interface) != SERVICE or member not in ("ActionInvoked", "NotificationClosed"):
        return None, None
    if not owner or sender != owner:
        action = str(body[1]) if member == "ActionInvoked" and len(body) == 2 else ""
        note_id = body[0] if body and isinstance(body[0], int) else 0
        return None, ServerEvent("refused", note_id, action=action, sender=sender)
    if member == "ActionInvoked" and signature == "us":
        return None, ServerEvent("pressed", int(body[0]), action=str(body[1]))
    if member == "NotificationClosed" and signature == "uu":
        return None, ServerEvent("closed", int(body[0]), reason=int(body[1]))
    return None, None


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
    actions = list(itertools.chain.from_iterable((key, wording.BUTTONS[key].label) for key in note.buttons))
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
        self.showed_buttons = False  # whether the last notification sent carried its buttons

    def problem(self) -> str | None:
        from therapy_timer.notify.base import session_bus_available

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
        from therapy_timer.notify.base import NotifyError

        try:
            args = notify_args(note, self.capabilities())
            self.showed_buttons = bool(args[5])  # for doctor: the server showed them (it offers actions)
            return int(self._call("Notify", "susssasa{sv}i", args)[0])
        except Exception as exc:
            raise NotifyError(f"the notification server did not take it: {_said(exc)}") from None

    def close(self, note_id: int) -> None:
        """Take a notification off the screen (answered elsewhere); one already gone is no error."""
        from therapy_timer.notify.base import NotifyError

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
    text = one_line(" ".join(str(exc).split())[:200])  # a server's error text, escaped to one line
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
