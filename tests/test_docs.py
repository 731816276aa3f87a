"""The files generated from declarations are current: the default config files and README tables."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent


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
    """Test file name -> the test functions it defines."""
    import ast

    return {
        path.name: {
            node.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
        }
        for path in (TOP / "tests").glob("test_*.py")
    }


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
