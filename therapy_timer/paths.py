"""Where the config, the data and the daemon's socket live: per-user folders, kept private.

A recovery log is private health data: the data folder and the socket's folder must be ours and
reachable by nobody else. A folder someone else prepared is refused rather than used.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from therapy_timer import APP_NAME
from therapy_timer.errors import RefusedError

NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # open never follows a planted symlink (0 where unknown)


def data_dir() -> Path:
    """The data folder: THERAPY_TIMER_DATA_DIR, else the platform's per-user data folder."""
    override = os.environ.get("THERAPY_TIMER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    xdg = _xdg_folder("XDG_DATA_HOME", "~/.local/share")
    if xdg:
        return xdg
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    """The config file: THERAPY_TIMER_CONFIG, else config.toml in the per-user config folder."""
    override = os.environ.get("THERAPY_TIMER_CONFIG")
    if override:
        return Path(override).expanduser()
    xdg = _xdg_folder("XDG_CONFIG_HOME", "~/.config")
    if xdg:
        return xdg / "config.toml"
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def _xdg_folder(variable: str, fallback: str) -> Path | None:
    """On Linux, the app's folder by the XDG base directory rule, as platformdirs reads it: the
    variable when it holds an absolute path (the spec says to ignore a relative one), else `fallback`.

    Importing platformdirs costs about 7 ms of every command's start-up (it loads tempfile, shutil,
    random...), and on Linux its answer is this one rule; tests/test_paths.py checks that the two
    agree. None elsewhere (and on Android), where platformdirs decides.
    """
    if sys.platform != "linux" or "ANDROID_DATA" in os.environ:
        return None
    base = os.environ.get(variable, "")
    return (Path(base) if os.path.isabs(base) else home() / fallback.removeprefix("~/")) / APP_NAME


def home() -> Path:
    """The user's home folder: $HOME when it is an absolute path, else the one the system's user
    database names (as Python does when HOME is unset). An empty HOME would otherwise make
    `~/.config` mean `/.config`, and a relative one a folder under wherever a command ran.
    Refused in one line when neither names one."""
    value = os.environ.get("HOME", "")
    if os.path.isabs(value):
        return Path(value)
    try:
        import pwd

        named = pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError):  # no user database entry (a container), or not a Unix
        named = ""
    if not os.path.isabs(named):
        raise RefusedError(
            "there is no home folder: HOME is unset or empty and the system names none for this user; "
            "set HOME to your home folder"
        )
    return Path(named)


def runtime_dir() -> Path:
    """The per-user runtime folder for the daemon's socket: $XDG_RUNTIME_DIR/therapy-timer.

    $XDG_RUNTIME_DIR is the user's own (0700) and short; without it platformdirs tries
    /run/user/<uid>, then falls back to a runtime-<uid> folder in /tmp, which it (and
    `ensure_runtime_dir`) refuse when someone else made it first.
    """
    import warnings

    import platformdirs

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the fallback warning; the folder is checked instead
            return platformdirs.user_runtime_path(APP_NAME, appauthor=False)
    except PermissionError as exc:
        raise RefusedError(f"there is no private runtime folder for the reminders ({exc})") from None


def ensure_runtime_dir() -> Path:
    """Create the socket's folder private, refusing one that is not ours.

    Without $XDG_RUNTIME_DIR on Linux the fallback's parent (/tmp/runtime-<uid>) sits in /tmp,
    where anyone could have made it first: it must be ours and private too. A $XDG_RUNTIME_DIR
    that is missing is made 0700, as the spec wants it (platformdirs refuses a looser one); one
    that cannot be made is most often left from an earlier login (a tmux or screen started then
    keeps the old value), which the refusal says, with what to do.
    """
    base = os.environ.get("XDG_RUNTIME_DIR", "")
    try:
        if base and not os.path.isdir(base):
            _make_private(Path(base))
        folder = runtime_dir()
        if sys.platform.startswith("linux") and not base:
            ensure_private_dir(folder.parent)
        return ensure_private_dir(folder)
    except OSError as exc:
        where = f"XDG_RUNTIME_DIR ({base})" if base else f"the runtime folder {exc.filename}"
        raise RefusedError(
            f"{where} cannot be used ({exc.strerror}); it may be left from an earlier login (an old tmux or "
            "screen keeps it): run this from a new terminal of your current login, or set XDG_RUNTIME_DIR "
            "to a folder of your own (mode 0700)"
        ) from None


def _make_private(path: Path) -> None:
    """Make `path` 0700 (its missing parents as the umask says)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = os.umask(0o077)
    try:
        path.mkdir(exist_ok=True, mode=0o700)
    finally:
        os.umask(old)


def ensure_private_dir(path: Path) -> Path:
    """Create `path` readable by its owner only, or refuse a folder that is not ours to keep private.

    A folder owned by someone else (or one we cannot make 0700) could let them read the record or
    plant files in it; it is refused with one line rather than used.
    """
    _make_private(path)
    if sys.platform == "win32":  # pragma: no cover - per-user folders are private already there
        return path
    info = os.stat(path)
    if info.st_uid != os.getuid():
        raise RefusedError(
            f"{path} belongs to another user; therapy-timer keeps your record only in a folder of your own "
            "(choose one with THERAPY_TIMER_DATA_DIR)"
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError as exc:
            raise RefusedError(f"{path} cannot be made private ({exc.strerror}); choose another folder") from None
    return path


def open_private(path: Path, flags: int) -> int:
    """Open (or create, 0600) a file in a private folder without following a symlink planted there."""
    try:
        return os.open(path, flags | NO_FOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if os.path.islink(path):
            raise RefusedError(f"{path} is a symbolic link; therapy-timer will not write through it") from None
        raise RefusedError(f"cannot open {path} ({exc.strerror})") from None
