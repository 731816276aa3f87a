"""How the tests are laid out: a test module imports nothing from another test module; what tests
share lives in tests/helpers.py or in a module of tests/fixtures/, registered once for every test."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def imported_test_modules(source: str, module: str) -> list[str]:
    """The test modules that `source` (the text of the module named `module`) imports, by name."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            names = [f"{base}.{alias.name}" for alias in node.names]
            found += [base] if is_test_module(base) else [name for name in names if is_test_module(name)]
    return found


def is_test_module(name: str) -> bool:
    return any(part.startswith("test_") for part in name.split("."))


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def test_no_test_module_imports_another_test_module():
    """What two test modules share belongs in tests/helpers.py or tests/fixtures/: a test module that
    imports another ties them together, a unit test to a daemon test's module and all it imports, and
    hides where a fixture comes from behind a `noqa` import list (issue 22.4)."""
    found = {
        str(path.relative_to(TESTS)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := imported_test_modules(path.read_text(encoding="utf-8"), module_of(path)))
    }
    assert found == {}


@pytest.mark.parametrize(
    "source",
    [
        "from tests.any_folder.test_push import push_config",
        "from tests.daemon import test_push",
        "import tests.system.test_desktop",
        "from .test_report import made",
        "from . import test_report",
        pytest.param("def later():\n    from tests.any_folder.test_help import every_command", id="inside a function"),
    ],
)
def test_an_import_of_a_test_module_is_found_however_it_is_written(source):
    assert imported_test_modules(source, "tests.unit.test_x")


@pytest.mark.parametrize(
    "source",
    [
        "from tests.fixtures.push import push_config",
        "from tests.helpers import T0",
        "from . import helpers",
        "import pytest",
    ],
)
def test_an_import_of_a_shared_module_is_not_one(source):
    assert imported_test_modules(source, "tests.unit.test_x") == []


def test_every_module_of_tests_fixtures_is_registered_for_every_test(pytestconfig):
    """A fixture in a module of tests/fixtures/ that tests/conftest.py's `pytest_plugins` does not list
    would be found by no test."""
    modules = sorted(f"tests.fixtures.{path.stem}" for path in (TESTS / "fixtures").glob("*.py"))
    modules.remove("tests.fixtures.__init__")
    assert modules and [m for m in modules if not pytestconfig.pluginmanager.has_plugin(m)] == []
