"""The one seam through which time enters the app.

Everything that needs "now" asks a Clock, so tests drive time with freezegun or a fake clock,
and the demo can compress a plan without touching the protocol or the daemon.

It is also the one place that turns a zone's name into a zone: an IANA name ("Europe/Berlin"), or a
rule written the POSIX way in `TZ` ("JST-9", "CET-1CEST,M3.5.0,M10.5.0/3"), which a plan records as
it was written, so the daemon, the calendar and every command compute in the same zone.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone, tzinfo

from therapy_timer.errors import UsageError

_POSIX_NAME = r"(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)"
_POSIX_OFFSET = r"[+-]?\d{1,2}(?::\d{1,2}){0,2}"
_POSIX_RULE = r"(?:M\d{1,2}\.\d\.\d|J?\d{1,3})(?:/[+-]?\d{1,3}(?::\d{1,2}){0,2})?"
POSIX_TZ = rf"{_POSIX_NAME}{_POSIX_OFFSET}(?:{_POSIX_NAME}(?:{_POSIX_OFFSET})?(?:,{_POSIX_RULE},{_POSIX_RULE})?)?"
"""A `TZ` value written the POSIX way (IEEE Std 1003.1, 8.3): a name, an offset west of UTC, and
optionally a summer-time name, offset and the rules of its start and end. A pattern, compiled (and
kept by `re`) the first time a zone is not an IANA name: most starts never need it."""


class UnknownZone(UsageError):
    """A zone name that is neither an IANA name nor a POSIX rule: refused, never read as UTC."""


def local_zone() -> tzinfo:
    """The user's time zone, so quiet hours follow the local clock across DST.

    TZ wins and is read on every call: an IANA name ("Europe/Berlin", ":Europe/Berlin", or a path
    into a zoneinfo folder) or a POSIX rule ("JST-9"); anything else is refused in one line rather
    than silently taken as UTC. Without TZ: the /etc/localtime link (cheap, and right on most Linux
    and macOS machines), then tzlocal for the rest.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    wanted = os.environ.get("TZ", "").lstrip(":")
    if wanted:
        zone = zone_named(wanted)
        if zone is None:
            raise UnknownZone(
                f"TZ={wanted!r} is not a time zone therapy-timer can read: set it to a name such as "
                "Europe/Berlin (or a POSIX rule such as CET-1CEST,M3.5.0,M10.5.0/3), or unset it"
            )
        return zone
    link = os.path.realpath("/etc/localtime")
    if "/zoneinfo/" in link:
        try:
            return ZoneInfo(link.split("/zoneinfo/", 1)[1])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    import tzlocal

    return tzlocal.get_localzone()


def zone_key(zone: tzinfo) -> str | None:
    """The name of `zone` to record with a plan ("Europe/Berlin", or a POSIX rule as written); None if it has none."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else None


def zone_named(name: str | None) -> tzinfo | None:
    """The zone recorded under `name` (an IANA name or a POSIX rule), or None when there is none
    (or it cannot be read here)."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    iana = name.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in name else name
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    if re.fullmatch(POSIX_TZ, name):
        return posix_zone(name)
    return None


def posix_zone(rule: str) -> tzinfo | None:
    """A zone from a POSIX `TZ` rule, read by dateutil's `tzstr` with POSIX's sign ("UTC+3" is three
    hours behind UTC, as the C library reads it); its `key` is the rule as written."""
    from dateutil import tz

    class PosixZone(tz.tzstr):
        key = rule

    # dateutil reads only alphabetic names: "<+0530>" (quoted, as glibc writes numeric names) becomes one
    quoted = iter(("QQA", "QQB"))
    plain = re.sub(r"<[^>]*>", lambda _: next(quoted), rule)
    try:
        return PosixZone(plain, posix_offset=True)
    except (ValueError, TypeError):
        return None


class Clock:
    """Wall-clock time as the user lives it."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        return datetime.now(timezone.utc)

    def to_wall(self, moment: datetime) -> datetime:
        """The real wall-clock moment at which `moment` on this clock happens."""
        return moment


class FastClock(Clock):
    """A clock that runs `speed` times faster than real time from `origin` on (for the demo)."""

    def __init__(self, origin: datetime, speed: float) -> None:
        self.origin = origin
        self.speed = speed
        self.real_origin = datetime.now(timezone.utc)

    def now(self) -> datetime:
        return self.origin + (datetime.now(timezone.utc) - self.real_origin) * self.speed

    def to_wall(self, moment: datetime) -> datetime:
        return self.real_origin + (moment - self.origin) / self.speed


SYSTEM = Clock()
