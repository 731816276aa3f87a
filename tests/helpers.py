"""Test doubles for the daemon: a clock we set by hand and a desktop backend that records."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from therapy_timer.clock import Clock
from therapy_timer.daemon import Daemon
from therapy_timer.notify import Notifier, TerminalBackend
from therapy_timer.store import Store


class HandClock(Clock):
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class Recorder:
    """A desktop backend that records titles; it can be told to fail or to hang."""

    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, bool]] = []
        self.failure: Exception | None = None
        self.hang = False
        self.arrived = threading.Condition()

    def problem(self) -> str | None:
        return None

    def prepare(self) -> None:
        pass

    def send(self, title: str, body: str, sticky: bool) -> None:
        if self.hang:
            time.sleep(3600)
        if self.failure:
            raise self.failure
        with self.arrived:
            self.sent.append((title, body, sticky))
            self.arrived.notify_all()

    @property
    def titles(self) -> list[str]:
        return [t for t, _, _ in self.sent]

    def wait_for(self, title: str, seconds: float = 3.0) -> float:
        """Wait (really) until `title` was sent; return how long it took."""
        began = time.monotonic()
        with self.arrived:
            ok = self.arrived.wait_for(lambda: title in self.titles, timeout=seconds)
        assert ok, f"{title!r} not sent within {seconds} s; sent: {self.titles}"
        return time.monotonic() - began


def make_daemon(
    folder: Path, clock: Clock | None = None, max_idle: float | None = 0.2, **kw
) -> tuple[Daemon, Recorder, list[str]]:
    recorder, logged = Recorder(), []
    notifier = Notifier([recorder], TerminalBackend(logged.append), log=logged.append, timeout=kw.pop("timeout", 1.0))
    daemon = Daemon(
        folder,
        folder.parent / "config.toml",
        notifier,
        ZoneInfo("Europe/Berlin"),
        clock=clock or Clock(),
        log=logged.append,
        max_idle=max_idle,
        **kw,
    )
    daemon.store = Store(folder)
    return daemon, recorder, logged


def run_in_thread(daemon: Daemon) -> threading.Thread:
    daemon.store = None  # run() opens its own connection
    thread = threading.Thread(target=daemon.run, daemon=True)
    thread.start()
    return thread
