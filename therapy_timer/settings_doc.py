"""The settings in words: `config show`, the commented default file, and the README's table rows.

Derived from the declarations (`settings`), so the documentation cannot drift from the checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from therapy_timer.settings import Config, Spec, limits, sections, settings, specs


def about_section(cls: type) -> str:
    """A section's docstring: what the section is for."""
    return " ".join((cls.__doc__ or "").split())


def toml_value(spec: Spec, value: Any) -> str:
    """`value` as config.toml spells it."""
    if spec.kind == "number":
        return f"{value:g}"
    if spec.kind == "whole":
        return str(int(value))
    if spec.kind == "clock":
        return f'"{value:%H:%M}"'
    if spec.kind == "clock_ranges":
        return "[" + ", ".join(f'"{span}"' for span in value) + "]"
    import json  # a TOML basic string is written like a JSON one; only `config init` and the docs need it

    return json.dumps(value)


# What the commands show ----------------------------------------------------------------------


def default_text() -> str:
    """The commented default config.toml (the same file as config.toml at the project's top)."""
    return (Path(__file__).with_name("default_config.toml")).read_text(encoding="utf-8")


def as_dict(config: Config) -> dict[str, dict[str, Any]]:
    """The effective values, for `config show` (times as "HH:MM", secrets hidden)."""
    out: dict[str, dict[str, Any]] = {}
    for name, cls in sections().items():
        values = getattr(config, name)
        out[name] = {key: _plain(spec, getattr(values, key)) for key, spec in specs(cls).items()}
    return out


def _plain(spec: Spec, value: Any) -> Any:
    if spec.kind == "clock":
        return f"{value:%H:%M}"
    if spec.kind == "clock_ranges":
        return [str(span) for span in value]
    if spec.secret and value:
        return "(set, not shown)"
    return value


HEADER = """\
# therapy-timer configuration. Every value below is the default; delete a line to keep the default.
# Find this file with `therapy-timer config path`; check it with `therapy-timer config show`.
# Values outside what the protocol advises are accepted with a warning; values past a safety
# limit are refused with the reason.
"""


def render_default_file() -> str:
    """The commented default config.toml, from the declarations (tools/generate.py writes it)."""
    out = [HEADER]
    for name, cls in sections().items():
        out.append(f"\n[{name}]\n# {about_section(cls)}\n")
        for setting in settings():
            if setting.section != name:
                continue
            spec = setting.spec
            allowed, advised = limits(spec)
            notes = [spec.about]
            if allowed:
                notes.append(f"Allowed: {allowed}" + (f" ({spec.why})" if spec.why else "") + ".")
            if advised:
                notes.append(f"The protocol advises {advised}.")
            out.append("\n" + _comment(" ".join(notes)) + f"{setting.key} = {toml_value(spec, setting.default)}\n")
    return "".join(out)


def _comment(words: str, width: int = 100) -> str:
    """`words` as `# ` comment lines no wider than `width`."""
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append("# " + word)
    return "".join(line + "\n" for line in lines)
