"""Commands of a plan's life: start, status, plan, stop, recovered, and run (the reminders in the foreground)."""

from __future__ import annotations

import os
import sys
from datetime import timedelta

import click

from therapy_timer import clock, daemon_client, wording
from therapy_timer.cli.context import (
    App,
    FiniteRange,
    emit,
    json_option,
    lines,
    pass_app,
    print_result,
)
from therapy_timer.errors import TherapyTimerError

# Plans -----------------------------------------------------------------------------------------


@click.command()
@click.option(
    "--injured", "injured_text", metavar="WHEN", help="when the spasm or injury happened (default: the start time)"
)
@click.option("--at", "at_text", metavar="WHEN", default="now", help="when the plan starts (default: now)")
@click.option("--replace", is_flag=True, help="end the active plan and start this one instead")
@click.option("--no-daemon", is_flag=True, help="record the plan without starting background reminders")
@json_option
@pass_app
def start(app: App, injured_text: str | None, at_text: str, replace: bool, no_daemon: bool, as_json: bool) -> None:
    """Start a recovery plan and its reminders."""
    from therapy_timer import terminal_text, usecases

    started = app.when(at_text, "the start time --at")
    injured = app.when(injured_text, "the injury time --injured") if injured_text else started
    app.check_config()  # a broken config stops us before anything is written
    deps = app.deps()
    deps.nudge = lambda: None  # the daemon is told (or started) below
    result = usecases.start(deps, injured, started, replace, clock.zone_key(app.zone))
    from therapy_timer.cli.signs import ask_screening, at_a_terminal

    screened, checked = bool(usecases.screening_state(deps)), None
    if not screened and not as_json and at_a_terminal():  # once per injury: a --replace that corrects it keeps them
        click.echo("Your plan is recorded.")
        answered = ask_screening()
        if answered is not None:
            checked, screened = usecases.check(deps, answered), True
    reminders = _start_reminders(app, no_daemon)
    text = terminal_text.started(result, reminders, app.zone, app.now)
    if checked is not None and checked.signs:  # a "yes": its advice first
        text = [*terminal_text.checked(checked, app.config.advice.emergency_number), "", *text]
    elif not screened:
        text.append(terminal_text.SCREENING_LATER)
    print_result(app, as_json, "start", result, text, reminders=reminders, screening_done=screened)


def _start_reminders(app: App, no_daemon: bool) -> str:
    """Start (or tell) the reminders for the plan just recorded, and say exactly what came of it.

    The plan is recorded whatever happens here, so nothing here may end in "nothing was changed":
    reminders that cannot start are one line saying why and what to do, and `start` exits 0.
    """
    if no_daemon:
        if app.daemon_running():
            app.changed()
            return "Reminders: running; they follow the new plan."
        return "Reminders: not started (--no-daemon); `therapy-timer run` starts them."
    try:
        started = daemon_client.start_daemon(app.folder)
    except Exception as exc:  # the plan is recorded; only the reminders cannot start here
        if os.environ.get("THERAPY_TIMER_DEBUG") and not isinstance(exc, TherapyTimerError):
            raise
        why = str(exc) if isinstance(exc, TherapyTimerError) else f"unexpected problem ({type(exc).__name__}: {exc})"
        return (
            f"Reminders: not started: {why}. The plan is recorded; once that is fixed, "
            "`therapy-timer run` runs the reminders."
        )
    back = f" They will not come back after a restart: {started.no_comeback}." if started.no_comeback else ""
    if started.already_running:
        return "Reminders: running; they follow the new plan." + back
    missing = daemon_client.no_desktop_session()
    if missing:
        way = started.way
        log = (
            "journal (journalctl --user -u therapy-timer)" if way == "systemd" else app.folder / daemon_client.LOG_NAME
        )
        return (
            f"Reminders: starting in the background, but {missing}: they reach only the log ({log}) "
            "until you run any therapy-timer command (status, say) from your desktop session." + back
        )
    return "Reminders: starting in the background (`therapy-timer stop` ends the plan and them)." + back


def _ended(app: App) -> None:
    """After a plan ended: the reminders no longer come back at login; where that could not be
    undone, say so (the plan has ended all the same, and the exit status stays 0)."""
    problem = daemon_client.remove_autostart()
    if problem:
        click.echo(
            f"therapy-timer: warning: the plan has ended, but the login entry (or user service) that starts "
            f"the reminders was not removed ({problem}); if there is one, at login it finds no plan and stops at once",
            err=True,
        )


@click.command()
@json_option
@pass_app
def status(app: App, as_json: bool) -> None:
    """Where you are in the plan: phase, day, current and next session, reminders, last pain score."""
    from therapy_timer.cli import app as shared

    shared.status(app, as_json)


@click.command()
@click.option("--from", "from_text", metavar="WHEN", default="now", help="start of the window (default: now)")
@click.option(
    "--hours", type=FiniteRange(min=0.25, max=24 * 60), default=24, show_default=True, help="length of the window"
)
@json_option
@pass_app
def plan(app: App, from_text: str, hours: float, as_json: bool) -> None:
    """The timeline of sessions in a window of time."""
    from therapy_timer import json_views, terminal_text, usecases

    start = app.when(from_text, "--from", allow_future=True)
    view = json_views.plan_window(usecases.plan_window(app.deps(), start, start + timedelta(hours=hours)))
    emit(view, "plan") if as_json else lines(terminal_text.plan(view, app.zone, app.now))


@click.command()
@json_option
@pass_app
def stop(app: App, as_json: bool) -> None:
    """End the plan (your record is kept) and stop the reminders."""
    from therapy_timer import usecases

    result = usecases.end(app.deps(), "stopped")
    _ended(app)
    text = ["Plan ended; reminders stop. Your record stays: `therapy-timer history` shows it."]
    print_result(app, as_json, "stop", result, text)


@click.command()
@json_option
@pass_app
def recovered(app: App, as_json: bool) -> None:
    """End the plan because your back is better; shows a summary and tips to prevent the next one."""
    from therapy_timer import terminal_text, usecases

    result = usecases.end(app.deps(), "recovered")
    _ended(app)
    print_result(
        app, as_json, "recovered", result, terminal_text.recovered(result), prevention=list(wording.PREVENTION)
    )


@click.command("run")
@pass_app
def run_daemon(app: App) -> None:
    """Run the reminders in the foreground (for a terminal, a service manager, or debugging).

    Each reminder it fires is logged here; it ends when the plan ends or on Ctrl-C.
    """
    app.check_config()  # refuse a broken config here, with the usual one-line error
    app.store.require_plan()
    sys.stdout.flush()
    from therapy_timer.autostart import daemon_command

    command = daemon_command()
    if sys.platform == "win32":  # pragma: no cover - no exec there: run it as a child and pass on its status
        import subprocess

        sys.exit(subprocess.call(command))
    os.execv(sys.executable, command)  # the daemon carries no click or command-line code while idle
