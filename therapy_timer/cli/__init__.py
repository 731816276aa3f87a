"""The `therapy-timer` command: a thin shell around the use cases, one module per command group.

Every problem ends as one line on stderr with exit status 2 (bad input) or 1 (refused), never a
traceback; checks run before anything is written, so a refused command changes nothing.
A command's module is imported only when that command runs (`cli.group`, click's lazy-group
pattern), and heavy libraries (APScheduler, plyer, icalendar) only by the commands that need them.

`therapy-timer status` is the command a person runs at every glance, and the one with nothing to
parse: `main` answers it (and `status --json`) through the same `cli.app.status` the click
command calls, before loading click, whose import is about twice a bare interpreter's start.
Anything else (`status --help`, a typo, completion) goes to click.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

GLANCES = {("status",): False, ("status", "--json"): True}
"""The argument lists answered without click, and whether each asks for JSON."""


def main() -> NoReturn:
    """Console-script entry point."""
    glance = GLANCES.get(tuple(sys.argv[1:]))
    if glance is not None and "_THERAPY_TIMER_COMPLETE" not in os.environ:
        from therapy_timer.cli.app import App, finish, status

        app = App()
        try:
            finish(lambda: status(app, glance))
        finally:
            app.close()
    from therapy_timer.cli.group import cli

    cli.main()
