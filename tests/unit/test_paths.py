"""The per-user folders: on Linux read straight from the XDG rule, the same answer as platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

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
    from therapy_timer import daemon_client

    assert daemon_client.read_message(b"replan") == (True, None)
    assert daemon_client.read_message(b"replan\nbus=unix:path=/run/user/1000/bus") == (
        True,
        "unix:path=/run/user/1000/bus",
    )
    assert daemon_client.read_message(b"desktop\nbus=unix:path=/x") == (False, "unix:path=/x")
    assert daemon_client.read_message(b"desktop\nsomething else") == (False, None)
    assert (
        daemon_client.read_message(daemon_client.HOW) == daemon_client.read_message(daemon_client.TEST) == (False, None)
    )  # doctor's


@pytest.mark.skipif(sys.platform == "win32", reason="HOME and the user database are Unix")
@pytest.mark.parametrize("home", ["", "relative/home", None])
def test_an_empty_or_relative_home_means_the_one_the_user_database_names(monkeypatch, home):
    """Issue 21.2: HOME="" made `~/.config` mean `/.config` (Python's expanduser), so the login entry
    went to the root folder (or failed there, as an ordinary user)."""
    import os
    import pwd

    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    named = pwd.getpwuid(os.getuid()).pw_dir
    assert paths.home() == Path(named)
    monkeypatch.delenv("THERAPY_TIMER_DATA_DIR")
    if sys.platform == "linux":
        assert paths.data_dir() == Path(named) / ".local" / "share" / APP_NAME


def test_without_any_home_folder_the_refusal_says_to_set_home(monkeypatch):
    import pwd

    from therapy_timer.errors import RefusedError

    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
    with pytest.raises(RefusedError, match=r"there is no home folder.*set HOME"):
        paths.home()


def test_a_missing_runtime_folder_is_made_private(monkeypatch, tmp_path):
    """Issue 21.15: it was made 0755 (the umask's mode), which the XDG spec and platformdirs refuse."""
    import stat

    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run" / "user"))
    made = paths.ensure_runtime_dir()
    assert stat.S_IMODE((tmp_path / "run" / "user").stat().st_mode) == 0o700
    assert made == tmp_path / "run" / "user" / APP_NAME and stat.S_IMODE(made.stat().st_mode) == 0o700


def test_a_runtime_folder_that_cannot_be_made_is_refused_in_one_line_that_says_what_to_do(monkeypatch, tmp_path):
    from therapy_timer.errors import RefusedError

    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "file" / "run"))
    with pytest.raises(RefusedError, match=r"XDG_RUNTIME_DIR \(.*\) cannot be used .*earlier login.*0700"):
        paths.ensure_runtime_dir()


def test_a_folder_whose_name_is_not_utf8_has_a_socket_address_and_others_keep_theirs(tmp_path):
    import os
    import zlib

    from therapy_timer import daemon_client

    odd = Path(os.fsdecode(bytes(tmp_path) + b"/d\xff"))
    assert daemon_client.address(odd).endswith(f"{zlib.crc32(bytes(tmp_path) + b'/d' + bytes([255])):08x}.sock")
    plain = tmp_path / "d\u00e9"  # unchanged for a name that is UTF-8: a running daemon keeps its address
    assert daemon_client.address(plain).endswith(f"{zlib.crc32(str(plain).encode()):08x}.sock")
