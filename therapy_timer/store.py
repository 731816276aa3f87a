"""The record: plans, everything the user logged, and every reminder fired, in SQLite.

One active plan at a time (a partial unique index enforces it). Every write is one IMMEDIATE
transaction in WAL mode with a busy timeout, so commands run at the same moment all land and a
crash never leaves half a change. Times are stored as UTC ISO 8601 text.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

from therapy_timer.errors import RefusedError, TherapyTimerError
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.protocol import Event, Plan
from therapy_timer.vocabulary import PLAN_END, PLAN_START, Answer, EndReason, EventKind, ReminderOutcome, Source

DB_NAME = "therapy-timer.sqlite3"
SCHEMA_VERSION = 4  # 2: plans.zone, the IANA zone the plan is computed in; 3: events.source; 4: phone_*
DDL = """
CREATE TABLE IF NOT EXISTS plans (
    id INTEGER PRIMARY KEY,
    injured_at TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    end_reason TEXT,
    zone TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS one_active_plan ON plans ((ended_at IS NULL)) WHERE ended_at IS NULL;
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER REFERENCES plans (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    score INTEGER,
    text TEXT,
    session TEXT,
    minutes REAL,
    recorded_at TEXT NOT NULL,
    source TEXT
);
CREATE INDEX IF NOT EXISTS events_by_plan ON events (plan_id, at);
CREATE TABLE IF NOT EXISTS reminders (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    key TEXT NOT NULL,
    due_at TEXT NOT NULL,
    fired_at TEXT,
    outcome TEXT NOT NULL,
    backend TEXT,
    title TEXT,
    UNIQUE (plan_id, key)
);
CREATE TABLE IF NOT EXISTS phone_buttons (
    id TEXT PRIMARY KEY,
    plan_id INTEGER NOT NULL,
    reminder TEXT NOT NULL,
    session TEXT NOT NULL,
    button TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    until TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE IF NOT EXISTS phone_heard (
    mid TEXT PRIMARY KEY,
    heard_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS phone_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


class StoreError(TherapyTimerError):
    """The database cannot be used; the message says where it is."""


class StoredPlan(NamedTuple):
    id: int
    plan: Plan
    end_reason: EndReason | None
    zone: str | None = None  # recorded at start, so the daemon and every command compute the same sessions


class LoggedEvent(NamedTuple):
    id: int
    plan_id: int | None
    at: datetime
    kind: EventKind
    score: int | None
    text: str | None
    session: str | None
    minutes: float | None
    recorded_at: datetime
    source: Source | None = None  # where the answer came from; None before schema 3, and for what is not an answer

    def as_event(self) -> Event:
        return Event(self.at, self.kind, self.session, self.minutes, self.text)


class PhoneButton(NamedTuple):
    """A button on a pushed reminder: the random code it sends, and what it means (kept here only)."""

    id: str
    plan_id: int
    reminder: str
    session: str
    button: str
    issued_at: datetime
    until: datetime  # the reminder stops being in front of the person: a later press is refused
    used_at: datetime | None = None


class FiredReminder(NamedTuple):
    key: str
    due_at: datetime
    fired_at: datetime | None
    outcome: ReminderOutcome
    backend: str | None
    title: str | None


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with microseconds, so stored times sort as text and keep lateness measurable."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Store:
    """A connection to the database in `folder`, created private (0700 folder, 0600 file)."""

    def __init__(self, folder: Path) -> None:
        from therapy_timer.paths import ensure_private_dir

        self.path = folder / DB_NAME
        self.readonly = False
        try:
            ensure_private_dir(folder)
            old_umask = os.umask(0o077)
            try:
                if self.path.exists() and not (os.access(folder, os.W_OK) and os.access(self.path, os.W_OK)):
                    self.db = self._open_readonly()
                else:
                    self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                self.db.execute("PRAGMA busy_timeout = 30000")
                self._prepare()
            finally:
                os.umask(old_umask)
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        except OSError as exc:
            raise StoreError(f"cannot open the data folder {folder}: {exc.strerror}") from None

    def _open_readonly(self) -> sqlite3.Connection:
        """The record on a read-only folder or disk: opened read-only, so it can still be read (status,
        plan, history, report, export), and any write is refused in one line. SQLite cannot make the
        WAL's shared-memory file there; with none left behind, nothing can be writing the file either,
        so it is read as immutable."""
        import urllib.parse

        self.readonly = True
        uri = f"file:{urllib.parse.quote(str(self.path))}?mode=ro"
        for extra in ("", "&immutable=1"):
            db = sqlite3.connect(uri + extra, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA schema_version").fetchone()
                return db
            except sqlite3.OperationalError:
                db.close()
                if extra:
                    raise
        raise AssertionError("unreachable")

    def _damaged(self, exc: Exception) -> StoreError:
        """The one-line error for a database problem, naming what is really wrong and what to do.

        Only a truly damaged file is pointed at `forget` (which moves it aside): advising it for a
        full disk or a permission problem would make people throw away a healthy record.
        """
        code = getattr(exc, "sqlite_errorname", "")  # Python 3.11+; the message text covers 3.10
        said = str(exc).lower()
        if code == "SQLITE_BUSY" or "locked" in said:
            return StoreError(
                f"the database at {self.path} stayed busy for 30 s; nothing was changed, please try again"
            )
        if code == "SQLITE_FULL" or "disk is full" in said or (code.startswith("SQLITE_IOERR") and self._disk_full()):
            return StoreError(
                f"the disk holding {self.path.parent} is full; nothing was changed and your record is intact. "
                "Free some space, then try again"
            )
        if code.startswith("SQLITE_READONLY") or "readonly" in said or code in ("SQLITE_PERM", "SQLITE_CANTOPEN"):
            return StoreError(
                f"the database at {self.path} cannot be written ({exc}); nothing was changed and your record is "
                f"intact. Check that you own {self.path.parent} and its files and can write to them"
            )
        if code.startswith("SQLITE_IOERR") or "disk i/o error" in said:
            return StoreError(
                f"the disk holding {self.path} could not be read or written ({exc}); nothing was changed. "
                "Check the disk, then try again"
            )
        return StoreError(
            f"the database at {self.path} is damaged ({exc}); it was left as it is. "
            "`therapy-timer forget` moves it aside and starts afresh"
        )

    def _read_only(self) -> StoreError:
        return StoreError(
            f"the record in {self.path.parent} is read-only here (a read-only folder or disk), so nothing was "
            "written; it can still be read (status, plan, history, report, export)"
        )

    def _disk_full(self) -> bool:
        """Whether the data folder's disk has no room left (SQLite reports a full disk in WAL mode as an I/O error)."""
        import shutil  # only on this error path: keeps it out of every command's start-up

        try:
            return shutil.disk_usage(self.path.parent).free < 64 * 1024
        except OSError:
            return False

    def _prepare(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the database at {self.path} was written by a newer therapy-timer; please upgrade")
        if version == SCHEMA_VERSION:
            self.db.execute("PRAGMA schema_version").fetchone()  # fails fast on a damaged file
            return
        if self.readonly:
            raise self._read_only()
        with self.write():
            count = "SELECT count(*) FROM sqlite_master WHERE name "
            has_tables = self.db.execute(count + "NOT LIKE 'sqlite_%'").fetchone()[0]
            if has_tables and not self.db.execute(count + "= 'plans'").fetchone()[0]:
                raise StoreError(f"{self.path} is not a therapy-timer database; it was left as it is")
            for statement in DDL.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            if "zone" not in {row[1] for row in self.db.execute("PRAGMA table_info(plans)")}:
                self.db.execute("ALTER TABLE plans ADD COLUMN zone TEXT")  # from version 1
            if "source" not in {row[1] for row in self.db.execute("PRAGMA table_info(events)")}:
                self.db.execute("ALTER TABLE events ADD COLUMN source TEXT")  # from version 2
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.db.execute("PRAGMA journal_mode = WAL")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction; taken at once so concurrent writers queue, not fail."""
        if self.readonly:
            raise self._read_only()
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None
        try:
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError):
                raise self._damaged(exc) from None
            raise

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._damaged(exc) from None

    # Plans -------------------------------------------------------------------------------

    def active_plan(self) -> StoredPlan | None:
        rows = self._query(
            "SELECT id, injured_at, started_at, ended_at, end_reason, zone FROM plans WHERE ended_at IS NULL"
        )
        return _plan(rows[0]) if rows else None

    def plan(self, plan_id: int | None = None) -> StoredPlan | None:
        """The plan with `plan_id`, or the latest plan (active or ended) when None; None if there is none."""
        if plan_id is not None and not 0 < plan_id < 2**63:  # no SQLite row can have it (and it cannot be asked)
            return None
        sql = "SELECT id, injured_at, started_at, ended_at, end_reason, zone FROM plans"
        rows = self._query(
            sql + (" WHERE id = ?" if plan_id is not None else " ORDER BY id DESC LIMIT 1"),
            (plan_id,) if plan_id is not None else (),
        )
        return _plan(rows[0]) if rows else None

    def require_plan(self) -> StoredPlan:
        """The active plan, or a refusal that says how to start one."""
        found = self.active_plan()
        if found is None:
            raise RefusedError("no active plan: start one with `therapy-timer start`")
        return found

    def start_plan(
        self, injured_at: datetime, started_at: datetime, replace: bool, now: datetime, zone: str | None = None
    ) -> StoredPlan:
        """Record a new plan (in the IANA `zone` it is lived in); an active one is refused unless
        `replace`, which ends it first."""
        with self.write() as db:
            active = db.execute("SELECT id FROM plans WHERE ended_at IS NULL").fetchone()
            if active and not replace:
                raise RefusedError(
                    "a plan is already active; see it with `therapy-timer status`, or use --replace to start over"
                )
            if active:
                self._end(db, active[0], now, "replaced")
            plan_id = db.execute(
                "INSERT INTO plans (injured_at, started_at, zone) VALUES (?, ?, ?)",
                (iso(injured_at), iso(started_at), zone),
            ).lastrowid
            self._insert(db, plan_id, started_at, PLAN_START, now=now, text=f"injured {iso(injured_at)}")
        return StoredPlan(int(plan_id or 0), Plan(injured_at, started_at), None, zone)

    def end_plan(self, plan_id: int, now: datetime, reason: EndReason) -> None:
        with self.write() as db:
            self._end(db, plan_id, now, reason)

    def _end(self, db: sqlite3.Connection, plan_id: int, now: datetime, reason: EndReason) -> None:
        db.execute("UPDATE plans SET ended_at = ?, end_reason = ? WHERE id = ?", (iso(now), reason, plan_id))
        self._insert(db, plan_id, now, PLAN_END, now=now, text=reason)

    # Events ------------------------------------------------------------------------------

    def log(self, plan_id: int | None, at: datetime, kind: EventKind, now: datetime, **fields: Any) -> int:
        """Record one event; returns its id once it is safely committed."""
        with self.write() as db:
            return self._insert(db, plan_id, at, kind, now=now, **fields)

    def log_answer(
        self, plan_id: int, at: datetime, kind: Answer, now: datetime, session: str, source: Source | None = None
    ) -> Answer | None:
        """Record done/skip for a session unless it has one already, in one transaction, so two
        answers given at the same moment cannot both land; returns the earlier answer if there was one."""
        with self.write() as db:
            earlier = db.execute(
                "SELECT kind FROM events WHERE plan_id = ? AND session = ? AND kind IN ('done', 'skip') LIMIT 1",
                (plan_id, session),
            ).fetchone()
            if earlier:
                return cast("Answer", str(earlier[0]))
            self._insert(db, plan_id, at, kind, now=now, session=session, source=source)
        return None

    def _insert(
        self,
        db: sqlite3.Connection,
        plan_id: int | None,
        at: datetime,
        kind: EventKind,
        now: datetime,
        score: int | None = None,
        text: str | None = None,
        session: str | None = None,
        minutes: float | None = None,
        source: Source | None = None,
    ) -> int:
        cursor = db.execute(
            "INSERT INTO events (plan_id, at, kind, score, text, session, minutes, recorded_at, source)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (plan_id, iso(at), kind, score, text, session, minutes, iso(now), source),
        )
        return int(cursor.lastrowid or 0)

    def events(self, plan_id: int | None = None) -> list[LoggedEvent]:
        """Events of one plan, or all of them, oldest first."""
        sql = "SELECT id, plan_id, at, kind, score, text, session, minutes, recorded_at, source FROM events"
        rows = self._query(
            sql + (" WHERE plan_id = ?" if plan_id is not None else "") + " ORDER BY at, id",
            (plan_id,) if plan_id is not None else (),
        )
        # Where a kind and a source come back from SQLite: read as the words they were written in
        # (`vocabulary`); a word this version does not know matches nothing the core compares it with.
        return [
            LoggedEvent(r[0], r[1], _time(r[2]), cast("EventKind", r[3]), r[4], r[5], r[6], r[7],  # type: ignore[arg-type]
                        _time(r[8]), cast("Source | None", r[9]))  # type: ignore[arg-type]
            for r in rows
        ]  # fmt: skip

    # Reminders ---------------------------------------------------------------------------

    def record_reminder(
        self,
        plan_id: int,
        key: str,
        due_at: datetime,
        fired_at: datetime | None,
        outcome: ReminderOutcome,
        backend: str | None = None,
        title: str | None = None,
    ) -> None:
        """Record that a reminder fired (or was missed); a key is recorded once per plan."""
        with self.write() as db:
            db.execute(
                "INSERT OR IGNORE INTO reminders (plan_id, key, due_at, fired_at, outcome, backend, title)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (plan_id, key, iso(due_at), iso(fired_at) if fired_at else None, outcome, backend, title),
            )

    def reminders(self, plan_id: int) -> list[FiredReminder]:
        rows = self._query(
            "SELECT key, due_at, fired_at, outcome, backend, title FROM reminders"
            " WHERE plan_id = ? ORDER BY due_at, id",
            (plan_id,),
        )
        return [FiredReminder(r[0], _time(r[1]), _time(r[2]), cast("ReminderOutcome", r[3]), r[4], r[5]) for r in rows]  # type: ignore[arg-type]

    # Answers from the phone ---------------------------------------------------------------
    # The buttons' random codes and what each means, the reply topic, and the server's message ids
    # read already: the phone's buttons carry nothing else, so this record is the only key to them.

    def phone_topic(self, make: Callable[[], str]) -> str:
        """This installation's reply topic, made (by `make`) the first time it is asked for."""
        with self.write() as db:
            row = db.execute("SELECT value FROM phone_state WHERE key = 'topic'").fetchone()
            if row:
                return str(row[0])
            topic = make()
            db.execute("INSERT INTO phone_state (key, value) VALUES ('topic', ?)", (topic,))
            return topic

    def phone_state(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM phone_state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def issue_phone_buttons(self, buttons: Sequence[PhoneButton]) -> None:
        with self.write() as db:
            db.executemany(
                "INSERT INTO phone_buttons (id, plan_id, reminder, session, button, issued_at, until)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(b.id, b.plan_id, b.reminder, b.session, b.button, iso(b.issued_at), iso(b.until)) for b in buttons],
            )

    def open_phone_buttons(self, now: datetime) -> list[PhoneButton]:
        """The buttons not pressed yet whose reminder is still in front of the person."""
        rows = self._query(
            "SELECT id, plan_id, reminder, session, button, issued_at, until, used_at FROM phone_buttons"
            " WHERE used_at IS NULL AND until > ? ORDER BY issued_at",
            (iso(now),),
        )
        return [_phone_button(r) for r in rows]

    def use_phone_button(self, mid: str, code: str, now: datetime) -> tuple[bool, PhoneButton | None]:
        """The server's message `mid` carrying `code` was read: in one transaction, note the message
        (so it is judged once, whatever the server sends again) and use up the button it names.
        Returns whether the message is new, and the button as it was before (None: no such code)."""
        with self.write() as db:
            if db.execute("SELECT 1 FROM phone_heard WHERE mid = ?", (mid,)).fetchone():
                return False, None
            db.execute("INSERT INTO phone_heard (mid, heard_at) VALUES (?, ?)", (mid, iso(now)))
            db.execute("DELETE FROM phone_heard WHERE heard_at < ?", (_days_before(now, 2),))  # kept 2 days
            db.execute("INSERT OR REPLACE INTO phone_state (key, value) VALUES ('since', ?)", (mid,))
            row = db.execute(
                "SELECT id, plan_id, reminder, session, button, issued_at, until, used_at FROM phone_buttons"
                " WHERE id = ?",
                (code,),
            ).fetchone()
            if row is None:
                return True, None
            button = _phone_button(row)
            if button.used_at is None:
                db.execute("UPDATE phone_buttons SET used_at = ? WHERE id = ?", (iso(now), code))
            db.execute("DELETE FROM phone_buttons WHERE until < ?", (_days_before(now, 2),))
            return True, button

    def last_from(self, source: Source) -> datetime | None:
        """When the latest answer from `source` ("phone", "notification", ...) was recorded."""
        rows = self._query("SELECT max(recorded_at) FROM events WHERE source = ?", (source,))
        return _time(rows[0][0]) if rows else None


def _days_before(moment: datetime, days: int) -> str:
    """Past the 12 hours an ntfy server keeps a message by default: it cannot come again."""
    from datetime import timedelta

    return iso(moment - timedelta(days=days))


def _phone_button(row: tuple[Any, ...]) -> PhoneButton:
    return PhoneButton(row[0], row[1], row[2], row[3], row[4], _time(row[5]), _time(row[6]), _time(row[7]))  # type: ignore[arg-type]


def forget(folder: Path) -> list[Path]:
    """Delete every record in `folder`: the database (with its journal files), the daemon's log (and
    the one before it, `logfile`) and its calendar copy (`calendar.live.NAME`).

    Returns what was removed. The caller has asked the user first.
    """
    from therapy_timer.calendar.live import NAME as CALENDAR
    from therapy_timer.daemon_client import LOG_NAME
    from therapy_timer.logfile import NEW, OLDER

    removed = []
    journal = (DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal")
    logs = (LOG_NAME, LOG_NAME + OLDER, LOG_NAME + NEW)  # the log, the one before it, a rotation cut short
    for name in (DB_NAME, *journal, *logs, CALENDAR):
        target = folder / name
        if target.exists():
            target.unlink()
            removed.append(target)
    return removed


def set_aside(path: Path, now: datetime) -> Path:
    """Rename a damaged database out of the way (never delete it: it may still be recoverable)."""
    target = path.with_name(f"{path.name}.damaged-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(target.with_name(target.name + suffix))
    return target


def _plan(row: tuple[Any, ...]) -> StoredPlan:
    plan = Plan(_time(row[1]), _time(row[2]), _time(row[3]))  # type: ignore[arg-type]
    return StoredPlan(row[0], plan, cast("EndReason | None", row[4]), row[5])
