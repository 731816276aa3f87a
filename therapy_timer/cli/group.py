"""The `therapy-timer` command group: every command, each imported from its module only when it
runs (click's lazy-group pattern), with `--help` and completion still listing all of them."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from therapy_timer import __version__
from therapy_timer.cli.app import App, finish
from therapy_timer.errors import fail

__all__ = ["COMMANDS", "Cli", "cli"]

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
        name_of = f"therapy_timer.cli.{module}"
        __import__(name_of)  # an import statement's path: `python -X importtime` sees it, as the tests do
        command = getattr(sys.modules[name_of], attribute)
        assert isinstance(command, click.Command) and command.name == name, name
        return command

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        """The invocation's context, holding its `App`, which is closed with it."""
        ctx = super().make_context(info_name, args, parent, **extra)
        if ctx.obj is None:
            ctx.obj = App()
            ctx.call_on_close(ctx.obj.close)
        return ctx

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        def run() -> object:
            try:
                return super(Cli, self).main(
                    args, prog_name or "therapy-timer", complete_var, standalone_mode=False, **extra
                )
            except click.exceptions.Abort:
                fail("stopped", 1)
            except click.exceptions.NoArgsIsHelpError as exc:  # `therapy-timer`, `therapy-timer log`: the help
                click.echo(exc.ctx.get_help() if exc.ctx else "")
                return 0
            except click.ClickException as exc:
                fail(exc.format_message(), exc.exit_code)

        finish(run)


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="therapy-timer")
def cli() -> None:
    """Guides you through a lower back spasm: ice first, then moist heat, short walks, and
    reminders at the right moments. It reminds and records; it is not medical advice."""
