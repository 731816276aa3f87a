"""What every command shares: the lazily built context of one invocation (`App`, which asks
`bootstrap.Wiring` for the plan's zone, the settings and the use cases' dependencies), the output
helpers, and the options several commands take."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any

import click

from therapy_timer import clock, daemon_client, paths
from therapy_timer.errors import UsageError
from therapy_timer.safe_text import one_line

if TYPE_CHECKING:  # imported lazily at run time, to keep start-up fast
    from pathlib import Path

    from therapy_timer.bootstrap import Wiring
    from therapy_timer.settings import Config
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
            from therapy_timer import config_file

            loaded = config_file.load(paths.config_path())
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
        return daemon_client.is_running(self.folder)

    def changed(self) -> None:
        """Tell a running daemon the plan changed, so its next reminders follow it at once."""
        daemon_client.nudge(self.folder)


def emit(data: Any, command: str | None = None) -> None:
    """Print --json output; with `command`, led by the contract's `schema` and `command` keys."""
    import json  # only for --json: a few ms of start-up the other commands need not pay

    if command is not None:
        data = {"schema": 1, "command": command, **{k: v for k, v in data.items() if k not in ("schema", "command")}}
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def print_result(app: App, as_json: bool, command: str, value: Any, text: list[str], **extra: Any) -> None:
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


pass_app = click.make_pass_decorator(App, ensure=True)
AT_HELP = 'when it happened: now (default), 14:30, -20m, "yesterday 22:15" or ISO 8601'


def saved_at(app: App, at: datetime) -> str:
    """ " for Tue 15:40" when an entry was logged for another moment than now: say which, as --at
    is read in the plan's zone and a person may mean another."""
    from therapy_timer import wording

    return "" if abs(at - app.now) <= FUTURE_SLACK else f" for {wording.when(at, app.zone, app.now)}"


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
