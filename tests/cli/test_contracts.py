"""The public contracts, pinned before code moves: every `--help` text, every `--json` shape, the `-m` modules.

The rule: a `--json` output may gain keys; no key is ever removed, renamed or retyped. So each
output is checked against its golden shape in tests/golden/json/ (COMMAND.json, words joined by
"-"): every key there must be present with one of the types recorded for it, recursively (objects
key by key, lists element by element); keys the golden does not name pass.

A golden records, for each command, the union of the types its scenarios below show ("string|null"
where one scenario has a value and another has none); the scenarios are chosen so that each such
value shows both. A value that is null in every scenario is pinned as present and null: most are
null by construction (the session in a `done` result carries no outcome, ice has no walk purpose,
a note no score). Every `--help` is compared as text with tests/golden/help/WORDS.txt ("main" for
the bare command), rendered at a fixed width of 80 columns whatever the terminal.

Regenerating (review the diff and say why in the commit):
    UPDATE_GOLDEN=1 pytest tests/cli/test_contracts.py
writes the help texts as they are now, and adds to each JSON golden the keys it lacks (and a type
for a value that was only ever null); it refuses, writing nothing, when a golden key is missing or
has another type, as that breaks the scripts that read it. UPDATE_GOLDEN=force rewrites the JSON
goldens from what the scenarios show, dropping what they no longer have: only for a deliberate
break of the contract, with `json_views.SCHEMA` raised.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from tests.fixtures.commands import every_command
from tests.fixtures.push import Server, push_config, refused_url
from tests.helpers import BERLIN_NAME, T0_TEXT
from therapy_timer.cli.group import cli

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN", "")
FORCE = UPDATE == "force"
HELP_WIDTH = 80  # click's terminal_width: the goldens do not depend on the terminal running the tests


# --help ----------------------------------------------------------------------------------------


def help_name(words: tuple[str, ...]) -> str:
    return "-".join(words) or "main"


ALL_HELP = [(), *every_command()]


@pytest.mark.parametrize("words", ALL_HELP, ids=help_name)
def test_every_help_text_is_as_pinned(words):
    result = CliRunner().invoke(
        cli, [*words, "--help"], prog_name="therapy-timer", terminal_width=HELP_WIDTH, catch_exceptions=False
    )
    assert result.exit_code == 0 and result.stderr == ""
    golden = GOLDEN / "help" / f"{help_name(words)}.txt"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden for `{' '.join(words)} --help`: UPDATE_GOLDEN=1 pytest {__file__}"
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_no_help_golden_is_left_for_a_command_that_is_gone():
    """A command taken away breaks the contract too: its golden stays until someone removes it on purpose."""
    pinned = {path.stem for path in (GOLDEN / "help").glob("*.txt")}
    assert pinned - {help_name(words) for words in ALL_HELP} == set()


# Shapes ------------------------------------------------------------------------------------------
# A shape is a JSON value: "string|null" for scalars (types among object, array, string, integer,
# number, boolean, null, joined by "|"), or {"type": ..., "keys": {KEY: shape}} for an object and
# {"type": ..., "items": shape} for a list (both when a value is sometimes one, sometimes the other).

ORDER = ("object", "array", "string", "integer", "number", "boolean", "null")


def type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def parts(shape: Any) -> tuple[set[str], dict[str, Any] | None, Any]:
    """A shape's types, its keys (objects) and its element shape (lists)."""
    if isinstance(shape, str):
        return set(shape.split("|")), None, None
    return set(shape["type"].split("|")), shape.get("keys"), shape.get("items")


def make(types: set[str], keys: dict[str, Any] | None, items: Any) -> Any:
    name = "|".join(t for t in ORDER if t in types)
    if keys is None and items is None:
        return name
    shape: dict[str, Any] = {"type": name}
    if keys is not None:
        shape["keys"] = keys
    if items is not None:
        shape["items"] = items
    return shape


def merge(a: Any, b: Any) -> Any:
    """The shape that admits what `a` and `b` admit: types joined, keys from both, element shapes merged."""
    if a is None or b is None:
        return b if a is None else a
    (types_a, keys_a, items_a), (types_b, keys_b, items_b) = parts(a), parts(b)
    keys = None
    if keys_a is not None or keys_b is not None:
        keys_a, keys_b = keys_a or {}, keys_b or {}
        keys = {k: merge(keys_a.get(k), keys_b.get(k)) for k in [*keys_a, *(k for k in keys_b if k not in keys_a)]}
    return make(types_a | types_b, keys, merge(items_a, items_b))


def observe(value: Any) -> Any:
    """The shape of one value."""
    kind = type_of(value)
    if kind == "object":
        return make({kind}, {k: observe(v) for k, v in value.items()}, None)
    if kind == "array":
        items = None
        for element in value:
            items = merge(items, observe(element))
        return make({kind}, None, items)
    return kind


def breaks(golden: Any, value: Any, path: str = "", from_null: bool = False) -> list[str]:
    """Where `value` breaks the golden shape: a key missing, or a value of a type not recorded.
    `from_null`: a value that was null in every scenario may show its type (what UPDATE_GOLDEN=1 records)."""
    types, keys, items = parts(golden)
    kind = type_of(value)
    if kind not in types:
        if from_null and types == {"null"}:
            return []
        return [f"{path or '(top)'}: is {kind}, the contract says {'|'.join(t for t in ORDER if t in types)}"]
    found = []
    if kind == "object" and keys is not None:
        for key, shape in keys.items():
            if key not in value:
                found.append(f"{path}.{key}: missing")
            else:
                found += breaks(shape, value[key], f"{path}.{key}", from_null)
    if kind == "array" and items is not None:
        for element in value:
            found += breaks(items, element, f"{path}[]", from_null)
    return list(dict.fromkeys(found))


def test_a_shape_lets_keys_be_added_but_not_removed_or_retyped():
    golden = observe({"a": 1, "b": [{"c": "x"}], "d": None})
    assert breaks(golden, {"a": 2, "b": [{"c": "y", "new": 1}], "d": None, "e": True}) == []
    assert breaks(golden, {"a": "1", "b": [{"c": "y"}], "d": None}) == [".a: is string, the contract says integer"]
    assert breaks(golden, {"a": 1, "b": [{}], "d": None}) == [".b[].c: missing"]
    assert breaks(golden, {"a": 1, "b": [], "d": 0}) == [".d: is integer, the contract says null"]
    both = merge(observe({"v": None, "w": []}), observe({"v": {"k": 1}, "w": [1.5]}))
    assert both == {
        "type": "object",
        "keys": {"v": {"type": "object|null", "keys": {"k": "integer"}}, "w": {"type": "array", "items": "number"}},
    }
    assert breaks(both, {"v": None, "w": [2.5]}) == [] and breaks(both, {"v": {}, "w": []}) == [".v.k: missing"]
    assert breaks(golden, {"a": 1, "b": [], "d": "x"}, from_null=True) == []  # never seen with a type: now it is
    assert breaks(golden, {"a": None, "b": [], "d": None}, from_null=True) == [".a: is null, the contract says integer"]


# Scenarios ---------------------------------------------------------------------------------------


class Scene:
    """Runs commands in-process in a fresh data folder; `json` records each output for its golden."""

    def __init__(self, root: Path, patch: pytest.MonkeyPatch, seen: dict[str, list[Any]]) -> None:
        self.root, self.patch, self.seen = root, patch, seen
        self.runner = CliRunner()
        self.folder, self.config = root / "data", root / "config.toml"
        root.mkdir()
        patch.setenv("THERAPY_TIMER_DATA_DIR", str(self.folder))
        patch.setenv("THERAPY_TIMER_CONFIG", str(self.config))

    def __call__(self, *args: str, code: int = 0) -> str:
        result = self.runner.invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def json(self, *args: str, code: int = 0) -> Any:
        words = [a for a in args if not a.startswith("-")]
        command = next(" ".join(words[:n]) for n in (2, 1) if " ".join(words[:n]) in JSON_COMMANDS)
        out = json.loads(self(*args, "--json", code=code))
        self.seen.setdefault(command, []).append(out)
        return out


def a_cold_first_day(tt: Scene) -> None:
    with freeze_time(T0_TEXT):
        tt.json("start", "--no-daemon")
    with freeze_time("2026-11-24 09:02:00+01:00"):
        tt.json("snooze", "5")
    with freeze_time("2026-11-24 09:05:00+01:00"):
        tt.json("log", "pain", "6", "--note", "stiff when I sit")
        tt.json("status")  # the warning-sign questions not answered yet
        tt.json("check", "--none")
        tt.json("plan", "--from", "2026-11-24T09:00", "--hours", "24")
    with freeze_time("2026-11-24 09:20:00+01:00"):
        tt.json("done")
    with freeze_time("2026-11-24 11:01:00+01:00"):
        tt.json("skip")
    with freeze_time("2026-11-24 11:30:00+01:00"):
        tt.json("log", "pain", "4")
        tt.json("log", "note", "walked to the shop")
        tt.json("log", "symptom", "stiff", "in", "the", "morning")
        tt.json("history")
        tt.json("report")
        tt.json("report", "--csv", str(tt.root / "record.csv"))
        tt.json("export", "ics", str(tt.root / "plan.ics"))
        tt.json("plan", "--from", "2026-11-24T09:00", "--hours", "6")  # with the answers
    with freeze_time("2026-11-27 10:00:00+01:00"):
        tt.json("recovered")
        tt.json("report")  # of the plan that ended


def heat_that_made_it_worse(tt: Scene) -> None:
    with freeze_time(T0_TEXT):
        tt.json("start", "--no-daemon", "--injured", "-3d")
    with freeze_time("2026-11-24 09:05:00+01:00"):
        tt.json("log", "heat-worse")
        tt.json("status")  # the stop-the-heat reminder is on show
        tt.json("log", "symptom", "--sign", "bladder-bowel")
        tt.json("status")  # the urgent sign is on show
        tt.json("check", "--sign", "chest-pain", "--sign", "fever")
        tt.json("status")  # every sign on show, the emergency first
        tt.json("plan", "--from", "2026-11-24T09:00", "--hours", "48")
        tt.json("done")
    with freeze_time("2026-11-25 09:10:00+01:00"):
        tt.json("log", "heat-no-help")
        tt.json("status")  # heat waits for the person's word
        tt.json("log", "try-heat-again")
        tt.json("log", "pain", "5")
        tt.json("status")  # the last pain, without a note
        tt.json("history")
        tt.json("report")
        tt.json("stop")


def heat_that_did_not_help(tt: Scene) -> None:
    with freeze_time(T0_TEXT):
        tt.json("start", "--no-daemon", "--injured", "-3d")
    with freeze_time("2026-11-24 09:10:00+01:00"):
        tt.json("log", "heat-no-help")  # the heat on now runs its course; heat again in a day
    with freeze_time("2026-11-24 16:00:00+01:00"):
        tt.json("status")  # a walk is next
    with freeze_time("2026-11-24 20:06:00+01:00"):
        tt.json("status")  # a walk is on
        tt.json("done")
    with freeze_time("2026-11-24 21:31:00+01:00"):
        tt.json("skip")
        tt.json("status")  # the skipped ice is the current session


def a_plan_replaced_and_ended_early(tt: Scene) -> None:
    with freeze_time("2026-11-24 09:20:00+01:00"):
        tt("start", "--no-daemon", "--at", "09:00")
        tt("done", "--at", "09:15")
        tt.json("start", "--no-daemon", "--replace", "--injured", "yesterday 20:00")  # the skin rests first
        tt.json("stop")
    with freeze_time("2026-11-24 09:30:00+01:00"):
        tt.json("start", "--no-daemon")
        tt.json("skip")  # the session that opens the plan
        tt.json("recovered")


def nothing_recorded_yet(tt: Scene) -> None:
    tt.json("status")
    tt.json("signs")
    tt.json("config", "show")
    tt.json("forget", "--yes")  # nothing to forget
    with freeze_time(T0_TEXT):
        tt.json("log", "pain", "3")  # no plan: the entry stands alone
        tt.json("log", "symptom", "I", "have", "a", "fever")
        tt.json("check", "--none")  # no plan: the answer stands alone
        tt.json("log", "note", "lifted a box")
        tt.json("history")
        tt.json("forget", "--yes")  # the record is deleted
    tt.config.write_text('[cold]\nminutes = 12\n[quiet_hours]\nperiods = ["23:00-06:30"]\n', encoding="utf-8")
    tt.json("config", "show")


def a_damaged_record(tt: Scene) -> None:
    tt.folder.mkdir()
    (tt.folder / "therapy-timer.sqlite3").write_bytes(b"this is not a database" * 100)
    with freeze_time(T0_TEXT):
        tt.json("forget", "--yes")  # moved aside


def doctor_checks(tt: Scene) -> None:
    """Kept off the desktop (no session bus, as test_help's doctor test) and off any real tools: once
    with no tools on PATH, once with a dbus-send and a notify-send that find no session bus, so the
    report's shape does not depend on what this machine has. Not pinned: `config.problem` and
    `data.problem`, which doctor adds only when that check fails (against the every-key-always rule)."""
    tt.patch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    tt.patch.delenv("DISPLAY", raising=False)
    empty, tools = tt.root / "no-tools", tt.root / "tools"
    empty.mkdir()
    tools.mkdir()
    for name in ("dbus-send", "notify-send"):
        (tools / name).write_text("#!/bin/sh\nexit 1\n")
        (tools / name).chmod(stat.S_IRWXU)
    tt.patch.setenv("PATH", str(empty))
    tt.json("doctor", code=1)  # push off
    tt.patch.setenv("PATH", str(tools))
    server = Server()
    server.thread.start()
    try:
        push_config(tt.config, server.url, "generic")
        tt.json("doctor", code=1)  # a test push arrives
        with tt.config.open("a") as more:
            more.write('answers = "on"\n')
        from datetime import datetime, timezone

        from therapy_timer.store import Store

        store, now = Store(tt.folder), datetime.now(timezone.utc)
        store.log(None, now, "note", now, text="as if answered from the phone", source="phone")
        store.close()
        tt.json("doctor", code=1)  # answers from the phone on, the last one recorded just now
    finally:
        server.http.shutdown()
        server.http.server_close()
    push_config(tt.config, refused_url(), "full")
    tt.json("doctor", code=1)  # a test push finds no server
    for name in ("no_proxy", "NO_PROXY"):
        tt.patch.delenv(name, raising=False)
    tt.patch.setenv("https_proxy", refused_url().rpartition("/")[0])  # a proxy that is not there
    push_config(tt.config, "https://ntfy.sh/back-a7Xq93kLm", "generic")
    tt.json("doctor", code=1)  # an https test push goes to the proxy (named in `proxy`), which is not there


SCENARIOS: list[Callable[[Scene], None]] = [
    a_cold_first_day,
    heat_that_made_it_worse,
    heat_that_did_not_help,
    a_plan_replaced_and_ended_early,
    nothing_recorded_yet,
    a_damaged_record,
    doctor_checks,
]


def with_json() -> Iterator[str]:
    """Every command that has a --json option."""
    for words in every_command():
        command: Any = cli
        for word in words:
            command = command.get_command(click.Context(command), word)
        if any("--json" in p.opts for p in command.params):
            yield " ".join(words)


JSON_COMMANDS = sorted(with_json())


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Any]]:
    """Every scenario, run once for the module: each command's --json outputs, in order."""
    seen: dict[str, list[Any]] = {}
    with pytest.MonkeyPatch.context() as patch:
        root = tmp_path_factory.mktemp("contracts")
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR"):
            patch.setenv(name, str(root / name.lower()))
        (root / "xdg_runtime_dir").mkdir()
        patch.setenv("TZ", BERLIN_NAME)
        patch.delenv("THERAPY_TIMER_DEBUG", raising=False)
        for scenario in SCENARIOS:
            scenario(Scene(root / scenario.__name__, patch, seen))
    return seen


@pytest.mark.parametrize("command", JSON_COMMANDS)
def test_every_json_output_keeps_its_pinned_shape(outputs, command):
    observed = outputs.get(command)
    assert observed, f"no scenario here shows `{command} --json`: add one to SCENARIOS"
    golden_file = GOLDEN / "json" / f"{command.replace(' ', '-')}.json"
    golden = json.loads(golden_file.read_text(encoding="utf-8")) if golden_file.exists() else None
    rule = f"`{command} --json` breaks its contract (keys may be added, never removed, renamed or retyped):"
    if UPDATE:
        seen = None
        for out in observed:
            seen = merge(seen, observe(out))
        if golden is not None and not FORCE:
            refused = list(dict.fromkeys(p for out in observed for p in breaks(golden, out, from_null=True)))
            assert not refused, "\n".join(
                [rule, *refused, "UPDATE_GOLDEN=1 does not loosen a contract (UPDATE_GOLDEN=force does, on purpose)"]
            )
        golden = seen if golden is None or FORCE else merge(golden, seen)
    assert golden is not None, f"no golden for `{command} --json`: UPDATE_GOLDEN=1 pytest {__file__}"
    found = list(dict.fromkeys(p for out in observed for p in breaks(golden, out)))
    every_key = "(when updating: each output has every key, null where it does not apply)"
    assert not found, "\n".join([rule, *found, *[every_key] * bool(UPDATE)])
    if UPDATE:
        golden_file.parent.mkdir(parents=True, exist_ok=True)
        golden_file.write_text(json.dumps(golden, indent=2) + "\n", encoding="utf-8")


def test_no_json_golden_is_left_for_a_command_that_is_gone():
    pinned = {path.stem for path in (GOLDEN / "json").glob("*.json")}
    assert pinned - {c.replace(" ", "-") for c in JSON_COMMANDS} == set()


# python -m ---------------------------------------------------------------------------------------

ENTRY_POINTS = {
    "therapy_timer.daemon": "therapy_timer.bootstrap:main",  # what `start`, `run` and the login entry execute
    "therapy_timer.calendar.writer": "therapy_timer.calendar.writer:main",  # the daemon's calendar writer
    "therapy_timer.live_calendar": "therapy_timer.calendar.writer:main",  # what daemons of 0.3.0 still spawn
    "therapy_timer.push": "therapy_timer.push:child_main",  # the daemon's one push, in a child process
}


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_the_modules_run_with_python_m_still_resolve(module):
    """`python -m MODULE` is how the daemon and its helpers are started (and how a login entry written
    by an older version still starts them): the module must be found under that name and its
    `__main__` block must call its entry point. Checked without running it, so no daemon starts."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.loader is not None
    where, name = ENTRY_POINTS[module].split(":")
    assert callable(getattr(importlib.import_module(where), name))
    if spec.submodule_search_locations:  # a package: `python -m` runs its __main__, top to bottom
        main_spec = importlib.util.find_spec(f"{module}.__main__")
        assert main_spec is not None and main_spec.loader is not None, f"{module} has no __main__"
        tree = ast.parse(main_spec.loader.get_source(f"{module}.__main__"))  # type: ignore[attr-defined]
        blocks = [node for node in tree.body if isinstance(node, ast.Expr)]
    else:
        source = spec.loader.get_source(module)  # type: ignore[attr-defined]
        blocks = [
            node
            for node in ast.parse(source).body
            if isinstance(node, ast.If)
            and ast.unparse(node.test) in ("__name__ == '__main__'", '__name__ == "__main__"')
        ]
    called = {
        n.func.id for b in blocks for n in ast.walk(b) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert name in called, f"{module}'s `if __name__ == '__main__':` (or __main__) no longer calls {name}"


def test_python_m_therapy_timer_daemon_runs_and_refuses_without_a_plan(tmp_path):
    """The daemon's process, as older login entries start it: it runs, and with no plan it refuses in
    one line (exit 1) rather than failing to import."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, THERAPY_TIMER_DATA_DIR=str(tmp_path / "data"), THERAPY_TIMER_CONFIG=str(tmp_path / "c.toml"))
    done = subprocess.run(
        [sys.executable, "-m", "therapy_timer.daemon"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "no active plan" in done.stderr and done.stderr.count("\n") == 1, done.stderr
