"""The words the record is written in (`vocabulary`): they never change, they are the only ones the
store writes, and the old names the modules used for them still import."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

from tests.helpers import BERLIN, H, M, utc
from therapy_timer import usecases, vocabulary
from therapy_timer.settings import Config
from therapy_timer.vocabulary import EVENT_KINDS, PHASE_REASONS, SESSION_KINDS

# Spelt out once more, as the record was written before there was a vocabulary: a word renamed,
# dropped or added there has to be changed here too, on purpose (old databases hold these words).
WRITTEN = {
    "PLAN_START": "plan-start",
    "PLAN_END": "plan-end",
    "SETTINGS": "settings",
    "DONE": "done",
    "SKIP": "skip",
    "SNOOZE": "snooze",
    "HEAT_WORSE": "heat-worse",
    "HEAT_NO_HELP": "heat-no-help",
    "TRY_HEAT": "try-heat-again",
    "PAIN": "pain",
    "SYMPTOM": "symptom",
    "NOTE": "note",
    "CHECK": "check",
    "SIGNS_ACK": "signs-ack",
}


def test_every_event_kind_has_its_name_and_is_the_word_the_record_was_written_in():
    assert {name: getattr(vocabulary, name) for name in WRITTEN} == WRITTEN
    assert frozenset(WRITTEN.values()) == EVENT_KINDS
    assert len(get_args(vocabulary.EventKind)) == len(EVENT_KINDS)  # no word twice


def test_the_other_words_are_the_ones_stored_and_shown():
    assert {"plan-start", "cold-over", "heat-worse", "heat-no-help", "heat-again"} == PHASE_REASONS
    assert {"ice", "heat", "walk"} == SESSION_KINDS
    assert get_args(vocabulary.Mode) == ("cold", "heat")
    assert get_args(vocabulary.Source) == ("command", "notification", "phone")
    assert get_args(vocabulary.EndReason) == ("replaced", "stopped", "recovered")
    assert get_args(vocabulary.ReminderOutcome) == ("fired", "missed")
    assert vocabulary.ANSWERS == ("done", "skip") and vocabulary.SWITCH_KINDS == ("heat-worse", "heat-no-help")
    assert set(get_args(vocabulary.Answer)) | set(get_args(vocabulary.SwitchKind)) <= EVENT_KINDS
    assert set(get_args(vocabulary.LogKind)) <= EVENT_KINDS
    assert set(get_args(vocabulary.SwitchKind)) <= PHASE_REASONS  # a switch opens the cold phase it causes


def test_the_vocabulary_imports_nothing_but_typing():
    """Every command loads it (`status` too, through the protocol): it must stay free to import."""
    tree = ast.parse(Path(vocabulary.__file__).read_text(encoding="utf-8"))
    imported = {
        *(alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names),
        *(node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)),
    }
    assert imported == {"__future__", "typing"}


# What the use cases write ------------------------------------------------------------------------------

INJURED = utc(2026, 11, 20, 8, 0)  # three days before: the plan starts in heat
STARTED = utc(2026, 11, 23, 9, 0)  # Monday, 10:00 in Berlin


def test_a_recovery_lived_through_every_use_case_is_recorded_in_the_vocabularys_words_and_uses_them_all(store):
    """Every kind the store is given comes from the list, and every word of the list is written by
    some use case (none is left over, none is missing); so are the phase reasons of the plans."""
    timelines = []

    def deps(at):
        return usecases.Deps(store, at, BERLIN, Config())

    def sessions_now(at):
        timelines.append(usecases.timeline_of(deps(at), at + 4 * 24 * H))
        return timelines[-1]

    started = usecases.start(deps(STARTED), INJURED, STARTED, False, "Europe/Berlin")
    usecases.check(deps(STARTED + M), [])
    usecases.check(deps(STARTED + 2 * M), ["saddle"])
    usecases.acknowledge_signs(deps(STARTED + 3 * M))
    usecases.log_entry(deps(STARTED + 4 * M), "pain", STARTED + 4 * M, score=6, text="sharp")
    usecases.log_entry(deps(STARTED + 5 * M), "symptom", STARTED + 5 * M, text="stiff in the morning")
    usecases.log_entry(deps(STARTED + 6 * M), "note", STARTED + 6 * M, text="slept on the floor")
    first = sessions_now(STARTED).sessions[0]
    usecases.answer(deps(first.end), "done", first.end, session_key=first.key, source="notification")
    # heat did not help (from the phone), then, back in heat, made it worse: heat waits for the person's word
    usecases.press(deps(STARTED + 3 * H), started.plan_id, "k/on", "k", "heat-no-help", source="phone")
    back = next(p for p in sessions_now(STARTED + 3 * H).phases if p.reason == "heat-again")
    usecases.switch(deps(back.start + M), "heat-worse", back.start + M)
    usecases.try_heat_again(deps(back.start + 2 * H), back.start + 2 * H)
    later = next(s for s in sessions_now(back.start + 3 * H).sessions if s.start > back.start + 3 * H)
    usecases.snooze(deps(later.start + M), 5, key=f"{later.key}/on")
    walk = next(s for s in sessions_now(later.start).sessions if s.kind == "walk" and s.start > later.start)
    usecases.answer(deps(walk.start + M), "skip", walk.start + M, session_key=walk.key)
    usecases.end(deps(walk.start + 3 * M), "recovered")
    again = walk.start + 4 * M  # a new injury: cold first, then heat when its days run out
    usecases.start(deps(again), again, again, False, "Europe/Berlin")
    usecases.start(deps(again + M), again, again + M, True, "Europe/Berlin")  # corrected at once: replaced
    sessions_now(again + M)

    written = store.events()
    assert {e.kind for e in written} == EVENT_KINDS
    assert {e.source for e in written} == {None, *get_args(vocabulary.Source)}
    assert {p.reason for t in timelines for p in t.phases} == PHASE_REASONS
    assert {s.opens for t in timelines for s in t.sessions} <= {"", *PHASE_REASONS}
    assert {s.kind for t in timelines for s in t.sessions} == SESSION_KINDS
    assert {plan.end_reason for plan in (store.plan(1), store.plan(2))} == {"recovered", "replaced"}
