"""Files a person names (a report, a calendar export) and the calendar copy: written whole, never
through another user's link or into another user's file, and read back only when plain and small.

A shared folder such as /tmp is sticky: anyone may create a name in it first. A report written
there could land in a file another user planted (who could then read the symptoms) or, through a
symbolic link they planted, overwrite a file of ours somewhere else. The kernel's own guards
(`fs.protected_regular`, `fs.protected_symlinks`) are not on everywhere, so the app checks for itself:

- a symbolic link is followed only when it is ours (a link to a synced folder, say); one that
  another user made is refused;
- the file (or what our link points to) must be a regular file of ours, or not be there yet;
  another user's file is refused, and so are devices, FIFOs and sockets (/dev/zero and /dev/full
  would eat memory or fail, a FIFO would block for ever);
- the data goes into a new file of our own in the same folder (created exclusively, 0600), which
  then replaces the name with `os.replace`: the name holds our file, and whoever reads it at any
  moment sees the old or the new version, never half of one. A file replaced keeps its permissions.

Reading back (the calendar file exported before) opens the file without following a link and
without blocking, and reads a regular file of ours only, up to a size limit.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from therapy_timer.errors import UsageError
from therapy_timer.safe_text import one_line

NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
LINKS = 40
"""At most this many symbolic links are followed to find a file (the kernel's own limit)."""


class TooLarge(ValueError):
    """A file is larger than the caller will read back."""


class NotAFile(UsageError):
    """A name that is not ours to write or read: another user's file or link, a device, a FIFO (exit 2)."""


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None  # Windows: per-user folders are private already


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check(path: Path, info: os.stat_result) -> None:
    """Refuse what `path` (lstat'ed as `info`) is, unless it is a regular file of ours."""
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(
            f"{one_line(str(path))} is {_kind(info.st_mode)}, not a file; nothing was written: "
            "name a file (or - for standard output)"
        )
    if _uid() is not None and info.st_uid != _uid():
        raise NotAFile(f"{one_line(str(path))} belongs to another user; nothing was written: choose another name")


def target(path: Path) -> Path:
    """The file to write for the name `path`: the name itself, or where our own link points.

    A link another user made, another user's file, and anything but a regular file are refused
    (`NotAFile`, one line, exit 2); a folder raises IsADirectoryError.
    """
    for _ in range(LINKS):
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return path
        if not stat.S_ISLNK(info.st_mode):
            _check(path, info)
            return path
        if _uid() is not None and info.st_uid != _uid():
            raise NotAFile(
                f"{one_line(str(path))} is a symbolic link another user made; nothing was written through it"
            )
        path = path.parent / os.readlink(path)
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))


def read_back(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file of ours at `path` (None when there is none); `TooLarge` past `limit`.

    Opened without following a link and without blocking (a FIFO put there in the meantime is
    found out, not waited on); what it is is checked on the open file itself.
    """
    try:
        handle = os.open(path, os.O_RDONLY | NO_FOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a link: `target` was not asked first
            raise NotAFile(f"{one_line(str(path))} is a symbolic link; it was not followed") from None
        raise
    with open(handle, "rb") as file:
        _check(path, os.fstat(file.fileno()))
        data = file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"it is larger than {limit // 1024} KiB")
    return data


def replace(path: Path, data: bytes, *, unless_same: bool = False) -> bool:
    """Write `data` as the file named `path` (see `target`), whole; True if written.

    With `unless_same`, a file that holds these bytes already is left alone (False). A new file
    is private (0600); a file replaced keeps its permissions.
    """
    import tempfile

    path = target(path)
    try:
        mode: int = stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        mode = 0o600
    else:
        if unless_same:
            with contextlib.suppress(TooLarge):
                if read_back(path, len(data)) == data:
                    return False
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return True
