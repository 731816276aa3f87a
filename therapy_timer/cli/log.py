"""Commands that record what happened: log (pain, heat, symptoms, notes) and the answers done, skip and snooze."""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import click

from therapy_timer import wording
from therapy_timer.cli.context import (
    AT_HELP,
    SIGN_NAMES,
    App,
    json_option,
    pass_app,
    print_result,
    saved_at,
)
from therapy_timer.errors import UsageError

if TYPE_CHECKING:
    from therapy_timer.vocabulary import Answer, SwitchKind

# Logging ---------------------------------------------------------------------------------------


@click.group()
def log() -> None:
    """Record pain, how heat went, symptoms or a note."""


@log.command("pain", context_settings={"ignore_unknown_options": True})  # so "-1" reads as a score
@click.argument("score", type=click.IntRange(0, 10), metavar="N")
@click.option("--note", help="a few words about it")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_pain(app: App, score: int, note: str | None, at_text: str, as_json: bool) -> None:
    """Record your pain from 0 (none) to 10 (worst imaginable)."""
    from therapy_timer import usecases

    result = usecases.log_entry(app.deps(), "pain", app.when(at_text, "--at"), score=score, text=note)
    print_result(app, as_json, "log pain", result, [f"Saved: pain {score}/10{saved_at(app, result.at)}."])


def _switch(app: App, kind: SwitchKind, at_text: str, as_json: bool) -> None:
    from therapy_timer import terminal_text, usecases

    result = usecases.switch(app.deps(), kind, app.when(at_text, "--at"))
    print_result(app, as_json, f"log {kind}", result, terminal_text.switched(result, app.zone, app.now))


@log.command("heat-worse")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_heat_worse(app: App, at_text: str, as_json: bool) -> None:
    """Made it worse: the heat made the pain worse; stop it at once and go back to ice."""
    _switch(app, "heat-worse", at_text, as_json)


@log.command("heat-no-help")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_heat_no_help(app: App, at_text: str, as_json: bool) -> None:
    """Didn't help: the heat did not help; go back to ice after the current session."""
    _switch(app, "heat-no-help", at_text, as_json)


@log.command("try-heat-again")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_try_heat_again(app: App, at_text: str, as_json: bool) -> None:
    """After the advice to see a doctor: you want to try heat again (it waits for this)."""
    from therapy_timer import terminal_text, usecases

    result = usecases.try_heat_again(app.deps(), app.when(at_text, "--at"))
    print_result(app, as_json, "log try-heat-again", result, terminal_text.tried_heat(result, app.zone, app.now))


@log.command("symptom", epilog="`therapy-timer signs` explains each NAME.")
@click.argument("words", nargs=-1)
@click.option("--sign", "sign_name", type=click.Choice(SIGN_NAMES), help="a listed warning sign, by its short name")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_symptom(app: App, words: tuple[str, ...], sign_name: str | None, at_text: str, as_json: bool) -> None:
    """Record a symptom in your own words, or a listed warning sign (--sign); warning signs get advice at once."""
    from therapy_timer import json_views, signs, terminal_text, usecases

    at = app.when(at_text, "--at")
    chosen = signs.BY_NAME[sign_name] if sign_name else None
    if not words and chosen is None:
        chosen = _pick_sign(signs.SIGNS)
    text = signs.record_text(chosen, " ".join(words))
    result = usecases.log_entry(app.deps(), "symptom", at, text=text)
    found = signs.read(text)
    number = app.config.advice.emergency_number
    matched = [json_views.sign(s, number) for s in found]
    answer = terminal_text.signs_answer(found, number)
    answer[0] = answer[0].replace("Saved.", f"Saved{saved_at(app, result.at)}.", 1)
    print_result(app, as_json, "log symptom", result, answer, warning_signs=matched)


def _pick_sign(choices: tuple[Any, ...]) -> Any:
    """At a terminal: a numbered list to pick from. Elsewhere: say how to name a sign."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("say what you feel (log symptom WORDS...) or name a sign with --sign NAME")
    for number, sign in enumerate(choices, 1):
        click.echo(f"{number:>3}. {sign.label}")
    picked = click.prompt("Which one? (number)", type=click.IntRange(1, len(choices)))
    return choices[picked - 1]


@log.command("note")
@click.argument("words", nargs=-1, required=True)
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_note(app: App, words: tuple[str, ...], at_text: str, as_json: bool) -> None:
    """Record a note, exactly as you type it."""
    from therapy_timer import usecases

    result = usecases.log_entry(app.deps(), "note", app.when(at_text, "--at"), text=" ".join(words))
    print_result(app, as_json, "log note", result, [f"Saved{saved_at(app, result.at)}."])


# Answering sessions ----------------------------------------------------------------------------


def _answer(app: App, outcome: Answer, at_text: str, as_json: bool) -> None:
    from therapy_timer import usecases

    result = usecases.answer(app.deps(), outcome, app.when(at_text, "--at"))
    said = "done" if outcome == "done" else "skipped"
    text = [f"Marked {said}: {wording.session_label(result.session, app.zone)}."]
    session = result.session
    if outcome == "done" and session.kind != "walk" and result.at < session.end - timedelta(minutes=1):
        # "done" means the pack is off: said at the start, it may have meant "it's on"
        left = round((session.end - result.at) / timedelta(minutes=1))
        text.append(wording.done_early(left, wording.when(session.end, app.zone, app.now)))
    print_result(app, as_json, outcome, result, text)


@click.command()
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def done(app: App, at_text: str, as_json: bool) -> None:
    """Done, it's off (or Walked): mark the current (or most recent) session done."""
    _answer(app, "done", at_text, as_json)


@click.command()
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def skip(app: App, at_text: str, as_json: bool) -> None:
    """Skip: mark the current (or most recent) session as skipped."""
    _answer(app, "skip", at_text, as_json)


@click.command()
@click.argument("minutes", type=click.IntRange(1, 60), default=10, metavar="[MINUTES]")
@json_option
@pass_app
def snooze(app: App, minutes: int, as_json: bool) -> None:
    """Snooze 10 min (or Later, 30 min): remind me again in MINUTES (default 10, at most 60)."""
    from therapy_timer import usecases

    result = usecases.snooze(app.deps(), minutes)
    text = [f'Snoozed: "{result.title}" comes again at {wording.when(result.again_at, app.zone, app.now)}.']
    print_result(app, as_json, "snooze", result, text)
