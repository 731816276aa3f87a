"""The report's page in a real browser: headless Chromium draws it (a screenshot that is not blank,
with the chart's colours in it) and parses it (one point per pain score logged).

Skipped on a developer machine without Chromium; never in CI (`.ci/run` installs Debian's chromium).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from report_screenshot import chromium, demo_record, dom, rgb_rows, screenshot, write_page

from tests.helpers import unavailable
from therapy_timer import report_html
from therapy_timer.store import Store


@pytest.fixture
def browser() -> str:
    found = chromium()
    if found is None:
        unavailable("needs a headless browser: apt-get install -y chromium", "CI must install chromium (see .ci/run)")
    return found


@pytest.fixture
def page(tmp_path: Path) -> tuple[Path, int]:
    """The demo plan's page, written by the real command, and how many pain scores the record holds."""
    folder = tmp_path / "data"
    demo_record(folder)
    store = Store(folder)
    scores = sum(1 for e in store.events() if e.kind == "pain")
    store.close()
    target = tmp_path / "report.html"
    write_page(folder, target)
    return target, scores


def hex_colour(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def test_the_browser_parses_one_chart_point_per_pain_score(browser, page):
    target, scores = page
    parsed = dom(target)
    assert scores == 15 and parsed.count('class="pain-point"') == scores
    assert parsed.count('<line class="switch"') == 1 and "Recovery report" in parsed


def test_the_browser_draws_the_page_with_its_chart(browser, page, tmp_path):
    target, _ = page
    width, height, rows = rgb_rows(screenshot(target, tmp_path / "shot.png", 1200, 1600))
    assert (width, height) == (1200, 1600)
    pixels = Counter(pixel for row in rows for pixel in row)
    white = pixels[(255, 255, 255)]
    assert len(pixels) > 50, "hardly any colours: a blank page"
    assert 0.03 < 1 - white / (width * height) < 0.6, "the page is (almost) empty, or not on white"
    # The shaded phases and the pain line are drawn in their own colours (an empty chart has none)
    for colour, least in (
        (report_html.PHASE_FILL["cold"], 10_000),
        (report_html.PHASE_FILL["heat"], 5_000),
        (report_html.PAIN_COLOUR, 300),
    ):
        assert pixels[hex_colour(colour)] > least, f"{colour}: {pixels[hex_colour(colour)]} pixels"
