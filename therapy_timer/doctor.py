"""`therapy-timer doctor`: the checks a support person would make, in the order they matter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Any

from therapy_timer import control, paths
from therapy_timer.errors import TherapyTimerError


def notification_server() -> str | None:
    """On Linux, whether something owns org.freedesktop.Notifications on the session bus.

    dbus-send is given the bus's address: without one, in a terminal with an X display, it would
    autolaunch a bus of its own (`dbus-launch --autolaunch`) that stays after doctor ends."""
    import os

    from therapy_timer.notify import session_bus_address

    if not sys.platform.startswith("linux") or not shutil.which("dbus-send"):
        return None
    address = session_bus_address()
    if address is None:
        return "no session bus here (DBUS_SESSION_BUS_ADDRESS is unset)"
    try:
        answer = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.Notifications",
            ],
            capture_output=True,
            text=True,
            timeout=5,
            env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": address},
        )
    except (OSError, subprocess.TimeoutExpired):
        return "no answer from the session bus"
    if answer.returncode != 0:
        return "no session bus answered"
    return "running" if "true" in answer.stdout else "none running (install one, e.g. dunst, or log in to a desktop)"


def checkup(app: Any) -> dict[str, Any]:
    from therapy_timer.notify import Note, Notifier, PlyerBackend, TerminalBackend, linux_backend

    report: dict[str, Any] = {"config": {"path": str(paths.config_path())}, "data": {"folder": str(app.folder)}}
    try:
        app.check_config()
        report["config"]["ok"] = True
    except TherapyTimerError as exc:
        report["config"].update(ok=False, problem=str(exc))
    report["push"] = push_check(app.config if report["config"]["ok"] else None)
    try:
        stored = app.store.active_plan()
        report["data"].update(ok=True, database=str(app.store.path), active_plan=stored is not None)
    except TherapyTimerError as exc:
        report["data"].update(ok=False, problem=str(exc))
    report["daemon_running"] = control.is_running(app.folder)
    desktop = PlyerBackend()
    problem = desktop.problem()
    log: list[str] = []
    # The terminal fallback speaks on stderr, so the report on stdout stays one JSON document.
    terminal = TerminalBackend(lambda line: print(line, file=sys.stderr, flush=True))
    notifier = Notifier(fallback=terminal, log=log.append)
    delivered = notifier.send(Note("therapy-timer test", "If you can read this, reminders will reach you.")).backend
    report["notifications"] = {
        "platform": sys.platform,
        "plyer_backend": linux_backend() if sys.platform.startswith("linux") else "native",
        "notification_server": notification_server(),
        "problem": problem or (log[0] if log else None),
        "delivered_by": delivered,
        "buttons": buttons(notifier),
    }
    pushed = report["push"]["arrived"] is not False  # off, or a test reached the server
    report["ok"] = bool(report["config"].get("ok") and report["data"].get("ok") and delivered != "terminal" and pushed)
    return report


def push_check(config: Any) -> dict[str, Any]:
    """With push on, a test push sent now (the person asked for it by setting [push] url, and a
    check that stays offline could not tell whether it works); with push off, nothing is sent."""
    from therapy_timer.push import check

    return check(config.push if config is not None else None)


def buttons(notifier: Any) -> bool:
    """Whether reminders will carry buttons: the D-Bus path is there and its server shows actions."""
    from therapy_timer.freedesktop import DBusBackend

    for backend in notifier.desktop:
        if isinstance(backend, DBusBackend) and backend.problem() is None:
            try:
                return "actions" in backend.capabilities()
            except Exception:
                return False
            finally:
                backend.shutdown()
    return False


def ok(flag: object) -> str:
    return "ok" if flag else "PROBLEM"


def render(report: dict[str, Any]) -> list[str]:
    note = report["notifications"]
    out = [
        f"Config:   {report['config']['path']}: {ok(report['config'].get('ok'))}"
        + (f" ({report['config']['problem']})" if "problem" in report["config"] else "")
    ]
    out.append(
        f"Data:     {report['data']['folder']}: {ok(report['data'].get('ok'))}"
        + (
            f" ({report['data']['problem']})"
            if "problem" in report["data"]
            else f" ({'a plan is active' if report['data'].get('active_plan') else 'no active plan'})"
        )
    )
    out.append("Reminders: " + ("running" if report["daemon_running"] else "not running"))
    out.append(
        f"Notifications: a test was delivered by {note['delivered_by']} (plyer backend: {note['plyer_backend']})"
    )
    out.append(
        "  buttons on reminders: "
        + ("yes" if note["buttons"] else "no (answer by typing the command each reminder names)")
    )
    if note["notification_server"]:
        out.append(f"  notification server on the session bus: {note['notification_server']}")
    if note["problem"]:
        out.append(f"  problem: {note['problem']}")
    if note["delivered_by"] == "terminal":
        out.append(
            "  Desktop notifications are not working, so reminders would only reach the daemon's log "
            "(and this terminal, for `therapy-timer run`)."
        )
        out.append(
            "  Linux: run therapy-timer from your desktop session (the problem above says what is missing); "
            "a running daemon takes that session when you do."
        )
        out.append("  macOS: pip install pyobjus. Windows: notifications work out of the box (neither has buttons).")
    else:
        out.append("  If no test notification appeared on your screen, check your desktop's do-not-disturb setting.")
    return out + render_push(report["push"])


def render_push(push: dict[str, Any]) -> list[str]:
    if push["on"] is None:
        return ["Push: unknown until config.toml can be read"]
    if not push["on"]:
        return ["Push: off (nothing is sent anywhere; [push] url in config.toml turns it on)"]
    via = f" through the proxy {push['proxy']}" if push.get("proxy") else ""
    if push["arrived"]:
        return [
            f"Push: a test reached {push['server']}{via} (HTTP {push['status']} in {push['seconds']:.2f} s); "
            f"detail: {push['detail']}",
            "  Nothing on your phone? Subscribe to the same topic in the ntfy app.",
        ]
    return [f"Push: PROBLEM: a test did not reach {push['server']}{via}: {push['problem']}"]
