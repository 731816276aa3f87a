"""What the tests share: moments and zones, a plan in a record, the command run as a process,
waiting, the skip that CI refuses, and the daemon's test doubles (a clock set by hand, a scheduler
that steps it, a recording desktop). Fixtures live in conftest.py; what is here is imported.

`stepping_daemon` builds the daemon the way every entry point does (`bootstrap.build`), with a hand
clock and a `SteppingScheduler`: no threads and no sleeping, time moves when the test says so.
`make_daemon` builds one on the real scheduler for the few tests that need real threads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import pytest

from therapy_timer import bootstrap, usecases, vocabulary
from therapy_timer.bootstrap import Wiring
from therapy_timer.calendar import writer
from therapy_timer.clock import Clock
from therapy_timer.daemon import Daemon
from therapy_timer.notify import Note, Notifier, TerminalBackend
from therapy_timer.notify.dbus import ServerEvent
from therapy_timer.protocol import Session, Timeline
from therapy_timer.settings import Config
from therapy_timer.store import Store

BERLIN_NAME = "Europe/Berlin"
"""The tests' time zone by name, as TZ and the command line take it (conftest sets TZ to it)."""
BERLIN = ZoneInfo(BERLIN_NAME)

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=timezone.utc)
"""Tuesday 24 November 2026, 09:00 in Berlin: the moment most plans start, in UTC as the clock gives it."""
T0_TEXT = "2026-11-24 09:00:00+01:00"
"""T0 as the command line's tests write it (for `freeze_time`)."""
M = timedelta(minutes=1)
H = timedelta(hours=1)


def utc(*parts: int) -> datetime:
    """datetime(*parts) in UTC."""
    return datetime(*parts, tzinfo=timezone.utc)  # type: ignore[misc]


def local(y: int, mo: int, d: int, h: int, mi: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    """The moment a clock in `zone` shows that wall time, in UTC."""
    return datetime(y, mo, d, h, mi, tzinfo=zone).astimezone(timezone.utc)


def hhmm(moment: datetime, zone: ZoneInfo = BERLIN) -> str:
    """A moment as a clock in `zone` shows it, with the day: "Tue 09:00"."""
    return moment.astimezone(zone).strftime("%a %H:%M")


def of(timeline: Timeline, kind: str) -> list[Session]:
    """The sessions of one kind in a timeline."""
    return [s for s in timeline.sessions if s.kind == kind]


def new_plan(folder: Path, injured: datetime | None = None, started: datetime = T0, screened: bool = False) -> int:
    """Start a plan in the record in `folder`, injured when it started unless told; `screened`: the
    warning-sign questions were answered "none" at its start. Returns the plan's id."""
    store = Store(folder)
    try:
        plan_id = store.start_plan(injured or started, started, False, started).id
        if screened:
            store.log(plan_id, started, vocabulary.CHECK, started, text="none")
        return plan_id
    finally:
        store.close()


def deps(store: Store, now: datetime, config: Config | None = None) -> usecases.Deps:
    """What the use cases need, wired as the command line wires it, for the record `store` at `now`
    (the default settings unless told, Berlin the zone)."""
    return Wiring(store.path.parent / "config.toml", BERLIN).deps(store, now, config or Config())


THERAPY_TIMER = [sys.executable, "-m", "therapy_timer"]
"""The command, as a process of its own started from this venv."""


def tt(
    env: Mapping[str, str] | None, *args: str, code: int | None = 0, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `therapy-timer ARGS` as a process in `env` (None: this process's), its output captured as
    text, and check that it exits with `code` (None: the caller looks)."""
    done = subprocess.run([*THERAPY_TIMER, *args], env=env, capture_output=True, text=True, timeout=timeout)
    if code is not None:
        assert done.returncode == code, f"{args}: exit {done.returncode}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    return done


def unavailable(here: str, in_ci: str) -> NoReturn:
    """What a test needs is missing: it is skipped on a developer machine (`here` says what to do),
    and fails in CI, which runs as root and installs everything a test needs (`in_ci` says what)."""
    if os.environ.get("CI"):
        pytest.fail(in_ci)
    pytest.skip(here)


def needs_root(what: str) -> None:
    """Skip the test unless it runs as root (CI does): `what` needs it."""
    if os.geteuid() != 0:
        unavailable(f"{what} needs root", f"CI runs as root so that {what} can be tested for real")


def needs_tools(*tools: str, package: str) -> None:
    """Skip the test unless every one of `tools` is on the PATH (CI installs `package`: see .ci/run)."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        named = ", ".join(missing)
        unavailable(
            f"{named} not installed (apt install {package})", f"CI must install {package} (see .ci/run): {named}"
        )


def importing(
    env: Mapping[str, str] | None, *args: str, code: int | None = 0
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Run `therapy-timer ARGS` as `tt` does, under `python -X importtime`: every module it imported,
    and how it ended."""
    command = [sys.executable, "-X", "importtime", *THERAPY_TIMER[1:], *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    if code is not None:
        assert done.returncode == code, f"{args}: exit {done.returncode}\n{done.stderr[-2000:]}"
    lines = done.stderr.splitlines()
    return {line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time:")}, done


def imported(*args: str, env: Mapping[str, str] | None) -> set[str]:
    """Every module `therapy-timer ARGS` imports, run as a process in `env` (it must succeed)."""
    return importing(env, *args)[0]


class HandClock(Clock):
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class SteppingScheduler:
    """The daemon's scheduler interface (`at`, `soon`, `run`, `stop`) on a hand clock.

    `step()` runs the next call: calls asked for "soon" first, else it moves the clock to the
    earliest timed call and runs that. Nothing runs unless the test steps.
    """

    def __init__(self, clock: HandClock) -> None:
        self.clock = clock
        self.timed: dict[str, tuple[datetime, Callable[[], None]]] = {}
        self.queue: list[Callable[[], None]] = []
        self.stopped = False

    def at(self, key: str, moment: datetime, action: Callable[[], None]) -> None:
        self.timed[key] = (moment, action)

    def soon(self, action: Callable[[], None]) -> None:
        self.queue.append(action)

    def run(self) -> None:
        """Serve until stopped or until nothing is left to do before the clock's present moment."""
        while not self.stopped and self.step(until=self.clock.now()):
            pass

    def stop(self) -> None:
        self.stopped = True

    def next_at(self, key: str = "tick") -> datetime | None:
        return self.timed[key][0] if key in self.timed else None

    def step(self, until: datetime | None = None) -> bool:
        """Run one call (none later than `until`); False when there was none."""
        if self.queue:
            self.queue.pop(0)()
            return True
        if not self.timed:
            return False
        key, (moment, action) = min(self.timed.items(), key=lambda item: item[1][0])
        if until is not None and moment > until:
            return False
        del self.timed[key]
        self.clock.moment = max(self.clock.moment, moment)
        action()
        return True

    def run_until(self, moment: datetime) -> None:
        """Run every call due up to `moment`, in order, then leave the clock at `moment`."""
        while not self.stopped and self.step(until=moment):
            pass
        self.clock.moment = max(self.clock.moment, moment)


class Recorder:
    """A desktop backend that records what it shows, like a server: each notification gets an id
    (a replaced one keeps its id), can be closed, and `press` plays a person pressing a button.
    It can be told to fail or to hang."""

    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, bool]] = []
        self.notes: list[Note] = []
        self.ids: list[int] = []  # the id each of `notes` was shown under
        self.on_screen: dict[int, Note] = {}
        self.closed: list[int] = []
        self.failure: Exception | None = None
        self.hang = False
        self.arrived = threading.Condition()
        self.listener: Callable[[Any], None] = lambda event: None
        self._next_id = 0

    def close(self, note_id: int) -> None:
        if self.on_screen.pop(note_id, None) is not None:
            self.closed.append(note_id)
            self.listener(ServerEvent("closed", note_id, reason=3))

    def listen(self, listener: Callable[[Any], None]) -> None:
        self.listener = listener

    def shutdown(self) -> None:
        self.shutdowns = getattr(self, "shutdowns", 0) + 1

    def press(self, title: str, button: str) -> None:
        """Press `button` on the notification on screen titled `title` (servers close it then)."""
        note_id = next(i for i, note in self.on_screen.items() if note.title == title)
        assert button in self.on_screen[note_id].buttons, f"{title!r} has no {button!r} button"
        self.listener(ServerEvent("pressed", note_id, action=button))
        del self.on_screen[note_id]
        self.listener(ServerEvent("closed", note_id, reason=2))

    def problem(self) -> str | None:
        return None

    def prepare(self) -> None:
        pass

    def send(self, note: Note) -> int:
        if self.hang:
            time.sleep(3600)
        if self.failure:
            raise self.failure
        with self.arrived:
            if note.replaces in self.on_screen:
                note_id = note.replaces
            else:
                self._next_id += 1
                note_id = self._next_id
            self.on_screen[note_id] = note
            self.sent.append((note.title, note.plain, note.sticky))
            self.notes.append(note)
            self.ids.append(note_id)
            self.arrived.notify_all()
        return note_id

    @property
    def titles(self) -> list[str]:
        return [t for t, _, _ in self.sent]

    def wait_for(self, title: str, seconds: float = 3.0) -> None:
        """Wait (really, for a real-thread test) until `title` was sent; fail after `seconds`.

        The timeout is the measurement: Condition.wait_for keeps real time even under freezegun.
        """
        with self.arrived:
            ok = self.arrived.wait_for(lambda: title in self.titles, timeout=seconds)
        assert ok, f"{title!r} not sent within {seconds} s; sent: {self.titles}"


class Lines(list[str]):
    """The daemon's log lines; set `failure` to make writing them fail (a full disk)."""

    failure: Exception | None = None

    def write(self, line: str) -> None:
        if self.failure:
            raise self.failure
        self.append(line)


class Parts:
    """A daemon built for a test, with the doubles it was built from."""

    def __init__(self, daemon: Daemon, recorder: Recorder, logged: Lines, scheduler: SteppingScheduler | None):
        self.daemon, self.recorder, self.logged = daemon, recorder, logged
        self.scheduler = scheduler

    def __iter__(self):  # daemon, recorder, logged = make_daemon(...)
        return iter((self.daemon, self.recorder, self.logged))


def _build(
    folder: Path,
    clock: Clock,
    timeout: float = 1.0,
    config_path: Path | None = None,
    zone: tzinfo = BERLIN,
    **kw: Any,
) -> tuple[Daemon, Recorder, Lines]:
    recorder, logged = Recorder(), Lines()
    log = bootstrap.never_raising(logged.write)  # as bootstrap wraps the real log
    notifier = Notifier([recorder], TerminalBackend(log), log=log, timeout=timeout)
    daemon = bootstrap.build(
        folder,
        config_path or folder.parent / "config.toml",
        zone=zone,
        clock=clock,
        notifier=notifier,
        log=logged.write,
        **kw,
    )
    return daemon, recorder, logged


class Finished:
    """A calendar writer that already ran, in this process (the unit tier starts no processes)."""

    def __init__(self, code: int, said: bytes = b"") -> None:
        self.returncode, self.said = code, said

    def kill(self) -> None:
        pass

    def communicate(self, input: bytes | None = None, timeout: float | None = None) -> tuple[bytes, bytes]:
        return b"", self.said


def write_here(folder: Path, config_path: Path, now: datetime) -> Finished:
    """`live_calendar.spawn`'s work, done in the test's own process."""
    try:
        writer.write(folder, config_path, now)
    except Exception as exc:
        return Finished(1, f"{type(exc).__name__}: {exc}".encode())
    return Finished(0)


@contextmanager
def stepping_daemon(
    folder: Path, clock: HandClock, timeout: float = 1.0, zone: tzinfo = BERLIN, calendar: bool = False
) -> Iterator[Parts]:
    """An opened daemon on a stepping scheduler (no socket, no watch threads); closed afterwards.

    `zone` is the daemon's own zone (from its TZ), used for plans that recorded none. `calendar`:
    keep the live calendar copy, written in this process (off otherwise: it costs the unit tier seconds)."""
    scheduler = SteppingScheduler(clock)
    writer = write_here if calendar else None
    daemon, recorder, logged = _build(
        folder, clock, timeout, zone=zone, scheduler=scheduler, listen=False, calendar_writer=writer
    )
    daemon.open()
    try:
        yield Parts(daemon, recorder, logged, scheduler)
    finally:
        daemon.close()


def make_daemon(
    folder: Path,
    clock: Clock | None = None,
    max_idle: float | None = 0.2,
    timeout: float = 1.0,
    config_path: Path | None = None,
) -> Parts:
    """A daemon on the real APScheduler with real threads; `run_in_thread` starts it."""
    daemon, recorder, logged = _build(folder, clock or Clock(), timeout, config_path, max_idle=max_idle)
    return Parts(daemon, recorder, logged, None)


def next_reminder_key(folder: Path, now: datetime) -> tuple[str, datetime]:
    """What a freshly started daemon would fire next, computed the way the daemon does."""
    daemon, _, _ = _build(folder, HandClock(now), scheduler=SteppingScheduler(HandClock(now)), listen=False)
    daemon.store = Store(folder)
    try:
        stored = daemon.store.active_plan()
        assert stored is not None
        upcoming = [r for r in daemon.pending(stored, now) if r.due > now]
        return upcoming[0].key, upcoming[0].due
    finally:
        daemon.store.close()


def run_in_thread(daemon: Daemon) -> threading.Thread:
    thread = threading.Thread(target=daemon.run, daemon=True)
    thread.start()
    return thread


def wait_until(condition: Callable[[], bool], seconds: float = 3.0, every: float = 0.02) -> bool:
    """Poll `condition` every `every` seconds for about `seconds` of real time; whether it came true.

    Counted both in polls and on the monotonic clock: under freezegun time.monotonic stands still
    (time.sleep does not), and a slow condition (one that runs a process) makes every poll longer."""
    deadline = time.monotonic() + seconds
    for _ in range(max(1, round(seconds / every))):
        if condition():
            return True
        if time.monotonic() >= deadline:
            break
        time.sleep(every)
    return condition()


def wait_idle(daemon: Daemon, thread: threading.Thread, seconds: float = 3.0) -> None:
    """Wait until a daemon on the real scheduler has finished its tick and gone back to sleep.

    A clock jump made before the scheduler computed its next wait would be seen at once, and a
    test of the suspend cap would pass for the wrong reason. So: no tick in progress, the
    scheduler's thread blocked in its wait, and no wake-up pending (APScheduler's event clear).
    """

    def idle() -> bool:
        frame = sys._current_frames().get(thread.ident or 0)
        event = daemon.scheduler._aps._event  # type: ignore[attr-defined]  # read only, to know it is asleep
        return (
            not daemon._tick_lock.locked()
            and frame is not None
            and frame.f_code.co_name == "wait"
            and event is not None
            and not event.is_set()
        )

    assert wait_until(idle, seconds), "the daemon did not go idle"
