"""The recovery report as text for a terminal, and the whole record as CSV for a spreadsheet.

Presenters of `recovery_report.Report` (the data) and of the logged events; `report_html` shares
their words for days, moments, switches and checks.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from therapy_timer.recovery_report import Check, Report
from therapy_timer.safe_text import visible
from therapy_timer.vocabulary import SwitchKind

if TYPE_CHECKING:
    from therapy_timer.store import LoggedEvent

SWITCH_SAYS: dict[SwitchKind, str] = {"heat-worse": "heat made it worse", "heat-no-help": "heat did not help"}


def check_said(found: Check) -> str:
    """A check's answer in words: "none of the signs" or the signs said yes to, and where it came from."""
    said = "; ".join(found.signs) if found.signs else "none of the warning signs"
    where = {"notification": " (from the daily check-in)", "command": " (typed)"}.get(found.source or "", "")
    return said + where


def day_name(day: date) -> str:
    """ "Mon 2 Nov": a day as people name it."""
    return f"{day:%a} {day.day} {day:%b}"


def moment(at: datetime, zone: tzinfo) -> str:
    local = at.astimezone(zone)
    return f"{day_name(local.date())} {local:%H:%M}"


def number(value: int | None) -> str:
    return "-" if value is None else str(value)


def headline(report: Report, zone: tzinfo) -> list[str]:
    if report.ended_at is None:
        state = f"running since {moment(report.started_at, zone)}"
    else:
        state = f"from {moment(report.started_at, zone)} to {moment(report.ended_at, zone)}"
        if report.end_reason:
            state += f" ({report.end_reason})"
    return [f"Recovery report, plan {report.plan_id}: injured {moment(report.injured_at, zone)}.", f"Plan {state}."]


def pain_summary(report: Report) -> str:
    if not report.pain:
        return "Pain: none logged (therapy-timer log pain N)."
    return f"Pain: {report.trend}  {pain_scores([p.score for p in report.pain])}."


def pain_scores(scores: Sequence[int]) -> str:
    """ "first 7, lowest 5, highest 8, last 6 out of 10, 4 entries": one score, or one value, said once."""
    entries = "1 entry" if len(scores) == 1 else f"{len(scores)} entries"
    if min(scores) == max(scores):
        each = "" if len(scores) == 1 else " each time"
        return f"{scores[0]} out of 10{each}, {entries}"
    first, lowest, highest, last = scores[0], min(scores), max(scores), scores[-1]
    return f"first {first}, lowest {lowest}, highest {highest}, last {last} out of 10, {entries}"


ROW = "{:10} {:>7} {:>4} {:>7} {:>6} {:>7}  {:>5} {:>3} {:>4} {:>4}  {:>4}  {:>5}"
"""One day of the text report: 80 columns at most."""


ANSWERED_FROM = {"notification": " (from the notification)", "phone": " (from the phone)"}


def text_lines(report: Report, zone: tzinfo) -> list[str]:
    """The report for a terminal: a headline, the pain trend, one line per day, then what was logged."""
    out = [*headline(report, zone), pain_summary(report), ""]
    out.append(f"{'':10} {' sessions ':-^35}  {' pain ':-^19}")
    out.append(ROW.format("day", "planned", "done", "skipped", "missed", "to come", "first", "low", "high", "last",
                          "cold", "signs"))  # fmt: skip
    for d in report.days:
        s = d.sessions
        pain = (d.pain_first, d.pain_lowest, d.pain_highest, d.pain_last)
        out.append(ROW.format(day_name(d.date), *s, *map(number, pain), d.back_to_cold, d.signs))
    t, scores = report.totals, [p.score for p in report.pain]
    pain = (scores[0], min(scores), max(scores), scores[-1]) if scores else (None,) * 4
    switched = sum(d.back_to_cold for d in report.days)
    out.append(ROW.format("all days", *t, *map(number, pain), switched, sum(d.signs for d in report.days)))
    out.append("cold: switches back to cold; signs: symptoms that match a listed warning sign.")
    if report.switches:
        out += ["", "Back to cold:"]
        out += [
            f"  {moment(s.at, zone)}  {SWITCH_SAYS.get(s.kind, s.kind)}"
            + ("" if s.changed else " (cold already)")
            + (ANSWERED_FROM.get(s.source or "", ""))
            for s in report.switches
        ]
    out += ["", f"Warning-sign checks answered: {len(report.checks)}" + (":" if report.checks else ".")]
    out += [f"  {moment(c.at, zone)}  {check_said(c)}" for c in report.checks]
    if report.symptoms:
        out += ["", "Symptoms logged:"]
        for entry in report.symptoms:
            out.append(f"  {moment(entry.at, zone)}  {indented(entry.text)}")
            out += [f"{'':20}matches a listed sign: {label}" for label in entry.signs]
    if report.notes:
        out += ["", "Notes:"]
        out += [
            f"  {moment(n.at, zone)}  " + ("(with a pain score) " if n.kind == "pain" else "") + indented(n.text)
            for n in report.notes
        ]
    return out


def indented(text: str) -> str:
    """Typed text for the terminal: control characters escaped, later lines under the first."""
    return visible(text).replace("\n", "\n" + " " * 20)


# CSV --------------------------------------------------------------------------------------------

CSV_COLUMNS = ("time", "kind", "plan", "session", "score", "minutes", "text", "source")
FORMULA = re.compile(r"(?:^|[,;\t\r\n\"'] *)[=+\-@\t\r]")
"""Where a spreadsheet could read a formula: a cell that starts with =, +, -, @, a tab or a carriage
return, or such a character after a separator or a quote (where a reader that splits differently
would start a new cell), as OWASP's CSV injection guidance lists them."""


def defused(text: str) -> str:
    """A free-text cell as a spreadsheet must read it, as text: with a single quote in front where
    it could be read as a formula ("-2 after the walk", "=HYPERLINK(...)"), as OWASP advises."""
    return "'" + text if FORMULA.search(text) else text


def csv_text(events: Iterable[LoggedEvent], zone: tzinfo) -> str:
    """Every event as a spreadsheet row (times in local ISO 8601 with their offset).

    Every cell is quoted, and the free text (notes, symptoms) is `defused`: a spreadsheet shows it
    and never runs it as a formula. Otherwise the text is exactly as recorded (`--json` is exact).
    """
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        minutes = "" if e.minutes is None else f"{e.minutes:g}"
        writer.writerow(
            (
                e.at.astimezone(zone).isoformat(timespec="seconds"),
                e.kind,
                "" if e.plan_id is None else e.plan_id,
                e.session or "",
                "" if e.score is None else e.score,
                minutes,
                defused(e.text or ""),
                e.source or "",
            )
        )
    return out.getvalue()
