"""The few exception types the command line turns into one-line messages and exit codes."""

from __future__ import annotations

import sys
from typing import NoReturn


class TherapyTimerError(Exception):
    """A problem the user can act on; the message is one plain line."""

    exit_code = 1


class UsageError(TherapyTimerError):
    """Bad input from the user (a time, a value, a config file): exit status 2."""

    exit_code = 2


class RefusedError(TherapyTimerError):
    """A well-formed request the app will not carry out (no plan, a second plan): exit 1.

    The message is the command line's wording. A refusal a notification button can meet also
    carries its `reason` (a code) and the facts behind it, so each shell words it in its own terms:
    a notification never tells someone to type a command-line flag (`wording.refused_on_a_button`).
    """

    exit_code = 1

    def __init__(self, message: str, reason: str | None = None, **facts: object) -> None:
        super().__init__(message)
        self.reason, self.facts = reason, facts


def fail(message: str, code: int) -> NoReturn:
    """End the process with one line on stderr: never a traceback in front of the user."""
    from therapy_timer.safe_text import one_line

    print(f"therapy-timer: {one_line(message)}", file=sys.stderr, flush=True)
    sys.exit(code)
