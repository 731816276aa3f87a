"""Recall and precision of the warning-sign reader per class, over each corpus in tests/data/.

Not a timing: it prints how well free text is read. Urgent recall must be 1.0 (no urgent sign
missed) and no everyday or negated line may be raised to urgent; the other figures are for review.
Two corpora: `symptom_corpus.tsv`, written by the developer who wrote the rules (so it flatters
them), and `symptom_corpus_independent.tsv`, written blind by someone who never saw the rules or
the first corpus. `-v` lists every line read wrong.
Run: python bench/signs_corpus.py [-v]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from therapy_timer import signs

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CORPORA = (
    "symptom_corpus.tsv",
    "symptom_corpus_independent.tsv",
    "symptom_corpus_heldout.tsv",
    "symptom_corpus_final.tsv",
)


def predicted(text: str) -> str:
    """The class the reader gives a line: its most serious sign's level, or "none"."""
    found = signs.read(text)
    return found[0].level if found else "none"


def main() -> int:
    verbose = "-v" in sys.argv
    return max(report(DATA / name, verbose) for name in CORPORA)


def report(corpus: Path, verbose: bool) -> int:
    with corpus.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    print(f"== {corpus.name}")
    truth = [("none" if r["class"] in ("everyday", "negated") else r["class"]) for r in rows]
    guess = [predicted(r["text"]) for r in rows]
    print(f"{len(rows)} phrasings: {dict(Counter(r['class'] for r in rows))}")
    print(f"{'class':<10} {'recall':>7} {'precision':>10}")
    for label in ("urgent", "see-soon", "skin", "none"):
        hits = sum(1 for t, g in zip(truth, guess, strict=True) if t == g == label)
        actual, said = truth.count(label), guess.count(label)
        recall = hits / actual if actual else 1.0
        precision = hits / said if said else 1.0
        print(f"{label:<10} {recall:>7.3f} {precision:>10.3f}")
    raised = sum(1 for r, g in zip(rows, guess, strict=True) if r["class"] in ("everyday", "negated") and g == "urgent")
    missed = sum(1 for t, g in zip(truth, guess, strict=True) if t == "urgent" and g != "urgent")
    print(f"urgent missed: {missed}; everyday or negated raised to urgent: {raised}")
    if verbose:
        for r, want, got in zip(rows, truth, guess, strict=True):
            if want != got:
                print(f"  {r['class']:<9} {r['sign']:<14} read as {got:<9} {r['text']}")
    return 1 if missed or raised else 0


if __name__ == "__main__":
    sys.exit(main())
