"""The settings of the protocol: defaults, loading config.toml, and why a value is refused.

A value outside a hard safety limit is an error that says why (ice or heat for over 20 minutes
can damage the skin); a value the protocol does not recommend but that is safe is accepted with
a warning. Every problem is reported as one line that names the file and the key or line.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any, NamedTuple

from therapy_timer.errors import UsageError
from therapy_timer.text import one_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class Cold:
    days: float = 2
    minutes: float = 15
    every_hours: float = 2


@dataclass(frozen=True)
class Heat:
    minutes: float = 15
    every_hours: float = 4
    back_to_cold_hours: float = 24


@dataclass(frozen=True)
class Walk:
    times_per_day: int = 4
    minutes: float = 5
    rest_days: float = 3


@dataclass(frozen=True)
class QuietHours:
    start: time = time(22, 0)
    end: time = time(7, 0)


@dataclass(frozen=True)
class Reminders:
    repeat_after_minutes: float = 5
    repeat_times: int = 2


@dataclass(frozen=True)
class Config:
    cold: Cold = field(default_factory=Cold)
    heat: Heat = field(default_factory=Heat)
    walk: Walk = field(default_factory=Walk)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    reminders: Reminders = field(default_factory=Reminders)


class Rule(NamedTuple):
    """What a numeric setting may be: `hard` limits refuse, `advised` limits only warn."""

    whole: bool
    hard: tuple[float, float]
    advised: tuple[float, float] | None = None
    unit: str = ""
    why: str = ""


SKIN = "longer ice or heat sessions can damage the skin"
RULES: dict[tuple[str, str], Rule] = {
    ("cold", "days"): Rule(False, (1, 2), None, "days", "the cold phase lasts one to two days"),
    ("cold", "minutes"): Rule(False, (1, 20), (12, 15), "minutes", SKIN),
    ("cold", "every_hours"): Rule(False, (1, 12), (2, 2), "hours"),
    ("heat", "minutes"): Rule(False, (1, 20), (15, 15), "minutes", SKIN),
    ("heat", "every_hours"): Rule(False, (1, 24), (4, 4), "hours"),
    ("heat", "back_to_cold_hours"): Rule(False, (1, 168), None, "hours"),
    ("walk", "times_per_day"): Rule(True, (1, 12), (2, 6), ""),
    ("walk", "minutes"): Rule(False, (1, 60), (3, 15), "minutes"),
    ("walk", "rest_days"): Rule(False, (0, 14), (2, 3), "days"),
    ("reminders", "repeat_after_minutes"): Rule(False, (1, 30), None, "minutes"),
    ("reminders", "repeat_times"): Rule(True, (0, 5), None, ""),
}
SECTIONS: dict[str, type] = {f.name: f.default_factory for f in fields(Config)}  # type: ignore[misc]
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(UsageError):
    """config.toml cannot be used; the message names the file and the key or line."""


class Loaded(NamedTuple):
    config: Config
    warnings: list[str]
    path: Path
    exists: bool


def load(path: Path) -> Loaded:
    """Read and check `path`; a missing file means the defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(Config(), [], path, False)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror})") from None
    return Loaded(*parse(raw, path), path, True)


def parse(raw: bytes, path: Path | str = "config.toml") -> tuple[Config, list[str]]:
    """Turn the bytes of a config file into a Config and its warnings, or raise ConfigError."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the file is not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(path, str(exc))) from None
    return _build(data, str(path))


def _syntax_message(path: Path | str, message: str) -> str:
    """`file:line:col: ...` from tomllib's '... (at line L, column C)'."""
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = one_line(re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message))
    if found:
        return f"{path}:{found[1]}:{found[2]}: not valid TOML: {reason}"
    return f"{path}: not valid TOML: {reason}"


def _build(data: dict[str, Any], path: str) -> tuple[Config, list[str]]:
    warnings: list[str] = []
    sections = {}
    for name, table in data.items():
        if name not in SECTIONS:
            raise ConfigError(f"{path}: unknown key {_show(name)} (known sections: {', '.join(SECTIONS)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {_show(name)} must be a section like [{name}], not a single value")
        sections[name] = _section(name, table, path, warnings)
    config = Config(**sections)
    if config.quiet_hours.start == config.quiet_hours.end:
        raise ConfigError(
            f"{path}: [quiet_hours] start and end are both {config.quiet_hours.start:%H:%M}; they must differ"
        )
    return config, warnings


def _section(name: str, table: dict[str, Any], path: str, warnings: list[str]) -> Any:
    cls = SECTIONS[name]
    known = [f.name for f in fields(cls)]
    values: dict[str, float | time] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key [{name}] {_show(key)} (known keys: {', '.join(known)})")
        if name == "quiet_hours":
            values[key] = _clock_time(value, f"[{name}] {key}", path)
        else:
            values[key] = _number(value, (name, key), path, warnings)
    return cls(**values)


def _number(value: Any, where: tuple[str, str], path: str, warnings: list[str]) -> float:
    rule = RULES[where]
    label = f"[{where[0]}] {where[1]}"
    kind = "a whole number" if rule.whole else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (rule.whole and not isinstance(value, int)):
        raise ConfigError(f"{path}: {label} must be {kind}, not {_show(value)}")
    lo, hi = rule.hard
    if not math.isfinite(value) or not lo <= value <= hi:
        why = f": {rule.why}" if rule.why and value > hi else ""
        raise ConfigError(
            f"{path}: {label} = {_show(value)} is out of range{why} (allowed {_range(rule.hard, rule.unit)})"
        )
    if rule.advised and not rule.advised[0] <= value <= rule.advised[1]:
        warnings.append(
            f"{path}: {label} = {value} is outside what the protocol advises "
            f"({_range(rule.advised, rule.unit)}); using it anyway"
        )
    return value


def _clock_time(value: Any, label: str, path: str) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f'{path}: {label} must be a time of day like "22:00", not {_show(value)}')
    return time(int(match[1]), int(match[2]))


def _range(bounds: tuple[float, float], unit: str) -> str:
    lo, hi = (f"{b:g}" for b in bounds)
    text = lo if lo == hi else f"{lo}-{hi}"
    return f"{text} {unit}".strip()


def _show(value: Any) -> str:
    """A short, single-line rendering of a user's value for an error message."""
    text = one_line(value if isinstance(value, str) else repr(value))
    text = text[:40] + "…" if len(text) > 40 else text
    return f'"{text}"' if isinstance(value, str) else text


def default_text() -> str:
    """The commented default config.toml (the same file as config.toml at the project's top)."""
    return (Path(__file__).with_name("default_config.toml")).read_text(encoding="utf-8")


def as_dict(config: Config) -> dict[str, dict[str, Any]]:
    """The effective values, for `config show` (times as "HH:MM")."""
    out: dict[str, dict[str, Any]] = {}
    for section in fields(config):
        values = getattr(config, section.name)
        out[section.name] = {
            f.name: (v.strftime("%H:%M") if isinstance(v := getattr(values, f.name), time) else v)
            for f in fields(values)
        }
    return out
