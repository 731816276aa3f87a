"""`therapy-timer doctor`: the checks a support person would make, in the order they matter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import Any

from therapy_timer import daemon_client, paths
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
    """The report. Where reminders run, their daemon is asked how its reminders go and sends the
    test notification and push itself (its session, environment and route may differ from this
    terminal's); this terminal's own session is tested apart, under `notifications`."""
    from therapy_timer import wording
    from therapy_timer.notify import Note, Notifier, PlyerBackend, TerminalBackend, linux_backend

    report: dict[str, Any] = {"config": {"path": str(paths.config_path())}, "data": {"folder": str(app.folder)}}
    try:
        app.check_config()
        report["config"]["ok"] = True
    except TherapyTimerError as exc:
        report["config"].update(ok=False, problem=str(exc))
    config = app.config if report["config"]["ok"] else None
    try:
        stored = app.store.active_plan()
        report["data"].update(ok=True, database=str(app.store.path), active_plan=stored is not None)
    except TherapyTimerError as exc:
        report["data"].update(ok=False, problem=str(exc))
    report["daemon_running"] = daemon_client.is_running(app.folder)
    daemon = ask_daemon(app.folder, pushing=bool(config and config.push.url)) if report["daemon_running"] else None
    report["daemon"] = daemon or {"answered": False}
    if daemon is not None and "push" in daemon:
        report["push"] = {**daemon.pop("push"), "sent_from": "the running reminders"}
    else:
        report["push"] = {**push_check(config), "sent_from": "this terminal"}
    report["phone_answers"] = phone_answers(app, config, report["data"].get("ok"))
    desktop = PlyerBackend()
    problem = desktop.problem()
    log: list[str] = []
    # The terminal fallback speaks on stderr, so the report on stdout stays one JSON document.
    terminal = TerminalBackend(lambda line: print(line, file=sys.stderr, flush=True))
    from therapy_timer.bootstrap import desktop_backends

    notifier = Notifier(desktop_backends(), fallback=terminal, log=log.append)
    delivered = notifier.send(Note(*wording.TERMINAL_TEST)).backend
    report["notifications"] = {
        "session": "this terminal",
        "platform": sys.platform,
        "plyer_backend": linux_backend() if sys.platform.startswith("linux") else "native",
        "notification_server": notification_server(),
        "problem": problem or (log[0] if log else None),
        "delivered_by": delivered,
        "buttons": buttons(notifier),
    }
    tested = daemon.get("test") if daemon else None
    reaches = (tested["delivered_by"] if tested else delivered) != "terminal"  # the reminders' route decides
    pushed = report["push"]["arrived"] is not False  # off, or a test reached the server
    report["ok"] = bool(report["config"].get("ok") and report["data"].get("ok") and reaches and pushed)
    return report


def ask_daemon(folder: Any, pushing: bool) -> dict[str, Any] | None:
    """Ask the running reminders how their last reminder went, then have them send a test (and a
    test push when push is on) their own way; None when they do not answer (a daemon from before
    it could). The first question is quick, so such a daemon costs two seconds, not a push's wait."""
    from therapy_timer.notify import SEND_TIMEOUT
    from therapy_timer.push import START, TIMEOUT

    daemon_client.offer_desktop(folder)  # as any command from the desktop does: a daemon without one takes it
    how = daemon_client.ask(folder, daemon_client.HOW, 2.0)
    if how is None:
        return None
    patience = 2 * SEND_TIMEOUT + (TIMEOUT + START if pushing else 0) + 2
    return {"answered": True, "test": None, **(daemon_client.ask(folder, daemon_client.TEST, patience) or how)}


def phone_answers(app: Any, config: Any, data_ok: object) -> dict[str, Any]:
    """Whether pushed reminders carry buttons whose answers come home, and when the last one was
    recorded (`on` is None when config.toml cannot be read). `desk_clears_phone`: an ntfy server
    cannot take back a message, so an answer given at the desk leaves the phone's copy in place."""
    from therapy_timer import json_views

    last = app.store.last_from("phone") if data_ok else None
    zone = app.wiring.zone(app.store.active_plan()) if last is not None else None
    return {
        "on": None if config is None else bool(config.push.url) and config.push.answers == "on",
        "last_arrived": json_views.stamp(last, zone) if last is not None and zone is not None else None,
        "desk_clears_phone": False,
    }


def push_check(config: Any) -> dict[str, Any]:
    """With push on, a test push sent now (the person asked for it by setting [push] url, and a
    check that stays offline could not tell whether it works); with push off, nothing is sent."""
    from therapy_timer.push import check

    return check(config.push if config is not None else None)


def buttons(notifier: Any) -> bool:
    """Whether reminders will carry buttons: the D-Bus path is there and its server shows actions."""
    from therapy_timer.notify.dbus import DBusBackend

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
    daemon = report.get("daemon") or {}
    tested = daemon.get("test")
    out += render_daemon(daemon) if report["daemon_running"] else []
    out.append(
        f"This terminal: a test was delivered by {note['delivered_by']} (plyer backend: {note['plyer_backend']})"
    )
    out.append(
        "  buttons from here: "
        + ("yes" if note["buttons"] else "no (answer by typing the command each reminder names)")
    )
    if note["notification_server"]:
        out.append(f"  notification server on the session bus: {note['notification_server']}")
    if note["problem"]:
        out.append(f"  problem: {note['problem']}")
    reminders_reach = (tested["delivered_by"] if tested else note["delivered_by"]) != "terminal"
    if tested and reminders_reach and note["delivered_by"] == "terminal":
        out.append(
            "  That is this terminal only: it is not in your desktop session. The reminders come from the "
            "running daemon, and its test above went to the desktop."
        )
    elif not reminders_reach:
        whose = "The running reminders' desktop notifications" if tested else "Desktop notifications"
        out.append(
            f"  {whose} are not working, so reminders would only reach the daemon's log "
            "(and this terminal, for `therapy-timer run`)."
        )
        out.append(
            "  Linux: run therapy-timer from your desktop session (the problem above says what is missing); "
            "a running daemon takes that session when you do."
        )
        out.append("  macOS: pip install pyobjus. Windows: notifications work out of the box (neither has buttons).")
    else:
        out.append("  If no test notification appeared on your screen, check your desktop's do-not-disturb setting.")
    return out + render_push(report["push"]) + render_phone_answers(report["phone_answers"], report["push"])


def render_daemon(daemon: dict[str, Any]) -> list[str]:
    """What the running reminders said about themselves."""
    if not daemon.get("answered"):
        return ["  (they did not answer doctor's question; they may be from an older version: `therapy-timer stop` "
                "and `start` again, or look in their log)"]  # fmt: skip
    out = []
    last = daemon.get("last_reminder")
    if last:
        carried = "with buttons" if last.get("buttons") else "without buttons"
        from datetime import datetime

        at = f"{datetime.fromisoformat(last['at']).astimezone():%a %H:%M}"
        out.append(f"  their last reminder ({last['title']}, {at}): delivered by {last['delivered_by']}, {carried}")
    else:
        out.append("  they have shown no reminder since they started")
    tested = daemon.get("test")
    if tested:
        out.append(
            f"  a test from them now: delivered by {tested['delivered_by']}; "
            f"buttons on reminders: {'yes' if tested['buttons'] else 'no'}"
        )
    else:
        out.append("  a test from them now: no answer in time")
    if not daemon.get("session_bus"):
        out.append(
            "  they have no desktop session: run any therapy-timer command from your desktop session and they take it"
        )
    return out


def render_phone_answers(answers: dict[str, Any], push: dict[str, Any]) -> list[str]:
    if answers["on"] is None or not push["on"]:
        return []
    if not answers["on"]:
        return ['Answers from the phone: off (pushes carry no buttons; [push] answers = "on" adds them)']
    from datetime import datetime

    last = answers["last_arrived"]
    when = f"the last arrived {datetime.fromisoformat(last):%a %d %b %H:%M}" if last else "none has arrived yet"
    return [
        f"Answers from the phone: on ({when})",
        "  A reminder answered here at the desk stays on the phone until you swipe it away: "
        "an ntfy server cannot take back a message it has delivered.",
    ]


def render_push(push: dict[str, Any]) -> list[str]:
    lines = _push_lines(push)
    if push.get("sent_from") == "the running reminders" and push["on"]:
        lines[0] += " (sent by the running reminders, as they send theirs)"
    return lines


def _push_lines(push: dict[str, Any]) -> list[str]:
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
