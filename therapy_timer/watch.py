"""Noticing changes to files at once without polling: inotify on Linux, nothing elsewhere.

Two uses in the daemon: edits to config.toml (its folder may not exist yet when the daemon
starts: then the nearest existing parent is watched until the folder appears), and the data
folder or its database being deleted or replaced (the daemon then checks and ends itself).
Where inotify is unavailable the daemon still re-reads the config at every reminder and nudge,
and checks its folder at every tick.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

_CLOSE_WRITE, _MOVED_FROM, _MOVED_TO = 0x8, 0x40, 0x80
_CREATE, _DELETE, _DELETE_SELF, _MOVE_SELF, _IGNORED = 0x100, 0x200, 0x400, 0x800, 0x8000
_ENTRIES = _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE
_SELF = _DELETE_SELF | _MOVE_SELF
_HEADER = struct.Struct("iIII")


class _Inotify:
    """One inotify descriptor: add and remove watches, read (blocking) batches of events."""

    def __init__(self) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")

    def add(self, folder: Path, mask: int) -> int:
        return int(self.libc.inotify_add_watch(self.fd, os.fsencode(folder), mask))

    def remove(self, wd: int) -> None:
        self.libc.inotify_rm_watch(self.fd, wd)

    def events(self) -> Iterator[list[tuple[int, int, bytes]]]:
        """Batches of (watch, mask, name); ends when the descriptor is closed or fails."""
        while True:
            try:
                data = os.read(self.fd, 4096)  # blocks: no wake-ups while nothing changes
            except OSError:
                return
            batch, offset = [], 0
            while offset + _HEADER.size <= len(data):
                wd, mask, _, length = _HEADER.unpack_from(data, offset)
                name = data[offset + _HEADER.size : offset + _HEADER.size + length].rstrip(b"\0")
                batch.append((wd, mask, name))
                offset += _HEADER.size + length
            yield batch


def _open() -> _Inotify | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return _Inotify()
    except (OSError, AttributeError):
        return None


def _start(target: Callable[[], None], name: str) -> None:
    threading.Thread(target=target, name=name, daemon=True).start()


def watch_file(path: Path, on_change: Callable[[], None]) -> bool:
    """Call `on_change` from a background thread whenever `path` is written, replaced or removed,
    also when its folder is created (or removed and made again) after the watch began."""
    inotify = _open()
    if inotify is None:
        return False
    path = path.absolute()
    watched: list[tuple[Path, int]] = []  # the folder watched now, and its watch

    def arm() -> None:
        """Watch the config's folder, or while it is missing, the nearest parent that exists."""
        folder = path.parent
        while not folder.is_dir() and folder != folder.parent:
            folder = folder.parent
        if watched and watched[0][0] == folder:
            return
        if watched:
            inotify.remove(watched.pop()[1])
        watched.append((folder, inotify.add(folder, _ENTRIES | _SELF)))

    def follow() -> None:
        for batch in inotify.events():
            hit = False
            for _, mask, name in batch:
                if watched[0][0] == path.parent:
                    hit |= name == os.fsencode(path.name) or bool(mask & (_SELF | _IGNORED))
                else:  # waiting for the folder to appear: anything on the way there counts
                    hit = True
            if hit:
                arm()
                on_change()

    arm()
    _start(follow, "config-watch")
    return True


def watch_folder(folder: Path, names: tuple[str, ...], on_change: Callable[[], None]) -> bool:
    """Call `on_change` when `folder` itself is deleted or moved, or one of `names` in it is
    deleted, moved or created (a database replaced under a running daemon)."""
    inotify = _open()
    if inotify is None:
        return False
    wanted = {os.fsencode(n) for n in names}
    if inotify.add(folder, _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE | _SELF) < 0:
        return False

    def follow() -> None:
        for batch in inotify.events():
            if any(mask & (_SELF | _IGNORED) or name in wanted for _, mask, name in batch):
                on_change()

    _start(follow, "folder-watch")
    return True
