"""Render the recovery report's HTML page in headless Chromium, and make the README's picture of it.

`python tools/report_screenshot.py` records a realistic five-day demo plan in a throwaway folder
(pain scores, a switch back to cold, a symptom, a note), writes its page with the real
`therapy-timer report --html`, and saves Chromium's screenshot of it as docs/report.png.
tests/system/test_report_browser.py uses the same helpers to check a page in a real browser.
The PNG reader needs only the standard library (zlib, struct).
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TOP = Path(__file__).resolve().parent.parent
FLAGS = (
    "--headless",
    "--no-sandbox",  # root in CI has no user namespace sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-color-profile=srgb",  # the page's colours land in the PNG as written
)
ZONE = ZoneInfo("Europe/Berlin")


def chromium() -> str | None:
    """The browser to render with: Debian's `chromium`, or another build of it on PATH."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def run_browser(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Chromium with a fresh profile folder (nothing shared with a person's browser, nothing kept)."""
    browser = chromium()
    if browser is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="tt-chromium-") as profile:
        return subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 1600) -> bytes:
    """The PNG Chromium draws of `page` in a `width` x `height` window."""
    run_browser([f"--screenshot={png}", f"--window-size={width},{height}", page.resolve().as_uri()])
    return png.read_bytes()


def dom(page: Path) -> str:
    """The document as Chromium has parsed it (what it would draw)."""
    return run_browser(["--dump-dom", page.resolve().as_uri()]).stdout


def rgb_rows(png: bytes) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """(width, height, rows of RGB pixels) of an 8-bit RGB or RGBA PNG, as Chromium writes them."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    offset, data, header = 8, b"", b""
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, body = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"only 8-bit RGB(A) PNGs without interlacing are read (depth {depth}, type {colour})")
    size = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(data), width * size
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[i] = (line[i] + near[2]) & 0xFF
        rows.append([(line[i], line[i + 1], line[i + 2]) for i in range(0, stride, size)])
        previous = line
    return width, height, rows


# The demo plan ---------------------------------------------------------------------------------------


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of the demo: `day` 1 is Monday 16 November 2026, Berlin time."""
    return datetime(2026, 11, 15 + day, hour, minute, tzinfo=ZONE)


PAIN = [
    (at(1, 8, 40), 8, None),
    (at(1, 12, 10), 7, None),
    (at(1, 18, 0), 8, "hard to sit at dinner"),
    (at(1, 21, 30), 7, None),
    (at(2, 8, 0), 7, None),
    (at(2, 13, 0), 6, None),
    (at(2, 20, 15), 6, None),
    (at(3, 9, 0), 5, None),
    (at(3, 13, 10), 7, "the heat made it throb"),
    (at(3, 19, 0), 6, None),
    (at(4, 8, 30), 5, None),
    (at(4, 14, 0), 4, None),
    (at(4, 20, 0), 4, None),
    (at(5, 9, 0), 3, None),
    (at(5, 15, 30), 3, "walked to the shop and back"),
]
SWITCH_AT = at(3, 13, 5)  # heat made it worse
SYMPTOM = (at(2, 19, 0), "tingling in my right calf this evening")
NOTE = (at(3, 21, 0), "slept better with a pillow under my knees")
INJURED, STARTED, ENDED = at(1, 8, 10), at(1, 8, 30), at(5, 18, 0)


def demo_record(folder: Path) -> int:
    """Record the demo plan in the data folder `folder`; returns how many pain scores it holds."""
    sys.path.insert(0, str(TOP))
    from therapy_timer import bootstrap, usecases
    from therapy_timer.settings import Config
    from therapy_timer.store import Store

    store = Store(folder)

    def deps(now: datetime) -> usecases.Deps:
        return bootstrap.Wiring(folder / "config.toml", ZONE).deps(store, now, Config())

    try:
        usecases.start(deps(STARTED), INJURED, STARTED, False, "Europe/Berlin")
        usecases.switch(deps(SWITCH_AT), "heat-worse", SWITCH_AT)
        for index, session in enumerate(usecases.timeline_of(deps(ENDED), ENDED).sessions):
            if session.end > ENDED or session.cut_short:
                continue
            if index % 7 == 5:
                continue  # a few never answered
            when = session.end + timedelta(minutes=2)
            usecases.answer(deps(when), "skip" if index % 9 == 4 else "done", when, session_key=session.key)
        for moment, score, note in PAIN:
            usecases.log_entry(deps(moment), "pain", moment, score=score, text=note)
        usecases.log_entry(deps(SYMPTOM[0]), "symptom", SYMPTOM[0], text=SYMPTOM[1])
        usecases.log_entry(deps(NOTE[0]), "note", NOTE[0], text=NOTE[1])
        usecases.end(deps(ENDED), "recovered")
    finally:
        store.close()
    return len(PAIN)


def write_page(folder: Path, page: Path) -> None:
    """`therapy-timer report --html page`, run for real on the record in `folder`."""
    env = {**os.environ, "THERAPY_TIMER_DATA_DIR": str(folder), "THERAPY_TIMER_CONFIG": str(folder / "none.toml")}
    subprocess.run(
        [sys.executable, "-m", "therapy_timer", "report", "--html", str(page)], env=env, check=True, cwd=TOP, timeout=60
    )


def main() -> None:
    target = TOP / "docs" / "report.png"
    with tempfile.TemporaryDirectory(prefix="tt-report-") as work:
        folder, page = Path(work) / "data", Path(work) / "report.html"
        demo_record(folder)
        write_page(folder, page)
        image = screenshot(page, Path(work) / "report.png", 900, 1250)
        width, height, rows = rgb_rows(image)
        colours = {pixel for row in rows for pixel in row}
        if len(colours) < 50:
            sys.exit(f"the screenshot looks blank ({len(colours)} colours); not saved")
        target.write_bytes(image)
        print(f"wrote {target}: {width}x{height}, {len(image) // 1024} KB, {len(colours)} colours")


if __name__ == "__main__":
    main()
