"""The per-user folders: on Linux read straight from the XDG rule, the same answer as platformdirs."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from therapy_timer import APP_NAME, paths


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG shortcut is for Linux only")
@pytest.mark.parametrize("xdg", [None, "", "   ", "/srv/xdg", "relative/xdg"])
def test_the_folders_are_the_ones_platformdirs_gives(monkeypatch, tmp_path, xdg):
    monkeypatch.delenv("THERAPY_TIMER_DATA_DIR")
    monkeypatch.delenv("THERAPY_TIMER_CONFIG")
    monkeypatch.setenv("HOME", str(tmp_path))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert paths.data_dir() == platformdirs.user_data_path(APP_NAME, appauthor=False)
    assert paths.config_path() == platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def test_a_message_to_the_daemon_says_whether_to_replan_and_which_desktop_it_comes_from():
    from therapy_timer import control

    assert control.read_message(b"replan") == (True, None)
    assert control.read_message(b"replan\nbus=unix:path=/run/user/1000/bus") == (True, "unix:path=/run/user/1000/bus")
    assert control.read_message(b"desktop\nbus=unix:path=/x") == (False, "unix:path=/x")
    assert control.read_message(b"desktop\nsomething else") == (False, None)
