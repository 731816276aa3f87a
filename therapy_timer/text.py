"""Small helpers for text that reaches a terminal or an error line."""

from __future__ import annotations

import unicodedata


def one_line(text: str) -> str:
    """`text` with control characters and line breaks shown as escapes, so a message stays one line."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
