"""Config: defaults, the commented example file, and one-line errors that name file and key."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal, NamedTuple

import pytest

from therapy_timer import config_file, settings_doc
from therapy_timer import settings as settings_module
from therapy_timer.config_file import parse
from therapy_timer.settings import Config, ConfigError

TOP = Path(__file__).resolve().parents[2]


def test_the_example_file_is_the_packaged_default_and_parses_to_the_defaults():
    assert (TOP / "config.toml").read_text(encoding="utf-8") == settings_doc.default_text()
    assert parse((TOP / "config.toml").read_bytes()) == (Config(), [])


def test_missing_file_means_defaults(tmp_path):
    loaded = config_file.load(tmp_path / "nope.toml")
    assert loaded.config == Config() and not loaded.exists


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "[cold]\nminutes = 25\n",
            "[cold] minutes = 25 is out of range: longer ice or heat sessions can damage the skin"
            " (allowed 1-20 minutes)",
        ),
        ("[heat]\nminutes = 21\n", "[heat] minutes = 21 is out of range: longer ice or heat"),
        (
            "[cold]\ndays = 3\n",
            "[cold] days = 3 is out of range: the cold phase lasts two days at most (allowed 0-2 days)",
        ),
        ("[cold]\ndays = -1\n", "[cold] days = -1 is out of range (allowed 0-2 days)"),
        ("[cold]\nminuts = 3\n", 'unknown key [cold] "minuts" (known keys: days, minutes, every_hours)'),
        ("[colt]\n", 'unknown key "colt"'),
        ('[cold]\nminutes = "ten"\n', '[cold] minutes must be a number, not "ten"'),
        ("[walk]\ntimes_per_day = 2.5\n", "[walk] times_per_day must be a whole number, not 2.5"),
        ("[cold]\nminutes = true\n", "[cold] minutes must be a number, not True"),
        ('[quiet_hours]\nstart = "25:00"\n', '[quiet_hours] start must be a time of day like "22:00", not "25:00"'),
        ('[quiet_hours]\nstart = "07:00"\n', "[quiet_hours] start and end are both 07:00; they must differ"),
        ("cold = 3\n", '"cold" must be a section like [cold], not a single value'),
        ("[cold]\nminutes = inf\n", "[cold] minutes = inf is out of range"),
    ],
)
def test_wrong_values_name_the_file_and_key(text, expected):
    with pytest.raises(ConfigError) as caught:
        parse(text.encode(), "/home/me/config.toml")
    message = str(caught.value)
    assert message.startswith("/home/me/config.toml: ") and expected in message
    assert "\n" not in message


def test_broken_syntax_names_line_and_column():
    with pytest.raises(ConfigError) as caught:
        parse(b"[cold]\nminutes = 12\ndays = = 2\n", "c.toml")
    assert str(caught.value).startswith("c.toml:3:8: not valid TOML")


def test_outside_the_protocol_but_safe_is_a_warning():
    loaded, warnings = parse(b"[cold]\nminutes = 18\n", "c.toml")
    assert loaded.cold.minutes == 18
    assert warnings == [
        "c.toml: [cold] minutes = 18 is outside what the protocol advises (12-15 minutes); using it anyway"
    ]


def test_no_cold_phase_is_allowed_for_heat_first_with_a_warning_as_other_advised_limits():
    loaded, warnings = parse(b"[cold]\ndays = 0\n", "c.toml")
    assert loaded.cold.days == 0
    assert warnings == ["c.toml: [cold] days = 0 is outside what the protocol advises (1-2 days); using it anyway"]
    assert parse(b"[cold]\ndays = 1\n", "c.toml")[1] == []


def test_not_utf8_is_reported(tmp_path):
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ConfigError, match="not UTF-8"):
        config_file.load(path)


# The declarations ------------------------------------------------------------------------------


def test_every_setting_says_what_it_is_and_its_advice_is_within_its_limits():
    for name, cls in settings_module.sections().items():
        assert settings_doc.about_section(cls) and not settings_doc.about_section(cls).startswith(cls.__name__ + "("), (
            name
        )
    for s in settings_module.settings():
        assert s.spec.about.endswith("."), s
        if s.spec.hard:
            lo, hi = s.spec.hard
            assert lo <= s.default <= hi, s
            if s.spec.advised:
                assert lo <= s.spec.advised[0] <= s.spec.advised[1] <= hi, s


def test_the_default_file_is_rendered_from_the_declarations_and_reads_back_as_the_defaults():
    rendered = settings_doc.render_default_file()
    assert rendered == settings_doc.default_text()
    assert parse(rendered.encode()) == (Config(), [])
    for s in settings_module.settings():
        assert f"\n{s.key} = {settings_doc.toml_value(s.spec, s.default)}\n" in rendered


SPANS = settings_module.Spec("clock_ranges", "Quiet periods.")
DETAIL = settings_module.Spec("choice", "How much to say.", choices=("none", "summary", "full"))
TOKEN = settings_module.Spec("text", "A token.", secret=True)


def check(spec, value):
    warnings: list[str] = []
    return settings_module._value(spec, value, "c.toml: [x] y", warnings)


def test_lists_of_time_spans_are_read_and_cross_midnight():
    spans = check(SPANS, ["22:00-07:00", "13:30 - 14:15"])
    assert [str(s) for s in spans] == ["22:00-07:00", "13:30-14:15"]
    assert settings_doc.toml_value(SPANS, spans) == '["22:00-07:00", "13:30-14:15"]'
    assert check(SPANS, []) == ()


@pytest.mark.parametrize(
    "spec, value, expected",
    [
        (SPANS, "22:00-07:00", 'c.toml: [x] y must be a list of times of day like ["22:00-07:00", "13:30-14:30"]'),
        (SPANS, ["22:00"], 'not "22:00"'),
        (SPANS, ["25:00-07:00"], 'not "25:00-07:00"'),
        (SPANS, ["13:00-13:00"], '"13:00-13:00" starts and ends at the same time'),
        (DETAIL, "everything", 'c.toml: [x] y must be "none" or "summary" or "full", not "everything"'),
        (DETAIL, 1, "must be text in quotes, not 1"),
        (TOKEN, ["a"], "must be text in quotes"),
    ],
)
def test_lists_choices_and_text_are_checked(spec, value, expected):
    with pytest.raises(ConfigError) as caught:
        check(spec, value)
    assert expected in str(caught.value)


class Push(NamedTuple):
    """A section shaped like the ones to come: a web address, a secret, a choice."""

    url: Annotated[str, settings_module.text("Where to send reminders.")] = ""
    token: Annotated[str, settings_module.text("The token.", secret=True)] = ""
    detail: Annotated[Literal["none", "summary", "full"], settings_module.choice("How much to say.")] = "summary"
    quiet: Annotated[tuple[settings_module.ClockRange, ...], settings_module.clock_ranges("Quiet periods.")] = ()


def test_a_section_declares_its_settings_once_in_its_annotations():
    specs = settings_module.specs(Push)
    assert [s.kind for s in specs.values()] == ["text", "text", "choice", "clock_ranges"]
    assert specs["detail"].choices == ("none", "summary", "full")  # from the Literal type itself
    assert specs["token"].secret and specs["url"].about == "Where to send reminders."
    warnings: list[str] = []
    built = settings_module._section("push", Push, {"detail": "full", "quiet": ["13:00-14:00"]}, "c.toml", warnings)
    assert built == Push(detail="full", quiet=(settings_module.ClockRange(time(13), time(14)),)) and warnings == []


def test_choices_and_secrets():
    assert check(DETAIL, "full") == "full"
    assert check(TOKEN, "s3cret") == "s3cret"
    assert settings_doc._plain(TOKEN, "s3cret") == "(set, not shown)" and settings_doc._plain(TOKEN, "") == ""


def test_quiet_periods_must_leave_an_hour_awake_and_the_old_start_end_form_still_reads():
    from therapy_timer.settings import ClockRange, longest_awake_minutes

    night, nap = ClockRange(time(22), time(7)), ClockRange(time(13), time(14))
    assert longest_awake_minutes((night,)) == 15 * 60
    assert longest_awake_minutes((night, nap)) == 8 * 60
    assert longest_awake_minutes((ClockRange(time(13), time(15)),)) == 22 * 60
    assert longest_awake_minutes((ClockRange(time(7, 30), time(7)),)) == 30
    assert longest_awake_minutes(()) == 24 * 60
    old, _ = config_file.parse(b'[quiet_hours]\nstart = "23:00"\nend = "06:30"\n')
    assert old.quiet_hours.periods == (ClockRange(time(23), time(6, 30)),)
    with pytest.raises(settings_module.ConfigError, match="at most 30 minutes awake"):
        config_file.parse(b'[quiet_hours]\nperiods = ["07:30-07:00"]\n')
    with pytest.raises(settings_module.ConfigError, match="keep periods only"):
        config_file.parse(b'[quiet_hours]\nperiods = ["22:00-07:00"]\nstart = "23:00"\n')
