"""Set-up and housekeeping: doctor, demo, forget and config (path, show, init)."""

from __future__ import annotations

import sys

import click

from therapy_timer import daemon_client, paths
from therapy_timer.cli.context import (
    App,
    FiniteRange,
    emit,
    json_option,
    lines,
    pass_app,
    print_result,
)
from therapy_timer.errors import RefusedError


@click.command()
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@pass_app
def doctor(app: App, as_json: bool) -> None:
    """Check the set-up: notifications (sends a test, and a test push when push is on), reminders, config and data."""
    from therapy_timer.doctor import checkup, render

    report = checkup(app)
    emit(report, "doctor") if as_json else lines(render(report))
    if not report["ok"]:
        sys.exit(1)


@click.command()
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


@click.command()
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
        print_result(app, as_json, "forget", None, text, folder=str(app.folder), removed=[], moved_to=None)
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
        print_result(app, as_json, "forget", None, text, folder=str(app.folder), removed=[], moved_to=str(moved))
        return
    daemon_client.remove_autostart()
    # First, so no daemon keeps reminding from deleted files; asked to, it closes its notifications
    # (a take-it-off reminder whose buttons nobody would record must not stay on screen).
    if not daemon_client.end_daemon(app.folder, asking=daemon_client.FORGET):
        raise RefusedError("the reminders did not stop, so nothing was deleted; please try again")
    removed = store.forget(app.folder)
    files = "1 file" if len(removed) == 1 else f"{len(removed)} files"
    text = [f"Deleted {files}; therapy-timer keeps nothing about you now."]
    print_result(
        app, as_json, "forget", None, text, folder=str(app.folder), removed=[str(p) for p in removed], moved_to=None
    )


# Settings --------------------------------------------------------------------------------------


@click.group("config")
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

    from therapy_timer import settings_doc

    app.check_config()  # this is how a person checks the file: a broken one is the answer
    values = settings_doc.as_dict(app.config)
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
    from therapy_timer import settings_doc

    target = paths.config_path()
    if target.exists() and not force:
        raise RefusedError(f"{target} already exists; use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(settings_doc.default_text(), encoding="utf-8")
    app.changed()
    click.echo(f"Wrote {target}")
