"""The recovery report as one printable HTML page, for a physiotherapist.

Self-contained on purpose: inline CSS and an inline SVG chart, no script, no font, no image and no
link to fetch, so the page reads the same offline, in a mail attachment or on paper (A4). Every
piece of text the user typed is escaped. Pure: a `Report` in, a string out.
"""

from __future__ import annotations

import itertools
import math
import re
from datetime import datetime, timedelta, tzinfo
from html import escape

from therapy_timer import __version__, wording
from therapy_timer.protocol import midnight
from therapy_timer.recovery_report import Report, Tally
from therapy_timer.report_text import SWITCH_SAYS, check_said, day_name, moment

# The chart's drawing area, in SVG units (it scales to the page's width).
WIDTH, HEIGHT = 720, 330
LEFT, RIGHT, TOP, BOTTOM = 34, 712, 40, 266
PHASE_FILL = {"cold": "#d6e9fb", "heat": "#fde3cc"}  # light blue, light orange: both print on white
PHASE_NAME = {"cold": "cold phase (ice)", "heat": "moist heat phase"}
SWITCH_COLOUR = "#b42318"
PAIN_COLOUR = "#1d3f8f"

STYLE = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111; background: #fff;
       max-width: 186mm; margin: 0 auto; }
@media screen { body { padding: 12px; } }
h1 { font-size: 16pt; margin: 0 0 4px; }
h2 { font-size: 12pt; margin: 16px 0 6px; padding-bottom: 2px; border-bottom: 1px solid #999; }
p { margin: 4px 0; }
.meta { color: #333; }
svg.chart { display: block; width: 100%; height: auto; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #aaa; padding: 2px 3px; text-align: right; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; }
.text, th.text { text-align: left; }
td.text { white-space: pre-wrap; overflow-wrap: anywhere; }
td.day { white-space: nowrap; text-align: left; }
ul { margin: 4px 0; padding-left: 18px; }
ul.switches { list-style: none; padding-left: 4px; }
pre { font-size: 8.5pt; margin: 2px 0 6px; white-space: pre-wrap; }
.advice { margin-top: 18px; padding-top: 6px; border-top: 1px solid #999; font-size: 9pt; }
"""


def page(report: Report, zone: tzinfo) -> str:
    """The whole page: heading, chart, day-by-day table, what was logged, settings, the advice line."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Recovery report, plan {report.plan_id}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>Recovery report</h1>",
        f'<p class="meta">{escape(meta(report, zone))}</p>',
        f"<p>{escape(summary(report))}</p>",
        "<h2>Pain over time</h2>",
        chart(report, zone),
        "<h2>Sessions and pain, day by day</h2>",
        table(report),
        "<h2>Back to cold</h2>",
        switches(report, zone),
        "<h2>Symptoms and warning signs</h2>",
        symptoms(report, zone),
        "<h2>Warning-sign checks</h2>",
        checks(report, zone),
        "<h2>Notes</h2>",
        notes(report, zone),
        "<h2>Settings</h2>",
        settings(report, zone),
        f'<p class="advice">{escape(wording.NOT_ADVICE)}</p>',
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def meta(report: Report, zone: tzinfo) -> str:
    if report.ended_at is None:
        plan = f"running since {moment(report.started_at, zone)}"
    else:
        plan = f"from {moment(report.started_at, zone)} to {moment(report.ended_at, zone)}"
        plan += f" ({report.end_reason})" if report.end_reason else ""
    where = f", times in {report.zone}" if report.zone else ""
    return (
        f"Plan {report.plan_id}: injured {moment(report.injured_at, zone)}; plan {plan}. "
        f"Made {moment(report.made_at, zone)} by therapy-timer {__version__}{where}."
    )


def summary(report: Report) -> str:
    t = report.totals
    out = f"{t.planned} {'session' if t.planned == 1 else 'sessions'} planned: {t.done} done, {t.skipped} skipped, "
    out += f"{t.missed} missed" + (f", {t.ahead} still to come." if t.ahead else ".")
    if report.pain:
        scores = [p.score for p in report.pain]
        if len(scores) == 1:
            out += f" Pain was {scores[0]} out of 10 (1 score)."
        elif min(scores) == max(scores):
            out += f" Pain was {scores[0]} out of 10 each time ({len(scores)} scores)."
        else:
            out += (
                f" Pain went from {scores[0]} to {scores[-1]} out of 10 (lowest {min(scores)}, highest"
                f" {max(scores)}, {len(scores)} scores)."
            )
    else:
        out += " No pain scores were logged."
    switched = sum(1 for s in report.switches if s.changed)
    out += f" Back to cold: {switched} {'time' if switched == 1 else 'times'}."
    signs = sum(1 for s in report.symptoms if s.signs)
    if signs:
        out += f" Symptoms matching a listed warning sign: {signs}."
    return out


# The chart ----------------------------------------------------------------------------------------


def chart(report: Report, zone: tzinfo) -> str:
    """Pain (0-10) over the plan's days, on the cold and heat phases, with each switch back to cold."""
    first, last = midnight(report.days[0].date, zone), midnight(report.days[-1].date + timedelta(days=1), zone)
    span = (last - first).total_seconds()  # a day that changes the clocks is 23 or 25 hours wide

    def x(at: datetime) -> float:
        return round(LEFT + (RIGHT - LEFT) * (at - first).total_seconds() / span, 1)

    def y(score: float) -> float:
        return round(BOTTOM - (BOTTOM - TOP) * score / 10, 1)

    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        ' font-family="DejaVu Sans, Arial, sans-serif" font-size="10">',
        f"<title>Pain from 0 to 10 over the days of plan {report.plan_id}</title>",
    ]
    for phase in report.phases:
        out.append(
            f'<rect class="phase {phase.mode}" x="{x(phase.start)}" y="{TOP}"'
            f' width="{round(x(phase.end) - x(phase.start), 1)}" height="{BOTTOM - TOP}"'
            f' fill="{PHASE_FILL[phase.mode]}"/>'
        )
    for score in range(0, 11, 2):
        out.append(f'<line x1="{LEFT}" y1="{y(score)}" x2="{RIGHT}" y2="{y(score)}" stroke="#ccc" stroke-width="0.6"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(score) + 3.5}" text-anchor="end" fill="#333">{score}</text>')
    every = math.ceil(64 / ((RIGHT - LEFT) / len(report.days)))  # a day's label needs about 64 units
    for index, day in enumerate(report.days):
        left = x(midnight(day.date, zone))
        out.append(
            f'<line class="midnight" x1="{left}" y1="{TOP}" x2="{left}" y2="{BOTTOM + 4}" stroke="#999"'
            ' stroke-width="0.6"/>'
        )
        if index % every == 0 and left + 64 <= WIDTH:  # no label cut off at the right edge
            out.append(f'<text x="{left + 3:.1f}" y="{BOTTOM + 16}" fill="#333">{escape(day_name(day.date))}</text>')
    out.append(f'<line x1="{RIGHT}" y1="{TOP}" x2="{RIGHT}" y2="{BOTTOM + 4}" stroke="#999" stroke-width="0.6"/>')
    out.append(f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="#555" stroke-width="0.8"/>')
    marks = [x(s.at) for s in report.switches if s.changed]
    texts_fit = all(b - a > 200 for a, b in itertools.pairwise(marks))  # two rows of labels ~190 units long
    for number, (at, mark) in enumerate(zip(marks, (s for s in report.switches if s.changed), strict=True), 1):
        label_y = TOP - 22 + 12 * ((number - 1) % 2)  # alternate rows, so close marks stay readable
        out.append(
            f'<line class="switch" x1="{at}" y1="{label_y + 3}" x2="{at}" y2="{BOTTOM}" stroke="{SWITCH_COLOUR}"'
            ' stroke-width="1.4" stroke-dasharray="4 2"/>'
        )
        said = f"back to cold: {SWITCH_SAYS.get(mark.kind, mark.kind)}" if texts_fit else str(number)
        anchor = "end" if texts_fit and at > RIGHT - 200 else "start"
        shift = -3 if anchor == "end" else 3
        out.append(
            f'<text class="switch-label" x="{round(at + shift, 1)}" y="{label_y}" text-anchor="{anchor}"'
            f' fill="{SWITCH_COLOUR}">{escape(said)}</text>'
        )
    if report.pain:
        points = " ".join(f"{x(p.at)},{y(p.score)}" for p in report.pain)
        out.append(
            f'<polyline class="pain-line" points="{points}" fill="none" stroke="{PAIN_COLOUR}" stroke-width="1.5"/>'
        )
        for p in report.pain:
            out.append(
                f'<circle class="pain-point" cx="{x(p.at)}" cy="{y(p.score)}" r="3.5" fill="{PAIN_COLOUR}">'
                f"<title>{escape(moment(p.at, zone))}: {p.score}/10</title></circle>"
            )
    else:
        out.append(
            f'<text x="{(LEFT + RIGHT) / 2}" y="{(TOP + BOTTOM) / 2}" text-anchor="middle" fill="#555">'
            "No pain scores logged (therapy-timer log pain N).</text>"
        )
    out += legend()
    out.append("</svg>")
    return "\n".join(out)


def legend() -> list[str]:
    top = HEIGHT - 24
    out = [f'<g class="legend" transform="translate({LEFT},{top})">']
    left = 0
    for mode in ("cold", "heat"):
        out.append(
            f'<rect x="{left}" y="0" width="14" height="10" fill="{PHASE_FILL[mode]}"'
            ' stroke="#999" stroke-width="0.5"/>'
        )
        out.append(f'<text x="{left + 19}" y="9">{PHASE_NAME[mode]}</text>')
        left += 150
    out.append(f'<circle cx="{left + 6}" cy="5" r="3.5" fill="{PAIN_COLOUR}"/>')
    out.append(f'<text x="{left + 15}" y="9">pain score (0 none, 10 worst)</text>')
    left += 190
    out.append(
        f'<line x1="{left}" y1="-2" x2="{left}" y2="12" stroke="{SWITCH_COLOUR}" stroke-width="1.4"'
        ' stroke-dasharray="4 2"/>'
    )
    out.append(f'<text x="{left + 6}" y="9">switch back to cold</text>')
    out.append("</g>")
    return out


# The tables and lists -------------------------------------------------------------------------------


def cell(value: int | None) -> str:
    return "<td>" + ("&ndash;" if value is None else str(value)) + "</td>"


def share(t: Tally) -> str:
    return "<td>&ndash;</td>" if not t.planned else f"<td>{t.done}/{t.planned}</td>"


def table(report: Report) -> str:
    head = (
        "<thead><tr>"
        '<th class="text" rowspan="2">Day</th><th colspan="3">Done / planned</th><th colspan="5">All sessions</th>'
        '<th colspan="4">Pain (0-10)</th><th rowspan="2">Back to cold</th><th rowspan="2">Warning signs</th></tr>'
        "<tr><th>Ice</th><th>Heat</th><th>Walks</th><th>Planned</th><th>Done</th><th>Skipped</th><th>Missed</th>"
        "<th>To come</th><th>First</th><th>Low</th><th>High</th><th>Last</th></tr></thead>"
    )
    rows = []
    for d in report.days:
        s = d.sessions
        rows.append(
            f'<tr><td class="day">{escape(day_name(d.date))}</td>'
            + "".join(share(d.by_kind[kind]) for kind in ("ice", "heat", "walk"))
            + "".join(cell(n) for n in (s.planned, s.done, s.skipped, s.missed, s.ahead))
            + "".join(cell(n) for n in (d.pain_first, d.pain_lowest, d.pain_highest, d.pain_last))
            + cell(d.back_to_cold)
            + cell(d.signs)
            + "</tr>"
        )
    return f"<table>{head}<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"


def switches(report: Report, zone: tzinfo) -> str:
    """Every report that heat made it worse or did not help; those that switched are numbered as on the chart."""
    if not report.switches:
        return "<p>No report that heat made things worse or did not help.</p>"
    items, number = [], 0
    for s in report.switches:
        said = f"{escape(moment(s.at, zone))}: {escape(SWITCH_SAYS.get(s.kind, s.kind))}"
        if s.changed:
            number += 1
            items.append(f"<li>{number}. {said}; back to cold</li>")
        else:
            items.append(f"<li>{said} (cold was in force already; nothing changed)</li>")
    return '<ul class="switches">' + "".join(items) + "</ul>"


def symptoms(report: Report, zone: tzinfo) -> str:
    if not report.symptoms:
        return "<p>No symptoms logged.</p>"
    rows = [
        f'<tr><td class="text">{escape(moment(s.at, zone))}</td><td class="text">{escape(s.text)}</td>'
        f'<td class="text">{escape("; ".join(s.signs)) if s.signs else "&ndash;"}</td></tr>'
        for s in report.symptoms
    ]
    head = (
        '<thead><tr><th class="text">When</th><th class="text">As logged</th>'
        '<th class="text">Listed sign it matches</th></tr></thead>'
    )
    return f"<table>{head}<tbody>" + "".join(rows) + "</tbody></table>"


def checks(report: Report, zone: tzinfo) -> str:
    """Each answer to the warning-sign questions: at the start, typed, or at the daily check-in."""
    if not report.checks:
        return "<p>No warning-sign check answered.</p>"
    rows = [
        f'<tr><td class="text">{escape(moment(c.at, zone))}</td><td class="text">{escape(check_said(c))}</td></tr>'
        for c in report.checks
    ]
    head = '<thead><tr><th class="text">When</th><th class="text">Answer</th></tr></thead>'
    return f"<table>{head}<tbody>" + "".join(rows) + "</tbody></table>"


def notes(report: Report, zone: tzinfo) -> str:
    if not report.notes:
        return "<p>No notes logged.</p>"
    rows = [
        f'<tr><td class="text">{escape(moment(n.at, zone))}</td>'
        f'<td class="text">{"with a pain score: " if n.kind == "pain" else ""}{escape(n.text)}</td></tr>'
        for n in report.notes
    ]
    return (
        '<table><thead><tr><th class="text">When</th><th class="text">Note</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def settings(report: Report, zone: tzinfo) -> str:
    """The settings the plan began with, then each change from its moment (whole numbers without ".0")."""
    out = []
    for index, change in enumerate(report.settings):
        when = escape(moment(change.at, zone))
        out.append(f"<p>In force from the start ({when}):</p>" if index == 0 else f"<p>Changed {when}:</p>")
        shown = [re.sub(r" = (\d+)\.0$", r" = \1", line) for line in change.lines]
        out.append("<pre>" + escape("\n".join(shown)) + "</pre>")
    return "\n".join(out) or "<p>No settings recorded.</p>"
