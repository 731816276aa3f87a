"""A stand-in ntfy server, and a stand-in phone that presses its buttons, for tests and benchmarks.

Written from ntfy's own documentation (docs.ntfy.sh; docs/publish.md and docs/subscribe/api.md in
github.com/binwiederhier/ntfy), not from our client, so the two cannot simply agree on a mistake:

- "Publish as JSON": PUT/POST a JSON object to the server's *root* URL; `topic` is the only required
  field; `message` ("set to `triggered` if empty or not passed"), `title`, `tags`, `priority` (1-5),
  `actions` ("up to three user actions"). Publishing to a topic's URL (`POST /mytopic`, the body is
  the message) works too, as the phone's `http` action does it.
- "Send HTTP request" (`http` action): `action` = "http", `label` and `url` required; `method`
  ("default is POST"), `headers` (a map, in JSON), `body` (default empty), `clear` ("Clear
  notification after HTTP request succeeds. If the request fails, the notification is not cleared").
  `Phone.press` does what the app does with such an action: that request, then the clearing.
- "Poll for messages": `GET <topic>/json?poll=1` returns the cached messages and closes the
  connection; with `since=` a duration (`10m`, `30s`), a Unix timestamp, a message id, `all` (the
  default) or `latest`. Without `poll=1` the JSON stream stays open (an `open` event first), as a
  subscription does. Each line is one JSON message: `id`, `time`, `expires`, `event` ("message"),
  `topic`, then `message`, `title`, `tags`, `priority`, `actions`. Where the documentation is silent
  (a `since` message id the cache no longer has) this answers as ntfy's server code does: everything.
- Access tokens ("Access tokens", "Authorization: Bearer tk_..."): with `tokens` set, a topic whose
  name matches a rule can only be read (or written) with a token the rule names; 403 otherwise.

The server runs in a thread on 127.0.0.1 over plain HTTP (push allows http to this machine), or
HTTPS with a context given (`tls`). It can be
made slow (`hold`), to trickle its answer (`trickle`), or be shut down (`close`). Its clock can be a
test's hand clock (`now`), so `since` and a message's `time` agree with the daemon's.
"""

from __future__ import annotations

import json
import re
import secrets
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

TOPIC = re.compile(r"^[-_A-Za-z0-9]{1,64}$")
CACHE_SECONDS = 12 * 3600


class Request(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def _seconds(duration: str) -> int | None:
    match = re.fullmatch(r"(\d+)([smhd])", duration)
    if not match:
        return None
    return int(match[1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]


class Ntfy:
    """The stand-in server: `messages` is its cache, `requests` everything it was sent."""

    def __init__(self, now: Callable[[], float] = time.time, tls: ssl.SSLContext | None = None) -> None:
        self.now = now
        self.messages: list[dict[str, Any]] = []
        self.requests: list[Request] = []
        self.tokens: dict[str, set[str]] = {}  # topic pattern (regex) -> tokens that may use it
        self.hold = False  # answer a poll only once `release` is set (a slow or hung server)
        self.trickle = False  # answer a poll a byte at a time, never finishing (until `release`)
        self.release = threading.Event()
        self.changed = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                server._publish(self)

            do_PUT = do_POST

            def do_GET(self) -> None:
                server._subscribe(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        if tls is not None:  # HTTPS, as a real server speaks it (the benchmark)
            self.http.socket = tls.wrap_socket(self.http.socket, server_side=True)
        self.root = f"{'https' if tls else 'http'}://127.0.0.1:{self.http.server_address[1]}/"
        self.thread = threading.Thread(target=self.http.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def topic_url(self, topic: str) -> str:
        return self.root + topic

    def close(self) -> None:
        """Stop answering (a server that is down): the port is let go."""
        self.release.set()
        self.http.shutdown()
        self.http.server_close()

    # What arrived ---------------------------------------------------------------------------

    def on(self, topic: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["topic"] == topic]

    def polls(self) -> list[Request]:
        return [r for r in self.requests if r.method == "GET"]

    def wait_for(self, test: Callable[[], bool], seconds: float = 10.0) -> None:
        with self.changed:
            ok = self.changed.wait_for(test, timeout=seconds)
        assert ok, f"not within {seconds} s; requests so far: {[(r.method, r.path) for r in self.requests]}"

    # HTTP -------------------------------------------------------------------------------------

    def _note(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        with self.changed:
            self.requests.append(Request(handler.command, handler.path, dict(handler.headers), body))
            self.changed.notify_all()

    def _answer(self, handler: BaseHTTPRequestHandler, status: int, data: bytes, kind: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _error(self, handler: BaseHTTPRequestHandler, status: int, said: str) -> None:
        error = {"code": status * 100 + 1, "http": status, "error": said}
        self._answer(handler, status, json.dumps(error).encode() + b"\n", "application/json")

    def _allowed(self, handler: BaseHTTPRequestHandler, topic: str) -> bool:
        for pattern, tokens in self.tokens.items():
            if re.fullmatch(pattern, topic):
                given = handler.headers.get("Authorization", "")
                return given.startswith("Bearer ") and given[len("Bearer ") :] in tokens
        return True

    def _publish(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        self._note(handler, body)
        path = urllib.parse.urlsplit(handler.path).path
        if path == "/":  # publish as JSON: the object names its topic
            try:
                data = json.loads(body)
            except ValueError:
                return self._error(handler, 400, "invalid request: request body must be message JSON")
            if not isinstance(data, dict) or not isinstance(data.get("topic"), str):
                return self._error(handler, 400, "invalid request: topic invalid")
            fields = data
        else:
            fields = {"topic": path.strip("/"), "message": body.decode("utf-8")}
            for name in ("Title", "X-Title"):
                if handler.headers.get(name):
                    fields["title"] = handler.headers[name]
        topic = fields["topic"]
        if not TOPIC.match(topic):
            return self._error(handler, 400, "invalid request: topic invalid")
        if not self._allowed(handler, topic):
            return self._error(handler, 403, "forbidden")
        problem = self._invalid(fields)
        if problem:
            return self._error(handler, 400, problem)
        moment = int(self.now())
        message: dict[str, Any] = {
            "id": secrets.token_urlsafe(9)[:12],
            "time": moment,
            "expires": moment + CACHE_SECONDS,
            "event": "message",
            "topic": topic,
            "message": fields.get("message") or "triggered",
        }
        for key in ("title", "tags", "priority", "actions"):
            if key in fields:
                message[key] = fields[key]
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()
        self._answer(handler, 200, json.dumps(message).encode() + b"\n", "application/json")

    @staticmethod
    def _invalid(fields: dict[str, Any]) -> str | None:
        """What the documentation rules out in a published message."""
        if "priority" in fields and fields["priority"] not in (1, 2, 3, 4, 5):
            return "invalid request: priority invalid"
        if "tags" in fields and not (
            isinstance(fields["tags"], list) and all(isinstance(t, str) for t in fields["tags"])
        ):
            return "invalid request: tags invalid"
        actions = fields.get("actions", [])
        if not isinstance(actions, list) or len(actions) > 3:
            return "invalid request: actions invalid: only 3 actions allowed"
        for action in actions:
            if not isinstance(action, dict) or action.get("action") not in ("view", "broadcast", "http"):
                return "invalid request: actions invalid: action type invalid"
            if not isinstance(action.get("label"), str) or not action["label"]:
                return "invalid request: actions invalid: label required"
            if action["action"] in ("view", "http") and not str(action.get("url", "")).startswith(
                ("http://", "https://")
            ):
                return "invalid request: actions invalid: url must be http or https"
            if "clear" in action and not isinstance(action["clear"], bool):
                return "invalid request: actions invalid: clear must be a boolean"
            if "headers" in action and not isinstance(action["headers"], dict):
                return "invalid request: actions invalid: headers must be a map"
            if "body" in action and not isinstance(action["body"], str):
                return "invalid request: actions invalid: body must be a string"
        return None

    def _subscribe(self, handler: BaseHTTPRequestHandler) -> None:
        self._note(handler, b"")
        parts = urllib.parse.urlsplit(handler.path)
        topic, _, kind = parts.path.strip("/").rpartition("/")
        query = {k.lower(): v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
        if kind != "json" or not TOPIC.match(topic):
            return self._error(handler, 404, "page not found")
        if not self._allowed(handler, topic):
            return self._error(handler, 403, "forbidden")
        poll = query.get("poll", query.get("po", "")) in ("1", "yes", "true")
        since = query.get("since", query.get("si", "all" if poll else "none"))
        if not poll:  # a subscription: the stream stays open
            handler.send_response(200)
            handler.send_header("Content-Type", "application/x-ndjson; charset=utf-8")
            handler.end_headers()
            opened = {"id": secrets.token_urlsafe(9)[:12], "time": int(self.now()), "event": "open", "topic": topic}
            handler.wfile.write(json.dumps(opened).encode() + b"\n")
            handler.wfile.flush()
            self.release.wait(60)
            return
        if self.hold:
            self.release.wait(60)
        if self.trickle:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not self.release.wait(0.05):
                handler.wfile.write(b"a")
                handler.wfile.flush()
            return
        found = self._since(topic, since)
        if found is None:
            return self._error(handler, 400, "invalid request: since invalid")
        data = b"".join(json.dumps(m).encode() + b"\n" for m in found)
        self._answer(handler, 200, data, "application/x-ndjson; charset=utf-8")

    def _since(self, topic: str, since: str) -> list[dict[str, Any]] | None:
        cached = [m for m in self.on(topic) if m["expires"] > self.now()]
        if since == "all":
            return cached
        if since == "none":
            return []
        if since == "latest":
            return cached[-1:]
        if since.isdigit():
            return [m for m in cached if m["time"] >= int(since)]
        seconds = _seconds(since)
        if seconds is not None:
            return [m for m in cached if m["time"] >= self.now() - seconds]
        if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", since):
            ids = [m["id"] for m in cached]
            return cached[ids.index(since) + 1 :] if since in ids else cached
        return None


class Phone:
    """The ntfy app, as far as buttons go: it shows what the server sends and presses an `http`
    action the way the documentation says (the action's own request; then, if it succeeded and the
    action says `clear`, the notification leaves the phone)."""

    def __init__(self, server: Ntfy, topic: str) -> None:
        self.server, self.topic = server, topic
        self.cleared: set[str] = set()

    def shown(self) -> list[dict[str, Any]]:
        return [m for m in self.server.on(self.topic) if m["id"] not in self.cleared]

    def latest(self) -> dict[str, Any]:
        return self.server.on(self.topic)[-1]

    def labels(self, message: dict[str, Any]) -> list[str]:
        return [a["label"] for a in message.get("actions", [])]

    def press(self, message: dict[str, Any], label: str, tls: ssl.SSLContext | None = None) -> int:
        """Press the button `label` on `message`; the HTTP status of the action's request."""
        action = next(a for a in message.get("actions", []) if a["label"] == label)
        assert action["action"] == "http"
        request = urllib.request.Request(
            action["url"],
            data=action.get("body", "").encode("utf-8"),
            headers=action.get("headers", {}),
            method=action.get("method", "POST"),
        )
        try:
            with urllib.request.urlopen(request, timeout=10, context=tls) as answer:
                status = int(answer.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)  # failed: the notification stays
        if action.get("clear") is True:
            self.cleared.add(message["id"])
        return status
