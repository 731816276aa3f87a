"""The words a user reads, checked against the facts they are written from (shared/protocol-facts.md):
the skin-safety facts in every ice and heat reminder."""

from __future__ import annotations

import pytest

from therapy_timer import texts
from therapy_timer.protocol import SKIN_REST


@pytest.mark.parametrize("opens", ["", "cold-over", "heat-again"])
def test_heat_goes_over_a_layer_of_cloth_and_is_warm_never_hot(opens):
    body = texts.session_on("heat", 15, opens, "").body
    assert "over a layer of cloth, not on bare skin" in body and "Warm, never hot." in body
    assert "burning" not in body  # "warm, never burning" set the limit too late
    assert "over a layer of cloth, not on bare skin: warm, never hot" in texts.what("heat")


def test_ice_is_wrapped_in_a_towel_never_on_bare_skin():
    body = texts.session_on("ice", 15, "", "").body
    assert "wrapped in a towel" in body and "Never straight on bare skin." in body


@pytest.mark.parametrize("kind", ["ice", "heat"])
def test_every_take_it_off_reminder_says_to_look_at_the_skin(kind):
    off = texts.session_off(kind, 0)
    assert "look at" in off.body and "therapy-timer signs says what to do" in off.body
    assert "then look at the skin" in texts.session_off(kind, 1).body
    assert "look at the skin" in texts.heat_stop(SKIN_REST).body


def test_the_skin_signs_in_the_off_reminders_are_the_facts_signs():
    assert "white, grey, hard or numb, or blisters" in texts.session_off("ice", 0).body
    assert "Redness that lasts over an hour, blisters or broken skin" in texts.session_off("heat", 0).body


def test_the_plan_start_says_the_skin_facts_once():
    assert "over a layer of cloth, never on bare skin" in texts.SKIN and "warm, never hot" in texts.SKIN
    assert "Look at the skin when the pack comes off" in texts.SKIN and "do not fall asleep" in texts.SKIN
