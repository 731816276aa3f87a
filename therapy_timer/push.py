"""Reminders to a phone through ntfy, opt-in: one HTTP POST per reminder, never in the reminder's way.

ntfy (the ntfy.sh service, or a server of your own) is plain HTTP: the message is the body of a POST
to the topic's address, with the headers Title, Priority (1-5) and Tags, and an access token as
`Authorization: Bearer`. So this is the standard library's urllib, not a notification library
(apprise: about 200 ms and 21 MiB once loaded).

What is sent, exactly (the README repeats it): to `[push] url` only, the title, the text, a priority
(4, high, for a take-it-off reminder; 3 otherwise), with `detail = "full"` a tag naming ice, heat or
a walk, and the token if one is set. With `detail = "generic"` the title and text are one of three
fixed sentences that say nothing about health (a session to begin, one to end, a daily check due).
Redirects are not followed, so the token and the text reach no address but that one.

The daemon sends each push through a short-lived child process (`python -m therapy_timer.push`,
the request on its stdin: the token never shows in a process list). Measured (bench/push.py): in
the daemon itself, urllib, ssl and a TLS context would stay resident, 27 -> 34.5 MB, past the 30 MB
budget of an idle daemon; a child leaves the daemon as small as with push off, and can be killed
when a server trickles its answer forever (a thread cannot be). `doctor` sends its test the same way.

A proxy is never used for this machine (`http://localhost`: the only plain http allowed); for
https, the proxy the user's system names (`https_proxy` and `no_proxy`), as urllib reads it
(`proxy_for`), and `doctor` says which.

A push never holds up a desktop reminder: a thread of the daemon waits for the child, `TIMEOUT`
seconds per network wait and `TIMEOUT + START` at most in all; a reminder that comes while one is
under way waits for it, in place of any older one waiting (one child and one waiting message at
most, however dead the server). A failure is logged once and the next reminder simply tries again;
the first push that works after failures is logged once too.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from therapy_timer.named_tuple import NamedTuple

if TYPE_CHECKING:
    from therapy_timer.reminders import Reminder
    from therapy_timer.settings import Push, PushDetail

TIMEOUT = 5.0
"""Seconds a push may wait for the server (to connect, and for each answer)."""
START = 5.0
"""Seconds more the child process may take in all (starting Python on a busy machine, TLS) before it is killed."""
HIGH, DEFAULT = 4, 3
"""ntfy priorities: a take-it-off reminder (skin at stake) vibrates longer on the phone; 5, urgent,
pops over whatever is on screen, which is more than a reminder should do."""
READ_AT_MOST = 256 * 1024
"""Bytes of a server's answer that are read (a poll of the answers from the phone: a few dozen lines)."""
TAGS = {"ice": "snowflake", "heat": "hotsprings", "walk": "walking"}
"""ntfy shows these tags as emoji before the title (detail "full" only)."""
GENERIC_ON = ("Reminder", "Time for your next session.")
GENERIC_OFF = ("Reminder", "Time to end your session.")
GENERIC_CHECK = ("Reminder", "A daily check is due.")
TEST = {"full": ("therapy-timer test", "If this reached your phone, so will the reminders."),
        "generic": ("Reminder test", "If this reached your phone, so will the reminders.")}  # fmt: skip


class Action(NamedTuple):
    """A button on the pushed reminder (an ntfy `http` action): pressed, the phone POSTs `body` to `url`."""

    label: str
    url: str
    body: str


class Message(NamedTuple):
    """What one push says (with buttons: published as JSON, `post`)."""

    title: str
    body: str
    priority: int = DEFAULT
    tags: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()


class Post(NamedTuple):
    """One HTTP request to the ntfy server, ready to send (a publish, or a poll of the answers: GET)."""

    url: str
    headers: dict[str, str]
    body: bytes
    method: str = "POST"

    @property
    def server(self) -> str:
        """The server's name, for the log (the topic stays out of it: on a public server it is the key)."""
        return self.url.partition("://")[2].partition("/")[0]


class PushError(Exception):
    """A push did not reach the server, or the server refused it; the message says why, in one line."""

    def __init__(self, why: str, status: int | None = None) -> None:
        super().__init__(why)
        self.status = status  # the server's HTTP status, when it answered one


def message(reminder: Reminder, detail: PushDetail, actions: tuple[Action, ...] = ()) -> Message:
    """A reminder as a push: its own words with `detail="full"`, one of three fixed sentences otherwise;
    with `actions` (answers from the phone are on), its buttons too."""
    priority = HIGH if reminder.sticky else DEFAULT
    if detail == "generic":
        title, body = GENERIC_CHECK if reminder.what == "check" else GENERIC_OFF if reminder.sticky else GENERIC_ON
        return Message(title, body, priority, actions=actions)
    typed = reminder.typed if not actions else ""  # with buttons on the phone, nothing to type
    body = f"{reminder.body} {typed}" if typed else reminder.body
    return Message(reminder.title, body, priority, (TAGS[reminder.what],) if reminder.what in TAGS else (), actions)


def test_message(detail: PushDetail) -> Message:
    """What `doctor` sends to show that pushes arrive."""
    return Message(*TEST[detail])


def check(settings: Push | None) -> dict[str, Any]:
    """`doctor`'s push check: when push is on, one test push, sent now and waited for (`on` is None
    when the config cannot be read). Every key is always there; `proxy` names the proxy the push
    went through (None: straight to the server).

    Sent as the daemon sends a reminder (`in_child`), so the whole test has one deadline,
    `TIMEOUT + START` seconds (10), however slowly a server trickles its answer."""
    out: dict[str, Any] = {
        "on": None if settings is None else bool(settings.url),
        "server": None,
        "detail": settings.detail if settings else None,
        "arrived": None,
        "status": None,
        "seconds": None,
        "problem": None,
        "proxy": None,
    }
    if settings is None or not settings.url:
        return out
    request = post(settings, test_message(settings.detail))
    out["server"] = request.server
    out["proxy"] = shown(proxy_for(request.url))
    began = time.perf_counter()
    try:
        out["status"] = in_child(request, TIMEOUT)
    except PushError as exc:
        out.update(arrived=False, status=exc.status, problem=str(exc))
    else:
        out["arrived"] = True
    out["seconds"] = round(time.perf_counter() - began, 3)
    return out


def post(settings: Push, said: Message) -> Post:
    """The request that publishes `said` to the topic at `settings.url`: with buttons as JSON to
    the server's root (`as_json`), else as the body of a POST to the topic with headers."""
    if said.actions:
        return as_json(settings, said)
    headers = {
        "Title": _header_text(said.title),
        "Priority": str(said.priority),
        "Content-Type": "text/plain; charset=utf-8",
    }
    if said.tags:
        headers["Tags"] = ",".join(said.tags)
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"
    return Post(settings.url, headers, said.body.encode("utf-8"))


def as_json(settings: Push, said: Message) -> Post:
    """`said` published as JSON, as ntfy documents it ("Publish as JSON"): one object POSTed to the
    server's root naming the topic, the title, the message, the priority, the tags and the buttons
    (`http` actions: POST `body` to `url`, then clear the notification). No header carries a label,
    so "Done, it's off" needs no quoting and any language arrives as it is."""
    import json

    root, topic = split_topic(settings.url)
    data: dict[str, Any] = {"topic": topic, "message": said.body, "title": said.title, "priority": said.priority}
    if said.tags:
        data["tags"] = list(said.tags)
    data["actions"] = [
        {"action": "http", "label": a.label, "url": a.url, "method": "POST", "body": a.body, "clear": True}
        for a in said.actions
    ]
    headers = {"Content-Type": "application/json"}
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"
    return Post(root, headers, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def split_topic(url: str) -> tuple[str, str]:
    """A topic's address as (the server's root, the topic): "https://ntfy.sh/back-x" gives
    ("https://ntfy.sh/", "back-x"); a path before the topic and a query stay with the root."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    folder, _, topic = parts.path.rstrip("/").rpartition("/")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, folder + "/", parts.query, "")), topic


def _header_text(text: str) -> str:
    """`text` as a header value: as it is when ASCII, else as an RFC 2047 word (ntfy decodes it;
    HTTP headers themselves carry only Latin-1)."""
    if text.isascii():
        return " ".join(text.split())
    import base64

    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def deliver(request: Post, timeout: float = TIMEOUT) -> int:
    """Send one request; the server's HTTP status (2xx), or PushError saying why not."""
    return exchange(request, timeout)[0]


def exchange(request: Post, timeout: float = TIMEOUT) -> tuple[int, bytes]:
    """Send one request; the server's HTTP status (2xx) and the first `READ_AT_MOST` bytes of its
    answer, or PushError saying why not."""
    opener = _opener(proxy_for(request.url))
    import urllib.request

    body = request.body if request.method != "GET" else None
    sent = urllib.request.Request(request.url, data=body, headers=request.headers, method=request.method)
    try:
        with opener.open(sent, timeout=timeout) as answer:
            # A publish: ntfy answers with the message it stored (read, so the server is done). A poll:
            # the messages, one JSON object a line, bounded so a flooded topic cannot swell a process.
            return int(answer.status), answer.read(READ_AT_MOST)
    except Exception as exc:
        from therapy_timer.safe_text import one_line

        code = getattr(exc, "code", None)  # a server's words (its reason phrase) stay on one line of the log
        raise PushError(one_line(_why(exc, timeout)), code if isinstance(code, int) else None) from None


def _why(exc: Exception, timeout: float) -> str:
    """What went wrong, in words a person can act on."""
    import urllib.error

    if isinstance(exc, urllib.error.HTTPError):
        said = f"the server answered HTTP {exc.code} {exc.reason}".rstrip()
        if exc.code in (401, 403):
            return f"{said}: check [push] token"
        if 300 <= exc.code < 400:
            return f"{said} (a redirect, not followed): put the address it points to in [push] url"
        return said
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError since Python 3.10
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused: is the server running, and is the address right?"
    if isinstance(reason, OSError) and reason.strerror:
        return f"could not connect: {reason.strerror}"
    return f"{type(reason).__name__}: {reason}"


def _opener(proxy: str | None) -> Any:
    """urllib's opener with redirects refused, through `proxy` or straight (never the proxies urllib
    would pick up by itself: `proxy_for` decides)."""
    import urllib.request

    class Refuse(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # urllib then raises the 3xx as an HTTPError

    proxies = {"https": proxy} if proxy else {}  # `proxy_for` names one for https only
    return urllib.request.build_opener(Refuse, urllib.request.ProxyHandler(proxies))


def proxy_for(url: str) -> str | None:
    """The proxy a push to `url` goes through, or None for straight to the server.

    Never one for this machine (localhost, 127.0.0.0/8, ::1): a push to `http://localhost` would
    otherwise travel to an `http_proxy` in clear, token and all, and never reach this machine's
    server. Elsewhere (https only) the proxy the user's system names for https, as urllib reads it:
    `https_proxy` (or `HTTPS_PROXY`) unless `no_proxy` lists the server, or macOS's and Windows'
    own proxy settings. An `http_proxy` is never used: plain http goes only to this machine.
    """
    import urllib.parse
    import urllib.request

    parts = urllib.parse.urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if scheme != "https" or is_loopback(host):
        return None
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(parts.netloc):
        return None
    return str(proxy)


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address, without brackets) is this machine."""
    import ipaddress

    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: always this machine
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def shown(proxy: str | None) -> str | None:
    """A proxy's address as `doctor` shows it: its scheme, host and port, never a password in it."""
    if not proxy:
        return None
    import urllib.parse

    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a port urllib could use either; the push will say what failed
        port = ""
    return f"{parts.scheme}://{host}{port}"


def as_bytes(request: Post) -> bytes:
    """A request as the child reads it on stdin: the address, a header per line, a blank line, the body.

    Line breaks cannot hide in the lines: the address and the token are checked when the config is
    read (no spaces, no control characters) and a title becomes a single line (`_header_text`)."""
    first = f"{request.method} {request.url}"
    head = [first, *(f"{name}: {value}" for name, value in request.headers.items()), "", ""]
    return "\n".join(head).encode("utf-8") + request.body


def from_bytes(data: bytes) -> Post:
    """The request `as_bytes` wrote."""
    head, _, body = data.partition(b"\n\n")
    first, *lines = head.decode("utf-8").split("\n")
    method, _, url = first.partition(" ")
    return Post(url, dict(line.split(": ", 1) for line in lines), body, method)


def child_main() -> None:
    """`python -m therapy_timer.push TIMEOUT`: one request read from stdin; prints the HTTP status
    and a line break, then the server's answer (exit 0), or, in one line, the server's status (-
    for none), a tab and why it failed (exit 1)."""
    try:
        status, answer = exchange(from_bytes(sys.stdin.buffer.read()), float(sys.argv[1]))
    except PushError as exc:
        print(f"{'-' if exc.status is None else exc.status}\t{exc}")
        sys.exit(1)
    sys.stdout.buffer.write(f"{status}\n".encode() + answer)


def in_child(request: Post, timeout: float) -> int:
    """`deliver`, run by a child process that is killed (and reaped) after `timeout + START` seconds."""
    return exchanged_in_child(request, timeout)[0]


def exchanged_in_child(request: Post, timeout: float, what: str = "push") -> tuple[int, bytes]:
    """`exchange`, run by a child process that is killed (and reaped) after `timeout + START` seconds
    (`what` it is, for the reasons it gives)."""
    command = [sys.executable, "-m", "therapy_timer.push", f"{timeout:g}"]
    try:
        done = subprocess.run(command, input=as_bytes(request), capture_output=True, timeout=timeout + START)
    except subprocess.TimeoutExpired:
        raise PushError(f"no answer within {timeout + START:g} s (the {what} was stopped)") from None
    except OSError as exc:
        raise PushError(f"could not start the {what}: {exc.strerror}") from None
    status_line, _, answer = done.stdout.partition(b"\n")
    if done.returncode == 0 and status_line.strip().isdigit():
        return int(status_line), answer
    said = done.stdout.decode("utf-8", "replace").strip()
    status, tab, why = said.partition("\t")
    if tab:
        said = why
    if not said:  # it did not get to say why: a crash, say; its last line of stderr tells
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        said = lines[-1] if lines else f"the {what} ended with exit status {done.returncode}"
    from therapy_timer.safe_text import one_line

    raise PushError(one_line(said), int(status) if tab and status.isdigit() else None)


class Pusher:
    """Pushes reminders in the background, one at a time, and keeps the log to what changes.

    One thread (and its child process) at most: a reminder that comes while a push is under way
    waits for it, in place of any reminder that was waiting already (the newest says what matters
    now), so a dead or slow server costs one thread and one waiting message, never a pile of them.
    """

    def __init__(
        self, log: Callable[[str], None], timeout: float = TIMEOUT, send: Callable[[Post, float], int] = in_child
    ) -> None:
        self.log, self.timeout, self._send = log, timeout, send
        self._lock = threading.Lock()  # guards the three below: the daemon sends, the push thread takes
        self._under_way: threading.Thread | None = None
        self._waiting: Post | None = None
        self._failing = False

    def send(self, settings: Push, reminder: Reminder, actions: tuple[Action, ...] = ()) -> bool:
        """Push `reminder` (with `actions` as its buttons) when push is on, without waiting for it;
        False when push is off."""
        if not settings.url:
            return False
        request = post(settings, message(reminder, settings.detail, actions))
        with self._lock:
            self._waiting = request
            if self._under_way is not None:
                return True  # the thread under way takes it next
            try:
                self._under_way = threading.Thread(target=self._push_all, name="push", daemon=True)
                self._under_way.start()
            except RuntimeError as exc:  # no thread to be had: the desktop reminder is out; carry on
                self._under_way = self._waiting = None
                problem = f"could not start: {exc}"
            else:
                return True
        self._outcome(request, problem)
        return True

    def wait(self, seconds: float) -> bool:
        """Wait until no push is under way or waiting (for about `seconds` at most); True if none is."""
        thread = self._under_way
        while thread is not None:
            thread.join(seconds)
            if thread.is_alive():
                return False
            with self._lock:
                thread = self._under_way
        return True

    def _push_all(self) -> None:
        while True:
            with self._lock:
                request, self._waiting = self._waiting, None
                if request is None:
                    self._under_way = None
                    return
            self._deliver(request)

    def _deliver(self, request: Post) -> None:
        try:
            self._send(request, self.timeout)
        except PushError as exc:
            self._outcome(request, str(exc))
            return
        except Exception as exc:  # a bug must not end silently in a thread nobody watches
            self._outcome(request, f"{type(exc).__name__}: {exc}")
            return
        self._outcome(request, None)

    def _outcome(self, request: Post, problem: str | None) -> None:
        """Log a failure when pushes start failing, and a success when they work again; nothing else."""
        with self._lock:
            changed = self._failing != (problem is not None)
            self._failing = problem is not None
        if changed and problem:
            self.log(f"push to {request.server} failed: {problem} (said once; each reminder tries again)")
        elif changed:
            self.log(f"push to {request.server} works again")


if __name__ == "__main__":
    child_main()
