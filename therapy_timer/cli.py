"""The `therapy-timer` command: a thin shell around the pure protocol, the store and the daemon.

Every problem ends as one line on stderr with exit status 2 (bad input) or 1 (refused), never a
traceback; checks run before anything is written, so a refused command changes nothing.
Heavy libraries (APScheduler, plyer) are imported only by the commands that need them.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn

import click

from therapy_timer import __version__, clock, control, paths, texts
from therapy_timer.errors import RefusedError, TherapyTimerError, UsageError, fail
from therapy_timer.text import one_line

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up fast
    from pathlib import Path

    from therapy_timer.config import Config
    from therapy_timer.protocol import Timeline
    from therapy_timer.store import LoggedEvent, Store, StoredPlan

FUTURE_SLACK = timedelta(minutes=1)
PLAN_LOOKAHEAD = timedelta(days=3)


class App:
    """What one command invocation needs, each piece loaded only when first used."""

    def __init__(self, source: clock.Clock = clock.SYSTEM) -> None:
        self.clock = source

    @cached_property
    def now(self) -> datetime:
        return self.clock.now().replace(microsecond=0)

    @cached_property
    def zone(self) -> tzinfo:
        """The zone recorded with the active plan, else this machine's zone (TZ, /etc/localtime).

        A plan is computed in the zone it was started in, by every command and by the daemon,
        whatever TZ each process has: quiet hours and session keys must agree.
        """
        stored = self.store.active_plan()
        return (clock.zone_named(stored.zone) if stored else None) or clock.local_zone()

    @cached_property
    def config(self) -> Config:
        from therapy_timer import config

        loaded = config.load(paths.config_path())
        for warning in loaded.warnings:
            click.echo(f"therapy-timer: warning: {warning}", err=True)
        return loaded.config

    def check_config(self) -> None:
        """Load the config now, so a broken one stops a command before anything is written."""
        _ = self.config

    @cached_property
    def folder(self) -> Path:
        return paths.data_dir()

    @cached_property
    def store(self) -> Store:
        from therapy_timer.store import Store

        opened = Store(self.folder)
        click.get_current_context().call_on_close(opened.close)
        return opened

    def when(self, text: str, what: str, allow_future: bool = False) -> datetime:
        from therapy_timer.when import parse_when

        moment = parse_when(text, self.now, self.zone)
        if not allow_future and moment > self.now + FUTURE_SLACK:
            raise UsageError(f'{what} "{one_line(text)}" is in the future')
        return moment

    def timeline(self, stored: StoredPlan, until: datetime, events: list[LoggedEvent] | None = None) -> Timeline:
        from therapy_timer import protocol

        events = self.store.events(stored.id) if events is None else events
        return protocol.build(self.config, stored.plan, [e.as_event() for e in events], until, self.zone)

    def log_anytime(self, kind: str, at_text: str, **fields: Any) -> None:
        """Record an event that needs no plan (pain, symptom, note); it joins the active plan if any."""
        at = self.when(at_text, "--at")
        stored = self.store.active_plan()
        self.store.log(stored.id if stored else None, at, kind, self.now, **fields)

    def daemon_running(self) -> bool:
        return control.is_running(self.folder)

    def changed(self) -> None:
        """Tell a running daemon the plan changed, so its next reminders follow it at once."""
        control.nudge(self.folder)

    def ended(self) -> None:
        """The plan is over: the daemon stops at its next tick (now) and no longer starts at login."""
        control.remove_autostart()
        self.changed()


def emit(data: Any) -> None:
    import json  # only for --json: a few ms of start-up the other commands need not pay

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def lines(rows: list[str]) -> None:
    click.echo("\n".join(rows))


class Cli(click.Group):
    """A click group whose errors are one line and whose exit codes follow our contract."""

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        try:
            result = super().main(args, prog_name or "therapy-timer", complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            fail("stopped", 1)
        except (
            click.exceptions.NoArgsIsHelpError
        ) as exc:  # `therapy-timer`, `therapy-timer log`: the help, as --help shows it
            click.echo(exc.ctx.get_help() if exc.ctx else "")
            sys.exit(0)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except TherapyTimerError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(1)
        except Exception as exc:  # never a traceback in front of the user
            if os.environ.get("THERAPY_TIMER_DEBUG"):
                raise
            fail(
                f"unexpected problem ({type(exc).__name__}: {exc}); nothing else was changed. "
                "Set THERAPY_TIMER_DEBUG=1 for details",
                1,
            )
        sys.exit(result if isinstance(result, int) else 0)


pass_app = click.make_pass_decorator(App, ensure=True)
AT_HELP = 'when it happened: now (default), 14:30, -20m, "yesterday 22:15" or ISO 8601'


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="therapy-timer")
def cli() -> None:
    """Guides you through a lower back spasm: ice first, then moist heat, short walks, and
    reminders at the right moments. It reminds and records; it is not medical advice."""


# Plans -----------------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--injured", "injured_text", metavar="WHEN", help="when the spasm or injury happened (default: the start time)"
)
@click.option("--at", "at_text", metavar="WHEN", default="now", help="when the plan starts (default: now)")
@click.option("--replace", is_flag=True, help="end the active plan and start this one instead")
@click.option("--no-daemon", is_flag=True, help="record the plan without starting background reminders")
@pass_app
def start(app: App, injured_text: str | None, at_text: str, replace: bool, no_daemon: bool) -> None:
    """Start a recovery plan and its reminders."""
    started = app.when(at_text, "the start time --at")
    injured = app.when(injured_text, "the injury time --injured") if injured_text else started
    if injured > started:
        raise UsageError("the injury (--injured) must be before the plan start (--at)")
    app.check_config()  # a broken config stops us before anything is written
    stored = app.store.start_plan(injured, started, replace, app.now, clock.zone_key(app.zone))
    from therapy_timer import render, views

    view = views.status(stored.plan, app.timeline(stored, app.now + PLAN_LOOKAHEAD), [], app.now, app.zone)
    click.echo(f"Plan started: injured {render.when(injured, app.zone, app.now)}, day {view['day']} of recovery.")
    if view["phase"] == "cold":
        click.echo(
            f"Cold first: ice every {app.config.cold.every_hours:g} h "
            f"until {render.when(view['phase_until'], app.zone, app.now)}, "
            f"then moist heat every {app.config.heat.every_hours:g} h."
        )
    else:
        click.echo(
            f"The cold phase is over: moist heat every {app.config.heat.every_hours:g} h. "
            "If heat makes it worse, run `therapy-timer log heat-worse` and you go straight back to ice."
        )
    lines(render.now_and_next(view, app.zone, app.now))
    if (app.now - injured) > timedelta(days=14):
        click.echo(texts.NO_BETTER)
    click.echo(_start_reminders(app, no_daemon))
    click.echo(texts.NOT_ADVICE)


def _start_reminders(app: App, no_daemon: bool) -> str:
    if app.daemon_running():
        app.changed()
        return "Reminders: running; they follow the new plan."
    if no_daemon:
        return "Reminders: not started (--no-daemon); `therapy-timer run` starts them."
    try:
        way = control.start_daemon(app.folder)
    except RefusedError as exc:  # the plan is recorded; only the reminders cannot start here
        return f"Reminders: not started: {exc}."
    missing = control.no_desktop_session()
    if missing:
        log = "journal (journalctl --user -u therapy-timer)" if way == "systemd" else app.folder / control.LOG_NAME
        return (
            f"Reminders: starting in the background, but {missing}: they will only reach the log "
            f"({log}). Run start again from your desktop session to see them."
        )
    return "Reminders: starting in the background (`therapy-timer stop` ends the plan and them)."


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@pass_app
def status(app: App, as_json: bool) -> None:
    """Where you are in the plan: phase, day, current and next session, last pain score."""
    from therapy_timer import render, views

    stored = app.store.active_plan()
    if stored is None:
        view: dict[str, Any] = dict(views.NO_PLAN_STATUS)
    else:
        events = app.store.events(stored.id)
        view = views.status(
            stored.plan, app.timeline(stored, app.now + PLAN_LOOKAHEAD, events), events, app.now, app.zone
        )
    view["daemon_running"] = app.daemon_running()
    emit(view) if as_json else lines(render.status(view, app.zone, app.now))


@cli.command()
@click.option("--from", "from_text", metavar="WHEN", default="now", help="start of the window (default: now)")
@click.option(
    "--hours", type=click.FloatRange(min=0.25, max=24 * 60), default=24, show_default=True, help="length of the window"
)
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@pass_app
def plan(app: App, from_text: str, hours: float, as_json: bool) -> None:
    """The timeline of sessions in a window of time."""
    from therapy_timer import render, views

    start = app.when(from_text, "--from", allow_future=True)
    end = start + timedelta(hours=hours)
    stored = app.store.require_plan()
    events = app.store.events(stored.id)
    view = views.plan_window(app.timeline(stored, end, events), events, start, end, app.zone)
    emit(view) if as_json else lines(render.plan(view, app.zone, app.now))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@pass_app
def history(app: App, as_json: bool) -> None:
    """Everything logged, oldest first."""
    from therapy_timer import render, views

    entries = [views.history_entry(e, app.zone) for e in app.store.events()]
    emit(entries) if as_json else lines(render.history(entries, app.zone))


@cli.command()
@pass_app
def stop(app: App) -> None:
    """End the plan (your record is kept) and stop the reminders."""
    stored = app.store.require_plan()
    app.store.end_plan(stored.id, app.now, "stopped")
    app.ended()
    click.echo("Plan ended; reminders stop. Your record stays: `therapy-timer history` shows it.")


@cli.command()
@pass_app
def recovered(app: App) -> None:
    """End the plan because your back is better; shows a summary and tips to prevent the next one."""
    from therapy_timer import views

    stored = app.store.require_plan()
    events = app.store.events(stored.id)
    report = views.summary(stored.plan, app.timeline(stored, app.now, events), events, app.now)
    app.store.end_plan(stored.id, app.now, "recovered")
    app.ended()
    done = report["done"]
    click.echo(
        f"Good news. Plan ended after {report['days']:g} days: {done['ice']} ice, {done['heat']} heat and "
        f"{done['walk']} walk sessions marked done; back to cold {report['switches_back_to_cold']} time(s)."
    )
    if report["pain_first"] is not None:
        click.echo(f"Pain went from {report['pain_first']}/10 to {report['pain_last']}/10.")
    click.echo("To keep your back well:")
    lines([f"  - {tip}" for tip in texts.PREVENTION])


# Logging ---------------------------------------------------------------------------------------


@cli.group()
def log() -> None:
    """Record pain, how heat went, symptoms or a note."""


@log.command("pain", context_settings={"ignore_unknown_options": True})  # so "-1" reads as a score
@click.argument("score", type=click.IntRange(0, 10), metavar="N")
@click.option("--note", help="a few words about it")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def log_pain(app: App, score: int, note: str | None, at_text: str) -> None:
    """Record your pain from 0 (none) to 10 (worst imaginable)."""
    app.log_anytime("pain", at_text, score=score, text=note)
    click.echo(f"Saved: pain {score}/10.")


def _switch(app: App, kind: str, at_text: str) -> None:
    from therapy_timer import protocol, render

    at = app.when(at_text, "--at")
    stored = app.store.require_plan()
    if at < stored.plan.started_at:
        raise UsageError("--at is before this plan started")
    before = app.timeline(stored, at + PLAN_LOOKAHEAD)
    in_heat = before.phase_at(at).mode == "heat"
    app.store.log(stored.id, at, kind, app.now)
    app.changed()
    if kind == protocol.HEAT_WORSE:
        click.echo("Take the heat off now.")
    if not in_heat:
        click.echo("You are in a cold phase already, so nothing changes: keep to ice, wrapped in a towel.")
        return
    after = app.timeline(stored, at + PLAN_LOOKAHEAD)
    ice = next(s for s in after.sessions if s.kind == "ice" and s.start >= at)
    cold = after.phase_at(ice.start)
    click.echo(
        f"Back to cold: ice, wrapped in a towel, {render.span(ice.minutes)} "
        f"from {render.when(ice.start, app.zone, app.now)}. "
        f"Heat will be tried again from {render.when(cold.end, app.zone, app.now)}."
    )
    if after.see_doctor(at):
        click.echo(texts.DOCTOR_AFTER_SWITCHES)


@log.command("heat-worse")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def log_heat_worse(app: App, at_text: str) -> None:
    """Heat made it worse: stop the heat at once and go back to ice."""
    _switch(app, "heat-worse", at_text)


@log.command("heat-no-help")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def log_heat_no_help(app: App, at_text: str) -> None:
    """Heat did not help: go back to ice after the current session."""
    _switch(app, "heat-no-help", at_text)


@log.command("symptom", epilog=texts.WARNING_SIGNS_HELP)
@click.argument("words", nargs=-1, required=True)
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def log_symptom(app: App, words: tuple[str, ...], at_text: str) -> None:
    """Record a symptom, e.g. "tingling down my left leg"; warning signs get advice at once."""
    text = " ".join(words)
    app.log_anytime("symptom", at_text, text=text)
    click.echo("Saved.")
    found = texts.classify_symptom(text)
    if found and found[0] == "urgent":
        click.echo(f"URGENT: that sounds like {found[1]}. {texts.URGENT_ADVICE}")
    elif found:
        click.echo(f"That sounds like {found[1]}. {texts.NERVE_ADVICE}")


@log.command("note")
@click.argument("words", nargs=-1, required=True)
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def log_note(app: App, words: tuple[str, ...], at_text: str) -> None:
    """Record a note, exactly as you type it."""
    app.log_anytime("note", at_text, text=" ".join(words))
    click.echo("Saved.")


# Answering sessions ----------------------------------------------------------------------------


def _answer(app: App, outcome: str, at_text: str) -> None:
    from therapy_timer import render, views

    at = app.when(at_text, "--at")
    stored = app.store.require_plan()
    events = app.store.events(stored.id)
    timeline = app.timeline(stored, at + timedelta(days=1), events)
    session = timeline.latest(at)
    if session is None:
        first = timeline.upcoming(at)
        raise RefusedError(
            "no session has started yet"
            + (f"; the first is at {render.when(first.start, app.zone, app.now)}" if first else "")
        )
    previous = views.outcomes(events).get(session.key)
    label = f"{session.kind} {render.when(session.start, app.zone, app.now)}-{session.end.astimezone(app.zone):%H:%M}"
    if previous:
        raise RefusedError(f"{label} is already marked {previous['outcome']}")
    app.store.log(stored.id, at, outcome, app.now, session=session.key)
    app.changed()
    click.echo(f"Marked {'done' if outcome == 'done' else 'skipped'}: {label}.")


@cli.command()
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def done(app: App, at_text: str) -> None:
    """Mark the current (or most recent) session as done: the pack is off, the walk is over."""
    _answer(app, "done", at_text)


@cli.command()
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@pass_app
def skip(app: App, at_text: str) -> None:
    """Mark the current (or most recent) session as skipped."""
    _answer(app, "skip", at_text)


@cli.command()
@click.argument("minutes", type=click.IntRange(1, 60), default=10, metavar="[MINUTES]")
@pass_app
def snooze(app: App, minutes: int) -> None:
    """Remind me again in MINUTES (default 10, at most 60)."""
    from therapy_timer import reminders, render

    stored = app.store.require_plan()
    events = [e.as_event() for e in app.store.events(stored.id)]
    due = reminders.for_plan(
        app.config, stored.plan, events, app.now - timedelta(hours=1), app.now + timedelta(days=1), app.zone
    )
    target = reminders.snooze_target(due, app.now)
    if target is None:
        raise RefusedError("there is no reminder to snooze")
    if target.sticky:
        raise RefusedError(
            "a take-it-off reminder cannot be snoozed: longer ice or heat can hurt the skin. "
            "Take it off, then run `therapy-timer done`"
        )
    app.store.log(stored.id, app.now, "snooze", app.now, minutes=minutes, session=target.session)
    app.changed()
    again = max(target.due, app.now) + timedelta(minutes=minutes)
    click.echo(f'Snoozed: "{target.title}" comes again at {render.when(again, app.zone, app.now)}.')


# Reminders -------------------------------------------------------------------------------------


@cli.command("run")
@pass_app
def run_daemon(app: App) -> None:
    """Run the reminders in the foreground (for a terminal, a service manager, or debugging).

    Each reminder it fires is logged here; it ends when the plan ends or on Ctrl-C.
    """
    app.check_config()  # refuse a broken config here, with the usual one-line error
    app.store.require_plan()
    sys.stdout.flush()
    command = [sys.executable, "-m", "therapy_timer.daemon"]
    if sys.platform == "win32":  # pragma: no cover - no exec there: run it as a child and pass on its status
        import subprocess

        sys.exit(subprocess.call(command))
    os.execv(sys.executable, command)  # the daemon carries no click or command-line code while idle


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@pass_app
def doctor(app: App, as_json: bool) -> None:
    """Check the set-up: notifications (sends a test), reminders, config and data."""
    from therapy_timer.doctor import checkup, render

    report = checkup(app)
    emit(report) if as_json else lines(render(report))
    if not report["ok"]:
        sys.exit(1)


@cli.command()
@click.option(
    "--speed",
    type=click.FloatRange(1, 100_000),
    default=720,
    show_default=True,
    help="how many times faster than real time (720: one plan hour in five seconds)",
)
@click.option("--hours", type=click.FloatRange(0.5, 72), default=12, show_default=True, help="plan hours to show")
def demo(speed: float, hours: float) -> None:
    """Watch a throwaway plan unfold, time compressed, with real notifications."""
    from therapy_timer.daemon import timestamped
    from therapy_timer.demo import run_demo

    run_demo(speed, hours, timestamped)


@cli.command()
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@pass_app
def forget(app: App, yes: bool) -> None:
    """Delete every record (plans, logs, reminders), after asking.

    A damaged database is moved aside instead of deleted, and the new name is printed.
    """
    from therapy_timer import store

    database = app.folder / store.DB_NAME
    if not database.exists():
        click.echo(f"Nothing to forget: there is no record in {app.folder}.")
        return
    try:
        store.Store(app.folder).close()
        damaged = False
    except store.StoreError:
        damaged = True
    question = (
        f"The database at {database} is damaged. Move it aside and start afresh?"
        if damaged
        else f"Delete every plan, log entry and reminder in {app.folder}? This cannot be undone."
    )
    try:
        agreed = yes or click.confirm(question, default=False)
    except click.exceptions.Abort:
        agreed = False
    if not agreed:
        raise RefusedError("nothing was deleted")
    if damaged:
        click.echo(f"Moved the damaged database to {store.set_aside(database, app.now)}; delete it when you are sure.")
        return
    control.remove_autostart()
    if not control.end_daemon(app.folder):  # first, so no daemon keeps reminding from deleted files
        raise RefusedError("the reminders did not stop, so nothing was deleted; please try again")
    removed = store.forget(app.folder)
    click.echo(f"Deleted {len(removed)} file(s); therapy-timer keeps nothing about you now.")


# Settings --------------------------------------------------------------------------------------


@cli.group("config")
def config_group() -> None:
    """Where the settings live, what they are, and a commented default file."""


@config_group.command("path")
def config_path() -> None:
    """Print the path of config.toml (THERAPY_TIMER_CONFIG overrides it)."""
    click.echo(str(paths.config_path()))


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@pass_app
def config_show(app: App, as_json: bool) -> None:
    """Print the settings in effect (the file's values over the defaults)."""
    import json

    from therapy_timer import config

    values = config.as_dict(app.config)
    if as_json:
        emit(values)
        return
    source = paths.config_path()
    click.echo(f"# {source}" + ("" if source.exists() else " (not there: defaults)"))
    for section, settings in values.items():
        click.echo(f"[{section}]")
        lines([f"{key} = {json.dumps(value)}" for key, value in settings.items()])


@config_group.command("init")
@click.option("--force", is_flag=True, help="overwrite an existing file")
@pass_app
def config_init(app: App, force: bool) -> None:
    """Write the commented default config.toml."""
    from therapy_timer import config

    target = paths.config_path()
    if target.exists() and not force:
        raise RefusedError(f"{target} already exists; use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(config.default_text(), encoding="utf-8")
    app.changed()
    click.echo(f"Wrote {target}")


def main() -> NoReturn:
    """Console-script entry point."""
    cli.main()
