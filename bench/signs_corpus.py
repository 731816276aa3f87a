"""Recall and precision of the warning-sign reader per level, over the corpora in tests/data/.

Not a timing: it prints how well free text is read. Two families of corpora:

- the earlier ones (`symptom_corpus*.tsv`: class, sign, text), the first written by the rules'
  author, the other three blind; the reader's regression set (tests/unit/test_signs.py);
- the blind measure of issue 20 (`blind_*.tsv`: level, text), written by someone who saw neither
  the rules nor the earlier corpora, in the guidance's levels (emergency, urgent, doctor, soon,
  skin, none), and split at random before anyone read it: `blind_tune.tsv` to tune on,
  `blind_sealed.tsv` scored once, at the end; `blind_corpus_all.tsv` is both.

The reader's levels map onto the guidance's one to one (see-soon is "soon"). An earlier class
maps by its sign: "see-soon" is "doctor" for the red-flag sign (cancer, weight loss, night pain),
"soon" for the others; "everyday" and "negated" are "none". A line counts as read right when the
reader's most serious sign is at its level; "raised" counts harmless lines read as emergency or
urgent. Targets (issue 20): emergency and urgent recall 0.95 or more, harmless lines raised 3% or
fewer.

Run: python bench/signs_corpus.py [--blind tune|sealed|all] [-v]
(`-v` lists the lines read wrong; never for the sealed half or the whole corpus, which holds it.)
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from therapy_timer import signs

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
EARLIER = (
    "symptom_corpus.tsv",
    "symptom_corpus_independent.tsv",
    "symptom_corpus_heldout.tsv",
    "symptom_corpus_final.tsv",
)
BLIND = {"tune": "blind_tune.tsv", "sealed": "blind_sealed.tsv", "all": "blind_corpus_all.tsv"}
LEVELS = ("emergency", "urgent", "doctor", "soon", "skin", "none")
SERIOUS = ("emergency", "urgent")
READER_LEVEL = {"emergency": "emergency", "urgent": "urgent", "doctor": "doctor", "see-soon": "soon", "skin": "skin"}


def predicted(text: str) -> str:
    """The level the reader gives a line: its most serious sign's level, or "none"."""
    found = signs.read(text)
    if not found:
        return "none"
    level = str(found[0].level)
    if level == "see-soon" and found[0].name == "red-flag":  # a reader from before the doctor level
        return "doctor"
    return READER_LEVEL[level]


def earlier_level(row: dict[str, str]) -> str:
    """An earlier corpus's class, in the guidance's levels."""
    kind = row["class"]
    if kind in ("everyday", "negated"):
        return "none"
    if kind == "see-soon":
        return "doctor" if row["sign"] == "red-flag" else "soon"
    return kind


def rows_of(path: Path) -> list[tuple[str, str]]:
    """(level, text) for each line of a corpus, in either format."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if rows and "level" in rows[0]:
        return [(r["level"], r["text"]) for r in rows]
    return [(earlier_level(r), r["text"]) for r in rows]


class Score:
    """Recall and precision per level, and how many harmless lines were raised to emergency or urgent."""

    def __init__(self, rows: list[tuple[str, str]], read: Callable[[str], str] = predicted) -> None:
        self.rows = rows
        self.truth = [level for level, _ in rows]
        self.guess = [read(text) for _, text in rows]

    def recall(self, level: str) -> float | None:
        """The share of the lines at `level` read at it (None: the corpus has none)."""
        actual = self.truth.count(level)
        hits = sum(1 for t, g in zip(self.truth, self.guess, strict=True) if t == g == level)
        return hits / actual if actual else None

    def precision(self, level: str) -> float | None:
        """The share of the lines read at `level` that are at it (None: the reader never said it)."""
        said = self.guess.count(level)
        hits = sum(1 for t, g in zip(self.truth, self.guess, strict=True) if t == g == level)
        return hits / said if said else None

    def serious_recall(self, level: str) -> float | None:
        """Of the lines at `level`, the share read as emergency or urgent (either gets help at once)."""
        actual = [g for t, g in zip(self.truth, self.guess, strict=True) if t == level]
        return sum(1 for g in actual if g in SERIOUS) / len(actual) if actual else None

    def raised(self) -> tuple[int, int]:
        harmless = [g for t, g in zip(self.truth, self.guess, strict=True) if t == "none"]
        return sum(1 for g in harmless if g in SERIOUS), len(harmless)

    def wrong(self) -> list[tuple[str, str, str]]:
        return [(t, g, text) for (t, text), g in zip(self.rows, self.guess, strict=True) if t != g]

    def lines(self) -> list[str]:
        out = [f"{len(self.rows)} lines: {dict(Counter(self.truth))}"]
        out.append(f"{'level':<10} {'recall':>7} {'precision':>10} {'read as emergency or urgent':>28}")
        for level in LEVELS:
            serious = f"{figure(self.serious_recall(level)):>28}" if level in SERIOUS else ""
            out.append(f"{level:<10} {figure(self.recall(level)):>7} {figure(self.precision(level)):>10}{serious}")
        raised, harmless = self.raised()
        share = raised / harmless if harmless else 0.0
        out.append(f"harmless lines raised to emergency or urgent: {raised} of {harmless} ({share:.1%})")
        return out

    def meets_targets(self) -> bool:
        raised, harmless = self.raised()
        return all((self.recall(level) or 0.0) >= 0.95 for level in SERIOUS) and raised <= 0.03 * harmless


def figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    if "--blind" in argv:
        which = argv[argv.index("--blind") + 1]
        score = Score(rows_of(DATA / BLIND[which]))
        print(f"== {BLIND[which]}")
        print("\n".join(score.lines()))
        if verbose and which == "tune":
            for want, got, text in score.wrong():
                print(f"  {want:<9} read as {got:<9} {text}")
        print("targets met" if score.meets_targets() else "targets NOT met")
        return 0 if score.meets_targets() else 1
    for name in EARLIER:
        score = Score(rows_of(DATA / name))
        print(f"== {name}")
        print("\n".join(score.lines()))
        if verbose:
            for want, got, text in score.wrong():
                print(f"  {want:<9} read as {got:<9} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
