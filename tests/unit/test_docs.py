"""The developer documents name real code: every `module.name` and `test_file.py::test_name` in the
README and docs/ exists, so a newcomer following them lands where they say (module renames used to
leave them pointing at files that were gone)."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import therapy_timer

TOP = Path(__file__).resolve().parents[2]
DOCUMENTS = [TOP / "README.md", *sorted((TOP / "docs").glob("*.md"))]
RETIRED = {"control", "text", "texts", "views", "render", "report", "calendar_feed", "ics", "config", "freedesktop"}
"""Module names this project used to have: a document that still uses one is out of date."""
FILE_ENDINGS = {
    "py",
    "toml",
    "ics",
    "log",
    "md",
    "sqlite3",
    "json",
    "csv",
    "html",
    "service",
    "desktop",
    "txt",
    "png",
    "tsv",
}
NOT_PYTHON = {"org.freedesktop.Notifications", "fs.protected_regular", "fs.protected_symlinks"}
"""Dotted names the documents use that are not Python: a D-Bus service and two sysctl settings."""


def modules() -> dict[str, str]:
    """Each module of the package by its last name (`daemon_client`, `ics`, `live`) and its full name."""
    found = {}
    for info in pkgutil.walk_packages(therapy_timer.__path__, "therapy_timer."):
        found.setdefault(info.name.rsplit(".", 1)[1], info.name)
        found[info.name.removeprefix("therapy_timer.")] = info.name
    return found


def our_classes() -> dict[str, type]:
    """Every class defined in the package, by name (a document may write `Daemon.tick`)."""
    found = {}
    for name in set(modules().values()):
        if name.endswith("__main__"):  # running them is what importing them does
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name:
                found.setdefault(value.__name__, value)
    return found


def not_code() -> set[str]:
    """Dotted names that are not code: settings (`push.url`) and `--json` keys (`push.sent_from`)."""
    from therapy_timer.settings import Config, specs

    names = {f"{section}.{key}" for section in Config._fields for key in specs(type(getattr(Config(), section)))}

    def walk(shape: object, prefix: str) -> None:
        if isinstance(shape, dict) and isinstance(shape.get("keys"), dict):
            for key, inner in shape["keys"].items():
                names.add(prefix + key)
                walk(inner, prefix + key + ".")
        elif isinstance(shape, dict) and "items" in shape:
            walk(shape["items"], prefix)

    for golden in (TOP / "tests" / "golden" / "json").glob("*.json"):
        walk(json.loads(golden.read_text()), "")
    return names


def references() -> list[tuple[str, str]]:
    """(document, reference) for every backticked dotted name and test reference in the documents."""
    out = []
    for document in DOCUMENTS:
        for ref in re.findall(r"`([A-Za-z_][\w/]*(?:\.py)?(?:::|\.)[\w.]+)(?:\(\))?`", document.read_text()):
            out.append((document.name, ref))
    return out


def test_every_module_reference_in_the_documents_exists():
    known, skip, classes, wrong = modules(), not_code(), our_classes(), []
    for document, ref in references():
        if "::" in ref or ref in skip or FILE_ENDINGS & set(ref.split(".")[1:]):
            continue
        if ref in NOT_PYTHON:
            continue
        parts = ref.split(".")
        head = next((n for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in known), 0)
        target: object
        if head:
            target = importlib.import_module(known[".".join(parts[:head])])
        elif parts[0] in RETIRED:
            wrong.append(f"{document}: `{ref}` names a module that is gone")
            continue
        elif parts[0] in classes:  # `Daemon.tick`: a class of ours
            target, head = classes[parts[0]], 1
        elif parts[0] in sys.stdlib_module_names:  # `os.replace`
            target, head = importlib.import_module(parts[0]), 1
        else:
            wrong.append(f"{document}: `{ref}` is no module, class or setting of ours")
            continue
        for name in parts[head:]:
            if isinstance(target, type) and f"self.{name} " in inspect.getsource(target):
                break  # an instance's attribute, set in its methods
            if not hasattr(target, name):
                wrong.append(f"{document}: `{ref}` ({name} is not there)")
                break
            target = getattr(target, name)
    assert wrong == []


def test_every_test_reference_in_the_documents_exists():
    tests = {path.name: path.read_text() for path in (TOP / "tests").rglob("test_*.py")}
    wrong = []
    for document, ref in references():
        if "::" not in ref:
            continue
        file, name = ref.split("::", 1)
        name = name.split(".")[0].split("[")[0]
        source = tests.get(Path(file).name)
        if source is None:
            wrong.append(f"{document}: `{ref}`: no test file {file}")
        elif not re.search(
            rf"def {re.escape(name)}\b" if name.startswith("test") else rf"\b{re.escape(name)}\b", source
        ):
            wrong.append(f"{document}: `{ref}`: {name} is not in {file}")
    assert wrong == []


@pytest.mark.parametrize("retired", sorted(RETIRED))
def test_a_retired_module_name_is_not_a_module_any_more(retired):
    """Only names that are truly gone are treated as stale (`calendar.ics` is `ics` by its last name)."""
    assert f"therapy_timer.{retired}" not in set(modules().values())


def contracts() -> list[dict[str, Any]]:
    """The import-linter contracts in pyproject.toml."""
    import tomllib

    found: list[dict[str, Any]] = tomllib.loads((TOP / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
    return found


def layers() -> list[set[str]]:
    """The modules of each layer of the layers contract, top to bottom (`|` and `:` join siblings)."""
    listed = next(c for c in contracts() if c["type"] == "layers")["layers"]
    return [set(re.split(r"[\s|:]+", layer)) - {""} for layer in listed]


def test_every_module_has_a_place_in_the_layers_contract_and_in_the_readme_picture():
    """A new module must be put in a layer: the contract checks its imports, the picture shows it."""
    layered = set().union(*layers())
    readme = (TOP / "README.md").read_text()
    picture = readme[readme.index("```\nshells") : readme.index("```\n", readme.index("```\nshells") + 4)]
    unplaced, unshown = [], []
    for info in pkgutil.walk_packages(therapy_timer.__path__, "therapy_timer."):
        if info.ispkg:
            continue
        name = info.name
        parents = {".".join(name.split(".")[:n]) for n in range(2, name.count(".") + 2)}
        if not parents & layered:
            unplaced.append(name)
        path = name.removeprefix("therapy_timer.").replace(".", "/")
        package = path.split("/")[0] + "/"
        if f"{path}.py" not in picture and f"{path.rsplit('/', 1)[-1]}.py" not in picture and package not in picture:
            unshown.append(path)
    assert (unplaced, unshown) == ([], [])


def test_the_pure_core_of_the_layers_is_the_pure_core_the_forbidden_contract_keeps_from_io():
    kept_from_io = next(c for c in contracts() if c["type"] == "forbidden" and "I/O" in c["name"])["source_modules"]
    assert layers()[-1] == set(kept_from_io)
