"""The words the record is written in: one list that the store and the core share.

Every event kind, phase reason, answer source and session kind is a word stored in the database
(`events.kind`, `events.source`, the kind at the head of a session key such as "ice@2026-11-25T08:00:00Z"),
shown in `history --json`, `plan --json` and the CSV export, and read back by every later version. So
none of them may ever change, and a word misspelt in one module would quietly write an event that
nothing reads back, or miss one that is there. Spelt out as plain strings in each module, with the
list in comments, no check could see it; here each set is a `Literal` type and each word a named
constant, so `mypy --strict` checks every write, every comparison and every call against this one
list (the store types its columns with it, the core decides with it), and tests/unit/test_vocabulary.py
checks the list against what the code writes.

Pure and cheap: it imports only `typing`, as every command (`status` too) loads it.
"""

from __future__ import annotations

from typing import Final, Literal, TypeGuard, get_args

# Events: what the store records, one row each (`Store.log`) ------------------------------------

EventKind = Literal[
    "plan-start",  # written by the store with every plan (its text: "injured <time>")
    "plan-end",  # and when it ends (its text: the `EndReason`)
    "settings",  # the protocol's settings, recorded with the plan when they change
    "done",  # a session answered: done (ice or heat off, the walk walked) ...
    "skip",  # ... or skipped
    "snooze",  # a reminder put off: `minutes`, its session, and the reminder's key as `text`
    "heat-worse",  # heat made it worse: cut at once, back to cold
    "heat-no-help",  # heat did not help: back to cold after the session
    "try-heat-again",  # after the doctor advice: the person's word that lifts the hold on heat
    "pain",  # a score from 0 to 10, with a note perhaps
    "symptom",  # a symptom in the person's words, or a warning sign by name
    "note",  # anything else they want on the record
    "check",  # the warning-sign questions answered: "none", or the signs' names
    "signs-ack",  # the warning signs (or the "not getting better" notice) read and acted on
]
"""Every kind of event the store records."""

PLAN_START: Final = "plan-start"
PLAN_END: Final = "plan-end"
SETTINGS: Final = "settings"
DONE: Final = "done"
SKIP: Final = "skip"
SNOOZE: Final = "snooze"
HEAT_WORSE: Final = "heat-worse"
HEAT_NO_HELP: Final = "heat-no-help"
TRY_HEAT: Final = "try-heat-again"
PAIN: Final = "pain"
SYMPTOM: Final = "symptom"
NOTE: Final = "note"
CHECK: Final = "check"
SIGNS_ACK: Final = "signs-ack"

EVENT_KINDS: Final[frozenset[str]] = frozenset(get_args(EventKind))

Answer = Literal["done", "skip"]
"""The events that answer a session (the first one for a session counts)."""
ANSWERS: Final[tuple[Answer, ...]] = (DONE, SKIP)

SwitchKind = Literal["heat-worse", "heat-no-help"]
"""The events that give heat up for cold."""
SWITCH_KINDS: Final[tuple[SwitchKind, ...]] = (HEAT_WORSE, HEAT_NO_HELP)

LogKind = Literal["pain", "symptom", "note"]
"""What `log pain`, `log symptom` and `log note` record (with or without a plan)."""

Source = Literal["command", "notification", "phone"]
"""Where an answer came from (`events.source`): typed, a button on the desktop notification, a
button on the phone's push. Events recorded before schema 3, and those nobody answers, have none."""

EndReason = Literal["replaced", "stopped", "recovered"]
"""Why a plan ended (`plans.end_reason`, and the text of its `plan-end` event)."""

ReminderOutcome = Literal["fired", "missed"]
"""What became of a reminder (`reminders.outcome`): shown, or recorded as missed (not in time)."""

# Sessions and phases: what the protocol works out --------------------------------------------

SessionKind = Literal["ice", "heat", "walk"]
"""What a session is: the word at the head of its key ("ice@2026-11-25T08:00:00Z")."""
SESSION_KINDS: Final[frozenset[str]] = frozenset(get_args(SessionKind))

Mode = Literal["cold", "heat"]
"""A phase of the plan: ice, or moist heat."""

PhaseReason = Literal["plan-start", "cold-over", "heat-worse", "heat-no-help", "heat-again"]
"""Why a phase began: the plan started; cold's days ran out; heat made it worse or did not help (a
switch, named by its event kind); cold after a switch ran its hours and heat comes back."""
PHASE_REASONS: Final[frozenset[str]] = frozenset(get_args(PhaseReason))


def is_switch(word: str) -> TypeGuard[SwitchKind]:
    """Whether `word` (an event kind, or a button pressed) gives heat up for cold."""
    return word in SWITCH_KINDS


def is_session_kind(word: str) -> TypeGuard[SessionKind]:
    return word in SESSION_KINDS
