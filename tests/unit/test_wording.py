"""The words a user reads, checked against the facts they are written from (shared/protocol-facts.md):
the skin-safety facts in every ice and heat reminder, current guidance on moving, and no wording
that frightens or that promises what the app cannot judge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers import BERLIN, T0
from therapy_timer import terminal_text, wording
from therapy_timer.protocol import SKIN_REST


def every_reminder() -> list[wording.Notice]:
    found = [
        wording.session_on(kind, minutes, opens, purpose, late)
        for kind in ("ice", "heat", "walk")
        for minutes in (1, 15)
        for opens in ("", "plan-start", "cold-over", "heat-again", "heat-worse", "heat-no-help")
        for purpose in ("rest", "exercise")
        for late in (False, True)
    ]
    found += [wording.session_off(kind, repeat) for kind in ("ice", "heat") for repeat in (0, 1, 2)]
    return [*found, wording.heat_stop(SKIN_REST), wording.PLAN_ENDED]


@pytest.mark.parametrize("opens", ["", "cold-over", "heat-again"])
def test_heat_goes_over_a_layer_of_cloth_and_is_warm_never_hot(opens):
    body = wording.session_on("heat", 15, opens, "").body
    assert "over a layer of cloth, not on bare skin" in body and "Warm, never hot." in body
    assert "burning" not in body  # "warm, never burning" set the limit too late
    assert "over a layer of cloth, not on bare skin: warm, never hot" in wording.what("heat")


def test_ice_is_wrapped_in_a_towel_never_on_bare_skin():
    body = wording.session_on("ice", 15, "", "").body
    assert "wrapped in a towel" in body and "Never straight on bare skin." in body


@pytest.mark.parametrize("kind", ["ice", "heat"])
def test_every_take_it_off_reminder_says_to_look_at_the_skin(kind):
    off = wording.session_off(kind, 0)
    assert "look at" in off.body and "therapy-timer signs says what to do" in off.body
    assert "then look at the skin" in wording.session_off(kind, 1).body
    assert "look at the skin" in wording.heat_stop(SKIN_REST).body


def test_the_skin_signs_in_the_off_reminders_are_the_facts_signs():
    assert "white, grey, hard or numb, or blisters" in wording.session_off("ice", 0).body
    assert "Redness that lasts over an hour, blisters or broken skin" in wording.session_off("heat", 0).body


def test_no_reminder_frightens_or_asks_for_avoidance_or_rest_after_every_session():
    for notice in every_reminder():
        said = f"{notice.title} {notice.body}".lower()
        for words in ("no bending", "twisting", "knees higher", "firm surface", "dangerous", "damage", "serious"):
            assert words not in said, (words, notice)


def test_walks_say_to_keep_moving_as_the_pain_allows():
    rest = wording.session_on("walk", 5, "", "rest").body
    assert rest.startswith("A slow walk for about 5 minutes, as far as the pain allows: gentle movement eases")
    exercise = wording.session_on("walk", 5, "", "exercise").body
    assert "Build back up to your usual activities step by step" in exercise
    assert wording.session_on("walk", 2, "", "rest", late=True).body.startswith("A slow walk for the 2 minutes left,")


def test_between_sessions_rest_is_offered_in_the_first_days_and_ordinary_life_after():
    assert (
        wording.meanwhile(1) == wording.meanwhile(3) == "move about gently as the pain allows, and rest when it helps"
    )
    assert wording.meanwhile(4) == wording.meanwhile(10) == "carry on with your usual activities as the pain allows"


def status_view(day: int, current: dict | None = None) -> dict:
    return {"current": current, "take_off": None, "next": None, "day": day}


def test_status_on_day_ten_does_not_say_rest_comfortably():
    for day in (1, 10):
        lines = terminal_text.now_and_next(status_view(day), BERLIN, T0)
        assert "rest comfortably" not in " ".join(lines)
    assert terminal_text.now_and_next(status_view(10), BERLIN, T0) == [
        "Now:  nothing planned; carry on with your usual activities as the pain allows"
    ]
    start, end = (T0 - timedelta(minutes=5)).isoformat(), (T0 + timedelta(minutes=10)).isoformat()
    answered = {"kind": "ice", "start": start, "end": end, "minutes": 15, "purpose": None, "outcome": "done"}
    assert terminal_text.now_and_next(status_view(2, answered), BERLIN, T0)[0].endswith(
        "marked done; move about gently as the pain allows, and rest when it helps"
    )


def test_a_plan_start_says_what_current_guidance_says_first():
    assert wording.GUIDANCE == (
        "Back spasms are common, rarely serious, and usually ease within days to weeks. Staying gently active helps."
    )
    assert "avoid heavy lifting and sudden twisting" in wording.MOVING and "step by step" in wording.MOVING
    assert "Rest when it helps" in wording.MOVING


def test_prevention_tips_say_it_as_current_guidance_does():
    tips = " ".join(wording.PREVENTION)
    assert wording.PREVENTION[0].startswith("Stay active")
    for old in ("firm mattress", "Mind your posture", "bent knees"):
        assert old not in tips
    for fact in ("smoke", "high heels", "chair of the right height", "back and tummy muscles", "extra weight"):
        assert fact in tips  # every fact of the protocol's prevention list is still there


def test_the_plan_start_says_the_skin_facts_once():
    assert "over a layer of cloth, never on bare skin" in wording.SKIN and "warm, never hot" in wording.SKIN
    assert "Look at the skin when the pack comes off" in wording.SKIN and "do not fall asleep" in wording.SKIN
