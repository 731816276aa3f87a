"""Warning signs: the careful reader, over the issue's examples and a corpus of everyday phrasings."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from therapy_timer import signs
from therapy_timer.cli import SIGN_NAMES

CORPUS = Path(__file__).parent / "data" / "symptom_corpus.tsv"


def corpus() -> list[dict[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def names(text: str) -> list[str]:
    return [sign.name for sign in signs.read(text)]


@pytest.mark.parametrize(
    "text, sign",
    [
        ("cannot feel anything between my legs when I wipe", "saddle"),
        ("I can't hold my urine", "bladder-bowel"),
        ("I wet the bed last night", "bladder-bowel"),
        ("both legs feel heavy and I keep tripping", "leg-weakness"),
        ("numb between my legs", "saddle"),
    ],
)
def test_the_urgent_signs_people_missed_are_read_as_urgent(text, sign):
    assert signs.read(text)[0].name == sign and signs.read(text)[0].level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "tweaked my back lifting a box",
        "fell asleep with the ice pack on",
        "no fever",
        "peeling skin where the heat pad was",
        "sore right buttock",
        "could not fall asleep",
        "driving the car hurts",
        "no numbness at all",
        "not tingling",
    ],
)
def test_everyday_and_negated_words_raise_nothing(text):
    assert names(text) == []


def test_a_burn_or_an_ice_injury_is_a_skin_sign_not_a_nerve():
    assert names("the hot water bottle burned my skin") == ["heat-burn"]
    assert names("skin is numb from the ice") == ["ice-injury"]


def test_leg_pain_below_the_knee_is_a_see_soon_sign():
    assert [s.level for s in signs.read("leg pain below the knee")] == ["see-soon"]


def test_a_named_sign_needs_no_guessing():
    text = signs.record_text(signs.BY_NAME["fever"], "")
    assert names(text) == ["fever"] and "fever" in text


def test_the_command_line_offers_every_sign_by_name():
    assert tuple(s.name for s in signs.SIGNS) == SIGN_NAMES


def test_a_warning_stays_until_acknowledged_and_the_most_serious_shows():
    t = datetime(2026, 11, 24, 9, tzinfo=timezone.utc)
    logged = [(t, "tingling down my leg"), (t + timedelta(hours=1), "I wet the bed"), (t + timedelta(hours=2), "stiff")]
    shown = signs.open_warning(logged, None)
    assert shown is not None and shown.sign.name == "bladder-bowel"
    assert signs.open_warning(logged, t + timedelta(hours=1)) is None
    assert signs.open_warning([(t, "skin is numb from the ice")], None) is None  # skin advice is given at once


def test_the_corpus_misses_no_urgent_sign_and_never_raises_everyday_words_to_urgent():
    rows = corpus()
    assert len(rows) >= 200
    missed = [
        r["text"] for r in rows if r["class"] == "urgent" and "urgent" not in {s.level for s in signs.read(r["text"])}
    ]
    raised = [
        r["text"]
        for r in rows
        if r["class"] in ("everyday", "negated") and "urgent" in {s.level for s in signs.read(r["text"])}
    ]
    assert missed == [] and raised == []


def test_the_corpus_names_the_right_urgent_sign():
    wrong = [
        (r["text"], names(r["text"])) for r in corpus() if r["class"] == "urgent" and r["sign"] not in names(r["text"])
    ]
    assert wrong == []


def test_numbness_between_the_legs_is_one_urgent_sign_not_also_a_nerve_sign():
    assert names("numb between my legs") == ["saddle"]
