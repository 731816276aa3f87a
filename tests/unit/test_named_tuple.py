"""Our `NamedTuple` (made without typing's per-field check, for start-up) makes the class
`typing.NamedTuple` makes: same fields, defaults, methods, annotations, errors."""

from __future__ import annotations

import typing
from datetime import datetime

import pytest

from therapy_timer import named_tuple, protocol


def declare(base: type) -> type:
    class Session(base):  # type: ignore[misc,valid-type]
        """A session."""

        kind: str
        start: datetime
        minutes: float = 15.0
        opens: str | None = None

        @property
        def label(self) -> str:
            return f"{self.kind} {self.minutes:g}"

        def longer(self, by: float) -> Session:
            return self._replace(minutes=self.minutes + by)

    return Session


def test_it_makes_the_class_typing_makes():
    ours, theirs = declare(named_tuple.NamedTuple), declare(typing.NamedTuple)
    at = datetime(2026, 11, 24, 9, 0)
    a, b = ours("ice", at), theirs("ice", at)
    assert ours._fields == theirs._fields == ("kind", "start", "minutes", "opens")
    assert ours._field_defaults == theirs._field_defaults == {"minutes": 15.0, "opens": None}
    assert tuple(a) == tuple(b) and a == b and hash(a) == hash(b)
    assert repr(a) == repr(b) and a._asdict() == b._asdict()
    assert a.label == b.label == "ice 15" and a.longer(5) == b.longer(5)
    assert ours.__doc__ == theirs.__doc__ == "A session."
    assert ours.__bases__ == theirs.__bases__ == (tuple,)
    assert ours.__qualname__ == theirs.__qualname__ and ours.__module__ == theirs.__module__
    assert typing.get_type_hints(ours) == typing.get_type_hints(theirs)


def test_a_field_without_a_default_after_one_with_a_default_is_refused_as_typing_does():
    for base in (named_tuple.NamedTuple, typing.NamedTuple):
        with pytest.raises(TypeError):

            class Bad(base):  # type: ignore[misc,valid-type]
                a: int = 1
                b: int


def test_its_own_attributes_cannot_be_overwritten():
    for base in (named_tuple.NamedTuple, typing.NamedTuple):
        with pytest.raises(AttributeError):

            class Bad(base):  # type: ignore[misc,valid-type]
                a: int

                def _replace(self, **changes: object) -> None: ...


def test_the_core_uses_it():
    """The point of it: the classes every command makes at start are made this way."""
    assert protocol.Session.__new__.__annotations__["kind"] == "SessionKind"  # kept as written, not a ForwardRef
