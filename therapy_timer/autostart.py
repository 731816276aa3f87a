"""Bringing the reminders back after a reboot (Linux): a systemd user service, else a login entry.

Where systemd runs the user's session (`$XDG_RUNTIME_DIR/systemd/private` exists and `systemctl`
is there), `start` installs and enables `~/.config/systemd/user/therapy-timer.service`: systemd
starts the daemon, restarts it if it fails, and keeps its log in the journal. Elsewhere it writes
the XDG autostart entry `~/.config/autostart/therapy-timer.desktop`, which the desktop runs at
login. Both carry the data folder and config path as absolute paths, quoted by each format's rules,
so a path with spaces, `%`, `$`, quotes or backslashes starts the daemon for exactly that folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Literal

from therapy_timer.errors import RefusedError

UNIT = "therapy-timer.service"
Way = Literal["systemd", "login entry", "none"]


def _config_home() -> Path:
    """$XDG_CONFIG_HOME when it is an absolute path (the spec ignores a relative one), else ~/.config."""
    from therapy_timer.paths import home

    configured = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(configured) if os.path.isabs(configured) else home() / ".config"


def entry_path() -> Path:
    return _config_home() / "autostart" / "therapy-timer.desktop"


def unit_path() -> Path:
    return _config_home() / "systemd" / "user" / UNIT


def systemd_user_session() -> bool:
    """Whether a systemd user manager runs this user's session (so a user service can be started)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return (
        sys.platform.startswith("linux")
        and bool(runtime)
        and os.path.exists(os.path.join(runtime or "", "systemd", "private"))
        and shutil.which("systemctl") is not None
    )


def way() -> Way:
    """Which one `start` installs here."""
    if not sys.platform.startswith("linux"):
        return "none"
    return "systemd" if systemd_user_session() else "login entry"


def daemon_command() -> list[str]:
    return [sys.executable, "-m", "therapy_timer.daemon"]


def daemon_environment(folder: Path) -> dict[str, str]:
    """What the daemon must be told, as absolute paths (it runs from `/`)."""
    from therapy_timer.paths import config_path

    return {"THERAPY_TIMER_DATA_DIR": str(folder.absolute()), "THERAPY_TIMER_CONFIG": str(config_path().absolute())}


def _utf8_paths(folder: Path) -> None:
    """Both formats are UTF-8 text: a folder whose name is not (bytes from another encoding) cannot be
    written into them. The daemon itself runs for such a folder; only the way back after a reboot is refused."""
    for key, value in daemon_environment(folder).items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(value).decode("utf-8", "backslashreplace")
            raise RefusedError(
                f"{key} ({shown}) is not valid UTF-8, so it cannot be written into the login entry; "
                f"rename the folder, or choose another with {key}"
            ) from None


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise RefusedError(f"a path with a line break cannot be started at login: {value!r}")
    return value


def desktop_exec_argument(argument: str) -> str:
    """One argument of an Exec key, per the Desktop Entry Specification.

    Quoted in double quotes with `"`, backtick, `$` and `\\` escaped by a backslash; `%` doubled
    (field codes); then the string-value escape that doubles every backslash once more.
    """
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", _one_line(argument)) + '"'
    return quoted.replace("%", "%%").replace("\\", "\\\\")


def desktop_entry(folder: Path) -> str:
    env = [f"{key}={value}" for key, value in daemon_environment(folder).items()]
    command = " ".join(desktop_exec_argument(a) for a in ["env", *env, *daemon_command()])
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=therapy-timer reminders\n"
        "Comment=Reminders for ice, moist heat and short walks\n"
        f"Exec={command}\n"
        "X-GNOME-Autostart-enabled=true\n"
        "NoDisplay=true\n"
    )


def systemd_argument(argument: str) -> str:
    """One word of a unit file's ExecStart= or Environment=: double-quoted, C-style escapes for
    `"` and `\\`, `%` doubled (specifiers), `$` doubled (variable expansion)."""
    escaped = re.sub(r'(["\\])', r"\\\1", _one_line(argument))
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def systemd_unit(folder: Path) -> str:
    environment = " ".join(systemd_argument(f"{k}={v}") for k, v in daemon_environment(folder).items())
    return (
        "[Unit]\n"
        "Description=therapy-timer reminders (ice, moist heat, short walks)\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={' '.join(systemd_argument(a) for a in daemon_command())}\n"
        f"Environment={environment}\n"
        "Restart=on-failure\n"
        "RestartSec=10\n"
        "RestartPreventExitStatus=1\n"  # refused (no active plan, or already running): nothing to retry
        "UMask=0077\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def _systemctl(*args: str) -> bool:
    try:
        return subprocess.run(["systemctl", "--user", *args], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def install(folder: Path) -> Way:
    """Make the reminders come back after a reboot; returns which way was installed."""
    chosen = way()
    if chosen != "none":
        _utf8_paths(folder)
    if chosen == "systemd":
        unit_path().parent.mkdir(parents=True, exist_ok=True)
        unit_path().write_text(systemd_unit(folder), encoding="utf-8")
        _systemctl("daemon-reload")
        _systemctl("enable", UNIT)
    elif chosen == "login entry":
        entry_path().parent.mkdir(parents=True, exist_ok=True)
        entry_path().write_text(desktop_entry(folder), encoding="utf-8")
    return chosen


def start(folder: Path) -> bool:
    """Start the installed systemd service now; False where there is none (spawn instead).

    `restart`, not `start`: `start` is called when no daemon holds the lock, yet the unit may still
    be active with a daemon that let go of its lock and is about to exit (the plan had ended), and
    `systemctl start` would leave it at that; restart begins one that serves the new plan."""
    return way() == "systemd" and unit_path().exists() and _systemctl("restart", UNIT)


def remove() -> None:
    """Undo `install`: the reminders no longer come back at login."""
    entry_path().unlink(missing_ok=True)
    if unit_path().exists():
        _systemctl("disable", UNIT)
        unit_path().unlink()
        _systemctl("daemon-reload")
