"""`NamedTuple` as `typing` declares it, built without converting each annotation on every start.

Our modules use `from __future__ import annotations`, so a field's annotation is a string, and
`typing.NamedTuple` turns each one into a `ForwardRef` (compiling it) when the class is made:
about 0.1 ms a class, and every command makes some 45 of them before it does anything
(`bench/startup.py`). Type checkers see `typing.NamedTuple` itself; at run time this makes the
same class, `collections.namedtuple` with the class body's methods and properties, and keeps
the annotations as written (`typing.get_type_hints` still resolves them).
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

_PROHIBITED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make", "_replace", "_asdict"}
)
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
_namedtuple: Any = collections.namedtuple  # called with computed fields, which type checkers refuse


class _NamedTupleMeta(type):
    """What `typing.NamedTupleMeta` does, less the per-field type check (mypy checks the types)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        if not bases:  # `NamedTuple` itself
            return super().__new__(mcs, name, bases, namespace)
        fields: dict[str, Any] = namespace.get("__annotations__", {})
        defaulted = [field for field in fields if field in namespace]
        if defaulted and defaulted != list(fields)[len(fields) - len(defaulted) :]:
            raise TypeError(f"{name}: a field without a default follows one with a default")
        made = _namedtuple(
            name, list(fields), defaults=[namespace[f] for f in defaulted], module=namespace["__module__"]
        )
        made.__annotations__ = made.__new__.__annotations__ = dict(fields)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError(f"{name}: cannot overwrite the named tuple's {key}")
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, value)
        return made


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base class: `class Session(NamedTuple): kind: str ...`, as with `typing.NamedTuple`."""
