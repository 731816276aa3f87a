"""The last resort: the reminder written to the process's output (a terminal, or daemon.log)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from therapy_timer.notify.base import Note, Unanswerable


class TerminalBackend(Unanswerable):
    """Writes the reminder to this process's output (the terminal, or daemon.log), with a bell."""

    name = "terminal"

    def __init__(self, write: Callable[[str], None] | None = None) -> None:
        self.write = write or (lambda line: print(line, flush=True))

    def problem(self) -> str | None:
        return None

    def prepare(self) -> None:
        """Nothing to load: printing is always ready."""

    def send(self, note: Note) -> int:
        bell = "\a" if sys.stdout.isatty() else ""
        self.write(f"{bell}>>> {note.title}: {note.plain}")
        return 0
