"""Push on: the idle daemon's memory once it has pushed a reminder over HTTPS, and one push's round trip.

The same idle daemon as bench/daemon_idle.py (push off, by default), now with `[push] url` pointing
at a stand-in ntfy server on this machine that speaks HTTPS with a certificate made for this run.
The certificate is trusted through SSL_CERT_FILE, as the system's CA bundle plus this one, so a push
loads as many certificates as it would for ntfy.sh. The daemon pushes its catch-up reminder before
it is measured.

The round trip is one push to the same server as the daemon sends it: a child process started,
urllib and ssl loaded, the CA bundle read, one POST. Beside it, the same POST from this process
(as `doctor` sends its test).
"""

from __future__ import annotations

import os
import shutil
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from common import Result, main
from daemon_idle import idle, on_a_desktop

from therapy_timer import push
from therapy_timer.settings import Push

SYSTEM_BUNDLE = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")


class StandIn:
    """An HTTPS server on 127.0.0.1 that counts what is posted to it and answers 200."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.posted = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.posted += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"event":"message"}')

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.http.socket = context.wrap_socket(self.http.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.http.server_address[1]}/back-bench"
        threading.Thread(target=self.http.serve_forever, args=(0.05,), daemon=True).start()


@contextmanager
def certificate() -> Iterator[tuple[Path, Path, Path]]:
    """A certificate for 127.0.0.1 made for this run, its key, and the CA bundle (the system's plus
    this certificate) to trust it with."""
    if not shutil.which("openssl"):
        raise SystemExit("this benchmark needs the openssl command (apt install openssl) to make a certificate")
    folder = Path(tempfile.mkdtemp(prefix="therapy-timer-push-"))
    cert, key, bundle = folder / "cert.pem", folder / "key.pem", folder / "bundle.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        system = SYSTEM_BUNDLE.read_bytes() if SYSTEM_BUNDLE.exists() else b""
        bundle.write_bytes(system + b"\n" + cert.read_bytes())
        yield cert, key, bundle
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def https_server() -> Iterator[tuple[StandIn, Path]]:
    """The stand-in server, and the CA bundle (the system's plus its certificate) to trust it with."""
    with certificate() as (cert, key, bundle):
        server = StandIn(cert, key)
        try:
            yield server, bundle
        finally:
            server.http.shutdown()
            server.http.server_close()


def timed(call: Callable[[], object], runs: int) -> list[float]:
    """Seconds each of `runs` calls took."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return times


def measure(quick: bool) -> list[Result]:
    with https_server() as (server, bundle):
        os.environ["SSL_CERT_FILE"] = str(bundle)  # the daemon inherits it through the sandbox
        settings = Push(url=server.url, detail="full")
        config = f'\n[push]\nurl = "{server.url}"\ndetail = "full"\n'

        def pushed() -> str:
            return f", after {server.posted} push(es) over HTTPS" if server.posted else ", BUT NOTHING WAS PUSHED"

        footprint = on_a_desktop(lambda session, where: idle(quick, session, where, config, ", push on", pushed))
        request = push.post(settings, push.Message("Ice off now", "Take the ice off.", push.HIGH))
        runs = 5 if quick else 20
        child = timed(lambda: push.in_child(request, push.TIMEOUT), runs)
        here = timed(lambda: push.deliver(request), runs)
    latency = Result(
        "push round trip",
        statistics.median(child) * 1000,
        "ms",
        250,
        f"one reminder pushed as the daemon does it (a child process, one POST over HTTPS to a stand-in "
        f"ntfy server on this machine), median of {runs}; in-process (as doctor sends) "
        f"{statistics.median(here) * 1000:.0f} ms. A real server adds the network",
    )
    return [*footprint, latency]


if __name__ == "__main__":
    main(measure)
