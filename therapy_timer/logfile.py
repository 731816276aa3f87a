"""The daemon's log file kept to a size: `daemon.log`, and the one before it as `daemon.log.1`.

Where `start` runs the daemon itself (no systemd), its output, stdout and stderr both, is
`daemon.log` in the data folder (`daemon_client.spawn` opens it); a journal (systemd) or a terminal
(`run`) keeps its own and is left alone. Under a disk that stays full for months, or a flood of
messages, that file would grow for ever. So before each line the daemon writes, it looks at the
file's size, and past `MAX_BYTES` it does what logging's RotatingFileHandler does with one backup:
the file becomes `daemon.log.1` (replacing the older one) and a new `daemon.log` takes over both
outputs (`dup2`, so a traceback on stderr lands there too). The newest lines are always in
`daemon.log`, with at least `MAX_BYTES` of the lines before them in `daemon.log.1`: what explains
a problem. Both stay under 2 MiB in all.

Not the logging module itself: its handler opens the file by name, following a link planted in the
folder, and would leave stderr behind. A rotation that fails (a full disk, a folder that cannot
take a new file) changes nothing, is tried again at the next line, and never keeps a line, let
alone a reminder, from going out.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

MAX_BYTES = 1 << 20
"""The size past which daemon.log is set aside as daemon.log.1 (1 MiB: weeks of a normal log)."""
OLDER = ".1"
NEW = ".new"
"""A rotation in progress writes here first (a cut-short one can leave it behind)."""


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        opened, named = os.fstat(descriptor), os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(opened.st_mode) and (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


class CappedLog:
    """`write`, with the file behind `outputs` (stdout and stderr) set aside past `limit` bytes.

    Only outputs that are the file at `path` right now are watched; for any other (a terminal, the
    journal) this is `write` itself.
    """

    def __init__(
        self, path: Path, write: Callable[[str], None], limit: int = MAX_BYTES, outputs: Sequence[int] = (1, 2)
    ) -> None:
        self.path, self.write, self.limit = path, write, limit
        self.older = path.with_name(path.name + OLDER)
        self.outputs = [fd for fd in outputs if _same_file(fd, path)]

    def __call__(self, line: str) -> None:
        if self.outputs:
            with contextlib.suppress(Exception):  # whatever happens, the line still goes out
                self.rotate_if_full()
        self.write(line)

    def rotate_if_full(self) -> bool:
        """Set the file aside as `.1` and carry on in a new one, once it has reached the limit."""
        if os.fstat(self.outputs[0]).st_size < self.limit:
            return False
        from therapy_timer.paths import open_private

        for stream in (sys.stdout, sys.stderr):  # what Python holds for the old file goes there first
            with contextlib.suppress(Exception):
                stream.flush()
        new = self.path.with_name(self.path.name + NEW)
        fresh = open_private(new, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_TRUNC)
        try:
            with contextlib.suppress(FileNotFoundError):  # set aside already by a rotation that failed half-way
                os.replace(self.path, self.older)
            os.replace(new, self.path)
            for descriptor in self.outputs:
                os.dup2(fresh, descriptor)
        finally:
            os.close(fresh)
        return True


def capped(folder: Path, write: Callable[[str], None]) -> Callable[[str], None]:
    """The daemon's log line `write`, capped when its output is `daemon.log` in `folder`."""
    from therapy_timer.daemon_client import LOG_NAME

    log = CappedLog(folder / LOG_NAME, write)
    return log if log.outputs else write
