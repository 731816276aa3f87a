"""What every command shares, without click: one invocation's `App`, the output, how a command ends.

`App` is the lazily built context of one invocation, which asks `bootstrap.Wiring` for the plan's
zone, the settings and the use cases' dependencies; `finish` turns whatever stopped a command
into its exit status and one line. Kept free of click so that a glance at the plan (`status`) is
answered before click is loaded (`therapy_timer.cli.main`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any, NoReturn

from therapy_timer import clock, daemon_client, paths
from therapy_timer.errors import TherapyTimerError, UsageError, fail
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
        self._closing: list[Callable[[], None]] = []

    def close(self) -> None:
        """Close what the command opened (the record), when it is over, however it ended."""
        while self._closing:
            self._closing.pop()()

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
                warn(f"{read.problem}; using the settings last recorded until it is fixed")
            warnings, settings = list(read.warnings), read.config
        for warning in warnings:
            warn(warning)
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
        self._closing.append(opened.close)
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
        from therapy_timer.json_views import SCHEMA  # one version for every --json output

        data = {
            "schema": SCHEMA,
            "command": command,
            **{k: v for k, v in data.items() if k not in ("schema", "command")},
        }
    print(json.dumps(data, indent=2, ensure_ascii=False), flush=True)


def print_result(app: App, as_json: bool, command: str, value: Any, text: list[str], **extra: Any) -> None:
    """Print a use case's result: the lines for a person, or the JSON contract (`json_views.result`)."""
    if as_json:
        from therapy_timer import json_views

        emit(json_views.result(command, value, app.zone, **extra))
    else:
        lines(text)


def lines(rows: list[str]) -> None:
    print("\n".join(rows), flush=True)


def warn(text: str) -> None:
    """A warning on stderr: the command goes on."""
    print(f"therapy-timer: warning: {text}", file=sys.stderr, flush=True)


def saved_at(app: App, at: datetime) -> str:
    """ " for Tue 15:40" when an entry was logged for another moment than now: say which, as --at
    is read in the plan's zone and a person may mean another."""
    from therapy_timer import wording

    return "" if abs(at - app.now) <= FUTURE_SLACK else f" for {wording.when(at, app.zone, app.now)}"


def finish(command: Callable[[], object]) -> NoReturn:
    """Run a command to its end: its exit status, or one line on stderr for whatever stopped it
    (exit 2 bad input, 1 refused), never a traceback. Click's own errors are worded by `Cli.main`."""
    try:
        result = command()
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


def status(app: App, as_json: bool) -> None:
    """`therapy-timer status`, however it was reached (click's command, or the glance in `main`)."""
    from therapy_timer import json_views, terminal_text, usecases

    view = json_views.status(usecases.status(app.deps()))
    view["daemon_running"] = app.daemon_running()
    if view["daemon_running"]:
        daemon_client.offer_desktop(app.folder)  # a daemon started outside the desktop takes this session
    emit(view, "status") if as_json else lines(terminal_text.status(view, app.zone, app.now))
