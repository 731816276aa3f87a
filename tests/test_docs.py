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
