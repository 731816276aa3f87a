"""The settings as one name, for code written before they were split in three rooms: the
declarations (`settings`), reading config.toml (`config_file`) and the words (`settings_doc`).

New code imports from those modules; the pure core must (an import-linter contract says so).
"""

from therapy_timer.config_file import MAX_BYTES, ConfigRead, load, parse
from therapy_timer.settings import *  # noqa: F403
from therapy_timer.settings import _build, _clock_range, _range, _section, _show, _value
from therapy_timer.settings_doc import (
    HEADER,
    _plain,
    about_section,
    as_dict,
    default_text,
    render_default_file,
    toml_value,
)

__all__ = [
    "HEADER",
    "MAX_BYTES",
    "ConfigRead",
    "_build",
    "_clock_range",
    "_plain",
    "_range",
    "_section",
    "_show",
    "_value",
    "about_section",
    "as_dict",
    "default_text",
    "load",
    "parse",
    "render_default_file",
    "toml_value",
]
