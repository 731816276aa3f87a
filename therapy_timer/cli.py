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
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import click

from therapy_timer import __version__, clock, control, paths, texts
from therapy_timer.errors import RefusedError, TherapyTimerError, UsageError, fail
from therapy_timer.text import one_line

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up fast
    from pathlib import Path

    from therapy_timer.bootstrap import Wiring
    from therapy_timer.config import Config
    from therapy_timer.store import Store
    from therapy_timer.usecases import Deps

FUTURE_SLACK = timedelta(minutes=1)


class App:
    """What one command invocation needs, each piece loaded only when first used."""

    def __init__(self, source: clock.Clock = clock.SYSTEM) -> None:
        self.clock = source

    @cached_property
    def now(self) -> datetime:
        return self.clock.now().replace(microsecond=0)

    @cached_property
    def wiring(self) -> Wiring:
        from therapy_timer.bootstrap import Wiring

        return Wiring(paths.config_path())

    @cached_property
    def zone(self) -> tzinfo:
        """The zone recorded with the active plan, else this machine's (`bootstrap.Wiring.zone`)."""
        return self.wiring.zone(self.store.active_plan())

    strict_config = False
    """Whether a broken config.toml stops this command (start, config show) or only warns."""

    @cached_property
    def config(self) -> Config:
        """The settings in effect (`bootstrap.Wiring.settings`). A broken file stops `start` and
        `config show`; any other command warns in one line and goes on with the settings last
        recorded with the plan, as the reminders do: a typo must not keep someone from logging pain."""
        if self.strict_config:
            from therapy_timer import config

            loaded = config.load(paths.config_path())
            warnings, settings = loaded.warnings, loaded.config
        else:
            read = self.wiring.settings(self.store)
            if read.problem is not None:
                click.echo(
                    f"therapy-timer: warning: {read.problem}; using the settings last recorded until it is fixed",
                    err=True,
                )
            warnings, settings = list(read.warnings), read.config
        for warning in warnings:
            click.echo(f"therapy-timer: warning: {warning}", err=True)
        return settings

    def check_config(self) -> None:
        """Load the config now, so a broken one stops a command before anything is written."""
        self.strict_config = True
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
        """The moment `text` names; something that happened (not `allow_future`) is never ahead of now."""
        from therapy_timer.when import parse_when

        moment = parse_when(text, self.now, self.zone, past=not allow_future)
        if not allow_future and moment > self.now + FUTURE_SLACK:
            raise UsageError(f'{what} "{one_line(text)}" is in the future')
        return moment

    def deps(self) -> Deps:
        """What the use cases need, wired as for every entry point (`bootstrap.Wiring.deps`)."""
        return self.wiring.deps(self.store, self.now, self.config, self.changed)

    def daemon_running(self) -> bool:
        return control.is_running(self.folder)

    def changed(self) -> None:
        """Tell a running daemon the plan changed, so its next reminders follow it at once."""
        control.nudge(self.folder)


def emit(data: Any, command: str | None = None) -> None:
    """Print --json output; with `command`, led by the contract's `schema` and `command` keys."""
    import json  # only for --json: a few ms of start-up the other commands need not pay

    if command is not None:
        data = {"schema": 1, "command": command, **{k: v for k, v in data.items() if k not in ("schema", "command")}}
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def report(app: App, as_json: bool, command: str, value: Any, text: list[str], **extra: Any) -> None:
    """Print a use case's result: the lines for a person, or the JSON contract (`views.result`)."""
    if as_json:
        from therapy_timer import views

        emit(views.result(command, value, app.zone, **extra))
    else:
        lines(text)


json_option = click.option("--json", "as_json", is_flag=True, help="machine-readable output")


class FiniteRange(click.FloatRange):
    """A number in a range that is a number: float("nan") passes every range check, being unordered."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if number != number:  # NaN is the one value unequal to itself
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


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
                f"unexpected problem ({type(exc).__name__}: {exc}); what was recorded before it stays recorded "
                "(`therapy-timer status` shows it). Set THERAPY_TIMER_DEBUG=1 for details",
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
@json_option
@pass_app
def start(app: App, injured_text: str | None, at_text: str, replace: bool, no_daemon: bool, as_json: bool) -> None:
    """Start a recovery plan and its reminders."""
    from therapy_timer import clock, render, usecases

    started = app.when(at_text, "the start time --at")
    injured = app.when(injured_text, "the injury time --injured") if injured_text else started
    app.check_config()  # a broken config stops us before anything is written
    deps = app.deps()
    deps.nudge = lambda: None  # the daemon is told (or started) below
    result = usecases.start(deps, injured, started, replace, clock.zone_key(app.zone))
    screened, checked = bool(usecases.screening_state(deps)), None
    if not screened and not as_json and _at_a_terminal():  # once per injury: a --replace that corrects it keeps them
        click.echo("Your plan is recorded.")
        answered = _screening()
        if answered is not None:
            checked, screened = usecases.check(deps, answered), True
    reminders = _start_reminders(app, no_daemon)
    text = render.started(result, reminders, app.zone, app.now)
    if checked is not None and checked.signs:  # a "yes": its advice first
        text = [*render.checked(checked, app.config.advice.emergency_number), "", *text]
    elif not screened:
        text.append(render.SCREENING_LATER)
    report(app, as_json, "start", result, text, reminders=reminders, screening_done=screened)


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
        started = control.start_daemon(app.folder)
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
    missing = control.no_desktop_session()
    if missing:
        way = started.way
        log = "journal (journalctl --user -u therapy-timer)" if way == "systemd" else app.folder / control.LOG_NAME
        return (
            f"Reminders: starting in the background, but {missing}: they reach only the log ({log}) "
            "until you run any therapy-timer command (status, say) from your desktop session." + back
        )
    return "Reminders: starting in the background (`therapy-timer stop` ends the plan and them)." + back


def _ended(app: App) -> None:
    """After a plan ended: the reminders no longer come back at login; where that could not be
    undone, say so (the plan has ended all the same, and the exit status stays 0)."""
    problem = control.remove_autostart()
    if problem:
        click.echo(
            f"therapy-timer: warning: the plan has ended, but the login entry (or user service) that starts "
            f"the reminders was not removed ({problem}); if there is one, at login it finds no plan and stops at once",
            err=True,
        )


@cli.command()
@json_option
@pass_app
def status(app: App, as_json: bool) -> None:
    """Where you are in the plan: phase, day, current and next session, reminders, last pain score."""
    from therapy_timer import render, usecases

    view = usecases.status(app.deps())
    view["daemon_running"] = app.daemon_running()
    if view["daemon_running"]:
        control.offer_desktop(app.folder)  # a daemon started outside the desktop takes this session
    emit(view, "status") if as_json else lines(render.status(view, app.zone, app.now))


@cli.command()
@click.option("--from", "from_text", metavar="WHEN", default="now", help="start of the window (default: now)")
@click.option(
    "--hours", type=FiniteRange(min=0.25, max=24 * 60), default=24, show_default=True, help="length of the window"
)
@json_option
@pass_app
def plan(app: App, from_text: str, hours: float, as_json: bool) -> None:
    """The timeline of sessions in a window of time."""
    from therapy_timer import render, usecases

    start = app.when(from_text, "--from", allow_future=True)
    view = usecases.plan_window(app.deps(), start, start + timedelta(hours=hours))
    emit(view, "plan") if as_json else lines(render.plan(view, app.zone, app.now))


@cli.command()
@json_option
@pass_app
def history(app: App, as_json: bool) -> None:
    """Everything logged, oldest first."""
    from therapy_timer import render, views

    view = views.history(app.store.events(), app.zone)
    emit(view, "history") if as_json else lines(render.history(view["events"], app.zone))


@cli.command("report")
@click.option(
    "--plan", "plan_id", type=click.IntRange(min=1), metavar="ID", help="the plan to report on (default: the latest)"
)
@click.option(
    "--csv", "csv_file", metavar="FILE", help="write everything ever logged as CSV, for a spreadsheet (- for stdout)"
)
@click.option(
    "--html", "html_file", metavar="FILE", help="write a printable page with a pain chart, for a physiotherapist"
)
@json_option
@pass_app
def report_command(app: App, plan_id: int | None, csv_file: str | None, html_file: str | None, as_json: bool) -> None:
    """A day-by-day account of a plan for you or your physiotherapist: sessions, pain, switches, signs.

    With --csv or --html it writes those files (a new file is readable only by you) instead of
    printing the days; - writes one of them to standard output.
    """
    from therapy_timer import clock, usecases

    if [csv_file, html_file, "-" if as_json else None].count("-") > 1:
        raise UsageError("only one of --csv -, --html - and --json can use standard output; name a file")
    wanted = as_json or html_file is not None or csv_file is None
    result = usecases.report(app.deps(), plan_id) if wanted else None
    zone = (clock.zone_named(result.zone) if result else None) or app.zone
    said: list[tuple[str, str]] = []
    if csv_file is not None:
        from therapy_timer import report as report_module

        events = app.store.events()  # the whole record, with or without a plan
        _write(csv_file, report_module.csv_text(events, app.zone))
        said.append((csv_file, f"{len(events)} events"))
    if html_file is not None and result is not None:
        from therapy_timer import report_html

        _write(html_file, report_html.page(result, zone))
        days, scores = len(result.days), len(result.pain)
        said.append((html_file, f"{days} day{'s' * (days != 1)}, {scores} pain score{'s' * (scores != 1)}"))
    if as_json:
        from therapy_timer import views

        emit(views.result("report", result, zone, files=[name for name in (csv_file, html_file) if name]))
    elif csv_file is not None or html_file is not None:
        for name, what in said:
            if name != "-":
                click.echo(f"Wrote {name} ({what}).")
    elif result is not None:
        from therapy_timer import report as report_module

        lines(report_module.text_lines(result, zone))


def _write(name: str, content: str) -> None:
    """Write a report file (`-`: standard output), whole and never through another user's link or into
    their file (`files.replace`). A new file is readable only by you, like the record itself."""
    if name == "-":
        click.echo(content, nl=False)
        return
    from pathlib import Path

    from therapy_timer import files

    try:
        files.replace(Path(name), content.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {one_line(name)}: {exc.strerror or exc}") from None


@cli.group("export")
def export_group() -> None:
    """Your plan for other programs: a calendar file with alarms."""


EXPORT_MAX_DAYS = 14  # calendar_feed.MAX_DAYS, spelled out so `--help` loads no plan code (a test keeps them equal)


@export_group.command("ics")
@click.argument("file", default="-", metavar="[FILE]")
@click.option(
    "--days",
    type=click.IntRange(1, EXPORT_MAX_DAYS),
    default=3,
    show_default=True,
    help="today's sessions and those of the next DAYS days",
)
@json_option
@pass_app
def export_ics(app: App, file: str, days: int, as_json: bool) -> None:
    """Write the plan's sessions as a calendar file (iCalendar) with alarms, to FILE or to stdout (-).

    Each session is one event with an alarm at its start, and for ice and heat one at its end.
    Writing to the same FILE again updates it: sessions no longer planned are marked cancelled,
    so a calendar that imports it again drops them. While the reminders run they keep such a file
    up to date by themselves: plan.ics in the data folder.
    """
    from pathlib import Path

    from therapy_timer import clock, files, ics, usecases

    target = None if file == "-" else Path(file)
    if target is None and as_json:
        raise UsageError("--json needs a FILE: without one the calendar itself goes to stdout")
    if target is not None and target.is_dir():
        raise UsageError(f"{one_line(file)} is a folder; give a file name, e.g. {Path(file) / 'plan.ics'}")
    try:
        # Our own link (to a synced folder, say) leads to the file it points to; another user's link,
        # another user's file, a device or a FIFO is refused in one line before anything is read.
        target = files.target(target) if target is not None else None
        previous = ics.previous(target) if target is not None else []
    except ics.NotOurs as exc:
        raise RefusedError(
            f"{one_line(file)} is there already and {exc}; nothing was written: choose another name"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read {one_line(file)}: {exc.strerror or exc}") from None
    result = usecases.export_calendar(app.deps(), days, previous)
    zone = clock.zone_named(result.zone) or app.zone
    data = ics.render(result.events, zone)
    if target is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        ics.replace(target, data)
    except OSError as exc:
        raise UsageError(f"cannot write {one_line(file)}: {exc.strerror or exc}") from None
    from therapy_timer import render

    text = [render.exported(result, file, zone, app.now)]
    report(app, as_json, "export ics", result, text, file=str(target))


@cli.command()
@json_option
@pass_app
def stop(app: App, as_json: bool) -> None:
    """End the plan (your record is kept) and stop the reminders."""
    from therapy_timer import usecases

    result = usecases.end(app.deps(), "stopped")
    _ended(app)
    text = ["Plan ended; reminders stop. Your record stays: `therapy-timer history` shows it."]
    report(app, as_json, "stop", result, text)


@cli.command()
@json_option
@pass_app
def recovered(app: App, as_json: bool) -> None:
    """End the plan because your back is better; shows a summary and tips to prevent the next one."""
    from therapy_timer import render, usecases

    result = usecases.end(app.deps(), "recovered")
    _ended(app)
    report(app, as_json, "recovered", result, render.recovered(result), prevention=list(texts.PREVENTION))


# Logging ---------------------------------------------------------------------------------------


@cli.group()
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
    report(app, as_json, "log pain", result, [f"Saved: pain {score}/10{saved_at(app, result.at)}."])


def saved_at(app: App, at: datetime) -> str:
    """ " for Tue 15:40" when an entry was logged for another moment than now: say which, as --at
    is read in the plan's zone and a person may mean another."""
    from therapy_timer import render

    return "" if abs(at - app.now) <= FUTURE_SLACK else f" for {render.when(at, app.zone, app.now)}"


def _switch(app: App, kind: str, at_text: str, as_json: bool) -> None:
    from therapy_timer import render, usecases

    result = usecases.switch(app.deps(), kind, app.when(at_text, "--at"))
    report(app, as_json, f"log {kind}", result, render.switched(result, app.zone, app.now))


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
    from therapy_timer import render, usecases

    result = usecases.try_heat_again(app.deps(), app.when(at_text, "--at"))
    report(app, as_json, "log try-heat-again", result, render.tried_heat(result, app.zone, app.now))


SIGN_NAMES = (
    "chest-pain",
    "breathless",
    "tearing",
    "collapse",
    "confused-fever",
    "saddle",
    "bladder-bowel",
    "leg-weakness",
    "fever",
    "trauma",
    "red-flag",
    "bones",
    "immune",
    "first-past-50",
    "upper-back",
    "nerve",
    "radiating",
    "no-better",
    "heat-burn",
    "ice-injury",
)  # signs.SIGNS' names, spelled out so `--help` does not load the sign rules (a test keeps them equal)


@log.command("symptom", epilog="`therapy-timer signs` explains each NAME.")
@click.argument("words", nargs=-1)
@click.option("--sign", "sign_name", type=click.Choice(SIGN_NAMES), help="a listed warning sign, by its short name")
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_symptom(app: App, words: tuple[str, ...], sign_name: str | None, at_text: str, as_json: bool) -> None:
    """Record a symptom in your own words, or a listed warning sign (--sign); warning signs get advice at once."""
    from therapy_timer import render, signs, usecases, views

    at = app.when(at_text, "--at")
    chosen = signs.BY_NAME[sign_name] if sign_name else None
    if not words and chosen is None:
        chosen = _pick_sign(signs.SIGNS)
    text = signs.record_text(chosen, " ".join(words))
    result = usecases.log_entry(app.deps(), "symptom", at, text=text)
    found = signs.read(text)
    number = app.config.advice.emergency_number
    matched = [views.sign(s, number) for s in found]
    answer = render.signs_answer(found, number)
    answer[0] = answer[0].replace("Saved.", f"Saved{saved_at(app, result.at)}.", 1)
    report(app, as_json, "log symptom", result, answer, warning_signs=matched)


def _pick_sign(choices: tuple[Any, ...]) -> Any:
    """At a terminal: a numbered list to pick from. Elsewhere: say how to name a sign."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("say what you feel (log symptom WORDS...) or name a sign with --sign NAME")
    for number, sign in enumerate(choices, 1):
        click.echo(f"{number:>3}. {sign.label}")
    picked = click.prompt("Which one? (number)", type=click.IntRange(1, len(choices)))
    return choices[picked - 1]


@cli.group(invoke_without_command=True)
@json_option
@click.pass_context
def signs(ctx: click.Context, as_json: bool) -> None:
    """The warning signs to watch for, and what to do about each."""
    if ctx.invoked_subcommand is not None:
        return
    from therapy_timer import render, views
    from therapy_timer import signs as sign_list

    number = ctx.ensure_object(App).config.advice.emergency_number
    if as_json:
        emit({"signs": [views.sign(s, number) for s in sign_list.SIGNS]}, "signs")
    else:
        lines(render.signs_list(number))


@cli.command("check", epilog="`therapy-timer signs` explains each NAME.")
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
    from therapy_timer import render, usecases, views

    if none_of_these and sign_names:
        raise UsageError("--none and --sign say different things: give one of them")
    if not none_of_these and not sign_names:
        if as_json or not _at_a_terminal():
            raise UsageError("at a terminal `check` asks; elsewhere say --none, or --sign NAME for a sign you have")
        answered = _screening()
        if answered is None:
            raise RefusedError("skipped: nothing was recorded; `therapy-timer check` asks again")
        sign_names = tuple(answered)
    result = usecases.check(app.deps(), sign_names)
    app.changed()
    number = app.config.advice.emergency_number
    text = render.checked(result, number)
    report(app, as_json, "check", result, text, signs=[views.sign(s, number) for s in result.signs])


def _at_a_terminal() -> bool:
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


def _screening() -> list[str] | None:
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


@log.command("note")
@click.argument("words", nargs=-1, required=True)
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def log_note(app: App, words: tuple[str, ...], at_text: str, as_json: bool) -> None:
    """Record a note, exactly as you type it."""
    from therapy_timer import usecases

    result = usecases.log_entry(app.deps(), "note", app.when(at_text, "--at"), text=" ".join(words))
    report(app, as_json, "log note", result, [f"Saved{saved_at(app, result.at)}."])


# Answering sessions ----------------------------------------------------------------------------


def _answer(app: App, outcome: Literal["done", "skip"], at_text: str, as_json: bool) -> None:
    from therapy_timer import render, usecases, views

    result = usecases.answer(app.deps(), outcome, app.when(at_text, "--at"))
    said = "done" if outcome == "done" else "skipped"
    text = [f"Marked {said}: {views.label(result.session, app.zone)}."]
    session = result.session
    if outcome == "done" and session.kind != "walk" and result.at < session.end - timedelta(minutes=1):
        # "done" means the pack is off: said at the start, it may have meant "it's on"
        left = round((session.end - result.at) / timedelta(minutes=1))
        text.append(
            f"It had {left} min to go, so no take-it-off reminder will come: if it is still on, "
            f"take it off by {render.when(session.end, app.zone, app.now)} yourself."
        )
    report(app, as_json, outcome, result, text)


@cli.command()
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def done(app: App, at_text: str, as_json: bool) -> None:
    """Done, it's off (or Walked): mark the current (or most recent) session done."""
    _answer(app, "done", at_text, as_json)


@cli.command()
@click.option("--at", "at_text", metavar="WHEN", default="now", help=AT_HELP)
@json_option
@pass_app
def skip(app: App, at_text: str, as_json: bool) -> None:
    """Skip: mark the current (or most recent) session as skipped."""
    _answer(app, "skip", at_text, as_json)


@cli.command()
@click.argument("minutes", type=click.IntRange(1, 60), default=10, metavar="[MINUTES]")
@json_option
@pass_app
def snooze(app: App, minutes: int, as_json: bool) -> None:
    """Snooze 10 min (or Later, 30 min): remind me again in MINUTES (default 10, at most 60)."""
    from therapy_timer import render, usecases

    result = usecases.snooze(app.deps(), minutes)
    text = [f'Snoozed: "{result.title}" comes again at {render.when(result.again_at, app.zone, app.now)}.']
    report(app, as_json, "snooze", result, text)


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
    """Check the set-up: notifications (sends a test, and a test push when push is on), reminders, config and data."""
    from therapy_timer.doctor import checkup, render

    report = checkup(app)
    emit(report, "doctor") if as_json else lines(render(report))
    if not report["ok"]:
        sys.exit(1)


@cli.command()
@click.option(
    "--speed",
    type=FiniteRange(1, 100_000),
    default=720,
    show_default=True,
    help="how many times faster than real time (720: one plan hour in five seconds)",
)
@click.option("--hours", type=FiniteRange(0.5, 72), default=12, show_default=True, help="plan hours to show")
def demo(speed: float, hours: float) -> None:
    """Watch a throwaway plan unfold, time compressed, with real notifications."""
    from therapy_timer.bootstrap import timestamped
    from therapy_timer.demo import run_demo

    run_demo(speed, hours, timestamped)


@cli.command()
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@json_option
@pass_app
def forget(app: App, yes: bool, as_json: bool) -> None:
    """Delete every record (plans, logs, reminders), after asking.

    A damaged database is moved aside instead of deleted, and the new name is printed.
    """
    from therapy_timer import store

    database = app.folder / store.DB_NAME
    if not database.exists():
        text = [f"Nothing to forget: there is no record in {app.folder}."]
        report(app, as_json, "forget", None, text, folder=str(app.folder), removed=[], moved_to=None)
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
        agreed = yes or click.confirm(question, default=False, err=as_json)
    except click.exceptions.Abort:
        agreed = False
    if not agreed:
        raise RefusedError("nothing was deleted")
    if damaged:
        moved = store.set_aside(database, app.now)
        text = [f"Moved the damaged database to {moved}; delete it when you are sure."]
        report(app, as_json, "forget", None, text, folder=str(app.folder), removed=[], moved_to=str(moved))
        return
    control.remove_autostart()
    # First, so no daemon keeps reminding from deleted files; asked to, it closes its notifications
    # (a take-it-off reminder whose buttons nobody would record must not stay on screen).
    if not control.end_daemon(app.folder, asking=control.FORGET):
        raise RefusedError("the reminders did not stop, so nothing was deleted; please try again")
    removed = store.forget(app.folder)
    files = "1 file" if len(removed) == 1 else f"{len(removed)} files"
    text = [f"Deleted {files}; therapy-timer keeps nothing about you now."]
    report(app, as_json, "forget", None, text, folder=str(app.folder), removed=[str(p) for p in removed], moved_to=None)


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

    app.check_config()  # this is how a person checks the file: a broken one is the answer
    values = config.as_dict(app.config)
    if as_json:
        emit(values, "config show")
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
