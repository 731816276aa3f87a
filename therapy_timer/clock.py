"""The one seam through which time enters the app.

Everything that needs "now" asks a Clock, so tests drive time with freezegun or a fake clock,
and the demo can compress a plan without touching the protocol or the daemon.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone, tzinfo


def local_zone() -> tzinfo:
    """The user's IANA time zone, so quiet hours follow the local clock across DST.

    TZ (e.g. "Europe/Berlin") wins and is read on every call; then the /etc/localtime link (cheap,
    and right on most Linux and macOS machines); tzlocal covers the rest.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    link = os.path.realpath("/etc/localtime")
    candidates = [os.environ.get("TZ", "").lstrip(":"), link.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in link else ""]
    for name in filter(None, candidates):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    import tzlocal

    return tzlocal.get_localzone()


def zone_key(zone: tzinfo) -> str | None:
    """The IANA name of `zone` ("Europe/Berlin"), to record with a plan; None if it has none."""
    key = getattr(zone, "key", None)
    return key if isinstance(key, str) else None


def zone_named(name: str | None) -> tzinfo | None:
    """The zone recorded under `name`, or None when there is none (or it is unknown here)."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
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
