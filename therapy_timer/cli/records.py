"""Commands that read the record out: history, report (text, JSON, CSV, HTML) and export ics."""

from __future__ import annotations

import sys

import click

from therapy_timer import clock
from therapy_timer.cli.context import (
    App,
    emit,
    json_option,
    lines,
    pass_app,
    print_result,
)
from therapy_timer.errors import RefusedError, UsageError
from therapy_timer.safe_text import one_line


@click.command()
@json_option
@pass_app
def history(app: App, as_json: bool) -> None:
    """Everything logged, oldest first."""
    from therapy_timer import json_views, terminal_text

    view = json_views.history(app.store.events(), app.zone)
    emit(view, "history") if as_json else lines(terminal_text.history(view["events"], app.zone))


@click.command("report")
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
    from therapy_timer import usecases

    if "" in (csv_file, html_file):
        raise UsageError("the file name is empty: name a file, or - for standard output")
    if [csv_file, html_file, "-" if as_json else None].count("-") > 1:
        raise UsageError("only one of --csv -, --html - and --json can use standard output; name a file")
    wanted = as_json or html_file is not None or csv_file is None
    result = usecases.report(app.deps(), plan_id) if wanted else None
    zone = (clock.zone_named(result.zone) if result else None) or app.zone
    said: list[tuple[str, str]] = []
    if csv_file is not None:
        from therapy_timer import report_text

        events = app.store.events()  # the whole record, with or without a plan
        _write(csv_file, report_text.csv_text(events, app.zone))
        said.append((csv_file, f"{len(events)} events"))
    if html_file is not None and result is not None:
        from therapy_timer import report_html

        _write(html_file, report_html.page(result, zone))
        days, scores = len(result.days), len(result.pain)
        said.append((html_file, f"{days} day{'s' * (days != 1)}, {scores} pain score{'s' * (scores != 1)}"))
    if as_json:
        from therapy_timer import json_views

        emit(json_views.result("report", result, zone, files=[name for name in (csv_file, html_file) if name]))
    elif csv_file is not None or html_file is not None:
        for name, what in said:
            if name != "-":
                click.echo(f"Wrote {name} ({what}).")
    elif result is not None:
        from therapy_timer import report_text

        lines(report_text.text_lines(result, zone))


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


@click.group("export")
def export_group() -> None:
    """Your plan for other programs: a calendar file with alarms."""


EXPORT_MAX_DAYS = 14  # calendar.events.MAX_DAYS, spelled out so `--help` loads no plan code (a test keeps them equal)


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

    from therapy_timer import files, usecases
    from therapy_timer.calendar import ics

    if not file:
        raise UsageError("the file name is empty: name a file, or - for standard output")
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
    from therapy_timer import terminal_text

    text = [terminal_text.exported(result, file, zone, app.now)]
    print_result(app, as_json, "export ics", result, text, file=str(target))
