"""Warning signs: the list (signs), the screening questions (check, and at start), and signs ack."""

from __future__ import annotations

import sys

import click

from therapy_timer.cli.context import (
    SIGN_NAMES,
    App,
    emit,
    json_option,
    lines,
    pass_app,
    print_result,
)
from therapy_timer.errors import RefusedError, UsageError


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def signs(ctx: click.Context, as_json: bool) -> None:
    """The warning signs to watch for, and what to do about each."""
    if ctx.invoked_subcommand is not None:
        return
    from therapy_timer import json_views, terminal_text
    from therapy_timer import signs as sign_list

    number = ctx.ensure_object(App).config.advice.emergency_number
    if as_json:
        emit({"signs": [json_views.sign(s, number) for s in sign_list.SIGNS]}, "signs")
    else:
        lines(terminal_text.signs_list(number))


@click.command("check", epilog="`therapy-timer signs` explains each NAME.")
@click.option("--none", "none_of_these", is_flag=True, help="none of the warning signs: nothing to report")
@click.option(
    "--sign",
    "sign_names",
    multiple=True,
    type=click.Choice(SIGN_NAMES),
    metavar="NAME",
    help="a warning sign you have, by its short name (repeat for more than one)",
)
@json_option
@pass_app
def check(app: App, none_of_these: bool, sign_names: tuple[str, ...], as_json: bool) -> None:
    """Answer the warning-sign questions: at a terminal it asks them; --none or --sign NAME for scripts."""
    from therapy_timer import json_views, terminal_text, usecases

    if none_of_these and sign_names:
        raise UsageError("--none and --sign say different things: give one of them")
    if not none_of_these and not sign_names:
        if as_json or not at_a_terminal():
            raise UsageError("at a terminal `check` asks; elsewhere say --none, or --sign NAME for a sign you have")
        answered = ask_screening()
        if answered is None:
            raise RefusedError("skipped: nothing was recorded; `therapy-timer check` asks again")
        sign_names = tuple(answered)
    result = usecases.check(app.deps(), sign_names)
    app.changed()
    number = app.config.advice.emergency_number
    text = terminal_text.checked(result, number)
    print_result(app, as_json, "check", result, text, signs=[json_views.sign(s, number) for s in result.signs])


def at_a_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


SKIP_KEYS = ("s", "q", "\x1b", "\x03", "\x04")  # s(kip), q(uit), Escape, Ctrl-C, Ctrl-D


def _key(prompt: str, keys: str) -> str | None:
    """One key press among `keys` (asked again on another key); None for a key that skips."""
    click.echo(prompt, nl=False)
    while True:
        try:
            pressed = click.getchar().lower()
        except (click.exceptions.Abort, KeyboardInterrupt, EOFError):
            pressed = "q"
        if pressed in SKIP_KEYS:
            click.echo(" skipped")
            return None
        if pressed in keys:
            click.echo(f" {pressed}")
            return pressed


def ask_screening() -> list[str] | None:
    """The warning-sign questions, one key press each: the names of the signs said yes to (empty:
    none of them), or None when skipped. A "yes" to a question about several signs asks which."""
    from therapy_timer import signs

    click.echo("A few questions about warning signs (y yes, n no, s skip them all):")
    answered: list[str] = []
    for question in signs.SCREENING:
        said = _key(f"  {question.ask} [y/n/s] ", "yn")
        if said is None:
            return None
        if said == "n":
            continue
        if len(question.signs) == 1:
            answered.append(question.signs[0])
            continue
        for number, name in enumerate(question.signs, 1):
            click.echo(f"    {number}. {signs.BY_NAME[name].label}")
        digits = "".join(str(n) for n in range(1, len(question.signs) + 1))
        which = _key(f"    Which one? [{digits}, a for more than one or not sure, s skip] ", digits + "a")
        if which is None:
            return None
        answered += list(question.signs) if which == "a" else [question.signs[int(which) - 1]]
    return answered


@signs.command("ack")
@pass_app
def signs_ack(app: App) -> None:
    """You have acted on a logged warning sign: stop showing it in `status`."""
    from therapy_timer import usecases

    if not usecases.acknowledge_signs(app.deps()):
        raise RefusedError("no warning sign is on show")
    click.echo("Noted. `status` no longer shows it; log any new sign with `therapy-timer log symptom`.")
