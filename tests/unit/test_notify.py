"""The notifier's backends all honour one interface, so the notifier calls them without guessing.

The backends are found in the package, not listed here: every class of a module of
`therapy_timer.notify` that sends a `Note` (has `send`) is one, so a new backend is held to the
interface the day it is added.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
from typing import Any

import pytest

import therapy_timer.notify
from therapy_timer.notify import Note, Notifier, TerminalBackend
from therapy_timer.notify.base import Backend


def backend_classes() -> list[type]:
    found = {}
    for module_info in pkgutil.iter_modules(therapy_timer.notify.__path__):
        module = importlib.import_module(f"therapy_timer.notify.{module_info.name}")
        for value in vars(module).values():
            defined_here = inspect.isclass(value) and value.__module__ == module.__name__
            if defined_here and value is not Backend and callable(getattr(value, "send", None)):
                found[value.__name__] = value
    return sorted(found.values(), key=lambda cls: cls.__name__)


BACKENDS = backend_classes()
INTERFACE = sorted(name for name, value in vars(Backend).items() if inspect.isfunction(value) and name[0] != "_")
"""The methods a backend has: those `notify.base.Backend` declares."""


def test_the_backends_are_found_in_the_package():
    assert {cls.__name__ for cls in BACKENDS} >= {"DBusBackend", "NotifySendBackend", "PlyerBackend", "TerminalBackend"}
    assert INTERFACE == ["close", "listen", "prepare", "problem", "send", "shutdown"]


@pytest.mark.parametrize("backend_class", BACKENDS, ids=lambda cls: cls.__name__)
def test_every_backend_implements_the_whole_interface(backend_class: type):
    assert isinstance(getattr(backend_class, "name", None), str) and backend_class.name
    for method in INTERFACE:
        own = getattr(backend_class, method, None)
        assert callable(own), f"{backend_class.__name__} has no {method}()"
        wanted = list(inspect.signature(getattr(Backend, method)).parameters)
        assert list(inspect.signature(own).parameters) == wanted, f"{backend_class.__name__}.{method}"


@pytest.mark.parametrize("backend_class", BACKENDS, ids=lambda cls: cls.__name__)
def test_every_backend_can_be_prepared_and_asked_before_sending(backend_class: type, monkeypatch):
    """With no desktop session (no bus, no display, no bus socket in the runtime folder, which
    conftest makes empty), each backend is built, loads what it needs, and says whether it can
    deliver: a backend that needs the desktop says why not, in one line; one that says it can, can."""
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    started: list[Any] = []

    def no_process(*args: Any, **kwargs: Any) -> None:  # `prepare` runs at start-up: it must start nothing
        started.append(args)
        raise AssertionError("a backend started a process")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    backend = backend_class()
    backend.prepare()
    problem = backend.problem()
    assert started == []  # not even one the backend caught and went on without
    if problem is not None:
        assert isinstance(problem, str) and problem.strip() and "\n" not in problem
    else:  # it needs no desktop: it delivers now
        assert isinstance(backend.send(Note("Ice on now", "Wrapped in a towel.")), int)
    assert started == []


def test_the_notifier_prepares_its_backends_and_sends_through_them():
    printed: list[str] = []
    terminal = TerminalBackend(printed.append)
    notifier = Notifier(desktop=[terminal], fallback=TerminalBackend(printed.append), log=printed.append)
    terminal.prepare()  # it used to lack prepare(); the notifier papered over that with getattr
    notifier.prepare()
    assert terminal.problem() is None
    assert notifier.send(Note("Ice on now", "Wrapped in a towel.")).backend == "terminal"
    assert printed == [">>> Ice on now: Wrapped in a towel."]
