"""What the commands share that is click's: the options several take, and the `App` each is passed.

The rest of what they share (`App`, the output helpers) is in `cli.app`, which does not load
click, and is re-exported here for the command modules; so are the sign names `--help` lists."""

from __future__ import annotations

from typing import Any

import click

from therapy_timer.cli.app import FUTURE_SLACK, App, emit, lines, print_result, saved_at, warn

__all__ = [
    "AT_HELP",
    "FUTURE_SLACK",
    "SIGN_NAMES",
    "App",
    "FiniteRange",
    "emit",
    "json_option",
    "lines",
    "pass_app",
    "print_result",
    "saved_at",
    "warn",
]

json_option = click.option("--json", "as_json", is_flag=True, help="machine-readable output")


class FiniteRange(click.FloatRange):
    """A number in a range that is a number: float("nan") passes every range check, being unordered."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if number != number:  # NaN is the one value unequal to itself
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


pass_app = click.make_pass_decorator(App, ensure=True)
AT_HELP = 'when it happened: now (default), 14:30, -20m, "yesterday 22:15" or ISO 8601'


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
