"""The settings, each declared once: the pure declarations, and checking plain values against them.

A setting is a field of one of the section classes below: its default is the field's default, and
its annotation carries a `Spec` (`Annotated[float, number(...)]`) saying what it is for, its unit,
the hard limits past which it is refused (with the reason: ice or heat for over 20 minutes can
damage the skin) and the range the protocol advises (outside it: accepted with a warning).
Everything else is derived from these declarations, so nothing can drift: the checks below,
reading config.toml (`config_file`), `config show` and the commented default file (`settings_doc`),
and the README's settings table (`python tools/generate.py` writes them; its `--check` fails CI
when they are stale).

To add a setting: a field annotated with one of `number`, `whole`, `clock`, `clock_ranges`, `text`
or `choice` (a `Literal` type gives the choices). To add a section: a NamedTuple whose docstring
says what it is for, and a field of `Config`. Then run `python tools/generate.py`.

This module does no I/O, so the pure core (protocol, reminders) can build on it. Every command
imports it, so it is built to load fast (bench/startup.py): the sections are NamedTuples, not frozen
dataclasses (six of those cost about 4 ms, six NamedTuples 0.5 ms), and the annotations are
evaluated once, here, with no `from __future__ import annotations` (as strings, NamedTuple would
compile each one again: about 1 ms more).

Every problem is reported as one line that names the file (or the record) and the key.
"""

import math
import re
from collections.abc import Callable
from datetime import time
from functools import cache
from typing import Annotated, Any, Literal

from therapy_timer.errors import UsageError
from therapy_timer.named_tuple import NamedTuple
from therapy_timer.safe_text import one_line

ValueKind = Literal["number", "whole", "clock", "clock_ranges", "text", "choice"]


class ClockRange(NamedTuple):
    """A span of the local day, "22:00-07:00"; it crosses midnight when `end` is before `start`."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class Spec(NamedTuple):
    """What a setting is: shown in the default file and the README, enforced when config.toml is read."""

    kind: ValueKind
    about: str  # what it does, in the reader's words
    unit: str = ""
    hard: tuple[float, float] | None = None  # refused outside these, saying `why`
    advised: tuple[float, float] | None = None  # accepted outside these, with a warning
    why: str = ""  # why the hard limit is there
    secret: bool = False  # `config show` does not print it (a token, a password)
    choices: tuple[str, ...] = ()  # for kind "choice": filled in from the field's Literal type
    check: Callable[[str], str | None] | None = None  # kind "text": what is wrong with a value, or None


def number(
    about: str,
    *,
    hard: tuple[float, float],
    advised: tuple[float, float] | None = None,
    unit: str = "",
    why: str = "",
) -> Spec:
    """A number (whole or not) between hard limits: `Annotated[float, number(...)]`."""
    return Spec("number", about, unit, hard, advised, why)


def whole(
    about: str, *, hard: tuple[int, int], advised: tuple[int, int] | None = None, unit: str = "", why: str = ""
) -> Spec:
    """A whole number between hard limits: `Annotated[int, whole(...)]`."""
    return Spec("whole", about, unit, hard, advised, why)


def clock(about: str) -> Spec:
    """A time of day, written "22:00": `Annotated[time, clock(...)]`."""
    return Spec("clock", about)


def clock_ranges(about: str) -> Spec:
    """Spans of the day, written ["22:00-07:00", "13:30-14:30"].

    Declared as `Annotated[tuple[ClockRange, ...], clock_ranges(...)]`.
    """
    return Spec("clock_ranges", about)


def text(about: str, *, secret: bool = False, check: Callable[[str], str | None] | None = None) -> Spec:
    """Text (a web address, a token): `Annotated[str, text(...)]`; `secret` keeps it out of `config show`
    (and out of error messages); `check(value)` says what is wrong with a value (ending the sentence
    "[section] key ..."), or None."""
    return Spec("text", about, secret=secret, check=check)


def choice(about: str) -> Spec:
    """One of a few words: `Annotated[Literal["none", "summary", "full"], choice(...)]`."""
    return Spec("choice", about)


# The declarations ----------------------------------------------------------------------------

SKIN_REASON = "longer ice or heat sessions can damage the skin"


class Cold(NamedTuple):
    """Ice, wrapped in a towel, from the injury on."""

    days: Annotated[
        float,
        number(
            "How long the cold phase lasts, counted from the injury; 0 starts with heat, for when a doctor "
            "or physical therapist advises heat first.",
            hard=(0, 2),
            advised=(1, 2),
            unit="days",
            why="the cold phase lasts two days at most",
        ),
    ] = 2
    minutes: Annotated[
        float,
        number(
            "Minutes of ice per session, always wrapped in a towel.",
            hard=(1, 20),
            advised=(12, 15),
            unit="minutes",
            why=SKIN_REASON,
        ),
    ] = 15
    every_hours: Annotated[
        float,
        number(
            "Hours from the start of one ice session to the start of the next.",
            hard=(1, 12),
            advised=(2, 2),
            unit="hours",
        ),
    ] = 2


class Heat(NamedTuple):
    """Moist heat over a layer of cloth, warm, never hot, once the cold phase is over."""

    minutes: Annotated[
        float,
        number("Minutes of moist heat per session.", hard=(1, 20), advised=(15, 15), unit="minutes", why=SKIN_REASON),
    ] = 15
    every_hours: Annotated[
        float,
        number(
            "Hours from the start of one heat session to the start of the next.",
            hard=(1, 24),
            advised=(4, 4),
            unit="hours",
        ),
    ] = 4
    back_to_cold_hours: Annotated[
        float,
        number(
            "After you report that heat made it worse or did not help, how long to stay with cold "
            "before heat is tried again.",
            hard=(1, 168),
            unit="hours",
        ),
    ] = 24


class Walk(NamedTuple):
    """Short, slow walks, spread over the waking day."""

    times_per_day: Annotated[int, whole("Walks per day.", hard=(1, 12), advised=(2, 6), unit="walks")] = 4
    minutes: Annotated[float, number("Minutes per walk.", hard=(1, 60), advised=(3, 15), unit="minutes")] = 5
    rest_days: Annotated[
        float,
        number(
            "Days after the injury when the walks are short and slow, as the pain allows; afterwards they "
            "are gentle exercise.",
            hard=(0, 14),
            advised=(2, 3),
            unit="days",
        ),
    ] = 3


class QuietHours(NamedTuple):
    """No session is planned in these periods of the day (local time): the night, and naps if you like."""

    periods: Annotated[
        tuple[ClockRange, ...],
        clock_ranges(
            'Quiet periods, e.g. the night and a nap: ["22:00-07:00", "13:30-14:30"]. A period may cross '
            "midnight; the first session after one starts when it ends. The older start and end keys "
            "still work, as one period."
        ),
    ] = (ClockRange(time(22, 0), time(7, 0)),)


class Reminders(NamedTuple):
    """An ice-off or heat-off reminder you have not answered (therapy-timer done) comes again."""

    repeat_after_minutes: Annotated[
        float, number("Minutes until an unanswered reminder is repeated.", hard=(1, 30), unit="minutes")
    ] = 5
    repeat_times: Annotated[
        int, whole("How many times it is repeated at most; 0 turns repeats off.", hard=(0, 5), unit="times")
    ] = 2


LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
"""Hosts a push may reach over plain http: this machine itself (nothing crosses a network)."""


def _push_url_problem(url: str) -> str | None:
    """An ntfy topic address: https (http only to this machine), a server, a topic, no password.

    Plain http elsewhere would carry the reminders and the token readable by anyone on the way;
    a password in the address would be sent to wherever a redirect points (a token is for that).
    """
    if not url:
        return None
    scheme, sep, rest = url.partition("://")
    server, _, topic = rest.partition("/")
    host = server[: server.find("]") + 1] if server.startswith("[") else server.rpartition(":")[0] or server
    if not sep or scheme.lower() not in ("https", "http") or not server:
        return f'must be an ntfy topic address like "https://ntfy.sh/your-topic", not {_show(url)}'
    if any(c.isspace() or not c.isprintable() for c in url):
        return "must be one address with no spaces in it"
    if not url.isascii():
        return "must be plain ASCII: a server's name in its xn-- form, other characters %-encoded"
    if "@" in server:
        return "must not hold a user name or password; put an access token in [push] token instead"
    if not topic.strip("/"):
        return f'must name a topic after the server, like "{scheme}://{server}/your-topic"'
    if scheme.lower() == "http" and host.lower() not in LOOPBACK:
        return (
            "must start with https:// so reminders travel encrypted "
            "(http:// is allowed only to this machine: localhost, 127.0.0.1, [::1])"
        )
    return None


def _token_problem(token: str) -> str | None:
    """A token goes into a header as it is: printable ASCII, no spaces (nor a header of its own)."""
    if token and not (token.isascii() and token.isprintable() and " " not in token):
        return "must be the token alone: letters, digits and signs, with no spaces or line breaks"
    return None


PushDetail = Literal["generic", "full"]
PushAnswers = Literal["off", "on"]


class Push(NamedTuple):
    """Opt-in: each reminder also goes to your phone through ntfy. Off while url is empty: nothing is sent."""

    url: Annotated[
        str,
        text(
            'The ntfy topic to send reminders to, e.g. "https://ntfy.sh/back-a7Xq93kLm" (on a public '
            "server anyone who knows the topic can read it: pick a long, unguessable name). Empty: push "
            "is off. https only; http only to this machine (localhost).",
            check=_push_url_problem,
        ),
    ] = ""
    token: Annotated[
        str,
        text(
            "An access token, for a server that asks for one (sent as Authorization: Bearer). Empty: none.",
            secret=True,
            check=_token_problem,
        ),
    ] = ""
    detail: Annotated[
        PushDetail,
        choice(
            'What a push says. "generic": only "Time for your next session" or "Time to end your session", '
            'with no health details; "full": the reminder\'s own title and text, as on the desktop.'
        ),
    ] = "generic"
    answers: Annotated[
        PushAnswers,
        choice(
            '"on": each pushed reminder carries its buttons (Done, it\'s off; Made it worse; ...), and a press '
            "on the phone is recorded as the desktop button would record it. Each button sends only a random "
            "single-use code to a reply topic of this installation, which the running reminders read every "
            "5 seconds while a pushed reminder with buttons is still current, and at no other time. "
            '"off": pushes carry no buttons and nothing is read.'
        ),
    ] = "off"


def _emergency_number_problem(number: str) -> str | None:
    """A number a person can read at a glance: one short line."""
    if not number.strip():
        return "must not be empty: the advice for an emergency names the number to call"
    if len(number) > 40 or not number.isprintable():
        return 'must be one short line, like "999" or "112 / 999 / 911"'
    return None


class Advice(NamedTuple):
    """What the warning-sign advice says (`therapy-timer signs`)."""

    emergency_number: Annotated[
        str,
        text(
            "The number to call in an emergency, as the advice for the most serious warning signs names it, "
            'e.g. "999" or "112". The default names the common ones: the language a computer is set to is '
            "no safe guide to where it is.",
            check=_emergency_number_problem,
        ),
    ] = "112 / 999 / 911"


class Config(NamedTuple):
    cold: Cold = Cold()
    heat: Heat = Heat()
    walk: Walk = Walk()
    quiet_hours: QuietHours = QuietHours()
    reminders: Reminders = Reminders()
    push: Push = Push()
    advice: Advice = Advice()


def _whole_config_problem(config: Config) -> str | None:
    """Checks that involve more than one setting."""
    awake = longest_awake_minutes(config.quiet_hours.periods)
    if awake < MIN_AWAKE_MINUTES:
        return (
            f"[quiet_hours] periods leave at most {awake} minute{'' if awake == 1 else 's'} awake in a row; "
            f"sessions need at least {MIN_AWAKE_MINUTES}"
        )
    return None


MIN_AWAKE_MINUTES = 60


def longest_awake_minutes(periods: tuple[ClockRange, ...]) -> int:
    """The longest stretch of the day outside every quiet period, in minutes (1440: no quiet period)."""
    day = 24 * 60
    spans = []
    for span in periods:
        start, end = span.start.hour * 60 + span.start.minute, span.end.hour * 60 + span.end.minute
        spans += [(start, end)] if start < end else [(start, day), (0, end)]
    if not spans:
        return day
    spans.sort()
    merged = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    from itertools import pairwise

    gaps = [b[0] - a[1] for a, b in pairwise(merged)]
    gaps.append(merged[0][0] + day - merged[-1][1])  # across midnight
    return max(gaps)


def _legacy_quiet_hours(table: dict[str, Any], path: str) -> dict[str, Any]:
    """The older `[quiet_hours] start = ... / end = ...` form, read as one period."""
    old = {key: table[key] for key in ("start", "end") if key in table}
    if not old:
        return table
    if "periods" in table:
        raise ConfigError(f"{path}: [quiet_hours] has both periods and start/end; keep periods only")
    label = f"{path}: [quiet_hours]"
    start = _clock_time(old.get("start", "22:00"), f"{label} start")
    end = _clock_time(old.get("end", "07:00"), f"{label} end")
    if start == end:
        raise ConfigError(f"{label} start and end are both {start:%H:%M}; they must differ")
    rest = {key: value for key, value in table.items() if key not in old}
    return {**rest, "periods": [f"{start:%H:%M}-{end:%H:%M}"]}


# Reading the declarations --------------------------------------------------------------------


class Setting(NamedTuple):
    section: str
    key: str
    default: Any
    spec: Spec


def sections() -> dict[str, type]:
    """Section name -> its class, in declaration order."""
    return {name: type(default) for name, default in Config._field_defaults.items()}


@cache
def specs(section: type) -> dict[str, Spec]:
    """Key -> Spec for one section class, read from its annotations (evaluated here, not at import)."""
    from typing import get_args, get_type_hints

    found = {}
    for key, hint in get_type_hints(section, include_extras=True).items():
        spec = next(m for m in hint.__metadata__ if isinstance(m, Spec))
        if spec.kind == "choice":
            spec = spec._replace(choices=get_args(get_args(hint)[0]))
        found[key] = spec
    return found


def settings() -> list[Setting]:
    """Every setting, in declaration order."""
    defaults = Config()
    return [
        Setting(name, key, getattr(getattr(defaults, name), key), spec)
        for name, cls in sections().items()
        for key, spec in specs(cls).items()
    ]


def limits(spec: Spec) -> tuple[str, str]:
    """(allowed, advised) in words, e.g. ("1-20 minutes", "12-15 minutes"); empty when there are none."""
    if spec.kind == "choice":
        return " or ".join(f'"{c}"' for c in spec.choices), ""
    allowed = _range(spec.hard, spec.unit) if spec.hard else ""
    return allowed, _range(spec.advised, spec.unit) if spec.advised else ""


# Checking plain values ---------------------------------------------------------------------------

_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(UsageError):
    """config.toml cannot be used; the message names the file and the key or line."""


def _build(data: dict[str, Any], path: str) -> tuple[Config, list[str]]:
    warnings: list[str] = []
    known = sections()
    built = {}
    for name, table in data.items():
        if name not in known:
            raise ConfigError(f"{path}: unknown key {_show(name)} (known sections: {', '.join(known)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {_show(name)} must be a section like [{name}], not a single value")
        if name == "quiet_hours":
            table = _legacy_quiet_hours(table, path)
        built[name] = _section(name, known[name], table, path, warnings)
    config = Config(**built)
    problem = _whole_config_problem(config)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    return config, warnings


def from_plain(data: dict[str, Any], base: Config) -> Config:
    """Settings in their `as_dict` form (as recorded in the log), over `base` for sections not given."""
    built, _ = _build(data, "the recorded settings")
    return base._replace(**{name: getattr(built, name) for name in data})


def _section(name: str, cls: type, table: dict[str, Any], path: str, warnings: list[str]) -> Any:
    known = specs(cls)
    values = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key [{name}] {_show(key)} (known keys: {', '.join(known)})")
        label = f"{path}: [{name}] {key}"
        values[key] = _value(known[key], value, label, warnings)
    return cls(**values)


def _value(spec: Spec, value: Any, label: str, warnings: list[str]) -> Any:
    """A value checked against its spec; raises ConfigError naming `label` (file, section and key)."""
    if spec.kind in ("number", "whole"):
        return _number(spec, value, label, warnings)
    if spec.kind == "clock":
        return _clock_time(value, label)
    if spec.kind == "clock_ranges":
        example = '["22:00-07:00", "13:30-14:30"]'
        if not isinstance(value, list):
            raise ConfigError(f"{label} must be a list of times of day like {example}, not {_show(value)}")
        return tuple(_clock_range(item, label, example) for item in value)
    if not isinstance(value, str):
        shown = "" if spec.secret else f", not {_show(value)}"  # a token is not repeated on the screen
        raise ConfigError(f"{label} must be text in quotes{shown}")
    if spec.kind == "choice" and value not in spec.choices:
        raise ConfigError(f"{label} must be {limits(spec)[0]}, not {_show(value)}")
    problem = spec.check(value) if spec.check else None
    if problem:
        raise ConfigError(f"{label} {problem}")
    return value


def _number(spec: Spec, value: Any, label: str, warnings: list[str]) -> float:
    whole_only = spec.kind == "whole"
    kind = "a whole number" if whole_only else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole_only and not isinstance(value, int)):
        raise ConfigError(f"{label} must be {kind}, not {_show(value)}")
    lo, hi = spec.hard or (-math.inf, math.inf)
    if not math.isfinite(value) or not lo <= value <= hi:
        why = f": {spec.why}" if spec.why and value > hi else ""
        allowed = f" (allowed {_range(spec.hard, spec.unit)})" if spec.hard else ""
        raise ConfigError(f"{label} = {_show(value)} is out of range{why}{allowed}")
    if spec.advised and not spec.advised[0] <= value <= spec.advised[1]:
        warnings.append(
            f"{label} = {value} is outside what the protocol advises "
            f"({_range(spec.advised, spec.unit)}); using it anyway"
        )
    return value


def _clock_time(value: Any, label: str) -> time:
    if isinstance(value, time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match:
        raise ConfigError(f'{label} must be a time of day like "22:00", not {_show(value)}')
    return time(int(match[1]), int(match[2]))


def _clock_range(value: Any, label: str, example: str) -> ClockRange:
    parts = value.split("-") if isinstance(value, str) else []
    ends = [_CLOCK.match(part.strip()) for part in parts]
    if len(ends) != 2 or not all(ends):
        raise ConfigError(f"{label} must be a list of times of day like {example}, not {_show(value)}")
    start, end = (time(int(m[1]), int(m[2])) for m in ends if m)
    if start == end:
        raise ConfigError(f'{label}: "{value}" starts and ends at the same time; it must span some time')
    return ClockRange(start, end)


def _range(bounds: tuple[float, float], unit: str) -> str:
    lo, hi = (f"{b:g}" for b in bounds)
    text = lo if lo == hi else f"{lo}-{hi}"
    return f"{text} {unit}".strip()


def _show(value: Any) -> str:
    """A short, single-line rendering of a user's value for an error message."""
    text = one_line(value if isinstance(value, str) else repr(value))
    text = text[:40] + "…" if len(text) > 40 else text
    return f'"{text}"' if isinstance(value, str) else text
