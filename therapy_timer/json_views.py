"""What the commands report, as plain data (the JSON contract).

Pure: built from the plan, the log, the timeline, the reminders and "now"; the terminal rendering
and the `--json` output are both made from these dictionaries, so the two never disagree.

The contract (`SCHEMA`): every key is always present (null when unknown or not applicable), times
are ISO 8601 in the plan's local time with their UTC offset, and minutes are whole numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from therapy_timer.protocol import Plan, Session, Timeline, day_of_recovery
from therapy_timer.reminders import outcomes
from therapy_timer.store import LoggedEvent

if TYPE_CHECKING:
    from therapy_timer.progress import Stalled
    from therapy_timer.reminders import Reminder
    from therapy_timer.usecases import PlanWindow, Status

SCHEMA = 1
"""The version of the JSON shape; raised when a key changes meaning or goes away."""


def stamp(moment: datetime | None, zone: tzinfo) -> str | None:
    """ISO 8601 in the user's local time, with its UTC offset."""
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None


def whole_minutes(value: float | timedelta) -> int:
    minutes = value / timedelta(minutes=1) if isinstance(value, timedelta) else value
    return round(minutes)


def session(s: Session | None, zone: tzinfo, answers: dict[str, str] | None = None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "kind": s.kind,
        "start": stamp(s.start, zone),
        "end": stamp(s.end, zone),
        "minutes": whole_minutes(s.minutes),
        "key": s.key,
        "purpose": s.purpose or None,
        "opens": s.opens or None,
        "cut_short": s.cut_short,
        "outcome": (answers or {}).get(s.key),
    }


def reminder(r: Reminder | None, zone: tzinfo) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"due": stamp(r.due, zone), "title": r.title, "key": r.key, "session": r.session}


def take_off(upcoming: Sequence[Reminder], now: datetime) -> Reminder | None:
    """The take-it-off reminder on show and still unanswered (ice or heat may still be on the skin)."""
    from therapy_timer.reminders import in_front

    return in_front([r for r in upcoming if r.sticky], now)


def status(result: Status) -> dict[str, Any]:
    """`status --json`: the contract's keys, every one always there (None where there is no plan)."""
    zone = result.zone
    if result.plan is None or result.timeline is None:
        view = dict(NO_PLAN_STATUS)
    else:
        view = plan_status(result.plan, result.timeline, result.logged, result.upcoming, result.now, zone, result.pains)
        view["heat_first"] = result.heat_first
    view["warning"] = warning(result.signs[0] if result.signs else None, zone, result.emergency_number)
    view["open_signs"] = [warning(found, zone, result.emergency_number) for found in result.signs]
    view["screening_done"] = result.screening_done
    view["not_better"] = not_better(result.not_better)
    return view


def plan_status(
    plan: Plan,
    timeline: Timeline,
    events: list[LoggedEvent],
    upcoming: Sequence[Reminder],
    now: datetime,
    zone: tzinfo,
    pains: Sequence[LoggedEvent] | None = None,
) -> dict[str, Any]:
    """`pains`: the pain scores to show the last of (by default the plan's own)."""
    answers = outcomes(events)
    phase = timeline.phase_at(now)
    pains = [e for e in (events if pains is None else pains) if e.kind == "pain" and e.at <= now]
    return {
        "schema": SCHEMA,
        "phase": phase.mode if phase else None,
        "phase_since": stamp(phase.start if phase else None, zone),
        "phase_until": stamp(phase.end if phase else None, zone),
        "heat_on_hold": bool(phase and phase.on_hold),
        "heat_from": stamp(timeline.heat_returns(now), zone),
        "day": day_of_recovery(plan, now),
        "injured_at": stamp(plan.injured_at, zone),
        "started_at": stamp(plan.started_at, zone),
        "now": stamp(now, zone),
        "current": session(timeline.current(now), zone, answers),
        "next": session(timeline.upcoming(now), zone, answers),
        "next_reminder": reminder(next((r for r in upcoming if r.due > now), None), zone),
        "snoozed": reminder(next((r for r in upcoming if "/snoozed-" in r.key and r.due > now), None), zone),
        "take_off": reminder(take_off(upcoming, now), zone),
        "switches_back_to_cold": [stamp(s.at, zone) for s in timeline.switches if s.at <= now],
        "see_doctor": timeline.see_doctor(now),
        "last_pain": {"score": pains[-1].score, "at": stamp(pains[-1].at, zone), "note": pains[-1].text}
        if pains
        else None,
    }


NO_PLAN_STATUS: dict[str, Any] = {
    "schema": SCHEMA,
    "phase": None,
    "phase_since": None,
    "phase_until": None,
    "heat_on_hold": False,
    "heat_from": None,
    "day": None,
    "injured_at": None,
    "started_at": None,
    "now": None,
    "current": None,
    "next": None,
    "next_reminder": None,
    "snoozed": None,
    "take_off": None,
    "switches_back_to_cold": [],
    "see_doctor": False,
    "last_pain": None,
    "warning": None,
    "heat_first": False,
    "not_better": None,
    "open_signs": [],
    "screening_done": None,
}


def plan_window(window: PlanWindow) -> dict[str, Any]:
    """`plan --json`: the sessions of the timeline that overlap [start, end) (a session cut at its
    start counts if in it), the phases over it, and whether heat comes first."""
    timeline, start, end, zone = window.timeline, window.start, window.end, window.zone
    answers = outcomes(window.logged)
    chosen = [s for s in timeline.sessions if s.start < end and (s.end > start or s.start >= start)]
    phase = timeline.phase_at(start)
    return {
        "schema": SCHEMA,
        "phase": phase.mode if phase and phase.start <= start else None,
        "from": stamp(start, zone),
        "to": stamp(end, zone),
        "phases": [
            {
                "mode": p.mode,
                "start": stamp(p.start, zone),
                "end": stamp(p.end, zone),
                "reason": p.reason,
                "on_hold": p.on_hold,
            }
            for p in timeline.phases
            if (p.end is None or p.end > start) and p.start < end
        ],
        "sessions": [session(s, zone, answers) for s in chosen],
        "heat_first": window.heat_first,
    }


def history_entry(e: LoggedEvent, zone: tzinfo) -> dict[str, Any]:
    text = e.text or ""
    injured = text.split(" ", 1)[1] if e.kind == "plan-start" and text.startswith("injured ") else None
    return {
        "at": stamp(e.at, zone),
        "kind": e.kind,
        "plan_id": e.plan_id,
        "score": e.score,
        "text": None if injured else e.text,
        "session": e.session,
        "minutes": whole_minutes(e.minutes) if e.minutes is not None else None,
        "injured_at": stamp(datetime.fromisoformat(injured), zone) if injured else None,
        "source": e.source,
        "recorded_at": stamp(e.recorded_at, zone),
    }


def history(events: Iterable[LoggedEvent], zone: tzinfo) -> dict[str, Any]:
    return {"schema": SCHEMA, "events": [history_entry(e, zone) for e in events]}


def result(command: str, value: Any, zone: tzinfo, **extra: Any) -> dict[str, Any]:
    """A use case's result as the JSON contract: `schema`, `command`, then every field of the result."""
    out: dict[str, Any] = {"schema": SCHEMA, "command": command}
    if value is not None:
        out.update({name: plain(item, zone) for name, item in value._asdict().items()})
    out.update({key: plain(item, zone) for key, item in extra.items()})
    return out


def plain(value: Any, zone: tzinfo) -> Any:
    """A value as JSON has it: times as local ISO 8601, sessions as `session`, durations as whole minutes."""
    if isinstance(value, datetime):
        return stamp(value, zone)
    if isinstance(value, date):  # a calendar day: "2026-11-24"
        return value.isoformat()
    if isinstance(value, Session):
        return session(value, zone)
    if isinstance(value, timedelta):
        return whole_minutes(value)
    if hasattr(value, "_asdict"):  # a result or decision (NamedTuple)
        return {name: plain(item, zone) for name, item in value._asdict().items()}
    if isinstance(value, dict):
        return {key: plain(item, zone) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item, zone) for item in value]
    return value


def warning(found: Any, zone: tzinfo, number: str | None = None) -> dict[str, Any] | None:
    """A logged warning sign on show: what to do ("get-help-now" for an emergency or urgent sign,
    "see-a-doctor" otherwise), its level and why; the advice names the emergency number in effect."""
    if found is None:
        return None
    from therapy_timer import signs

    return {
        "action": "get-help-now" if found.sign.level in signs.SERIOUS else "see-a-doctor",
        "sign": found.sign.name,
        "reason": found.sign.label,
        "advice": signs.advice(found.sign, number or signs.DEFAULT_EMERGENCY_NUMBER),
        "logged_at": stamp(found.at, zone),
        "text": found.text,
        "level": found.sign.level,
    }


def not_better(notice: Stalled | None) -> dict[str, Any] | None:
    """From day 14, pain no lower than at the start (or no scores to tell): see a doctor or physical therapist."""
    if notice is None:
        return None
    from therapy_timer import wording

    return {
        "day": notice.day,
        "first_day": notice.first_day,
        "first_median": notice.first_median,
        "recent_median": notice.recent_median,
        "recent_scores": notice.recent_scores,
        "needs_score": notice.needs_score,
        "advice": wording.not_better(notice),
    }


def sign(found: Any, number: str | None = None) -> dict[str, Any]:
    """A listed sign as `signs --json`, `log symptom --json` and `check --json` give it."""
    from therapy_timer import signs

    advice = signs.advice(found, number or signs.DEFAULT_EMERGENCY_NUMBER)
    return {"sign": found.name, "level": found.level, "label": found.label, "advice": advice}
