"""The reminder daemon: fires each reminder of the active plan on time, and keeps a record.

The plan and its reminders are recomputed from the database at every tick, so a restart after a
crash or a reboot simply carries on, and a change made by any command is followed as soon as it
nudges us. Timing comes from a `Scheduler` (APScheduler in the real process, a stepping fake in
the tests); `bootstrap.build` wires the parts for every entry point.

- After downtime only the latest still-relevant reminder fires (never a burst); the others are
  recorded as missed.
- A failure anywhere in a tick schedules a retry before anything else happens, and the log is
  written through a function that cannot raise: a full disk delays a reminder, never silences it.
- Any number of nudges that arrive while one recompute is pending cost that one recompute.
- One notification per session: its reminders replace one another on screen, and it is closed once
  the session is answered (from a button or the command line). A button pressed on a notification
  is queued, then recorded through the same use case as the command (`usecases.press`) at the next
  recompute, which it asks for at once, so its follow-up shows within a fraction of a second; a
  press that could not be recorded (a full disk) stays queued for the retry.
- Only the notification server answers: the D-Bus backend passes on presses and closings from the
  bus name that owns the service and nothing else, and a press counts only for a button that
  notification offered. What others send is logged at most once an hour per kind, escaped to one
  line; at most `HEARD_AT_MOST` presses wait, so a flood grows neither the daemon nor its log.
- When the notification server changes (it restarted), the ids the old one gave are forgotten:
  another application's notification may carry one of them on the new server.
- A notification whose answers nobody will record leaves the screen: when the plan ends, and when
  the daemon ends because its record is being deleted (`forget`) or was removed. A settings
  problem is one notification, replaced in place, and closed once config.toml is fine again.
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from therapy_timer import daemon_client, reminders, wording
from therapy_timer.clock import Clock
from therapy_timer.errors import RefusedError
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.notify import Delivery, Note, Notifier
from therapy_timer.safe_text import one_line
from therapy_timer.settings import Config
from therapy_timer.store import DB_NAME, PhoneButton, Store, StoredPlan

if TYPE_CHECKING:
    from therapy_timer.bootstrap import Wiring
    from therapy_timer.calendar.live import LiveCalendar
    from therapy_timer.notify.dbus import ServerEvent
    from therapy_timer.phone import Heard, Reader
    from therapy_timer.push import Pusher
    from therapy_timer.scheduler import Scheduler
    from therapy_timer.usecases import Deps, PressResult

SCHEDULE_AHEAD = timedelta(days=2)
"""How far ahead the daemon schedules reminders; a tick at least every half of it re-reads the plan."""
RETRIES = (5, 10, 20, 40, 60)
"""Seconds before each retry of a failed tick: soon at first (a disk full for a moment), then each minute."""
EXPIRE_AT_MOST = timedelta(minutes=30)
"""A reminder that is not a take-it-off one leaves the screen after this at the latest."""
SAID_FOR = 10.0
"""Seconds a "nothing changed" answer to a button stays on screen."""
HEARD_AT_MOST = 64
"""Presses and closings waiting for the next recompute. A person makes a few; more is a flood, dropped."""
KNOWN_AT_MOST = 64
"""Ids remembered for a late press. A session keeps one id, so this spans days of reminders."""
SAY_AGAIN_AFTER = timedelta(hours=1)
"""What other programs send us is logged once, then at most once per this, with how many came between."""


class Shown(NamedTuple):
    """A session's notification on screen: whose it is, and how to replace or close it."""

    plan_id: int
    reminder: str
    session: str
    delivery: Delivery
    buttons: frozenset[str] = frozenset()  # the buttons offered under this id: the only presses believed
    server: int = 0  # which notification server gave the id (`Daemon._server`): void under any other


class Occasional:
    """Log lines about what other programs send, at most one of each kind per `every`.

    A flood of forged signals then costs a line an hour, not a line each; the next line says how
    many came in between. Thread-safe: the D-Bus thread calls it.
    """

    def __init__(self, log: Callable[[str], None], clock: Clock, every: timedelta = SAY_AGAIN_AFTER) -> None:
        self.log, self.clock, self.every = log, clock, every
        self._last: dict[str, datetime] = {}
        self._unsaid: dict[str, int] = {}
        self._lock = threading.Lock()

    def say(self, kind: str, line: str) -> None:
        now = self.clock.now()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and timedelta(0) <= now - last < self.every:
                self._unsaid[kind] = self._unsaid.get(kind, 0) + 1
                return
            self._last[kind] = now
            unsaid = self._unsaid.pop(kind, 0)
        since = f"; {unsaid} more like it since the last such line" if unsaid else ""
        self.log(f"{line}{since} (more within the hour are counted, not logged)")


class Daemon:
    """One running reminder service for one data folder."""

    def __init__(
        self,
        folder: Path,
        config_path: Path,
        notifier: Notifier,
        wiring: Wiring,
        clock: Clock,
        scheduler: Scheduler,
        log: Callable[[str], None],
        listen: bool,
        lock: daemon_client.DaemonLock,
        pusher: Pusher,
        calendar: LiveCalendar,
        phone_reader: Reader | None = None,
    ) -> None:
        self.folder, self.config_path, self.notifier, self.wiring = folder, config_path, notifier, wiring
        self.clock, self.scheduler, self.log, self.listen = clock, scheduler, log, listen
        self.lock = lock  # one daemon per data folder
        self.pusher = pusher  # reminders to a phone, when [push] url is set
        self.store: Store | None = None
        self.socket: socket.socket | None = None
        self._bound = ("", 0)
        self._tick_lock = threading.Lock()
        self._poke_lock = threading.Lock()
        self._poke_pending = False
        self._failures = 0
        self._unrecorded: dict[str, tuple[datetime, str]] = {}
        self._config: Config | None = None  # the settings in effect
        self._last_good: Config | None = None  # config.toml's, when it last could be read
        self._config_problem: str | None = None
        self._plan_id: int | None = None
        self._last: dict[str, object] | None = None  # the last reminder shown, as doctor asks about it
        self._testing = False  # doctor's test under way
        self._identity: tuple[int, ...] | None = None
        self._shown: dict[int, Shown] = {}  # the server's id -> our notification on screen
        self._known: dict[int, Shown] = {}  # the latest ids we were given, as last shown: a press may come late
        self._heard: list[ServerEvent] = []  # what the notification server told us, oldest first
        self._heard_lock = threading.Lock()
        self._server = 0  # the notification server's restarts heard so far: ids from an earlier one are void
        self._settings_note: Shown | None = None  # the one "settings problem" notification on screen
        self._farewell = False  # ending because the record goes: close our notifications on the way out
        self._occasional = Occasional(log, clock)
        self._answered: frozenset[str] = frozenset()
        self._spent: list[Shown] = []  # pressed notifications: closed after this recompute, unless replaced
        self.calendar = calendar  # plan.ics in the data folder, for a phone
        self._phone_init(phone_reader)

    # Life cycle ----------------------------------------------------------------------------

    def run(self) -> int:
        """Serve reminders until the plan ends (or `shutdown`); refuses when another daemon runs."""
        self.open()
        try:
            self.scheduler.run()
        finally:
            self.close()
        return 0

    def open(self) -> None:
        """Take the lock, open the record, listen for nudges and config edits, and plan a first tick."""
        if not self.lock.acquire():
            raise RefusedError(f"reminders are already running for this user (see {self.lock.path})")
        try:
            self.store = Store(self.folder)
            self._identity = self._where()
            self._config = self._load_config()
            if self.store.active_plan() is None:
                raise RefusedError("no active plan: start one with `therapy-timer start`")
            if self.listen:
                self._listen()
                from therapy_timer.watch import watch_file, watch_folder

                watch_file(self.config_path, self.poke)
                watch_folder(self.folder, (DB_NAME,), self.poke)
            self.notifier.prepare()
            self.notifier.listen(self.heard)
            self.log("reminders running")
            self.poke()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Let a tick in progress finish, then let go of the socket, the record and the lock (and,
        when the record is going away, of our notifications: nothing would record their answers)."""
        with self._tick_lock:
            if self._farewell:
                self._close_all()
            self.calendar.finish()  # nothing writes to the folder once the daemon has let go of it
            if self.socket:
                self.socket.close()
                self.socket = None
                address, inode = self._bound
                with contextlib.suppress(OSError):
                    if os.stat(address).st_ino == inode:  # not a newer daemon's socket
                        os.unlink(address)
            if self.store:
                self.store.close()
                self.store = None
            self.lock.release()

    def shutdown(self) -> None:
        """Stop serving: safe from any thread or signal handler, also before `run` has begun."""
        self.scheduler.stop()

    def forgotten(self) -> None:
        """`forget` is about to delete the record (any thread): end, and take our notifications off
        the screen on the way out, as `stop` does; their buttons would have nothing to record into."""
        self._farewell = True
        self.log("`forget` is deleting the record: reminders stop here, and their notifications are closed")
        self.shutdown()

    def _listen(self) -> None:
        """Bind the nudge socket before the first read of the plan, so no change is missed."""
        if not hasattr(socket, "AF_UNIX"):  # pragma: no cover
            return
        from therapy_timer.paths import ensure_runtime_dir

        daemon_client.remove_stale_sockets(ensure_runtime_dir())  # left by daemons that were killed
        address = daemon_client.address(self.folder)
        if len(address.encode()) >= 100:  # a Unix socket path holds about 100 bytes
            raise RefusedError(f"the runtime folder path is too long for a socket: {address}; set XDG_RUNTIME_DIR")
        Path(address).unlink(missing_ok=True)  # left by a daemon that was killed; we hold the lock
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if hasattr(socket, "SO_PASSCRED"):  # Linux: the kernel tells us who sent each datagram
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.socket.bind(address)
        self._bound = (address, os.stat(address).st_ino)
        threading.Thread(target=self._receive, args=(self.socket,), name="nudges", daemon=True).start()

    def _receive(self, sock: socket.socket) -> None:
        told: set[int] = set()
        while True:
            try:
                data, ancillary, _, asker = sock.recvmsg(
                    daemon_client.MESSAGE, socket.CMSG_SPACE(_UCRED.size)
                )  # idle: blocks
            except OSError:
                return
            sender = _sender_uid(ancillary)
            if sender is not None and sender != os.getuid():
                # The socket's folder is private, so this takes a mistake in its permissions; even then
                # only this user (the kernel vouches for the uid) may make the daemon work.
                if sender not in told:
                    told.add(sender)
                    self.log(
                        f"ignored a nudge from another user (uid {sender}); "
                        f"check the permissions of {sock.getsockname()}"
                    )
                continue
            if daemon_client.is_forget(data):
                self.forgotten()
                continue
            if data in daemon_client.QUESTIONS:
                self._asked(sock, data, asker)
                continue
            replan, bus = daemon_client.read_message(data)
            if bus is not None and self._take_desktop(bus):
                replan = True
            if replan:
                self.poke()

    # doctor's questions ---------------------------------------------------------------------

    def _asked(self, sock: socket.socket, question: bytes, asker: object) -> None:
        """Answer `doctor` (HOW at once; TEST from a thread of its own, one at a time, as a test
        push may take seconds) at the address it asked from; a question from no address is ignored."""
        if not asker:
            return
        if question == daemon_client.HOW:
            daemon_client.answer(sock, asker, self.how())
            return
        with self._poke_lock:
            if self._testing:
                return  # one test at a time: a flood of questions costs one
            self._testing = True
        try:
            threading.Thread(target=self._test, args=(sock, asker), name="doctor", daemon=True).start()
        except RuntimeError:
            with self._poke_lock:
                self._testing = False

    def how(self) -> dict[str, object]:
        """How this daemon's reminders go: its last one (when, by whom, with buttons or not) and
        whether it has a desktop session to reach."""
        return {
            "pid": os.getpid(),
            "session_bus": bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS")),
            "desktop_down": self.notifier.desktop_down,
            "last_reminder": self._last,
        }

    def _test(self, sock: socket.socket, asker: object) -> None:
        """doctor's test, sent as this daemon sends its reminders: its notifier, its session, its
        environment (a push goes through its own child process, with its proxy settings)."""
        from therapy_timer.push import check

        try:
            delivery = self.notifier.send(Note(*wording.DOCTOR_TEST))
            pushed = check((self._config or Config()).push)  # through a child process, as its reminders
            tested = {"delivered_by": delivery.backend, "buttons": self._buttons(delivery)}
            daemon_client.answer(sock, asker, {**self.how(), "test": tested, "push": pushed})
        except Exception as exc:  # a bug must not end silently in a thread nobody watches
            self.log(f"doctor's test failed: {type(exc).__name__}: {exc}")
        finally:
            with self._poke_lock:
                self._testing = False

    def _buttons(self, delivery: Delivery) -> bool:
        """Whether notifications delivered this way show buttons (the server offers actions)."""
        from therapy_timer.notify import bounded

        for backend in self.notifier.desktop:
            capabilities = getattr(backend, "capabilities", None)
            if backend.name == delivery.backend and capabilities is not None:
                try:
                    return "actions" in bounded(capabilities, self.notifier.timeout)
                except Exception:
                    return False
        return False

    def _take_desktop(self, bus: str) -> bool:
        """Take the session bus a command offered, when this daemon has none or its own has stopped
        working (it was started outside the desktop, or that session ended); True if taken."""
        current = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if bus == current or (current and not self.notifier.desktop_down):
            return False
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = bus  # notify-send, run as a child, needs it too
        self.notifier.reset()
        self.log("a command from a desktop session offered its session bus: reminders go to that desktop now")
        return True

    def poke(self) -> None:
        """Recompute now (thread-safe: nudges, config edits). While one recompute is pending, more
        pokes join it: it has not read the database yet, so it will see what they announce."""
        with self._poke_lock:
            if self._poke_pending:
                return
            self._poke_pending = True
        self.scheduler.soon(self._poked)

    def heard(self, event: ServerEvent) -> None:
        """The notification server told us of a button, a closing or its restart (any thread):
        queue it and recompute. A signal someone else sent is only logged (occasionally), and
        beyond `HEARD_AT_MOST` waiting presses a flood is dropped, so neither can grow without bound."""
        if event.kind == "refused":
            sender = _outside(event.sender) or "an unknown sender"
            button = f" (button '{_outside(event.action)}')" if event.action else ""
            self._occasional.say(
                "refused",
                f"ignored a button press or closing sent by {sender}, which is not the notification server{button}",
            )
            return
        with self._heard_lock:
            if event.kind == "restarted":
                self._server += 1
                event = event._replace(id=self._server)
                if self._heard and self._heard[-1].kind == "restarted":
                    self._heard.pop()  # the newest restart voids everything the earlier one did
            elif len(self._heard) >= HEARD_AT_MOST:
                self._occasional.say(
                    "flood", f"more than {HEARD_AT_MOST} presses and closings waiting at once: ignored the rest"
                )
                return
            self._heard.append(event)
        self.poke()

    def _poked(self) -> None:
        with self._poke_lock:
            self._poke_pending = False
        self.tick()

    # The work ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Fire what is due and plan the next tick; any failure plans a retry first, then is logged."""
        with self._tick_lock:
            try:
                self._tick()
                self._failures = 0
            except Exception as exc:
                wait = RETRIES[min(self._failures, len(RETRIES) - 1)]
                self._failures += 1
                self.scheduler.at("tick", self.clock.now() + timedelta(seconds=wait), self.tick)
                self.log(f"problem, retrying in {wait} s: {type(exc).__name__}: {exc}")

    def _tick(self) -> None:
        if self.store is None:
            return  # closed: the daemon is ending
        if self._where() != self._identity:
            self.log(
                f"the data folder {self.folder} or its database was removed or replaced: these reminders "
                "stop here (a new `therapy-timer start` starts them for the new plan)"
            )
            self._farewell = True  # nothing left to record what the notifications' buttons say
            self.shutdown()
            return
        try:  # a press that cannot be recorded now stays queued; it must not hold up the reminders
            self._answer_presses()
            self._answer_from_phone()
            unrecorded: Exception | None = None
        except Exception as exc:
            unrecorded = exc
        now = self.clock.now()
        stored = self.store.active_plan()
        if stored is None:
            self.calendar.follow(self.store, now, self.zone)  # the last copy: what was to come, cancelled
            self._plan_ended()
            stored = self._carry_on()
            if stored is None:
                self.log("no active plan: reminders stopped")
                self.shutdown()
                return
        self._plan_id = stored.id
        upcoming = self.pending(stored, now)
        self._close_answered(stored.id)
        self._fire_due([r for r in upcoming if r.due <= now], stored.id, now)
        self._close_spent()
        later = [r.due for r in upcoming if r.due > now]
        self.scheduler.at("tick", min(later) if later else now + SCHEDULE_AHEAD / 2, self.tick)
        self.calendar.follow(self.store, now, self.zone)
        self._plan_phone_reading(now)
        if unrecorded is not None:
            raise unrecorded  # the retry comes sooner than the next reminder, and records the press

    @property
    def zone(self) -> tzinfo:
        """The zone of the plan this daemon serves (as every command computes it), for its log lines."""
        return self.wiring.zone(self.store.active_plan() if self.store is not None else None)

    def _where(self) -> tuple[int, ...] | None:
        """Which folder and database file this daemon serves (device and inode), or None if gone."""
        assert self.store is not None
        try:
            folder, database = os.stat(self.folder), os.stat(self.store.path)
        except OSError:
            return None
        return folder.st_dev, folder.st_ino, database.st_dev, database.st_ino

    def pending(self, stored: StoredPlan, now: datetime) -> list[reminders.Reminder]:
        """The plan's reminders around `now` that have not fired or been recorded as missed."""
        assert self.store is not None
        from therapy_timer.usecases import LOOKBACK, daemon_view

        view = daemon_view(self._deps(now, self._load_config()), stored, now - LOOKBACK, now + SCHEDULE_AHEAD)
        self._answered = view.answered
        recorded = {r.key for r in self.store.reminders(stored.id)}
        return [r for r in view.reminders if r.key not in recorded]

    def _fire_due(self, due: list[reminders.Reminder], plan_id: int, now: datetime) -> None:
        """Fire the latest still-relevant reminder; record the older ones as missed."""
        assert self.store is not None
        fire, missed = reminders.triage(due, now)
        for r in missed:
            self.store.record_reminder(plan_id, r.key, r.due, None, "missed", None, r.title)
            self.log(f"missed while not running: {r.title} (due {r.due.astimezone(self.zone):%H:%M})")
        for r in fire:
            self.fire(r, plan_id)

    def fire(self, reminder: reminders.Reminder, plan_id: int) -> None:
        """Deliver once and record it; a reminder delivered but not yet recorded (disk full) is
        recorded at the retry without being delivered a second time."""
        assert self.store is not None
        sent = self._unrecorded.get(reminder.key)
        if sent is None:
            sent = (self.clock.now(), self._show(reminder, plan_id))
            self._unrecorded[reminder.key] = sent
            self._push(reminder, plan_id)  # in the background, never in the way
        fired_at, backend = sent
        self.store.record_reminder(plan_id, reminder.key, reminder.due, fired_at, "fired", backend, reminder.title)
        del self._unrecorded[reminder.key]
        late = (fired_at - reminder.due).total_seconds()
        lateness = f", {late / 60:.0f} min late" if late >= 60 else ""  # the record keeps it exactly
        self.log(f"{reminder.due.astimezone(self.zone):%a %H:%M} {reminder.title} [{backend}{lateness}]")

    def _show(self, reminder: reminders.Reminder, plan_id: int) -> str:
        """Put the reminder on screen in place of its session's last one; returns who delivered it."""
        # An "on" reminder stays for its session (its "Made it worse" button is for during the heat),
        # until its "off" reminder takes its place; others until they stop mattering.
        until = reminder.ends if reminder.role == "on" and reminder.ends else reminder.relevant_until
        expire = min(until - self.clock.now(), EXPIRE_AT_MOST)
        note = Note(
            reminder.title,
            reminder.body + self._warning_note(plan_id) + self._not_better_note(plan_id),
            reminder.sticky,
            reminder.buttons,
            reminder.typed,
            expire_seconds=max(expire.total_seconds(), 60),
        )
        before = next((s for s in self._shown.values() if (s.plan_id, s.session) == (plan_id, reminder.session)), None)
        delivery = self.notifier.send(note, replacing=self._ours(before))
        self._last = {
            "title": reminder.title,
            "at": self.clock.now().isoformat(timespec="seconds"),
            "delivered_by": delivery.backend,
            "buttons": bool(note.buttons) and self._shown_buttons(delivery),
        }
        if before is not None:
            del self._shown[before.delivery.id]
        if delivery.id:
            # Read after the call: a restart heard before the server's answer is already counted.
            server, offered = self._server, frozenset(reminder.buttons)
            earlier = self._known.pop(delivery.id, None)
            if earlier is not None and earlier.server == server:  # replaced in place: its buttons may still be pressed
                offered |= earlier.buttons
            self._shown[delivery.id] = self._known[delivery.id] = Shown(
                plan_id, reminder.key, reminder.session, delivery, offered, server
            )
            while len(self._known) > KNOWN_AT_MOST:
                del self._known[next(iter(self._known))]  # the oldest
        return delivery.backend

    def _ours(self, shown: Shown | None) -> Delivery | None:
        """`shown`'s delivery, to replace or close, while the server that gave its id still runs."""
        return shown.delivery if shown is not None and shown.server == self._server else None

    def _shown_buttons(self, delivery: Delivery) -> bool:
        """Whether the notification just delivered showed its buttons (the backend says, where it can)."""
        backend = next((b for b in self.notifier.desktop if b.name == delivery.backend), None)
        return bool(getattr(backend, "showed_buttons", False))

    def _answer_presses(self) -> None:
        """Record the buttons pressed since the last recompute, oldest first. A press is taken off
        the queue only once recorded, so a failure (a full disk) leaves it for the retry."""
        from therapy_timer import usecases

        while True:
            with self._heard_lock:
                if not self._heard:
                    return
                event = self._heard[0]
            shown = self._known.get(event.id)  # pressed before it was replaced or closed, it still counts
            if event.kind == "restarted":
                self._forget_server(event.id)
            elif event.kind == "closed":
                self._shown.pop(event.id, None)
                if self._settings_note is not None and self._settings_note.delivery.id == event.id:
                    self._settings_note = None
            elif shown is None:
                pass  # another program's: some servers tell every client
            elif event.action not in shown.buttons:
                self._occasional.say(
                    "not offered",
                    f"ignored a press of a button that notification did not offer ('{_outside(event.action)}')",
                )
            else:
                result = usecases.press(self._deps(), shown.plan_id, shown.reminder, shown.session, event.action)
                self._pressed(shown, event.action, result)
            with self._heard_lock:
                self._heard.pop(0)

    def _pressed(self, shown: Shown, button: str, result: PressResult) -> None:
        if result.changed:
            self.log(f"answered from the notification: {result.said}")
            self._spent.append(shown)  # its follow-up may take its place at this recompute
            return
        if result.shows is not None:  # "One of these is new": the signs and what to do, in its place
            self.log(f"a button ({button}) {result.said}")
            note = Note(result.shows.title, result.shows.body, expire_seconds=EXPIRE_AT_MOST.total_seconds())
            self.notifier.send(note, replacing=self._ours(shown))
            self._shown.pop(shown.delivery.id, None)
            return
        self.log(f"a button ({button}) changed nothing: {result.said}")
        said = wording.nothing_changed(result.said)
        self.notifier.send(Note(said.title, said.body, expire_seconds=SAID_FOR), replacing=self._ours(shown))
        self._shown.pop(shown.delivery.id, None)

    def _forget_server(self, number: int) -> None:
        """The notification server changed (restart `number`): the ids an earlier one gave may be
        another application's notifications now, so none of ours is replaced, closed or believed."""
        held = [s for s in (*self._known.values(), self._settings_note) if s is not None and s.server < number]
        for ids in (self._shown, self._known):
            for note_id in [i for i, s in ids.items() if s.server < number]:
                del ids[note_id]
        self._spent = [s for s in self._spent if s.server >= number]
        if self._settings_note is not None and self._settings_note.server < number:
            self._settings_note = None
        if held:
            self.log(
                "the notification server changed (it restarted, or the session bus did): "
                "the next reminder comes as a new notification"
            )

    def _close_answered(self, plan_id: int) -> None:
        """A session answered (from a button or the command line) leaves the screen, and so does
        every notification of a plan that is no longer the active one."""
        for shown in list(self._shown.values()):
            if shown.plan_id != plan_id or shown.session in self._answered:
                self._close(shown)

    def _close_spent(self) -> None:
        """A pressed notification has done its job: it leaves the screen unless a follow-up took its place."""
        for pressed in self._spent:
            if self._shown.get(pressed.delivery.id) == pressed:  # still the one pressed: not replaced
                self._close(pressed)
        self._spent.clear()

    def _close(self, shown: Shown) -> None:
        self._shown.pop(shown.delivery.id, None)
        delivery = self._ours(shown)
        if delivery is not None:
            self.notifier.close(delivery)

    def _close_all(self) -> None:
        """Every notification of ours leaves the screen: no answer to them would be recorded."""
        for shown in list(self._shown.values()):
            self._close(shown)
        self._close_settings_note()

    def _close_settings_note(self) -> None:
        held, self._settings_note = self._settings_note, None
        delivery = self._ours(held)
        if delivery is not None:
            self.notifier.close(delivery)

    def _warning_note(self, plan_id: int) -> str:
        """A warning sign logged since the last reminder is repeated once, in this reminder's body."""
        from therapy_timer import signs, usecases

        assert self.store is not None
        fired = [r.fired_at for r in self.store.reminders(plan_id) if r.fired_at is not None]
        return signs.reminder_note(usecases.open_warning(self._deps()), max(fired, default=None))

    def _not_better_note(self, plan_id: int) -> str:
        """From day 14, pain no lower than at the start: said once a day, in the day's first reminder."""
        from therapy_timer import usecases

        assert self.store is not None
        now, zone = self.clock.now(), self.zone
        today = now.astimezone(zone).date()
        fired = [r.fired_at for r in self.store.reminders(plan_id) if r.fired_at is not None]
        notice = usecases.not_better_in_reminder(
            self._deps(now), [t for t in fired if t.astimezone(zone).date() == today]
        )
        return wording.not_better_note(notice) if notice else ""

    # Answers from the phone -----------------------------------------------------------------
    # The push carries the reminder's buttons; while one is in front of the person, the reply topic
    # is read in the background (`phone.Reader`); each press is recorded at the next recompute, as
    # a desktop button's is. See phone.py.

    def _phone_init(self, reader: Reader | None) -> None:
        self._phone_reader = reader  # made when first needed: with answers off, phone.py is never loaded
        self._from_phone: list[Heard] = []  # read from the reply topic, waiting for the next recompute
        self._phone_next: datetime | None = None  # the next reading planned
        self._phone_taken: dict[str, PhoneButton] = {}  # codes used up whose answer is not recorded yet

    @property
    def phone_reader(self) -> Reader:
        if self._phone_reader is None:
            from therapy_timer.phone import Reader

            self._phone_reader = Reader(self.log)
        return self._phone_reader

    def _push(self, reminder: reminders.Reminder, plan_id: int) -> None:
        """Push `reminder` when push is on; with answers from the phone on, with its buttons, each
        a new random code whose meaning only the record keeps."""
        from therapy_timer.push import Action

        assert self.store is not None
        settings = (self._config or Config()).push
        actions: tuple[Action, ...] = ()
        if settings.url and settings.answers == "on" and reminder.buttons:  # `phone.on`, unloaded otherwise
            from therapy_timer import phone

            try:
                issued = phone.issue(reminder, plan_id, self.clock.now())
                if issued:  # none for a daily check-in (`phone.PUSH_BUTTONS`)
                    topic = self.store.phone_topic(phone.new_topic)
                    self.store.issue_phone_buttons(issued)
                    actions = phone.actions(issued, phone.reply_url(settings.url, topic))
            except Exception as exc:  # a full disk, say: the push goes without buttons, the desktop has them
                self.log(f"this push carries no buttons: {type(exc).__name__}: {exc}")
        self.pusher.send(settings, reminder, actions)

    def _phone_waiting(self, now: datetime) -> list[PhoneButton]:
        """The buttons pushed and not pressed whose reminder is still in front of the person (of an
        unanswered session of the plan served); none while answers from the phone are off."""
        settings = (self._config or Config()).push
        if self.store is None or not (settings.url and settings.answers == "on"):  # `phone.on`, unloaded
            return []
        return [
            b
            for b in self.store.open_phone_buttons(now)
            if b.plan_id == self._plan_id and b.session not in self._answered
        ]

    def _plan_phone_reading(self, now: datetime) -> None:
        """Plan the next reading of the reply topic while an answer may come; none otherwise."""
        if self._phone_next is not None and now < self._phone_next:
            return  # one is planned already
        if not self._phone_waiting(now):
            return
        from therapy_timer.phone import FETCH_EVERY

        self._phone_next = now + FETCH_EVERY
        self.scheduler.at("phone", self._phone_next, self._read_phone)

    def _read_phone(self) -> None:
        """Start a reading of the reply topic in the background (the scheduler's call); the
        messages read come back through `_heard_from_phone`."""
        from therapy_timer import phone

        with self._tick_lock:
            self._phone_next = None
            try:
                now = self.clock.now()
                waiting = self._phone_waiting(now)
                if not waiting:
                    return
                assert self.store is not None
                topic = self.store.phone_state("topic")
                since = self.store.phone_state("since") or phone.first_since(waiting)
                if topic is not None:
                    request = phone.poll((self._config or Config()).push, topic, since)
                    self.phone_reader.start(request, self._heard_from_phone)
                self._plan_phone_reading(now)
            except Exception as exc:  # never the end of the reminders; the next recompute plans again
                self.log(f"problem reading the answers from the phone: {type(exc).__name__}: {exc}")

    def _heard_from_phone(self, heard: list[Heard]) -> None:
        """Messages read from the reply topic (the reading's thread): queue them and recompute."""
        with self._heard_lock:
            room = max(HEARD_AT_MOST - len(self._from_phone), 0)
            self._from_phone += heard[:room]
        self.poke()

    def _answer_from_phone(self) -> None:
        """Judge each message read, oldest first, and record the answers as the desktop buttons'
        (`usecases.press`, source "phone"); one that changes nothing is logged in one line. A
        message leaves the queue only once judged, so a failure (a full disk) leaves it for the retry."""
        while True:
            with self._heard_lock:
                if not self._from_phone:
                    return
                heard = self._from_phone[0]
            self._answer_one_from_phone(heard)
            with self._heard_lock:
                self._from_phone.pop(0)

    def _answer_one_from_phone(self, heard: Heard) -> None:
        from therapy_timer import phone, usecases

        assert self.store is not None
        now = self.clock.now()
        button = self._phone_taken.get(heard.mid)  # taken at an earlier try whose recording failed
        if button is None:
            new, button = self.store.use_phone_button(heard.mid, heard.body, now)
            if not new:
                return  # read before: the server sent it again
            verdict = phone.judge(button, heard.body, heard.pressed_at(now))
            if verdict != "answer" or button is None:
                self._occasional.say(f"phone {verdict}", phone.REFUSED[verdict])
                return
            self._phone_taken[heard.mid] = button
        result = usecases.press(
            self._deps(), button.plan_id, button.reminder, button.session, button.button, source="phone"
        )
        del self._phone_taken[heard.mid]  # recorded (a failure above leaves it for the retry)
        if not result.changed:
            self.log(
                f"an answer from the phone ({wording.BUTTONS[button.button].label}) changed nothing: {result.said}"
            )
            return
        self.log(f"answered from the phone: {result.said}")
        on_desk = next(
            (s for s in self._shown.values() if (s.plan_id, s.session) == (button.plan_id, button.session)), None
        )
        if on_desk is not None:
            self._spent.append(on_desk)  # the desktop's copy leaves the screen, unless a follow-up takes its place

    def _deps(self, now: datetime | None = None, config: Config | None = None) -> Deps:
        """What a use case needs, wired as for every command: the record, now, the plan's zone, the settings."""
        assert self.store is not None
        return self.wiring.deps(self.store, now or self.clock.now(), config or self._config or self._load_config())

    def _carry_on(self) -> StoredPlan | None:
        """The plan has ended: let go of the lock, then look for a plan once more; the one found is
        served by this daemon if it can take the lock back.

        `start` records its plan first and then looks at the lock: seeing it held, it only nudges,
        trusting this daemon to follow. Looking again after letting go closes the gap between this
        daemon's last look and its exit: a `start` that saw the lock held recorded its plan before
        the lock was let go, so the plan is seen here. A `start` that found the lock free began a
        daemon of its own; whichever takes the lock serves, and the other ends.
        """
        assert self.store is not None
        self.lock.release()
        stored = self.store.active_plan()
        if stored is None:
            return None
        try:
            taken = self.lock.acquire()
        except Exception:  # the folder is going away (forget): end, as without a plan
            taken = False
        if not taken:
            self.log("a new plan started as these reminders were ending: the reminders started with it serve it")
            return None
        self.log("a new plan started as these reminders were ending: they carry on with it")
        return stored

    def _plan_ended(self) -> None:
        """Take the plan's notifications off the screen and say it has ended (once per plan)."""
        self._close_all()
        if self._plan_id is not None:
            self.notifier.send(Note(*wording.PLAN_ENDED))
            self._plan_id = None

    def _load_config(self) -> Config:
        """The settings in effect (`Wiring.settings`, as for every command). Whatever goes wrong
        reading config.toml, the settings recorded with the plan stay in force, over the last good
        file's, and the user is told why, once per distinct problem, in one notification that each
        new problem replaces and that is closed once the file is fine."""
        read = self.wiring.settings(self.store, self._last_good)
        if read.problem is None:
            if self._config_problem:
                self.log("config.toml is fine again; using it")
                self._close_settings_note()
            self._last_good = read.config
        elif read.problem != self._config_problem:
            self.log(f"{wording.SETTINGS_BROKEN}: {read.problem}")
            note = Note("therapy-timer settings problem", f"{wording.SETTINGS_BROKEN}: {read.problem}")
            delivery = self.notifier.send(note, replacing=self._ours(self._settings_note))
            self._settings_note = Shown(0, "", "", delivery, server=self._server) if delivery.id else None
        self._config_problem = read.problem
        self._config = read.config
        return read.config


_UCRED = struct.Struct("iII")  # struct ucred: pid, uid, gid


def _sender_uid(ancillary: list[tuple[int, int, bytes]]) -> int | None:
    """The sender's uid from SCM_CREDENTIALS, where the platform passes it; None otherwise."""
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == getattr(socket, "SCM_CREDENTIALS", -1) and len(data) >= _UCRED.size:
            return int(_UCRED.unpack_from(data)[1])
    return None


def _outside(text: str, limit: int = 80) -> str:
    """Text another program sent us, fit for one log line: control characters escaped, cut short."""
    return one_line(text[:limit]) + ("..." if len(text) > limit else "")
