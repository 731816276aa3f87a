"""The files generated from declarations are current: the default config files and README tables."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOP = Path(__file__).resolve().parents[2]


def generator():
    spec = importlib.util.spec_from_file_location("generate", TOP / "tools" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_files_are_current():
    stale = [str(path.relative_to(TOP)) for path in generator().stale()]
    assert stale == [], "run `python tools/generate.py` and commit the result"


def test_the_readme_tables_list_every_setting_and_command():
    gen = generator()
    readme = (TOP / "README.md").read_text(encoding="utf-8")
    from therapy_timer import config

    for setting in config.settings():
        assert f"| `{setting.section}.{setting.key}` |" in readme
    for name, _ in gen.commands(gen.cli):
        assert f"| `{name}" in readme


def defined_tests() -> dict[str, set[str]]:
    """Test file name -> the test functions it defines, in whichever tier folder it lives; a module's
    tests of another tier (test_daemon_unit.py) count as the module's (test_daemon.py), so a citation
    survives a test's move to the tier it belongs to."""
    import ast
    import re

    found: dict[str, set[str]] = {}
    paths = list((TOP / "tests").rglob("test_*.py"))
    names = {path.name for path in paths}
    for path in paths:
        base = re.sub(r"_(unit|cli|daemon|system)\.py$", ".py", path.name)
        name = base if base in names else path.name
        found.setdefault(name, set()).update(
            node.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        )
    return found


def test_every_test_the_reliability_notes_cite_exists():
    import re

    text = (TOP / "docs" / "reliability.md").read_text(encoding="utf-8")
    defined = defined_tests()
    cited = re.findall(r"(test_\w+\.py)::(test_\w+)", text)
    assert len(cited) > 10, "docs/reliability.md no longer cites tests as test_x.py::test_y"
    missing = [f"{file}::{name}" for file, name in cited if name not in defined.get(file, set())]
    missing += [file for file in re.findall(r"\b(test_\w+\.py)\b", text) if file not in defined]
    everything = set().union(*defined.values())
    missing += [
        f"...{tail}" for tail in re.findall(r"\.\.\.(_\w+)", text) if not any(n.endswith(tail) for n in everything)
    ]
    assert missing == [], "docs/reliability.md cites tests that do not exist"
