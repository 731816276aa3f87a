"""Reading config.toml: a plain file, parsed with tomllib, checked against the declarations (`settings`).

The one module of the settings that touches the disk: what the file says becomes a `Config` (and its
warnings), or a `ConfigError` that names the file and the key or line.
"""

from __future__ import annotations

import re
from pathlib import Path

from therapy_timer.named_tuple import NamedTuple
from therapy_timer.safe_text import one_line
from therapy_timer.settings import Config, ConfigError, _build


class ConfigRead(NamedTuple):
    """config.toml as read: its settings, a warning for each key it ignored, where, and whether it exists."""

    config: Config
    warnings: list[str]
    path: Path
    exists: bool


def load(path: Path) -> ConfigRead:
    """Read and check `path`; a missing file means the defaults."""
    try:
        raw = _read_regular(path)
    except FileNotFoundError:
        return ConfigRead(Config(), [], path, False)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    return ConfigRead(*parse(raw, path), path, True)


MAX_BYTES = 1_000_000


def _read_regular(path: Path) -> bytes:
    """The file's bytes, from a plain file only: a FIFO would block every command (and the daemon)
    until someone writes to it, and a device might never end. Opened without blocking, then checked."""
    import os
    import stat

    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(
                f"{path}: not a plain file; the config must be a text file (see `therapy-timer config init`)"
            )
        if info.st_size > MAX_BYTES:
            raise ConfigError(f"{path}: {info.st_size} bytes is far too large for a config file")
        return handle.read(MAX_BYTES + 1)


def parse(raw: bytes, path: Path | str = "config.toml") -> tuple[Config, list[str]]:
    """Turn the bytes of a config file into a Config and its warnings, or raise ConfigError."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the file is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(path, str(exc))) from None
    except RecursionError:  # e.g. an array nested thousands deep: the parser gives up, so do we
        raise ConfigError(f"{path}: not valid settings: values are nested too deeply to read") from None
    return _build(data, str(path))


def _syntax_message(path: Path | str, message: str) -> str:
    """`file:line:col: ...` from tomllib's '... (at line L, column C)'."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = one_line(re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message))
    if found:
        return f"{path}:{found[1]}:{found[2]}: not valid TOML: {reason}"
    return f"{path}: not valid TOML: {reason}"
