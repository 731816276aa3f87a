"""Every sentence a user reads about the protocol, in one place, in our own words.

Kept apart from the logic so the wording can be reviewed (and one day translated) on its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from therapy_timer.named_tuple import NamedTuple

if TYPE_CHECKING:
    from therapy_timer.progress import Stalled
    from therapy_timer.protocol import Session
    from therapy_timer.vocabulary import PhaseReason

NOT_ADVICE = (
    "therapy-timer reminds you and keeps a record. It is not medical advice and cannot tell "
    "what is wrong; if something feels off, ask a doctor."
)

GUIDANCE = "Back spasms are common, rarely serious, and usually ease within days to weeks. Staying gently active helps."
"""What current guidance says first, at a plan's start."""
MOVING = (
    "Keep moving as the pain allows: the short walks help. Rest when it helps (knees higher than your "
    "hips, on pillows or a footstool). For the first days avoid heavy lifting and sudden twisting, then "
    "go back to your usual activities step by step."
)
SKIN = (
    "Ice and heat go over a layer of cloth, never on bare skin, and heat is warm, never hot. Look at the "
    "skin when the pack comes off; do not fall asleep with one on, and take extra care if your skin "
    "feels less than usual (diabetes, poor circulation)."
)
ICE = "ice pack (or frozen vegetables) wrapped in a towel"
HEAT_PACKS = "hot water bottle, towel wrung out in hot water, or moist heating pad"
ON_CLOTH = "over a layer of cloth, not on bare skin"
HEAT = f"moist heat {ON_CLOTH}: warm, never hot"
WALK_REST = "slow walk, as far as the pain allows"
WALK_EXERCISE = "gentle walk (stairs too, if they feel fine)"
ACUTE_DAYS = 3
"""The first days of a spasm, when rest helps most (the protocol's two to three days)."""
TRY_HEAT_COMMAND = "therapy-timer log try-heat-again"


# Moments and lengths, as people read them (shared by every shell: terminal, notifications) ----------


def session_label(s: Session, zone: tzinfo) -> str:
    """ "ice 09:00-09:15": a session as a person names it."""
    return f"{s.kind} {s.start.astimezone(zone):%H:%M}-{s.end.astimezone(zone):%H:%M}"


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


def days(count: float) -> str:
    """ "less than a day", "1 day", "3 days": whole days as people count them."""
    whole = round(count)
    if whole < 1:
        return "less than a day"
    return "1 day" if whole == 1 else f"{whole} days"


def times(count: int) -> str:
    """ "once", "twice", "three times": a count as people say it."""
    return {1: "once", 2: "twice", 3: "three times"}.get(count, f"{count} times")


def doctor_after_switches(count: int, on_hold: bool = True) -> str:
    """The advice after heat has failed `count` times (two or more), with the real count; once the
    person has chosen to try heat again (`on_hold` False), without the command that would now refuse."""
    if not on_hold:
        return (
            f"Heat has not worked {times(count)} so far. If it does not help this time either, please have a "
            "doctor or physical therapist look at your back."
        )
    return (
        f"Heat has not worked {times(count)} now. Please have a doctor or physical therapist look at your "
        "back before you try heat again; until you say so (" + TRY_HEAT_COMMAND + "), the plan stays with ice."
    )


HEAT_FIRST = "heat first, as chosen in the settings (cold.days = 0)"
"""A plan with no cold phase: a doctor or physical therapist advised heat from the start."""
NO_BETTER = (
    "If your back is no better after a week or two of this, a doctor or physical therapist should take a look. "
    "Log your pain once a day (`therapy-timer log pain N`): from day 14, `status` and the reminders say so "
    "when it is no lower than at the start."
)
SEE_SOMEONE = "a doctor or physical therapist should take a look: please make an appointment"


def not_better(notice: Stalled) -> str:
    """From day 14: the pain scores are no lower than at the start, or cannot show it."""
    if notice.needs_score:
        return (
            f"It is day {notice.day}, and the pain scores logged cannot show whether your back is getting "
            "better: please log one each day (`therapy-timer log pain N`). If it is no better than at the "
            f"start, {SEE_SOMEONE}."
        )
    count = notice.recent_scores
    lately = (
        "your score of the last three days"
        if count == 1
        else f"the middle of your {count} scores of the last three days"
    )
    return (
        f"It is day {notice.day}, and your pain is no lower than at the start: {notice.recent_median:g}/10 "
        f"({lately}) against {notice.first_median:g}/10 on day {notice.first_day}. When a back is no better "
        f"after two weeks, {SEE_SOMEONE}."
    )


def not_better_note(notice: Stalled) -> str:
    """The same, once a day in a reminder's body (no markup: the reminder is plain text)."""
    if notice.needs_score:
        return (
            f" Day {notice.day}: log your pain (therapy-timer log pain N). If your back is no better than at "
            "the start, please see a doctor or physical therapist."
        )
    return f" Day {notice.day} and your pain is no lower than at the start: please see a doctor or physical therapist."


ACUTE_ONLY = (
    "This plan is for the first days after a spasm. A back that has hurt for weeks needs a plan from a "
    "doctor or physical therapist: please make an appointment. The reminders still run if they help you."
)


def meanwhile(day: int) -> str:
    """What to do between sessions, by the day of recovery: no "rest comfortably" on day ten."""
    if day <= ACUTE_DAYS:
        return "move about gently as the pain allows, and rest when it helps"
    return "carry on with your usual activities as the pain allows"


def what(kind: str, purpose: str = "") -> str:
    """A short description of a session kind, for plans and status lines."""
    if kind == "ice":
        return ICE
    if kind == "heat":
        return HEAT
    return WALK_EXERCISE if purpose == "exercise" else WALK_REST


class Notice(NamedTuple):
    title: str
    body: str


def session_on(kind: str, minutes: float, opens: PhaseReason | Literal[""], purpose: str, late: bool = False) -> Notice:
    """The reminder at the start of a session; its title says what changed when a phase opens.

    `late`: the reminder comes after the session began, and `minutes` is what is left of it.
    """
    m = f"{minutes:g} minute" + ("" if minutes == 1 else "s")
    length = f"for the {m} left of this session" if late else f"for {m}"
    if kind == "ice":
        title = "Back to cold: ice on now" if opens in ("heat-worse", "heat-no-help") else "Ice on now"
        body = (
            f"Ice pack or frozen vegetables, wrapped in a towel, on the sore spot {length}. "
            "Never straight on bare skin."
        )
        if opens == "heat-worse":
            body = "Heat made it worse, so cold it is for the next while. " + body
        elif opens == "heat-no-help":
            body = "Heat did not help, so back to cold for the next while. " + body
        return Notice(title, body)
    if kind == "heat":
        title = {
            "cold-over": "Cold phase done: moist heat on now",
            "heat-again": "Trying heat again: moist heat on now",
        }.get(opens, "Moist heat on now")
        body = (
            f"Moist heat {length}: {HEAT_PACKS}, {ON_CLOTH}; or a warm shower. Warm, never hot. "
            "If it makes the pain worse, stop at once."
        )
        return Notice(title, body)
    walk = f"for the {m} left" if late else f"for about {m}"
    if purpose == "exercise":
        return Notice(
            "Time for a gentle walk",
            f"A gentle walk {walk} (stairs too, if they feel fine). Build back up to your usual activities "
            "step by step; if a cramp comes, stop and stretch gently.",
        )
    return Notice(
        "Time for a short walk",
        f"A slow walk {walk}, as far as the pain allows: gentle movement eases stiffness. "
        "If a cramp comes, stop and stretch gently.",
    )


def session_off(kind: str, repeat: int) -> Notice:
    """The reminder at the end of an ice or heat session, and its repeats if unanswered."""
    thing = "ice" if kind == "ice" else "heat"
    if repeat:
        return Notice(
            f"Is the {thing} still on? Take it off now",
            f"The {thing} session ended a few minutes ago. Take it off now to protect your skin, then look "
            "at the skin.",
        )
    if kind == "ice":
        check = (
            "Time's up: take the ice off, let the skin warm up on its own and look at it. Skin that stays white, "
            "grey, hard or numb, or blisters, needs a rest from ice (therapy-timer signs says what to do)."
        )
    else:
        check = (
            "Time's up: take the heat off and look at the skin. Redness that lasts over an hour, blisters or "
            "broken skin need a rest from heat (therapy-timer signs says what to do)."
        )
    return Notice(f"{thing.capitalize()} off now", check)


def event_title(kind: str, purpose: str = "", cut_short: bool = False) -> str:
    """A session's name in a calendar; its notice (the event's description and alarms) says the rest."""
    if kind == "ice":
        return "Ice"
    if kind == "heat":
        return "Moist heat (stopped early)" if cut_short else "Moist heat"
    return "Gentle walk" if purpose == "exercise" else "Short walk"


def heat_stop(until_ice: timedelta) -> Notice:
    """The moment heat made it worse: off at once (the ice waits until the skin has settled);
    `until_ice`: how long until the plan's next ice, as the timeline has it."""
    minutes = round(until_ice / timedelta(minutes=1))
    return Notice(
        "Stop the heat now",
        "Take the heat off right now, as it made things worse, and look at the skin. Once the skin has "
        f"settled, ice follows in about {minutes} minute{'s' * (minutes != 1)}, wrapped in a towel.",
    )


class Button(NamedTuple):
    """One answer a reminder offers: a button where the notification server shows them, and the
    command to type where it does not (the command line's help uses the same words)."""

    label: str
    command: str
    said: str  # how the typed form reads in a sentence
    needed: bool = False  # named in the body where there are no buttons (the others are in --help)


BUTTONS = {
    "done": Button("Done, it's off", "therapy-timer done", "when it is off", needed=True),
    "walked": Button("Walked", "therapy-timer done", "after the walk"),
    "skip": Button("Skip", "therapy-timer skip", "to skip this one"),
    "snooze": Button("Snooze 10 min", "therapy-timer snooze", "for 10 more minutes"),
    "later": Button("Later", "therapy-timer snooze 30", "to be reminded in 30 minutes"),
    "heat-worse": Button("Made it worse", "therapy-timer log heat-worse", "if the heat made it worse", needed=True),
    "heat-no-help": Button("Didn't help", "therapy-timer log heat-no-help", "if the heat did not help"),
    "check-none": Button("None of these", "therapy-timer check --none", "if none of them is new", needed=True),
    "check-new": Button("One of these is new", "therapy-timer check", "to say which", needed=True),
}
"""Every answer a notification offers, by its action key."""
SNOOZE_MINUTES = {"snooze": 10, "later": 30}


def still_on(title: str, since: str) -> str:
    """`status` while a take-it-off reminder waits unanswered: the pack may still be on."""
    return f"{title} (since {since}): if it is still on, take it off, then run therapy-timer done"


def heat_off(at: str | None) -> str:
    """Heat made it worse during a session: take it off now (or, said afterwards, when it came off)."""
    if at is None:
        return "Take the heat off now, and look at the skin."
    return f"The heat came off at {at}; look at the skin."


def done_early(minutes_left: int, by: str) -> str:
    """`done` said well before a session's end: no take-it-off reminder will come, so say when."""
    return (
        f"It had {minutes_left} min to go, so no take-it-off reminder will come: if it is still on, "
        f"take it off by {by} yourself."
    )


NO_SNOOZE_TAKE_OFF = (
    "a take-it-off reminder cannot be snoozed: longer ice or heat can hurt the skin. "
    "Take it off, then run `therapy-timer done`"
)


def typed(buttons: tuple[str, ...]) -> str:
    """The sentence that takes the place of buttons, naming what to type (no markup, no backticks).

    Only the answers that matter now are named (taking a pack off, heat that made it worse): a
    sentence listing every button would bury them; skip and snooze are in the command line's help.
    """
    parts = [f"{BUTTONS[key].command} {BUTTONS[key].said}" for key in buttons if BUTTONS[key].needed]
    return f"Type {'; or '.join(parts)}." if parts else ""


BUTTON_REFUSALS = {
    "plan-too-old": "this plan began over a year ago, so it cannot be followed any more",
    "cold-already": "the plan is on cold already, so there was nothing to switch",
    "none-yet": "no session has started yet",
    "not-planned": "that session is not part of the plan any more",
    "answered": "{session} is already marked {outcome}",
    "nothing-to-snooze": "there is no reminder to snooze right now",
    "take-off-first": "a take-it-off reminder cannot be snoozed: longer ice or heat can hurt the skin, so take it off",
    "snooze-too-long": "snoozed that long, it would run into the next session, so it would not come again",
    "snoozed-ahead": "that {kind} was snoozed until {moved}, so it has not begun",
}
"""A use case's refusal (`errors.RefusedError.reason`), worded for a notification: no command to type."""


def refused_on_a_button(reason: str | None, facts: dict[str, object]) -> str | None:
    """Why a button changed nothing, in a notification's words (None for a refusal with no code)."""
    said = BUTTON_REFUSALS.get(reason or "")
    return said.format(**facts) if said else None


def nothing_changed(reason: str) -> Notice:
    """A button pressed on a reminder that no longer applies."""
    return Notice("Nothing changed", f"{reason[0].upper()}{reason[1:]}.")


def snoozed(title: str) -> str:
    return f"Again: {title[0].lower()}{title[1:]}"


CHECKIN_SIGNS = (
    "chest pain, sudden breathlessness, a tearing pain through to the back or belly, fainting, confusion "
    "with a fever; numbness between the legs, new bladder or bowel trouble, a leg getting weak or a foot "
    "that drags, fever, or pain after a bad fall"
)
"""The emergency and urgent signs in a few words, as the daily check-in names them."""


def checkin(again: bool = False) -> Notice:
    """The daily check-in, and its one repeat: are any of the emergency or urgent signs new?"""
    title = "Daily check, still open: any of these new?" if again else "Daily check: any of these new?"
    return Notice(
        title, f"A quick question once a day: is any of these new? {CHECKIN_SIGNS[0].upper()}{CHECKIN_SIGNS[1:]}."
    )


CHECKIN_WORDS = {
    "chest-pain": "chest pain or pressure",
    "breathless": "sudden breathlessness",
    "tearing": "a sudden tearing pain through to the back or belly",
    "collapse": "fainting or collapsing",
    "confused-fever": "sudden confusion with a fever",
    "saddle": "numbness or pins and needles between the legs or around the bottom",
    "bladder-bowel": "new trouble passing or holding urine or stool",
    "leg-weakness": "a leg getting weaker, a foot that drags, or numbness in both legs",
    "fever": "fever or chills",
    "trauma": "pain that began with a bad fall or an accident",
}
"""Each emergency and urgent sign in a few words, for the list "One of these is new" shows."""


def checkin_signs(groups: list[tuple[str, list[str]]]) -> Notice:
    """ "One of these is new": each group of signs (their names) with the advice they share, then how
    to log which one. No markup and no backticks: this is a notification."""
    parts = [
        "For " + "; ".join(f"{CHECKIN_WORDS[name]} ({name})" for name in names) + f": {advice}"
        for advice, names in groups
    ]
    return Notice(
        "Warning signs: what to do",
        " ".join(parts)
        + " Then log which one, by the name in brackets: therapy-timer check --sign NAME (or therapy-timer log "
        "symptom --sign NAME).",
    )


CHECKED_NONE = "noted: none of the warning signs is new"
CHECKED_ALREADY = "today's check is answered already"


PLAN_ENDED = Notice(
    "Reminders stopped", "Your therapy-timer plan has ended; no more reminders. Take care of your back."
)
DOCTOR_TEST = Notice("therapy-timer test", "A test from your running reminders, sent the way they send theirs.")
"""doctor's test from the daemon: where it shows is where the reminders show."""
TERMINAL_TEST = Notice("therapy-timer test", "A test from the terminal you ran doctor in.")
"""doctor's test from its own terminal: it says nothing about where the reminders show (the daemon's may differ)."""
SETTINGS_BROKEN = "config.toml has a problem; reminders keep the previous settings until it is fixed"
DESKTOP_DOWN = "desktop notifications are not reaching you; reminders go to this terminal/log until they work again"


PREVENTION = [
    "Stay active: regular walking and exercise you enjoy are among the best things for your back.",
    "Exercises for your back and tummy muscles keep them strong.",
    "Sit on a chair of the right height that supports your lower back, and change position often: no "
    "one posture is right for hours.",
    "Lift heavy things close to your body and let your legs share the work.",
    "A supportive mattress, and flat, comfortable shoes rather than high heels.",
    "If you smoke, stopping helps your back too.",
    "If you carry extra weight, losing some takes load off your back.",
]


SIGNS_AT_START = [
    "Warning signs: call the emergency number for chest pain, sudden breathlessness, a tearing pain through to "
    "the back or belly, or fainting; go to an emergency department for numbness between the legs, new bladder or "
    "bowel trouble, a leg getting weak, fever, or pain after a bad fall or accident.",
    "Log one with `therapy-timer log symptom --sign NAME`; `therapy-timer signs` lists them all.",
]
