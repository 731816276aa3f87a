"""notify-send, run ourselves so its exit status is checked (plyer ignores it); no buttons."""

from __future__ import annotations

import html

from therapy_timer import APP_NAME
from therapy_timer.notify.base import SEND_TIMEOUT, Note, NotifyError, Unanswerable
from therapy_timer.notify.plyer_backend import PlyerBackend


class NotifySendBackend(Unanswerable):
    """libnotify's `notify-send`, run by us rather than through plyer, on Linux.

    plyer runs the same command but ignores its exit status (a bus with no notification server
    makes it fail silently, and the reminder would be recorded as delivered) and drops the
    timeout. Here a failure is an error, so the Notifier falls back, and a hanging call is killed
    and its process reaped within `timeout` seconds instead of leaving a thread and a child behind.
    """

    name = "desktop (notify-send)"

    def __init__(self, timeout: float = SEND_TIMEOUT - 1) -> None:
        self.timeout = timeout

    def problem(self) -> str | None:
        return PlyerBackend().problem()

    def prepare(self) -> None:
        """Nothing to load: the command runs at each reminder."""

    def send(self, note: Note) -> int:
        import subprocess

        expire = 0 if note.sticky else round(note.expire_seconds * 1000)
        command = ["notify-send", f"--app-name={APP_NAME}", f"--expire-time={expire}"]
        if note.sticky:
            command.append("--urgency=critical")
        command += [
            "--",
            note.title,
            html.escape(note.plain, quote=False),
        ]  # servers read body markup: show it as typed
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=self.timeout, check=False)
        except subprocess.TimeoutExpired:  # run() has killed and reaped the child
            raise NotifyError(f"notify-send gave no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise NotifyError(f"notify-send could not run: {exc.strerror}") from None
        if done.returncode != 0:
            said = " ".join(done.stderr.split())[:200] or f"exit status {done.returncode}"
            raise NotifyError(f"notify-send failed: {said}")
        return 0
