"""Answers from the phone: the buttons on a pushed reminder, and reading their presses back.

With `[push] answers = "on"`, each pushed reminder carries the answers that fit it (at most three,
ntfy's limit; "Made it worse" first on heat) as ntfy `http` actions, published as JSON
(`push.as_json`). Pressed, the ntfy app POSTs the button's body to the button's address, and then
clears the notification (`clear`; it stays when the request fails, so the person can press again).

What a button carries gives nothing away: its address is this installation's reply topic (long and
random, made once and kept in the record, never in `config show` or the log), and its body a random
single-use code (`new_code`: 128 bits). What each code means (the plan, the reminder, its session,
the button) is kept in the record only (`store.PhoneButton`), so a `detail = "generic"` push says
nothing by its buttons either, and a code cannot be turned into another answer.

The daemon reads the reply topic (ntfy's poll mode: `GET <topic>/json?poll=1&since=...`, which
answers with the messages since then, one JSON object a line, and closes) only while a pushed
reminder with buttons is still in front of the person (its `relevant_until`: an "on" reminder until
half its session, a take-it-off reminder for 30 minutes), every `FETCH_EVERY` seconds, through a
short-lived child process as a push is sent (`push.exchanged_in_child`: bounded in time, and the
daemon never loads urllib or ssl). Outside those windows nothing is read. `since` is the server's id
of the last message read (the first time: shortly before the first button was issued); each message
is judged once, as the record notes every message id read.

A press is judged (`judge`): a message that is not one of our codes, a code never given, a code used
before, or one pressed after its reminder stopped being in front of the person changes nothing and is
logged in one line; the others are recorded through `usecases.press` with source "phone", as a
desktop button is.
"""

from __future__ import annotations

import base64
import json
import os
import string
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Literal

from therapy_timer.named_tuple import NamedTuple
from therapy_timer.push import TIMEOUT, Action, Post, PushError, exchanged_in_child, split_topic
from therapy_timer.store import PhoneButton

if TYPE_CHECKING:
    from therapy_timer.reminders import Reminder
    from therapy_timer.settings import Push

FETCH_EVERY = timedelta(seconds=5)
"""How often the reply topic is read while an answer may come: a press is recorded within about this
(the budget is 30 s), at the cost of one short child process each time."""
BUTTONS_AT_MOST = 3
"""ntfy shows up to three actions on a notification."""
CODE_LENGTH = 22
"""128 random bits, 22 characters."""
MESSAGES_AT_MOST = 64
"""Messages taken from one reading (a flooded reply topic costs one bounded reading each time)."""
SINCE_BEFORE = timedelta(minutes=1)
"""The first reading looks this far back before the first button was issued (clocks differ)."""
_CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_")

Verdict = Literal["answer", "not-ours", "unknown", "used", "late"]

REFUSED: dict[str, str] = {
    "not-ours": "ignored a message among the answers from the phone that is not an answer this app gave "
    "(altered, or sent by hand)",
    "unknown": "ignored an answer from the phone with a code this app never gave (or has forgotten)",
    "used": "ignored an answer from the phone whose button was pressed before (a replay)",
    "late": "ignored an answer from the phone pressed after its reminder stopped being current",
}
"""What the log says of an answer that changes nothing (codes and topics stay out of it)."""


def on(settings: Push) -> bool:
    """Whether pushed reminders carry buttons and the daemon reads their answers."""
    return bool(settings.url) and settings.answers == "on"


PUSH_BUTTONS = frozenset({"done", "walked", "skip", "snooze", "later", "heat-worse", "heat-no-help"})
"""The buttons a push may carry: answers to a session. The daily check-in's are not among them: "One
of these is new" answers with the list of signs and what to do, which a press on the phone could not
show, so a check-in comes to the phone with the commands to type instead."""


def phone_buttons(buttons: Sequence[str]) -> tuple[str, ...]:
    """The answers a push offers: the reminder's own answers to its session, "Made it worse" first,
    three at most (none for a check-in)."""
    answers = [button for button in buttons if button in PUSH_BUTTONS]
    return tuple(sorted(answers, key=lambda button: button != "heat-worse")[:BUTTONS_AT_MOST])


def _random_text(size: int) -> str:
    """`size` random bytes from the system as URL-safe text (`secrets.token_urlsafe`, without
    importing `secrets`: it loads hashlib and with it libcrypto, 4 MB more in a daemon that idles)."""
    return base64.urlsafe_b64encode(os.urandom(size)).rstrip(b"=").decode("ascii")


def new_code() -> str:
    """A button's body: random, single-use, meaningless without the record."""
    return _random_text(16)


def new_topic() -> str:
    """This installation's reply topic: ntfy's topic characters, 38 of them, 192 random bits."""
    return "reply-" + _random_text(24)


def issue(reminder: Reminder, plan_id: int, now: datetime) -> list[PhoneButton]:
    """One code for each button `reminder`'s push offers, valid while it is in front of the person."""
    return [
        PhoneButton(new_code(), plan_id, reminder.key, reminder.session, button, now, reminder.relevant_until)
        for button in phone_buttons(reminder.buttons)
    ]


def reply_url(push_url: str, topic: str) -> str:
    """The reply topic's address, on the same server as the push topic."""
    root, _ = split_topic(push_url)
    return root + topic


def actions(buttons: Sequence[PhoneButton], reply: str) -> tuple[Action, ...]:
    """The ntfy actions for `buttons`: each POSTs its code, and nothing else, to the reply topic."""
    from therapy_timer.wording import BUTTONS

    return tuple(Action(BUTTONS[b.button].label, reply, b.id) for b in buttons)


def poll(settings: Push, topic: str, since: str) -> Post:
    """The reading of the reply topic: the messages since `since` (a message id or a Unix time)."""
    import urllib.parse

    headers = {"Authorization": f"Bearer {settings.token}"} if settings.token else {}
    query = urllib.parse.urlencode({"poll": "1", "since": since})
    return Post(f"{reply_url(settings.url, topic)}/json?{query}", headers, b"", "GET")


def first_since(buttons: Sequence[PhoneButton]) -> str:
    """`since` for a first reading: a Unix time shortly before the earliest button was issued."""
    return str(int((min(b.issued_at for b in buttons) - SINCE_BEFORE).timestamp()))


class Heard(NamedTuple):
    """One message read from the reply topic: the server's id for it, when it came, its body."""

    mid: str
    time: datetime | None
    body: str

    def pressed_at(self, now: datetime) -> datetime:
        """When the button was pressed: the server's time for the message, never after `now`."""
        return min(self.time, now) if self.time is not None else now


def read(answer: bytes) -> list[Heard]:
    """The `message` events of a poll's answer (one JSON object a line), oldest first; lines that
    are not such an object are passed over (an `open` or `keepalive` event, or a cut-off last line)."""
    heard = []
    for line in answer.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if not isinstance(event, dict) or event.get("event") != "message" or not isinstance(event.get("id"), str):
            continue
        body, at = event.get("message"), event.get("time")
        moment = datetime.fromtimestamp(at, timezone.utc) if isinstance(at, int | float) and 0 < at < 2**33 else None
        heard.append(Heard(event["id"][:64], moment, body if isinstance(body, str) else ""))
        if len(heard) >= MESSAGES_AT_MOST:
            break
    return heard


def is_code(body: str) -> bool:
    """Whether a message could be one of our codes at all."""
    return len(body) == CODE_LENGTH and set(body) <= _CODE_CHARACTERS


def judge(button: PhoneButton | None, body: str, pressed_at: datetime) -> Verdict:
    """What a message on the reply topic is: an answer to record, or why it changes nothing.
    `button` is the record's entry for the code as it was before this message (None: none)."""
    if not is_code(body):
        return "not-ours"
    if button is None:
        return "unknown"
    if button.used_at is not None:
        return "used"
    if pressed_at >= button.until:
        return "late"
    return "answer"


class Reader:
    """Reads the reply topic in the background, one reading at a time, and keeps the log to what changes.

    A reading that is asked for while one is under way is dropped (the next comes `FETCH_EVERY`
    later), so a slow, dead or trickling server costs one thread and one child process at most, and
    never holds up a reminder. A failure is logged once, and the first reading that works after
    failures once too.
    """

    def __init__(
        self,
        log: Callable[[str], None],
        timeout: float = TIMEOUT,
        fetch: Callable[[Post, float], tuple[int, bytes]] | None = None,
    ) -> None:
        self.log, self.timeout = log, timeout
        self._fetch = fetch or (lambda request, seconds: exchanged_in_child(request, seconds, "reading"))
        self._lock = threading.Lock()
        self._under_way: threading.Thread | None = None
        self._failing = False
        self.readings = 0  # started so far (the tests and the benchmark count them)

    def start(self, request: Post, then: Callable[[list[Heard]], None]) -> bool:
        """Start reading (`then` gets the messages, from the reading's thread); False when one is under way."""
        with self._lock:
            if self._under_way is not None:
                return False
            thread = threading.Thread(target=self._read, args=(request, then), name="phone", daemon=True)
            self._under_way = thread
            self.readings += 1
        try:
            thread.start()
        except RuntimeError as exc:  # no thread to be had: the next reading tries again
            with self._lock:
                self._under_way = None
            self._outcome(request, f"could not start: {exc}")
            return False
        return True

    def wait(self, seconds: float) -> bool:
        """Wait until no reading is under way (about `seconds` at most); True if none is."""
        thread = self._under_way
        if thread is not None:
            thread.join(seconds)
            return not thread.is_alive()
        return True

    def _read(self, request: Post, then: Callable[[list[Heard]], None]) -> None:
        try:
            _, answer = self._fetch(request, self.timeout)
            heard = read(answer)
        except PushError as exc:
            problem: str | None = str(exc)
        except Exception as exc:  # a bug must not end silently in a thread nobody watches
            problem = f"{type(exc).__name__}: {exc}"
        else:
            problem = None
        with self._lock:
            self._under_way = None
        self._outcome(request, problem)
        if problem is None and heard:
            then(heard)

    def _outcome(self, request: Post, problem: str | None) -> None:
        with self._lock:
            changed = self._failing != (problem is not None)
            self._failing = problem is not None
        if changed and problem:
            self.log(
                f"reading the answers from the phone at {request.server} failed: {problem} "
                "(said once; tried again every few seconds while an answer may come)"
            )
        elif changed:
            self.log(f"reading the answers from the phone at {request.server} works again")
