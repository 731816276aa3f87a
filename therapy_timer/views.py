"""What `status`, `plan`, `history` and `recovered` report, as plain data (the JSON contract).

Pure: built from the plan, the log, the timeline and "now"; the terminal rendering and the
`--json` output are both made from these dictionaries, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import Any

from therapy_timer.protocol import ANSWERS, Plan, Session, Timeline, day_of_recovery
from therapy_timer.store import LoggedEvent


def stamp(moment: datetime | None, zone: tzinfo) -> str | None:
    """ISO 8601 in the user's local time, with its UTC offset."""
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None


def outcomes(events: Iterable[LoggedEvent]) -> dict[str, dict[str, Any]]:
    """The first done/skip answer logged for each session key."""
    found: dict[str, dict[str, Any]] = {}
    for e in events:
        if e.kind in ANSWERS and e.session and e.session not in found:
            found[e.session] = {"outcome": e.kind, "at": e.at}
    return found


def session(s: Session | None, zone: tzinfo, answers: dict[str, dict[str, Any]] | None = None) -> dict[str, Any] | None:
    if s is None:
        return None
    out: dict[str, Any] = {
        "kind": s.kind,
        "start": stamp(s.start, zone),
        "end": stamp(s.end, zone),
        "minutes": round(s.minutes, 1),
        "key": s.key,
    }
    if s.purpose:
        out["purpose"] = s.purpose
    if s.opens:
        out["opens"] = s.opens
    if s.cut_short:
        out["cut_short"] = True
    answer = (answers or {}).get(s.key)
    out["outcome"] = answer["outcome"] if answer else None
    return out


def status(plan: Plan, timeline: Timeline, events: list[LoggedEvent], now: datetime, zone: tzinfo) -> dict[str, Any]:
    answers = outcomes(events)
    phase = timeline.phase_at(now)
    pains = [e for e in events if e.kind == "pain" and e.at <= now]
    current = timeline.current(now)
    return {
        "phase": phase.mode,
        "phase_since": stamp(phase.start, zone),
        "phase_until": stamp(phase.end, zone),
        "day": day_of_recovery(plan, now),
        "injured_at": stamp(plan.injured_at, zone),
        "started_at": stamp(plan.started_at, zone),
        "now": stamp(now, zone),
        "current": session(current, zone, answers),
        "next": session(timeline.upcoming(now), zone, answers),
        "switches_back_to_cold": [stamp(s.at, zone) for s in timeline.switches if s.at <= now],
        "see_doctor": timeline.see_doctor(now),
        "last_pain": {"score": pains[-1].score, "at": stamp(pains[-1].at, zone), "note": pains[-1].text}
        if pains
        else None,
    }


NO_PLAN_STATUS: dict[str, Any] = {
    "phase": None,
    "injured_at": None,
    "started_at": None,
    "current": None,
    "next": None,
    "switches_back_to_cold": [],
    "see_doctor": False,
    "last_pain": None,
}


def plan_window(
    timeline: Timeline, events: list[LoggedEvent], start: datetime, end: datetime, zone: tzinfo
) -> dict[str, Any]:
    answers = outcomes(events)
    chosen = [s for s in timeline.sessions if s.end > start and s.start < end]
    return {
        "phase": timeline.phase_at(start).mode,
        "from": stamp(start, zone),
        "to": stamp(end, zone),
        "phases": [
            {"mode": p.mode, "start": stamp(p.start, zone), "end": stamp(p.end, zone), "reason": p.reason}
            for p in timeline.phases
            if (p.end is None or p.end > start) and p.start < end
        ],
        "sessions": [session(s, zone, answers) for s in chosen],
    }


def history_entry(e: LoggedEvent, zone: tzinfo) -> dict[str, Any]:
    out: dict[str, Any] = {"at": stamp(e.at, zone), "kind": e.kind, "plan_id": e.plan_id}
    for name in ("score", "text", "session", "minutes"):
        if getattr(e, name) is not None:
            out[name] = getattr(e, name)
    out["recorded_at"] = stamp(e.recorded_at, zone)
    return out


def summary(plan: Plan, timeline: Timeline, events: list[LoggedEvent], now: datetime) -> dict[str, Any]:
    """A short account of the recovery, for `recovered`."""
    answers = outcomes(events)
    done = {
        kind: sum(1 for s in timeline.sessions if s.kind == kind and answers.get(s.key, {}).get("outcome") == "done")
        for kind in ("ice", "heat", "walk")
    }
    pains = [e.score for e in events if e.kind == "pain"]
    return {
        "days": round((now - plan.injured_at) / timedelta(days=1), 1),
        "done": done,
        "switches_back_to_cold": len(timeline.switches),
        "pain_first": pains[0] if pains else None,
        "pain_last": pains[-1] if pains else None,
    }
