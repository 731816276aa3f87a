"""Noticing edits to config.toml at once without polling: inotify on Linux, nothing elsewhere.

Where this is unavailable the daemon still re-reads the config at every reminder and nudge.
"""

from __future__ import annotations

import ctypes
import os
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path

_IN_CLOSE_WRITE, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x8, 0x80, 0x100, 0x200
_HEADER = struct.Struct("iIII")


def watch_file(path: Path, on_change: Callable[[], None]) -> bool:
    """Call `on_change` from a background thread whenever `path` is written, replaced or removed."""
    if not sys.platform.startswith("linux") or not path.parent.is_dir():
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(os.O_CLOEXEC)
    except (OSError, AttributeError):
        return False
    if fd < 0:
        return False
    mask = _IN_CLOSE_WRITE | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
    if libc.inotify_add_watch(fd, os.fsencode(path.parent), mask) < 0:
        os.close(fd)
        return False
    threading.Thread(
        target=_read_events, args=(fd, path.name.encode(), on_change), name="config-watch", daemon=True
    ).start()
    return True


def _read_events(fd: int, name: bytes, on_change: Callable[[], None]) -> None:
    while True:
        try:
            data = os.read(fd, 4096)  # blocks: no wake-ups while nothing changes
        except OSError:
            return
        offset, hit = 0, False
        while offset + _HEADER.size <= len(data):
            _, _, _, length = _HEADER.unpack_from(data, offset)
            hit |= data[offset + _HEADER.size : offset + _HEADER.size + length].rstrip(b"\0") == name
            offset += _HEADER.size + length
        if hit:
            on_change()
