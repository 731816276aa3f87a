"""The recovery report's data: what a plan asked for, what was done, and how the pain went, day by day.

Pure: `build` turns a plan, its timeline, its logged events, the settings in force, "now" and the
zone into a `Report` (NamedTuples, so `--json` is `json_views.result` of it). `report_text` words it
for a terminal and writes the whole record as CSV; `report_html` draws it as a page. Loaded only by
`therapy-timer report`.

How the counts are made (the issue leaves these open; the README says the same):
- a day is a calendar day in the plan's zone, from the plan's first day (or the first entry logged
  for it, if earlier) to the day it ended, or today;
- a session is *done* or *skipped* by its first answer; a heat session during which heat was reported
  to make things worse or not to help counts as done (the heat was on); an unanswered session that
  ended before the report's end (the plan's end, or now) is *missed*; the rest are *to come*;
- a switch back to cold is a report that took the plan back to cold (as `status` counts them); a
  report made while cold was in force already is listed, marked as changing nothing;
- a warning-sign check is an answer to the questions (at `start`, by `check`, or from the daily
  check-in's button): counted on its day, and listed with what it said and where it came from.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from therapy_timer import reminders, signs
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.protocol import Timeline
from therapy_timer.vocabulary import CHECK, LogKind, Source, SwitchKind, is_switch

if TYPE_CHECKING:
    from therapy_timer.store import LoggedEvent, StoredPlan

KINDS = ("ice", "heat", "walk")
BARS = "▁▂▃▄▅▆▇█"
TREND_WIDTH = 60
"""At most this many characters of pain trend: longer records are shown as the mean of equal runs."""


class Tally(NamedTuple):
    """Sessions of a day (or of one kind, or of the whole plan): planned = done + skipped + missed + ahead."""

    planned: int = 0
    done: int = 0
    skipped: int = 0
    missed: int = 0
    ahead: int = 0  # not over yet when the report was made (or still running when the plan ended)

    def plus(self, other: Tally) -> Tally:
        return Tally(*(a + b for a, b in zip(self, other, strict=True)))


class Pain(NamedTuple):
    at: datetime
    score: int
    note: str | None


class SwitchMark(NamedTuple):
    at: datetime
    kind: SwitchKind
    changed: bool  # False: cold was in force already, so it only stands in the record
    source: Source | None = None  # None: recorded before sources were


class Logged(NamedTuple):
    """A symptom or a note, with the listed warning signs a symptom matches (their labels)."""

    at: datetime
    kind: LogKind  # "pain": a note given with a pain score
    text: str
    signs: tuple[str, ...]


class Span(NamedTuple):
    mode: str  # "cold" or "heat"
    start: datetime
    end: datetime


class Day(NamedTuple):
    date: date
    sessions: Tally
    by_kind: dict[str, Tally]
    pain_entries: int
    pain_first: int | None
    pain_lowest: int | None
    pain_highest: int | None
    pain_last: int | None
    back_to_cold: int
    signs: int  # symptoms logged that match a listed warning sign
    checks: int = 0  # warning-sign checks answered (the daily check-in, `check`, the start screening)


class Check(NamedTuple):
    """A warning-sign check answered: "none", or the names of the signs said yes to."""

    at: datetime
    answer: str
    signs: tuple[str, ...]  # the labels of the signs said yes to (none for "none")
    source: Source | None  # "command" (typed, or at `start`) or "notification" (the check-in's button)


class SettingsChange(NamedTuple):
    at: datetime
    lines: tuple[str, ...]  # "section.key = value": all of them first, then only what changed


class Report(NamedTuple):
    plan_id: int
    injured_at: datetime
    started_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    until: datetime  # the end of what the report covers: the plan's end, or now
    made_at: datetime
    zone: str | None
    days: list[Day]
    totals: Tally
    pain: list[Pain]
    trend: str
    phases: list[Span]
    switches: list[SwitchMark]
    symptoms: list[Logged]
    notes: list[Logged]
    settings: list[SettingsChange]
    checks: tuple[Check, ...] = ()


def build(
    stored: StoredPlan,
    timeline: Timeline,
    logged: Sequence[LoggedEvent],
    settings: Sequence[tuple[datetime, str]],
    now: datetime,
    zone: tzinfo,
    zone_name: str | None = None,
) -> Report:
    """The report on `stored` as of `now`; `settings` are the recorded settings texts, oldest first;
    `zone_name` is how the zone is recorded (`clock.zone_key`), for the report to name it."""
    plan = stored.plan
    until = min(plan.ended_at, now) if plan.ended_at else now
    answers = reminders.outcomes(logged)
    switches = switch_marks(timeline, logged)
    worked = heat_reported_on(timeline, switches)
    pain = [Pain(e.at, e.score, e.text) for e in logged if e.kind == "pain" and e.score is not None]
    symptoms = [symptom(e.at, e.text or "") for e in logged if e.kind == "symptom"]
    notes = [
        Logged(e.at, e.kind, e.text, ())
        for e in logged
        if e.kind in ("note", "pain") and e.text  # a pain score's note is a note too
    ]
    checks = [check(e) for e in logged if e.kind == CHECK]
    first_day = min([plan.started_at, *(e.at for e in logged)]).astimezone(zone).date()
    last_day = until.astimezone(zone).date()
    days = []
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        by_kind = {
            kind: tally(
                (answers.get(s.key) or ("done" if s.key in worked else None), s.end <= until)
                for s in timeline.sessions
                if s.kind == kind and s.start.astimezone(zone).date() == day
            )
            for kind in KINDS
        }
        scores = [p.score for p in pain if p.at.astimezone(zone).date() == day]
        days.append(
            Day(
                date=day,
                sessions=total(by_kind.values()),
                by_kind=by_kind,
                pain_entries=len(scores),
                pain_first=scores[0] if scores else None,
                pain_lowest=min(scores, default=None),
                pain_highest=max(scores, default=None),
                pain_last=scores[-1] if scores else None,
                back_to_cold=sum(1 for s in switches if s.changed and s.at.astimezone(zone).date() == day),
                signs=sum(1 for s in symptoms if s.signs and s.at.astimezone(zone).date() == day),
                checks=sum(1 for c in checks if c.at.astimezone(zone).date() == day),
            )
        )
    return Report(
        plan_id=stored.id,
        injured_at=plan.injured_at,
        started_at=plan.started_at,
        ended_at=plan.ended_at,
        end_reason=stored.end_reason,
        until=until,
        made_at=now,
        zone=zone_name,
        days=days,
        totals=total(d.sessions for d in days),
        pain=pain,
        trend=sparkline([p.score for p in pain]),
        phases=[
            Span(p.mode, p.start, min(p.end, until) if p.end else until) for p in timeline.phases if p.start < until
        ],
        switches=switches,
        symptoms=symptoms,
        notes=notes,
        settings=settings_changes(settings, until),
        checks=tuple(checks),
    )


def check(event: LoggedEvent) -> Check:
    """A recorded check, with the labels of the signs it names (a name this version does not know is kept as it is)."""
    answer = event.text or signs.CHECK_NONE
    names = [] if answer == signs.CHECK_NONE else answer.split()
    labels = tuple(signs.BY_NAME[name].label if name in signs.BY_NAME else name for name in names)
    return Check(event.at, answer, labels, event.source)


def switch_marks(timeline: Timeline, logged: Sequence[LoggedEvent]) -> list[SwitchMark]:
    """Every switch logged, each marked with whether it took the plan back to cold.

    A switch of the timeline is one logged report: two logged at the same moment (heat-no-help and
    heat-worse in the same minute) took the plan back to cold once, by the first of them, as the
    timeline applied them; the other only stands in the record.
    """
    unclaimed = Counter((s.at, s.kind) for s in timeline.switches)
    out = []
    for e in logged:
        if is_switch(e.kind):
            changed = unclaimed[(e.at, e.kind)] > 0
            unclaimed[(e.at, e.kind)] -= changed
            out.append(SwitchMark(e.at, e.kind, changed, e.source))
    return out


def heat_reported_on(timeline: Timeline, switches: Sequence[SwitchMark]) -> set[str]:
    """Heat sessions during which heat was reported to make it worse or not to help: the heat was on."""
    return {
        s.key for s in timeline.sessions if s.kind == "heat" and any(s.start <= mark.at <= s.end for mark in switches)
    }


def total(tallies: Iterable[Tally]) -> Tally:
    """The sum of tallies, field by field (`+` on tuples would join them)."""
    found = Tally()
    for one in tallies:
        found = found.plus(one)
    return found


def tally(sessions: Iterable[tuple[str | None, bool]]) -> Tally:
    """Count (answer, over) pairs: an answer counts as it says; no answer is missed once over."""
    total = Tally()
    for answer, over in sessions:
        total = total.plus(
            Tally(
                planned=1,
                done=answer == "done",
                skipped=answer == "skip",
                missed=answer is None and over,
                ahead=answer is None and not over,
            )
        )
    return total


def symptom(at: datetime, text: str) -> Logged:
    """A logged symptom: the words as typed (without the mark of a sign picked by name) and the signs it matches."""
    named = signs.named_sign(text)
    words = text.split("] ", 1)[1] if named and "] " in text else text
    return Logged(at, "symptom", words, tuple(sign.label for sign in signs.read(text)))


def sparkline(scores: Sequence[int]) -> str:
    """Pain scores (0-10) as bars on a fixed scale, so 0 is always the lowest bar and 10 the highest.

    More than `TREND_WIDTH` scores are shown as the means of `TREND_WIDTH` runs of (almost) equal length.
    """
    values: list[float] = list(scores)
    if len(values) > TREND_WIDTH:
        cuts = [round(i * len(values) / TREND_WIDTH) for i in range(TREND_WIDTH + 1)]
        values = [sum(values[a:b]) / (b - a) for a, b in itertools.pairwise(cuts)]
    top = len(BARS) - 1
    return "".join(BARS[int(max(0.0, min(10.0, v)) * top / 10 + 0.5)] for v in values)


def settings_changes(recorded: Sequence[tuple[datetime, str]], until: datetime) -> list[SettingsChange]:
    """The settings in force at the start (every line), then each later change (only the lines that changed)."""
    out: list[SettingsChange] = []
    before: set[str] = set()
    for at, text in recorded:
        if at > until and out:
            break
        lines = text.splitlines()
        changed = tuple(line for line in lines if line not in before) if out else tuple(lines)
        if changed:
            out.append(SettingsChange(at, changed))
        before = set(lines)
    return out


# Text -------------------------------------------------------------------------------------------
