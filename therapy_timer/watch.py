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


class _Watcher:
    """One inotify descriptor and one thread for every watch of the process; each watch has a
    handler that gets the (mask, name) events of one batch read."""

    def __init__(self, inotify: _Inotify) -> None:
        self.inotify = inotify
        self.handlers: dict[int, Callable[[list[tuple[int, bytes]]], None]] = {}
        self.lock = threading.Lock()
        threading.Thread(target=self._run, name="watch", daemon=True).start()

    def add(self, folder: Path, mask: int, handler: Callable[[list[tuple[int, bytes]]], None]) -> int:
        with self.lock:
            wd = self.inotify.add(folder, mask)
            if wd >= 0:
                self.handlers[wd] = handler
            return wd

    def remove(self, wd: int) -> None:
        with self.lock:
            self.handlers.pop(wd, None)
        self.inotify.remove(wd)

    def _run(self) -> None:
        for batch in self.inotify.events():
            by_watch: dict[int, list[tuple[int, bytes]]] = {}
            for wd, mask, name in batch:
                by_watch.setdefault(wd, []).append((mask, name))
            for wd, events in by_watch.items():
                with self.lock:
                    handler = self.handlers.get(wd)
                if handler:
                    handler(events)


_watcher: _Watcher | None = None
_watcher_lock = threading.Lock()


def _shared() -> _Watcher | None:
    """The process's watcher, made at first use; None where inotify is not available."""
    global _watcher
    if not sys.platform.startswith("linux"):
        return None
    with _watcher_lock:
        if _watcher is None:
            try:
                _watcher = _Watcher(_Inotify())
            except (OSError, AttributeError):
                return None
        return _watcher


def watch_file(path: Path, on_change: Callable[[], None]) -> bool:
    """Call `on_change` from a background thread whenever `path` is written, replaced or removed,
    also when its folder is created (or removed and made again) after the watch began."""
    watcher = _shared()
    if watcher is None:
        return False
    path = path.absolute()
    watched: list[tuple[Path, int]] = []  # the folder watched now, and its watch

    def arm() -> None:
        """Watch the config's folder, or while it is missing, the nearest parent that exists.

        Looks again after each new watch: a deeper folder made before the watch was in place
        sent its event to nobody.
        """
        while True:
            folder = path.parent
            while not folder.is_dir() and folder != folder.parent:
                folder = folder.parent
            if watched and watched[0][0] == folder:
                return
            if watched:
                watcher.remove(watched.pop()[1])
            watched.append((folder, watcher.add(folder, _ENTRIES | _SELF, seen)))

    def seen(events: list[tuple[int, bytes]]) -> None:
        if watched[0][0] == path.parent:
            hit = any(name == os.fsencode(path.name) or mask & (_SELF | _IGNORED) for mask, name in events)
        else:  # waiting for the folder to appear: anything on the way there counts
            hit = True
        if hit:
            arm()
            on_change()

    arm()
    return True


def watch_folder(folder: Path, names: tuple[str, ...], on_change: Callable[[], None]) -> bool:
    """Call `on_change` when `folder` itself is deleted or moved, or one of `names` in it is
    deleted, moved or created (a database replaced under a running daemon)."""
    watcher = _shared()
    if watcher is None:
        return False
    wanted = {os.fsencode(n) for n in names}

    def seen(events: list[tuple[int, bytes]]) -> None:
        if any(mask & (_SELF | _IGNORED) or name in wanted for mask, name in events):
            on_change()

    return watcher.add(folder, _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE | _SELF, seen) >= 0
