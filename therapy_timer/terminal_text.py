"""Terminal text for the views: short lines a person lying on the floor can read at a glance."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from therapy_timer import wording
from therapy_timer.protocol import SKIN_REST
from therapy_timer.safe_text import visible
from therapy_timer.wording import days, span, when

if TYPE_CHECKING:
    from therapy_timer.protocol import SwitchResult, TryHeatResult
    from therapy_timer.usecases import CalendarExport, CheckResult, EndResult, StartResult

LABEL = {"ice": "ICE ", "heat": "HEAT", "walk": "walk"}


def session_line(s: dict[str, Any], zone: tzinfo, now: datetime) -> str:
    start, end = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
    what = wording.what(s["kind"], s.get("purpose") or "")
    if s.get("outcome"):
        answered = "done" if s["outcome"] == "done" else "skipped"
        return f"{s['kind']} {start.astimezone(zone):%H:%M}-{end.astimezone(zone):%H:%M}, marked {answered}"
    if start <= now < end:
        return (
            f"{s['kind']} until {end.astimezone(zone):%H:%M} ({span((end - now) / timedelta(minutes=1))} left): {what}"
        )
    wait = span((start - now) / timedelta(minutes=1))
    return f"{s['kind']} at {when(start, zone, now)} (in {wait}), {span(s['minutes'])}: {what}"


def status(view: dict[str, Any], zone: tzinfo, now: datetime) -> list[str]:
    if view["phase"] is None:
        return [
            "No active plan. Start one with `therapy-timer start` (see --help for the options).",
            *warning_lines(view.get("warning"), view.get("open_signs")),
        ]
    phase = "cold (ice)" if view["phase"] == "cold" else "moist heat"
    lines = [f"Phase: {phase}, day {view['day']} of recovery (injured {when(view['injured_at'], zone, now)})"]
    if view["heat_on_hold"]:
        lines.append(f"       heat waits until you choose to try it again ({wording.TRY_HEAT_COMMAND})")
    elif view["phase"] == "heat" and view.get("heat_first"):
        lines.append(f"       {wording.HEAT_FIRST}")
    elif view["phase"] == "cold" and view.get("heat_from"):
        lines.append(f"       heat from {when(view['heat_from'], zone, now)}")
    elif view["phase_until"] and view["phase"] != "cold":
        lines.append(f"       cold from {when(view['phase_until'], zone, now)}")
    lines += now_and_next(view, zone, now)
    if view.get("snoozed"):
        snoozed = view["snoozed"]
        lines.append(f'Snoozed: "{snoozed["title"]}" at {when(snoozed["due"], zone, now)}')
    if view.get("next_reminder"):
        upcoming = view["next_reminder"]
        lines.append(f"Next reminder: {when(upcoming['due'], zone, now)} {upcoming['title']}")
    switches = view["switches_back_to_cold"]
    lines.append(
        "Back to cold: " + (", ".join(when(s, zone, now) for s in switches) if switches else "not needed so far")
    )
    pain = view["last_pain"]
    lines.append(
        "Last pain: "
        + (
            f"{pain['score']}/10 at {when(pain['at'], zone, now)}"
            if pain
            else "none logged (`therapy-timer log pain N`)"
        )
    )
    if "daemon_running" in view:
        lines.append(
            "Reminders: "
            + ("running" if view["daemon_running"] else "NOT running; start them with `therapy-timer run`")
        )
    if view["see_doctor"]:
        lines.append(wording.doctor_after_switches(len(switches), view["heat_on_hold"]))
    if view.get("not_better"):
        lines += [
            f"See a doctor or physical therapist. {view['not_better']['advice']}",
            "  (`therapy-timer signs ack` once you have acted on it)",
        ]
    if view.get("screening_done") is False:
        lines.append(SCREENING_LATER)
    return lines + warning_lines(view.get("warning"), view.get("open_signs"))


def warning_lines(warning: dict[str, Any] | None, shown: list[dict[str, Any]] | None = None) -> list[str]:
    """Every logged sign on show, most serious first (`shown`, else the one `warning`), or the
    pointer to the list of signs."""
    shown = shown or ([warning] if warning else [])
    if not shown:
        return ["Warning signs to watch for: `therapy-timer signs`."]
    out = [f"{HEADS[item.get('level') or 'urgent']}: you logged {item['reason']}. {item['advice']}" for item in shown]
    return [*out, "  (`therapy-timer signs ack` once you have acted on " + ("them)" if len(shown) > 1 else "it)")]


HEADS = {
    "emergency": "EMERGENCY",
    "urgent": "GET HELP NOW",
    "doctor": "See a doctor in a day or two",
    "see-soon": "See a doctor soon",
    "skin": "Skin",
}
SCREENING_LATER = (
    "The warning-sign questions were not asked. Answer them with `therapy-timer check` "
    "(or, in a script, `therapy-timer check --none` or `check --sign NAME`)."
)


def now_and_next(view: dict[str, Any], zone: tzinfo, now: datetime) -> list[str]:
    """The two lines that matter most: what to do now, and what comes next."""
    current, off = view["current"], view.get("take_off")
    if current:
        line = session_line(current, zone, now)
    elif off:  # a take-it-off reminder is on screen, unanswered: the pack may still be on
        since = when(off["due"], zone, now)
        line = wording.still_on(off["title"], since)
    else:
        line = "nothing planned; " + wording.meanwhile(view["day"])
    if current and current.get("outcome"):
        line += "; " + wording.meanwhile(view["day"])
    out = ["Now:  " + line]
    if view["next"]:
        out.append("Next: " + session_line(view["next"], zone, now))
    return out


def plan(view: dict[str, Any], zone: tzinfo, now: datetime) -> list[str]:
    lines = [f"Plan from {when(view['from'], zone)} to {when(view['to'], zone)}"]
    for p in view["phases"]:
        if p["end"]:
            until = f" until {when(p['end'], zone)}"
        else:
            until = " until you choose to try heat again" if p["on_hold"] else " until you end the plan"
        chosen = (
            f" ({wording.HEAT_FIRST})"
            if view.get("heat_first") and p["mode"] == "heat" and p["reason"] == "plan-start"
            else ""
        )
        lines.append(f"  {p['mode']} phase from {when(p['start'], zone)}{until}{chosen}")
    day = None
    for s in view["sessions"]:
        start, end = (datetime.fromisoformat(s[k]).astimezone(zone) for k in ("start", "end"))
        if start.date() != day:
            day = start.date()
            lines.append(f"{start:%A} {start.day} {start:%B}")
        mark = {"done": "  done", "skip": "  skipped"}.get(s["outcome"] or "", "")
        if start <= now < end:
            mark += "  <- now"
        note = " (cut short)" if s["cut_short"] else ""
        lines.append(f"  {start:%H:%M}-{end:%H:%M}  {LABEL[s['kind']]}  {span(s['minutes']):>6}{note}{mark}")
    if not view["sessions"]:
        lines.append("  no sessions in this window (quiet hours or after the plan)")
    return lines


def history(entries: list[dict[str, Any]], zone: tzinfo) -> list[str]:
    if not entries:
        return ["Nothing logged yet."]
    lines = []
    for e in entries:
        detail = []
        if e["score"] is not None:
            detail.append(f"{e['score']}/10")
        if e["session"]:
            kind, _, start = e["session"].partition("@")
            detail.append(f"{kind} at {when(start, zone)}")
        if e["minutes"] is not None:
            detail.append(f"{e['minutes']} min")
        if e["injured_at"]:
            detail.append("injured " + when(e["injured_at"], zone))
        elif e["kind"] == "settings":
            detail.append("the settings in force from here on (history --json lists them)")
        elif e["text"] is not None and e["kind"] != "snooze":
            detail.append(visible(e["text"]).replace("\n", "\n" + " " * 34))
        if e["source"] == "notification":
            detail.append("(from the notification)")
        elif e["source"] == "phone":
            detail.append("(from the phone)")
        lines.append(f"{when(e['at'], zone):<18} {e['kind']:<14} {' '.join(detail)}".rstrip())
    return lines


# The results of the use cases -----------------------------------------------------------------


def started(result: StartResult, reminders: str, zone: tzinfo, now: datetime) -> list[str]:
    from therapy_timer import json_views

    out = [
        wording.GUIDANCE,
        f"Plan started: injured {when(result.injured_at, zone, now)}, day {result.day} of recovery.",
    ]
    if result.skin_rest_from is not None:
        out.append(
            f"The last ice or heat came off at {when(result.skin_rest_from, zone, now)}, so the skin rests first: "
            f"no ice or heat before {when(result.skin_rest_from + SKIN_REST, zone, now)}."
        )
    if result.too_long_ago:
        out.append(wording.ACUTE_ONLY)
    if result.phase == "cold":
        out.append(
            f"Cold first: ice every {result.cold_every_hours:g} h until {when(result.phase_until, zone, now)}, "
            f"then moist heat every {result.heat_every_hours:g} h."
        )
    else:
        first = (
            wording.HEAT_FIRST[0].upper() + wording.HEAT_FIRST[1:] if result.heat_first else "The cold phase is over"
        )
        out.append(
            f"{first}: moist heat every {result.heat_every_hours:g} h. "
            "If heat makes it worse, run `therapy-timer log heat-worse` and the plan switches to ice."
        )
    out += [wording.MOVING, wording.SKIN]
    view = {
        "current": json_views.session(result.current, zone),
        "next": json_views.session(result.next, zone),
        "day": result.day,
    }
    out += now_and_next(view, zone, now)
    if not result.too_long_ago:
        out.append(wording.NO_BETTER)
    return [*out, *wording.SIGNS_AT_START, reminders, wording.NOT_ADVICE]


def switched(result: SwitchResult, zone: tzinfo, now: datetime) -> list[str]:
    """What a switch means for the user, saying only what is true: a report for a moment gone by
    (`--at` in the past) is said in the past, and promises only what is still to come."""
    late = result.at < now - timedelta(minutes=1)
    out = [f"Recorded for {when(result.at, zone, now)}."] if late else []
    if result.heat_off_now:
        out.append(wording.heat_off(when(result.at, zone, now) if late else None))
    if not result.changed:
        if not result.heat_off_now:
            out.append("No heat is planned right now (you are in a cold phase), so the plan stays as it is.")
        out.append("Keep to ice, wrapped in a towel.")
        return out
    if result.heat_finishes_at and result.heat_finishes_at > now:
        out.append(f"Finish this heat session (until {when(result.heat_finishes_at, zone, now)}).")
    if result.ice:
        came_off = max(result.at, result.heat_finishes_at or result.at)
        if result.ice.start <= came_off:
            wait = ""
        elif result.ice.start <= came_off + SKIN_REST + timedelta(minutes=1):
            wait = " (the skin settles first)"
        else:
            wait = " (the next time outside your quiet hours)" if not late else ""
        out.append(
            f"Back to cold: ice, wrapped in a towel, {span(result.ice.minutes)} "
            f"from {when(result.ice.start, zone, now)}{wait}."
        )
    if result.on_hold:
        out.append(wording.doctor_after_switches(result.switches))
    elif result.heat_again_at:
        out.append(f"Heat will be tried again from {when(result.heat_again_at, zone, now)}.")
    return out


def tried_heat(result: TryHeatResult, zone: tzinfo, now: datetime) -> list[str]:
    out = ["Noted: you want to try heat again."]
    if result.heat:
        out.append(
            f"Moist heat from {when(result.heat.start, zone, now)}, {wording.ON_CLOTH}: warm, never hot. "
            "If it makes things worse, stop at once."
        )
    elif result.heat_again_at:
        out.append(f"Heat is planned again from {when(result.heat_again_at, zone, now)}.")
    return out


def exported(result: CalendarExport, file: str, zone: tzinfo, now: datetime) -> str:
    """What `export ics FILE` wrote, in one line."""
    last = result.end - timedelta(seconds=1)  # the window ends at midnight: name the day before it
    sessions = "1 session" if result.sessions == 1 else f"{result.sessions} sessions"
    out = f"Wrote {visible(file)}: {sessions} from today to {last.astimezone(zone):%a} {last.astimezone(zone).day}"
    if result.cancelled:
        out += f", and {result.cancelled} exported before that are off now (marked cancelled)"
    return out + ". Import it into your calendar; importing it again updates the same events."


def recovered(result: EndResult) -> list[str]:
    done = result.done
    switches = result.switches_back_to_cold
    back = f"back to cold {wording.times(switches)}" if switches else "no need to go back to cold"
    out = [
        f"Good news. Plan ended after {days(result.days)}: {done['ice']} ice, {done['heat']} heat and "
        f"{done['walk']} walk sessions marked done; {back}."
    ]
    if result.pain_first is not None and result.pain_first == result.pain_last:
        out.append(f"Pain was {result.pain_first}/10 when you first logged it and when you last did.")
    elif result.pain_first is not None:
        out.append(f"Pain went from {result.pain_first}/10 to {result.pain_last}/10.")
    out.append("To help your back stay well:")
    return out + [f"  - {tip}" for tip in wording.PREVENTION]


def signs_answer(found: list[Any], number: str | None = None) -> list[str]:
    """What `log symptom` says: what the words match among the listed signs, and what to do.

    Words that match nothing are never good news: the app cannot judge words, so the answer names
    the emergency and urgent signs first, with what to do, and how to log one by name."""
    signs = _signs()
    if not found:
        return [
            "Saved. The app cannot judge symptoms from words, so it cannot tell whether these need help.",
            *serious_lines(number),
            "If one of these is what you have, log it by name: `therapy-timer log symptom --sign NAME` "
            "(`therapy-timer signs` lists every sign).",
        ]
    out = ["Saved."]
    for sign in found:
        head = {"emergency": "EMERGENCY: this", "urgent": "URGENT: this"}.get(sign.level, "This")
        out.append(
            f"{head} matches a listed sign: {sign.label}. The app cannot judge it. {signs.advice(sign, number or '')}"
        )
    return out


def serious_lines(number: str | None = None) -> list[str]:
    """The emergency and urgent signs, most serious first, each level with what to do."""
    signs = _signs()
    out = []
    number = number or signs.DEFAULT_EMERGENCY_NUMBER
    headings = {
        "emergency": f"For any of these, call the emergency number now ({number}):",
        "urgent": "For any of these, go to an emergency department now:",
    }
    for level, heading in headings.items():
        out.append(heading)
        out += [_sign_row(sign) for sign in signs.SIGNS if sign.level == level]
    return out


def checked(result: CheckResult, number: str | None = None) -> list[str]:
    """What a check's answer means: each sign said yes to with what to do, most serious first."""
    if not result.signs:
        return [
            "Noted: none of the warning signs. If one appears, log it with "
            "`therapy-timer log symptom --sign NAME`, or run `therapy-timer check` again."
        ]
    signs = _signs()
    out = [f"{HEADS[sign.level]}: {sign.label}. {signs.advice(sign, number or '')}" for sign in result.signs]
    return [*out, "Noted. It stays in `therapy-timer status` until `therapy-timer signs ack`."]


def signs_list(number: str | None = None) -> list[str]:
    """Every listed sign by what to do, most serious first, with its short name for `log symptom --sign`."""
    signs = _signs()
    headings = {
        "emergency": "Call the emergency number now for:",
        "urgent": "Go to an emergency department now for:",
        "doctor": "See a doctor within a day or two for:",
        "see-soon": "See a doctor or physical therapist soon for:",
        "skin": "Stop that treatment and check the skin for:",
    }
    out = []
    for level, heading in headings.items():
        out.append(heading)
        out += [_sign_row(sign) for sign in signs.SIGNS if sign.level == level]
        if level != "skin":
            out.append(f"  What to do: {signs.level_advice(level, number or '')}")
    out.append(
        "Log one with `therapy-timer log symptom --sign NAME`, or in your own words; `therapy-timer check` asks."
    )
    return out


def _sign_row(sign: Any) -> str:
    """One listed sign: its name for `log symptom --sign`, and what it is."""
    return f"  {sign.name:<14} {sign.label}"


def _signs() -> Any:
    from therapy_timer import signs

    return signs
