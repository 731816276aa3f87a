"""Push to a phone (ntfy), opt-in: its settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from therapy_timer import config
from therapy_timer.config import ConfigError, Push

pure = pytest.mark.unit


def push_config(path: Path, url: str, detail: str = "full", token: str = "") -> None:
    token_line = f'token = "{token}"\n' if token else ""
    path.write_text(f'[push]\nurl = "{url}"\ndetail = "{detail}"\n{token_line}')


# Settings ------------------------------------------------------------------------------------------


@pure
def test_push_is_off_by_default_and_says_nothing_about_health_until_asked():
    assert Push() == Push(url="", token="", detail="generic")
    assert config.parse(b"")[0].push.url == ""


@pure
@pytest.mark.parametrize(
    "url",
    [
        "https://ntfy.sh/back-a7Xq93kLm",
        "https://ntfy.example.org:8443/topic?x=1",
        "http://localhost:8080/back",
        "http://127.0.0.1/back",
        "http://[::1]:2586/back",
        "",
    ],
)
def test_a_push_address_is_https_or_this_machine(url):
    built, warnings = config.parse(f'[push]\nurl = "{url}"\n'.encode())
    assert built.push.url == url and warnings == []


@pure
@pytest.mark.parametrize(
    "text, expected",
    [
        ('url = "ntfy.sh/back"', 'must be an ntfy topic address like "https://ntfy.sh/your-topic", not "ntfy.sh/back"'),
        ('url = "ftp://ntfy.sh/back"', "must be an ntfy topic address"),
        ('url = "https://ntfy.sh"', 'must name a topic after the server, like "https://ntfy.sh/your-topic"'),
        ('url = "https://ntfy.sh/"', "must name a topic"),
        ('url = "http://ntfy.sh/back"', "must start with https:// so reminders travel encrypted"),
        ('url = "http://localhost.evil.example/back"', "must start with https://"),
        ('url = "https://me:pw@ntfy.sh/back"', "must not hold a user name or password"),
        ('url = "https://ntfy.sh/back up"', "no spaces"),
        ("url = 1", "must be text in quotes, not 1"),
        ('detail = "everything"', 'must be "generic" or "full", not "everything"'),
        ('token = "tk_abc def"', "must be the token alone"),
        ('token = "tk_abc\\r\\nX-Evil: 1"', "must be the token alone"),
        ("token = 12345", "must be text in quotes"),
    ],
)
def test_a_bad_push_setting_is_one_line_naming_the_key(text, expected):
    with pytest.raises(ConfigError) as caught:
        config.parse(f"[push]\n{text}\n".encode(), "c.toml")
    said = str(caught.value)
    key = text.split(" ")[0]
    assert said.startswith(f"c.toml: [push] {key} ") and expected in said and "\n" not in said
    assert "12345" not in said and "abc" not in said  # a token is not repeated on the screen


@pytest.mark.cli
def test_a_bad_push_setting_stops_a_command_with_one_line_and_no_traceback(run, config_file):
    config_file.write_text('[push]\nurl = "http://ntfy.sh/back"\n')
    result = run("status", code=2)
    assert result.stderr.count("\n") == 1 and "[push] url must start with https://" in result.stderr


@pytest.mark.cli
def test_config_show_shows_the_address_but_not_the_token(run, config_file):
    push_config(config_file, "https://ntfy.sh/back-a7Xq93kLm", token="tk_s3cret")
    shown = run.json("config", "show")
    assert shown["push"] == {"url": "https://ntfy.sh/back-a7Xq93kLm", "token": "(set, not shown)", "detail": "full"}
