"""`python -m therapy_timer.daemon`: the reminder daemon's process, as `therapy-timer run`, `start`
and the login entries and user services of every version start it.

The daemon never uses the network (a push to a phone goes through a child process: push.py).
APScheduler imports asyncio, which would load ssl (and libssl/libcrypto, about 4 MB resident), so
ssl is kept out of this process before anything imports it. The process itself (umask, signals,
exit status) is set up by `bootstrap.main`, the one place that wires the daemon.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]

from therapy_timer.bootstrap import main  # noqa: E402

main()
