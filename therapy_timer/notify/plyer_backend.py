"""plyer: the path on macOS and Windows, and a fallback on Linux (no buttons)."""

from __future__ import annotations

import html
import sys

from therapy_timer import APP_NAME
from therapy_timer.notify.base import Note, NotifyError, Unanswerable, linux_backend, session_bus_available


class PlyerBackend(Unanswerable):
    """plyer's notification facade: notify-send or dbus on Linux, native on macOS and Windows."""

    name = "desktop (plyer)"

    def problem(self) -> str | None:
        if not sys.platform.startswith("linux"):
            return None
        if not session_bus_available():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset): run inside your desktop session"
        if linux_backend() is None:
            return (
                "no notification tool: install notify-send (Debian/Ubuntu: apt install libnotify-bin; "
                "Fedora: dnf install libnotify; Arch: pacman -S libnotify)"
            )
        return None

    def prepare(self) -> None:
        """Load plyer and its platform backend now, not at the first reminder."""
        import importlib
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                from plyer.utils import platform

                importlib.import_module(f"plyer.platforms.{platform}.notification")
            except Exception:
                pass

    def send(self, note: Note) -> int:
        import warnings

        title, body, sticky = note.title, note.plain, note.sticky
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # plyer warns about dbus-python before falling back to notify-send
            from plyer import notification

            if sys.platform.startswith("linux"):
                if linux_backend() == "portal":  # plyer pastes text into a GVariant string: no straight quotes
                    title, body = title.replace("'", "\u2019"), body.replace("'", "\u2019")
                body = html.escape(body, quote=False)  # servers read body markup; show text as written
            try:
                notification.notify(
                    title=title, message=body, app_name=APP_NAME, timeout=0 if sticky else round(note.expire_seconds)
                )
            except NotImplementedError:
                raise NotifyError("plyer has no notification backend on this system") from None
            except Exception as exc:
                raise NotifyError(f"plyer failed: {type(exc).__name__}: {exc}") from None
        return 0
