"""The daemon's live copy of the calendar: `plan.ics` in the data folder, kept in step with the plan.

Someone who syncs that file to a phone (or subscribes to it) gets every change: a switch back to
cold, a snooze, a settings edit, an answer, `stop`. Sessions no longer planned stay in it,
cancelled, until they are over: the previous copy is what the calendar has seen (`calendar.events`).

The daemon must stay small (30 MB idle) and icalendar costs about 8 MiB, so the daemon never
imports it. At each tick it compares a cheap fingerprint of what the calendar is made of (the
plan, its ending, the last entry in its log, which includes every settings change the daemon
records, and the local day, as the window moves at midnight) with the last one it asked a copy
for. Only when that differs does it start a short-lived, low-priority process
(`python -m therapy_timer.calendar.live`) that renders the file and replaces it, atomically and
only if its bytes changed.

A tick never waits for that process: a thread of its own waits for it, and starts the next one
if the plan changed again meanwhile (one writer at a time, so the newest copy is the last
written). When the plan ends, and when the daemon stops, the daemon does wait (bounded) for the
copy, so the final one, with everything still to come cancelled, is written, and nothing writes
to the folder after the daemon let go of it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Protocol

from therapy_timer.clock import zone_named
from therapy_timer.store import Store

NAME = "plan.ics"
DAYS = 3
WAIT = 20.0
"""Seconds the daemon waits, at most, for the last copy when it stops (a copy takes about 0.15 s)."""


class Child(Protocol):
    """A running writer: what the daemon needs of a `subprocess.Popen`."""

    def kill(self) -> None: ...

    def communicate(self, input: bytes | None = None, timeout: float | None = None) -> tuple[bytes, bytes]: ...

    @property
    def returncode(self) -> int | None: ...


Start = Callable[[Path, Path, datetime], Child]


def spawn(folder: Path, config_path: Path, now: datetime) -> Child:
    """The real writer: `calendar.writer` as a process of its own (icalendar is loaded there, not here)."""
    command = [sys.executable, "-m", "therapy_timer.calendar.writer", str(folder), str(config_path), now.isoformat()]
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class LiveCalendar:
    """The live copy of one daemon: asks for a new one when the plan changed; one writer at a time."""

    def __init__(self, folder: Path, config_path: Path, log: Callable[[str], None], start: Start | None = spawn):
        self.folder, self.config_path, self.log, self.start = folder, config_path, log, start
        self._asked_for: tuple[object, ...] | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._child: Child | None = None
        self._wanted: datetime | None = None  # a copy asked for while a writer was busy: its "now"
        self._told: str | None = None

    def follow(self, store: Store, now: datetime, zone: tzinfo) -> None:
        """At a tick: a new copy if what it is made of changed since the last one (nothing otherwise).

        `zone`: the daemon's, for a plan that recorded none. Never waits for a writer (except for
        the final copy of an ended plan). A failure is logged once and tried again at the next tick."""
        try:
            self._follow(store, now, zone)
        except Exception as exc:
            self._asked_for = None
            self._tell(f"{type(exc).__name__}: {exc}")

    def _follow(self, store: Store, now: datetime, zone: tzinfo) -> None:
        if self.start is None:
            return
        stored = store.plan()
        if stored is None:
            return
        logged = store.events(stored.id)
        local_day: date = now.astimezone(zone_named(stored.zone) or zone).date()
        made_of = (stored.id, stored.plan.ended_at, logged[-1].id if logged else None, local_day)
        if made_of == self._asked_for:
            return
        self._asked_for = made_of
        with self._lock:
            self._wanted = now
            if self._child is None:
                self._launch()
        if stored.plan.ended_at is not None:  # the daemon stops now: the final copy must be written
            self.finish()

    def finish(self) -> None:
        """Wait (at most `WAIT` seconds) until no copy is being written or waits to be: before the
        daemon lets go of its folder. A writer still busy then is ended."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._child is None, timeout=WAIT) and self._child is not None:
                self._wanted = None
                self._child.kill()  # stuck (a database locked for long): its thread collects it
                self._idle.wait_for(lambda: self._child is None, timeout=5)

    def _launch(self) -> None:
        """Start a writer for the copy wanted, and a thread that waits for it (the lock is held)."""
        assert self._wanted is not None and self.start is not None
        now, self._wanted = self._wanted, None
        child = self._child = self.start(self.folder, self.config_path, now)
        threading.Thread(target=self._collect, args=(child,), name="calendar-copy", daemon=True).start()

    def _collect(self, child: Child) -> None:
        """(Its own thread.) Wait for the writer, say how it went, start the next one if one is wanted."""
        try:
            _, err = child.communicate()  # reads its stderr while waiting: no full pipe can block it
        except Exception as exc:
            err, code = f"{type(exc).__name__}: {exc}".encode(), -1
        else:
            code = child.returncode if child.returncode is not None else -1
        if code == 0:
            if self._told:
                self.log(f"the calendar copy ({self.folder / NAME}) is written again")
            self._told = None
        else:
            self._asked_for = None  # tried again at the next tick
            said = (err or b"").decode(errors="replace").strip().splitlines()
            self._tell(said[-1] if said else f"exit status {code}")
        with self._idle:
            self._child = None
            if self._wanted is not None:
                try:
                    self._launch()
                except Exception as exc:  # cannot start a process now: the next tick tries again
                    self._wanted, self._asked_for = None, None
                    self._tell(f"{type(exc).__name__}: {exc}")
            self._idle.notify_all()

    def _tell(self, problem: str) -> None:
        """Log a problem once (not at every tick) until it changes or the copy is written again."""
        if problem != self._told:
            self._told = problem
            self.log(f"the calendar copy ({self.folder / NAME}) was not written: {problem}")
