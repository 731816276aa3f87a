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


def visible(text: str) -> str:
    """`text` as the terminal should show it: line breaks kept, every other control character escaped.

    A note may hold escape sequences (ESC ] 0; ... BEL retitles the window, ESC [2J clears the screen);
    replayed raw they would act on the user's terminal. The stored text stays exactly as typed.
    """
    return "\n".join(one_line(line) for line in text.split("\n"))
