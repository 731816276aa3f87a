"""Terminal text for the views: short lines a person lying on the floor can read at a glance."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from therapy_timer import texts

LABEL = {"ice": "ICE ", "heat": "HEAT", "walk": "walk"}


def when(value: str | datetime | None, zone: tzinfo, now: datetime | None = None) -> str:
    """ "14:30" today, "Wed 14:30" within a week, else "Wed 2 Dec 14:30"."""
    if value is None:
        return "-"
    moment = (datetime.fromisoformat(value) if isinstance(value, str) else value).astimezone(zone)
    if now is not None:
        today = now.astimezone(zone).date()
        if moment.date() == today:
            return f"{moment:%H:%M}"
        if abs((moment.date() - today).days) < 6:
            return f"{moment:%a %H:%M}"
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


def span(minutes: float) -> str:
    minutes = round(minutes)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours and rest else (f"{hours} h" if hours else f"{rest} min")


def session_line(s: dict[str, Any], zone: tzinfo, now: datetime) -> str:
    start, end = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
    what = texts.what(s["kind"], s.get("purpose", ""))
    if start <= now < end:
        return (
            f"{s['kind']} until {end.astimezone(zone):%H:%M} ({span((end - now) / timedelta(minutes=1))} left): {what}"
        )
    wait = span((start - now) / timedelta(minutes=1))
    return f"{s['kind']} at {when(start, zone, now)} (in {wait}), {span(s['minutes'])}: {what}"


def status(view: dict[str, Any], zone: tzinfo, now: datetime) -> list[str]:
    if view["phase"] is None:
        return ["No active plan. Start one with `therapy-timer start` (see --help for the options)."]
    phase = "cold (ice)" if view["phase"] == "cold" else "moist heat"
    lines = [f"Phase: {phase}, day {view['day']} of recovery (injured {when(view['injured_at'], zone, now)})"]
    if view["phase_until"]:
        following = "heat" if view["phase"] == "cold" else "cold"
        lines.append(f"       {following} from {when(view['phase_until'], zone, now)}")
    lines += now_and_next(view, zone, now)
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
        lines.append(texts.DOCTOR_AFTER_SWITCHES)
    return lines


def now_and_next(view: dict[str, Any], zone: tzinfo, now: datetime) -> list[str]:
    """The two lines that matter most: what to do now, and what comes next."""
    out = ["Now:  " + (session_line(view["current"], zone, now) if view["current"] else "nothing; rest comfortably")]
    if view["next"]:
        out.append("Next: " + session_line(view["next"], zone, now))
    return out


def plan(view: dict[str, Any], zone: tzinfo, now: datetime) -> list[str]:
    lines = [f"Plan from {when(view['from'], zone)} to {when(view['to'], zone)}"]
    for p in view["phases"]:
        until = f" until {when(p['end'], zone)}" if p["end"] else " until you end the plan"
        lines.append(f"  {p['mode']} phase from {when(p['start'], zone)}{until}")
    day = None
    for s in view["sessions"]:
        start, end = (datetime.fromisoformat(s[k]).astimezone(zone) for k in ("start", "end"))
        if start.date() != day:
            day = start.date()
            lines.append(f"{start:%A} {start.day} {start:%B}")
        mark = {"done": "  done", "skip": "  skipped"}.get(s["outcome"] or "", "")
        if start <= now < end:
            mark += "  <- now"
        note = " (cut short)" if s.get("cut_short") else ""
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
        if "score" in e:
            detail.append(f"{e['score']}/10")
        if "session" in e:
            detail.append(e["session"].split("@")[0] + " at " + when(e["session"].split("@")[1], zone))
        if "minutes" in e:
            detail.append(f"{e['minutes']:g} min")
        if e["kind"] == "plan-start" and e.get("text", "").startswith("injured "):
            detail.append("injured " + when(e["text"].split(" ", 1)[1], zone))
        elif "text" in e:
            detail.append(e["text"].replace("\n", "\n" + " " * 34))
        lines.append(f"{when(e['at'], zone):<18} {e['kind']:<14} {' '.join(detail)}".rstrip())
    return lines
