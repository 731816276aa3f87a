"""The `therapy-timer` command: a thin shell around the use cases, one module per command group.

Every problem ends as one line on stderr with exit status 2 (bad input) or 1 (refused), never a
traceback; checks run before anything is written, so a refused command changes nothing.
A command's module is imported only when that command runs (click's lazy-group pattern), and heavy
libraries (APScheduler, plyer, icalendar) only by the commands that need them, so `status` starts
quickly; `--help` and completion still list every command.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from therapy_timer import __version__
from therapy_timer.cli.context import SIGN_NAMES
from therapy_timer.errors import TherapyTimerError, fail

__all__ = ["SIGN_NAMES", "Cli", "cli", "main"]

COMMANDS = {
    "start": ("plans", "start"),
    "status": ("plans", "status"),
    "plan": ("plans", "plan"),
    "history": ("records", "history"),
    "report": ("records", "report_command"),
    "export": ("records", "export_group"),
    "stop": ("plans", "stop"),
    "recovered": ("plans", "recovered"),
    "log": ("log", "log"),
    "signs": ("signs", "signs"),
    "check": ("signs", "check"),
    "done": ("log", "done"),
    "skip": ("log", "skip"),
    "snooze": ("log", "snooze"),
    "run": ("plans", "run_daemon"),
    "doctor": ("setup", "doctor"),
    "demo": ("setup", "demo"),
    "forget": ("setup", "forget"),
    "config": ("setup", "config_group"),
}
"""Each command, in the order the README lists them: the module of this package that defines it,
and its name there (`--help` lists them sorted, as click does)."""


class Cli(click.Group):
    """A click group whose errors are one line and whose exit codes follow our contract, and whose
    commands are imported when they run (or when `--help` lists them)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def declared(self) -> list[tuple[str, click.Command]]:
        """Every command with its name, in the order of `COMMANDS` (each one imported)."""
        ctx = click.Context(self)
        return [(name, command) for name in COMMANDS if (command := self.get_command(ctx, name)) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        module, attribute = COMMANDS[name]
        name_of = f"{__name__}.{module}"
        __import__(name_of)  # an import statement's path: `python -X importtime` sees it, as the tests do
        command = getattr(sys.modules[name_of], attribute)
        assert isinstance(command, click.Command) and command.name == name, name
        return command

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


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="therapy-timer")
def cli() -> None:
    """Guides you through a lower back spasm: ice first, then moist heat, short walks, and
    reminders at the right moments. It reminds and records; it is not medical advice."""


def main() -> NoReturn:
    """Console-script entry point."""
    cli.main()
