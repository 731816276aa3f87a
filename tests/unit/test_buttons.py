"""Answering a reminder where it appears: its buttons, one notification per session, and tidy closing.

The daemon runs on a hand clock and a stepping scheduler; the recorder plays the notification
server (ids, replacement, closing) and a person pressing a button, as the real server's
`ActionInvoked` and `NotificationClosed` signals would. `test_desktop.py` presses real buttons on
a real server.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from freezegun import freeze_time

from tests.helpers import T0, HandClock, new_plan, stepping_daemon
from therapy_timer import reminders, wording
from therapy_timer.notify import Delivery, Note, Notifier, TerminalBackend
from therapy_timer.notify.dbus import SOUND, notify_args
from therapy_timer.store import Store, StoreError

HEAT_DAY = T0 - timedelta(days=3)  # injured three days ago: the plan is in its heat phase


def logged(store: Store, kind: str | None = None) -> list[tuple[str, str | None, str | None]]:
    """(kind, session, source) of what the record holds, leaving out the settings lines."""
    return [
        (e.kind, e.session, e.source)
        for e in store.events()
        if e.kind not in ("settings", "plan-start") and kind in (None, e.kind)
    ]


# What each reminder offers ------------------------------------------------------------------------


def test_each_reminder_offers_the_answers_that_fit_it():
    assert reminders.buttons("ice", "on") == ("skip", "snooze")
    assert reminders.buttons("ice", "off") == ("done",)
    assert reminders.buttons("heat", "on") == ("heat-worse", "heat-no-help", "skip", "snooze")
    assert reminders.buttons("heat", "off") == ("done", "heat-worse", "heat-no-help")
    assert reminders.buttons("walk", "on") == ("walked", "skip", "later")
    labels = [wording.BUTTONS[key].label for key in ("done", "heat-worse", "heat-no-help", "walked", "later")]
    assert labels == ["Done, it's off", "Made it worse", "Didn't help", "Walked", "Later"]


def test_without_buttons_the_body_names_the_command_to_type_without_backticks():
    assert wording.typed(("done",)) == "Type therapy-timer done when it is off."
    assert wording.typed(("heat-worse", "heat-no-help", "skip", "snooze")) == (
        "Type therapy-timer log heat-worse if the heat made it worse."
    )
    assert wording.typed(("skip", "snooze")) == ""  # nothing that must be said: skip and snooze are in --help
    heat_off = reminders.buttons("heat", "off")
    assert "`" not in wording.typed(heat_off) and "therapy-timer done" in wording.typed(heat_off)


def test_the_command_line_help_uses_the_button_words(run):
    for command, keys in (("done", ("done", "walked")), ("skip", ("skip",)), ("snooze", ("snooze", "later"))):
        shown = " ".join(run(command, "--help").stdout.split())
        assert all(wording.BUTTONS[key].label in shown for key in keys), (command, shown)
    for command in ("heat-worse", "heat-no-help"):
        assert wording.BUTTONS[command].label in run("log", command, "--help").stdout


# What the server is sent ------------------------------------------------------------------------------


def test_a_server_with_actions_gets_buttons_and_the_body_without_commands():
    note = Note("Ice off now", "Take the ice off.", True, ("done",), wording.typed(("done",)), replaces=7)
    app, replaces, _icon, title, body, actions, hints, expire = notify_args(note, frozenset({"actions", "body"}))
    assert (app, replaces, title, body) == ("therapy-timer", 7, "Ice off now", "Take the ice off.")
    assert actions == ["done", "Done, it's off"]
    assert hints == {"urgency": ("y", 2)} and expire == 0  # critical, and stays until answered


def test_a_server_without_actions_gets_the_command_to_type():
    note = Note("Ice off now", "Take the ice off.", True, ("done",), wording.typed(("done",)))
    body, actions = notify_args(note, frozenset({"body"}))[4:6]
    assert body == "Take the ice off. Type therapy-timer done when it is off." and actions == []


def test_markup_is_escaped_where_read_and_a_sound_asked_for_where_offered():
    note = Note("Ice off now", "Knees <up> & rest", True, ("done",))
    args = notify_args(note, frozenset({"actions", "body-markup", "sound"}))
    assert args[4] == "Knees &lt;up&gt; &amp; rest" and args[6]["sound-name"] == ("s", SOUND)
    calm = notify_args(Note("Ice on now", "x", False, ("skip",), expire_seconds=420), frozenset({"sound"}))
    assert "sound-name" not in calm[6] and calm[6]["urgency"] == ("y", 1) and calm[7] == 420_000


def test_a_notification_replaces_only_one_its_own_backend_showed():
    class Numbered(TerminalBackend):
        name = "numbered"

        def send(self, note: Note) -> int:
            seen.append(note.replaces)
            return 5

    seen: list[int] = []
    notifier = Notifier([Numbered()], TerminalBackend(lambda line: None), log=lambda line: None)
    assert notifier.send(Note("a", "b"), replacing=Delivery("numbered", 3)) == Delivery("numbered", 5)
    notifier.send(Note("a", "b"), replacing=Delivery("terminal", 3))
    assert seen == [3, 0]


# Pressing them ------------------------------------------------------------------------------------------


def test_one_notification_per_session_and_done_pressed_is_recorded_and_closes_it(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.recorder.titles == ["Ice on now", "Ice off now"]
        assert p.recorder.ids[0] == p.recorder.ids[1]  # the off reminder took the on reminder's place
        off = p.recorder.notes[1]
        assert off.buttons == ("done",) and off.sticky and off.replaces == p.recorder.ids[0]
        assert list(p.recorder.on_screen) == [p.recorder.ids[0]]

        p.recorder.press("Ice off now", "done")
        p.scheduler.step()  # the recompute the press asked for
        assert logged(p.daemon.store) == [("done", reminders_session(p), "notification")]
        p.scheduler.run_until(T0 + timedelta(minutes=40))
        assert p.recorder.titles == ["Ice on now", "Ice off now"]  # no "is the ice still on?" after done
        assert not p.recorder.on_screen


def reminders_session(p) -> str:
    """The session key of the first ice session (from the record of fired reminders)."""
    return p.daemon.store.reminders(1)[0].key.rsplit("/", 1)[0]


def test_made_it_worse_pressed_brings_the_stop_at_once_in_the_same_place(isolated):
    new_plan(isolated, injured=HEAT_DAY)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        assert p.recorder.titles == ["Moist heat on now"]
        heat = p.recorder.notes[0]
        assert heat.buttons == ("heat-worse", "heat-no-help", "skip", "snooze") and not heat.sticky
        clock.advance(minutes=4)
        p.recorder.press("Moist heat on now", "heat-worse")
        p.scheduler.step()  # one recompute: recorded, and the follow-up shown
        assert logged(p.daemon.store) == [("heat-worse", None, "notification")]
        assert p.recorder.titles[-1] == "Stop the heat now"
        stop = p.recorder.notes[-1]
        assert stop.sticky and stop.buttons == ("done",)
        assert p.daemon.store.reminders(1)[-1].fired_at == clock.now()  # no wait at all in stepped time


def test_a_press_on_a_session_already_answered_changes_nothing_and_says_so(isolated, run):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        note_id = p.recorder.ids[-1]
        with freeze_time(clock.now()):
            run("done")  # typed, while the notification is still up
        p.recorder.listener(reminders_press(note_id, "done"))  # pressed before it was closed
        p.scheduler.step()
        assert logged(p.daemon.store, "done") == [("done", reminders_session(p), "command")]  # once, typed
        assert p.recorder.titles[-1] == "Nothing changed"
        assert "already marked done" in p.recorder.sent[-1][1]
        assert any("changed nothing" in line for line in p.logged)


def reminders_press(note_id: int, button: str):
    from therapy_timer.notify.dbus import ServerEvent

    return ServerEvent("pressed", note_id, action=button)


def test_an_answer_typed_on_the_command_line_closes_the_notification(isolated, run):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.recorder.on_screen
        with freeze_time(clock.now()):
            run("done")
        p.daemon.poke()  # what the command's nudge does
        p.scheduler.step()
        assert not p.recorder.on_screen and p.recorder.closed == [p.recorder.ids[-1]]


def test_snooze_pressed_comes_again_ten_minutes_later(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        p.recorder.press("Ice on now", "snooze")
        p.scheduler.step()
        (snooze,) = [e for e in p.daemon.store.events() if e.kind == "snooze"]
        assert (snooze.minutes, snooze.source, snooze.text) == (10, "notification", p.daemon.store.reminders(1)[0].key)
        p.scheduler.run_until(T0 + timedelta(minutes=10))
        assert p.recorder.titles == ["Ice on now", "Again: ice on now"]


def test_a_walk_is_answered_walked(isolated):
    new_plan(isolated, injured=HEAT_DAY)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(hours=12))
        walk = next(n for n in p.recorder.notes if n.buttons == ("walked", "skip", "later"))
        p.recorder.press(walk.title, "walked")
        p.scheduler.step()
        (done,) = logged(p.daemon.store, "done")
        assert done[0] == "done" and done[1].startswith("walk") and done[2] == "notification"


def test_a_press_that_cannot_be_recorded_is_kept_and_recorded_at_the_retry(isolated, monkeypatch):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        store, real_log = p.daemon.store, p.daemon.store.log_answer
        failures = iter([StoreError("the disk is full")])

        def full_once(*args, **kwargs):
            for failure in failures:
                raise failure
            return real_log(*args, **kwargs)

        monkeypatch.setattr(store, "log_answer", full_once)
        p.recorder.press("Ice off now", "done")
        p.scheduler.step()
        assert logged(store, "done") == [] and any("retrying" in line for line in p.logged)
        p.scheduler.run_until(clock.now() + timedelta(seconds=5))
        assert logged(store, "done") == [("done", reminders_session(p), "notification")]


def test_a_press_on_a_reminder_of_a_plan_that_has_ended_changes_nothing(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        store = Store(isolated)
        store.start_plan(T0, T0 + timedelta(minutes=2), True, T0 + timedelta(minutes=2))  # replaced
        store.close()
        clock.advance(minutes=3)
        p.recorder.press("Ice on now", "skip")  # pressed before the daemon noticed the new plan
        p.scheduler.step()
        assert logged(p.daemon.store, "skip") == []
        assert p.recorder.titles[1] == "Nothing changed" and "plan that has ended" in p.recorder.sent[1][1]


def test_didnt_help_pressed_is_recorded_and_its_notification_leaves_the_screen(isolated):
    new_plan(isolated, injured=HEAT_DAY)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        note_id = p.recorder.ids[0]
        p.daemon.heard(reminders_press(note_id, "heat-no-help"))  # a server that keeps it after a press
        p.scheduler.step()
        assert logged(p.daemon.store) == [("heat-no-help", None, "notification")]
        assert p.recorder.closed == [note_id] and not p.recorder.on_screen
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.recorder.titles == ["Moist heat on now", "Heat off now"]  # the session runs to its end


def test_a_press_that_keeps_failing_holds_up_no_reminder_and_is_recorded_once_it_can_be(isolated, monkeypatch):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        store, real_log = p.daemon.store, p.daemon.store.log_answer
        monkeypatch.setattr(store, "log_answer", lambda *a, **k: (_ for _ in ()).throw(StoreError("the disk is full")))
        p.recorder.press("Ice on now", "skip")
        p.scheduler.run_until(T0 + timedelta(minutes=16))
        assert p.recorder.titles == ["Ice on now", "Ice off now"]  # the reminders went on meanwhile
        monkeypatch.setattr(store, "log_answer", real_log)
        p.scheduler.run_until(T0 + timedelta(minutes=17, seconds=30))
        assert logged(store, "skip") == [("skip", reminders_session(p), "notification")]


def test_a_heat_on_reminder_stays_for_its_session_so_made_it_worse_can_be_pressed_during_it(isolated):
    new_plan(isolated, injured=HEAT_DAY)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        heat = p.recorder.notes[0]
        assert heat.title == "Moist heat on now" and heat.expire_seconds == 15 * 60  # the whole session


# One wiring: a press is decided as a command would decide it ------------------------------------------


def test_a_press_follows_the_plans_zone_whatever_the_daemons_tz(isolated, run, monkeypatch):
    """Started in New York at 15:00; the daemon runs with TZ=Asia/Kolkata. "Done, it's off" pressed on
    the 17:00 ice is recorded for that session (it was refused as "not part of the plan" when the
    daemon gave the use case its own zone instead of the plan's)."""
    from zoneinfo import ZoneInfo

    at = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
    monkeypatch.setenv("TZ", "America/New_York")
    with freeze_time(at):
        run("start", "--no-daemon")
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    clock = HandClock(at)
    with stepping_daemon(isolated, clock, zone=ZoneInfo("Asia/Kolkata")) as p:
        p.scheduler.run_until(at + timedelta(hours=2, minutes=15))
        clock.advance(minutes=1)
        p.recorder.press("Ice off now", "done")
        p.scheduler.step()
        done = logged(p.daemon.store, "done")
        assert done == [("done", "ice@2026-11-24T22:00:00Z", "notification")], p.logged


def test_a_refused_press_is_worded_for_the_notification_never_with_a_command_to_type(isolated):
    """The use cases refuse with a reason and its facts; the daemon words it. The command line's own
    words ("run `therapy-timer done`", "--at") never reach a notification."""
    from therapy_timer import usecases
    from therapy_timer.bootstrap import Wiring
    from therapy_timer.settings import Config

    new_plan(isolated)
    store = Store(isolated)
    wiring = Wiring(isolated.parent / "config.toml")

    def press(minutes: float, key: str, button: str) -> usecases.PressResult:
        deps = wiring.deps(store, T0 + timedelta(minutes=minutes), Config())
        return usecases.press(deps, 1, f"{key}/on", key, button)

    first = "ice@2026-11-24T08:00:00Z"
    said = [
        press(16, first, "done"),  # recorded
        press(17, first, "done"),  # answered already
        press(17, "ice@2026-11-24T08:05:00Z", "done"),  # no such session
        press(17, first, "heat-worse"),  # cold already
    ]
    store.close()
    assert said[0].changed and not any(result.changed for result in said[1:])
    assert said[1].said.endswith("is already marked done") and "not part of the plan" in said[2].said
    for result in said:
        assert "therapy-timer" not in result.said and "`" not in result.said and "--" not in result.said
    for text in wording.BUTTON_REFUSALS.values():
        assert "therapy-timer" not in text and "`" not in text and "--" not in text


# What is left on screen (issue 21: 5) ----------------------------------------------------------------


def test_settings_problems_are_one_notification_replaced_in_place_and_closed_once_fixed(isolated, tmp_path):
    config_file = isolated.parent / "config.toml"
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        for broken in ("[cold]\nminutes = 99\n", "[cold]\nminutes = 98\n", "[cold\n"):
            config_file.write_text(broken)
            p.daemon.poke()
            p.scheduler.step()
        problems = [
            i
            for i, n in zip(p.recorder.ids, p.recorder.notes, strict=True)
            if n.title == "therapy-timer settings problem"
        ]
        assert len(problems) == 3 and len(set(problems)) == 1  # each took the last one's place
        assert len([n for n in p.recorder.on_screen.values() if "settings" in n.title]) == 1
        config_file.write_text("[cold]\nminutes = 12\n")
        p.daemon.poke()
        p.scheduler.step()
        assert problems[0] in p.recorder.closed
        assert [n.title for n in p.recorder.on_screen.values()] == ["Ice on now"]


def test_forget_takes_the_notifications_off_the_screen_as_the_daemon_ends(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert [n.title for n in p.recorder.on_screen.values()] == ["Ice off now"]
        p.daemon.forgotten()  # what `forget`'s message to the daemon does
        assert p.scheduler.stopped
    assert not p.recorder.on_screen  # closed on the way out: nothing would record its "Done"


def test_a_daemon_ended_otherwise_leaves_the_take_it_off_reminder_on_screen(isolated):
    """A restart (an upgrade, a logout) ends the daemon too; the record stays, and the reminder to
    take the ice off is still true, so it stays until answered."""
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        p.daemon.shutdown()
    assert [n.title for n in p.recorder.on_screen.values()] == ["Ice off now"]


def test_a_daemon_whose_record_was_removed_takes_its_notifications_off_the_screen(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert [n.title for n in p.recorder.on_screen.values()] == ["Ice off now"]
        p.daemon.store.path.unlink()  # deleted by hand, or by another program
        p.daemon.poke()
        p.scheduler.step()
        assert p.scheduler.stopped
    assert not p.recorder.on_screen


# Only the notification server answers (issue 21: 7, 8, 9) ---------------------------------------------


def signal_from(sender: str, member: str, signature: str, body: tuple, interface: str = "") -> object:
    """A signal as the bus delivers it: the bus writes the sender's unique name into the header."""
    from jeepney import DBusAddress, HeaderFields, new_signal

    from therapy_timer.notify.dbus import PATH, SERVICE

    path = "/org/freedesktop/DBus" if interface == "org.freedesktop.DBus" else PATH
    message = new_signal(DBusAddress(path, interface=interface or SERVICE), member, signature, body)
    message.header.fields[HeaderFields.sender] = sender
    return message


def test_only_the_owner_of_the_notification_service_presses_or_closes():
    from therapy_timer.notify.dbus import ServerEvent, judge

    server, forger = ":1.3", ":1.42"
    assert judge(signal_from(server, "ActionInvoked", "us", (7, "done")), server) == (
        None,
        ServerEvent("pressed", 7, action="done"),
    )
    closed = judge(signal_from(server, "NotificationClosed", "uu", (7, 2)), server)
    assert closed == (None, ServerEvent("closed", 7, reason=2))
    forged = judge(signal_from(forger, "ActionInvoked", "us", (7, "done")), server)
    assert forged == (None, ServerEvent("refused", 7, action="done", sender=forger))
    assert judge(signal_from(forger, "NotificationClosed", "uu", (7, 2)), server)[1].kind == "refused"
    assert judge(signal_from(server, "ActionInvoked", "us", (7, "done")), "")[1].kind == "refused"  # no owner known
    # Arguments that are not what the specification says: dropped, never a crash of the receiving thread.
    assert judge(signal_from(server, "ActionInvoked", "ss", ("7", "done")), server) == (None, None)
    assert judge(signal_from(forger, "ActionInvoked", "s", ("x",)), server)[1].kind == "refused"


def test_only_the_bus_itself_says_who_owns_the_notification_service():
    from therapy_timer.notify.dbus import SERVICE, judge

    bus = "org.freedesktop.DBus"
    changed = (SERVICE, ":1.3", ":1.9")
    assert judge(signal_from(bus, "NameOwnerChanged", "sss", changed, interface=bus), ":1.3") == (":1.9", None)
    assert judge(signal_from(bus, "NameOwnerChanged", "sss", (SERVICE, ":1.3", ""), interface=bus), ":1.3")[0] == ""
    forged = signal_from(":1.42", "NameOwnerChanged", "sss", (SERVICE, ":1.3", ":1.42"), interface=bus)
    assert judge(forged, ":1.3") == (None, None)
    other = signal_from(bus, "NameOwnerChanged", "sss", ("org.example.Other", "", ":1.50"), interface=bus)
    assert judge(other, ":1.3") == (None, None)


def server_event(kind: str, note_id: int = 0, action: str = "", sender: str = ""):
    from therapy_timer.notify.dbus import ServerEvent

    return ServerEvent(kind, note_id, action=action, sender=sender)  # type: ignore[arg-type]


def test_a_press_of_a_button_the_notification_did_not_offer_is_not_recorded(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        note_id = p.recorder.ids[0]
        assert p.recorder.notes[0].buttons == ("skip", "snooze")
        for forged in ("done", "heat-worse", "default"):
            p.daemon.heard(server_event("pressed", note_id, forged))
        p.scheduler.step()
        assert logged(p.daemon.store) == [] and p.recorder.titles == ["Ice on now"]  # nothing said on screen either
        said = [line for line in p.logged if "did not offer" in line]
        assert len(said) == 1 and "'done'" in said[0]  # once, not once per press
        p.recorder.press("Ice on now", "skip")  # the server's own press of a button it showed still counts
        p.scheduler.step()
        assert logged(p.daemon.store) == [("skip", reminders_session(p), "notification")]


def test_a_button_offered_before_the_notification_was_replaced_in_place_still_counts(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert p.recorder.ids[0] == p.recorder.ids[1]  # "Ice off now" took the place of "Ice on now"
        p.daemon.heard(server_event("pressed", p.recorder.ids[0], "skip"))  # pressed just before it changed
        p.scheduler.step()
        assert logged(p.daemon.store) == [("skip", reminders_session(p), "notification")]


def test_what_others_send_is_logged_once_on_one_line_and_a_flood_grows_nothing(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        note_id = p.recorder.ids[0]
        forged = "done\n2026-11-24 09:00:00 answered from the notification: ice marked done\x1b[2J\x07" + "x" * 5000
        for _ in range(20_000):
            p.daemon.heard(server_event("refused", note_id, forged, sender=":1.42"))
        assert not p.daemon._heard and not p.scheduler.queue  # nothing queued, no recompute asked for
        (said,) = [line for line in p.logged if "not the notification server" in line]
        assert ":1.42" in said and "\\n2026-11-24" in said and "\\x1b[2J" in said
        assert said.isprintable() and len(said) < 400  # escaped to one visible line, and cut short
        for _ in range(20_000):  # even from the server itself (a broken one), the queue stays bounded
            p.daemon.heard(server_event("pressed", 10_000, "done"))
        assert len(p.daemon._heard) <= 64 and len(p.scheduler.queue) == 1
        assert len([line for line in p.logged if "presses and closings waiting at once" in line]) == 1
        clock.advance(hours=1, minutes=1)
        p.daemon.heard(server_event("refused", note_id, "skip", sender=":1.43"))
        again = [line for line in p.logged if "not the notification server" in line]
        assert len(again) == 2 and "19999 more like it" in again[1]  # an hour later: one line, with the count
        p.scheduler.step()
        assert logged(p.daemon.store) == []


def test_after_the_server_restarts_no_old_id_replaces_or_closes_another_apps_notification(isolated):
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        p.scheduler.step()
        old_id = p.recorder.ids[0]
        p.daemon.heard(server_event("restarted"))  # the server went away and another took its name
        p.recorder.on_screen.clear()
        p.recorder._next_id = 0  # the new server counts from the start again
        other = p.recorder.send(Note("Other app", "its own news"))
        assert other == old_id  # the id that was ours is another application's now
        p.scheduler.step()
        assert any("notification server changed" in line for line in p.logged)

        p.daemon.heard(server_event("pressed", other, "skip"))  # a press on the other app's notification
        p.scheduler.run_until(T0 + timedelta(minutes=15))
        assert logged(p.daemon.store) == []
        off = p.recorder.notes[-1]
        assert off.title == "Ice off now" and off.replaces == 0  # a new notification, not in the other's place
        assert p.recorder.on_screen[other].title == "Other app"
        p.recorder.press("Ice off now", "done")
        p.scheduler.step()
        assert logged(p.daemon.store) == [("done", reminders_session(p), "notification")]
        assert p.recorder.on_screen[other].title == "Other app"  # closing ours did not close it either


def test_a_reminder_shown_as_the_server_restarts_keeps_its_new_id(isolated):
    """The restart was heard before the new server answered the Notify call (the bus sends the owner
    change first): the id it gave belongs to the new server and is kept when the restart is handled."""
    new_plan(isolated)
    with stepping_daemon(isolated, HandClock(T0)) as p:
        real_send = p.recorder.send

        def restart_then_send(note):
            if note.title == "Ice on now":
                p.daemon.heard(server_event("restarted"))
            return real_send(note)

        p.recorder.send = restart_then_send
        p.scheduler.step()
        p.scheduler.step()  # the queued restart
        p.recorder.press("Ice on now", "skip")
        p.scheduler.step()
        assert logged(p.daemon.store) == [("skip", reminders_session(p), "notification")]


# One plan state: a snooze moves the session, and what is promised comes -------------------------------


def test_made_it_worse_during_a_snoozed_heat_stops_it_at_once_and_says_when_ice_follows(isolated):
    """The bug: "Stop the heat now" came only when the snooze ended (10 minutes late with the button),
    saying "ice follows in about 15 minutes" when fewer were left."""
    new_plan(isolated, injured=HEAT_DAY)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.step()
        clock.advance(minutes=1)
        p.recorder.press("Moist heat on now", "snooze")  # the heat moves to 09:11
        p.scheduler.step()
        p.scheduler.run_until(T0 + timedelta(minutes=13))
        assert p.recorder.titles[-1] == "Again: moist heat on now"
        clock.advance(minutes=0)
        p.recorder.press("Again: moist heat on now", "heat-worse")
        p.scheduler.step()
        assert p.recorder.titles[-1] == "Stop the heat now"
        stop = p.daemon.store.reminders(1)[-1]
        assert stop.key.endswith("/stop") and stop.fired_at == clock.now() == T0 + timedelta(minutes=13)
        body = p.recorder.notes[-1].body
        ice = next(r for r in p.daemon.pending(p.daemon.store.require_plan(), clock.now()) if r.what == "ice")
        minutes = round((ice.due - clock.now()) / timedelta(minutes=1))
        assert f"ice follows in about {minutes} minutes" in body and minutes == 15


def test_later_on_a_walk_comes_again_when_it_said(isolated):
    new_plan(isolated)
    clock = HandClock(T0)
    with stepping_daemon(isolated, clock) as p:
        p.scheduler.run_until(T0 + timedelta(hours=12))
        record = [r for r in p.daemon.store.reminders(1) if r.fired_at is not None]
        treatments = [r.fired_at for r in record if not r.key.startswith("walk@") and r.key.endswith("/on")]
        fired = next(  # a walk with room for "Later" (30 min) before the next ice or heat
            r
            for r in record
            if r.key.startswith("walk@")
            and not any(r.fired_at < t <= r.fired_at + timedelta(minutes=50) for t in treatments)
        )
        walk = next(n for n in p.recorder.notes if n.title == fired.title)
    # a fresh plan, stopped at the walk's moment, so "Later" is pressed while it is in front
    folder = isolated.parent / "again"
    new_plan(folder)
    clock = HandClock(fired.fired_at)
    with stepping_daemon(folder, clock) as p:
        p.scheduler.step()
        assert p.recorder.titles[-1] == walk.title
        p.recorder.press(walk.title, "later")
        p.scheduler.step()
        said = [line for line in p.logged if "answered from the notification" in line]
        assert said and "snoozed until" in said[-1], p.logged
        p.scheduler.run_until(clock.now() + timedelta(minutes=31))
        again = [r for r in p.daemon.store.reminders(1) if "/snoozed-" in r.key]
        assert again and again[-1].fired_at == fired.fired_at + timedelta(minutes=30)
