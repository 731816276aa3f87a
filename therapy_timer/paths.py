"""Where the config and the data live: per-user folders, overridable from the environment."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from therapy_timer import APP_NAME


def data_dir() -> Path:
    """The data folder: THERAPY_TIMER_DATA_DIR, else the platform's per-user data folder."""
    override = os.environ.get("THERAPY_TIMER_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    """The config file: THERAPY_TIMER_CONFIG, else config.toml in the per-user config folder."""
    override = os.environ.get("THERAPY_TIMER_CONFIG")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create `path` readable by its owner only: a recovery log is private health data."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # a folder we may not chmod (not ours, or a mount) still works
        os.chmod(path, 0o700)
    return path
