"""Write the files derived from declarations, or check that they are current (`--check`, in CI).

- `therapy_timer/default_config.toml` and `config.toml`: from the settings declared in settings.py;
- the README's settings table: from the same declarations;
- the README's command table: from the click commands (usage and the first line of their help).

A README table sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` lines; only what is
between them is rewritten. `python tools/generate.py` writes; `--check` lists stale files, exit 1.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP))

import click  # noqa: E402

from therapy_timer import settings, settings_doc  # noqa: E402
from therapy_timer.cli.group import Cli, cli  # noqa: E402


def settings_table() -> str:
    rows = ["| setting | default | allowed | advised | what it is |", "| --- | --- | --- | --- | --- |"]
    for s in settings.settings():
        allowed, advised = settings.limits(s.spec)
        if allowed and s.spec.why:
            allowed += f" ({s.spec.why})"
        default = settings_doc.toml_value(s.spec, s.default)
        unit = f" {s.spec.unit}" if s.spec.unit and s.spec.kind in ("number", "whole") else ""
        rows.append(f"| `{s.section}.{s.key}` | {default}{unit} | {allowed} | {advised} | {s.spec.about} |")
    return "\n".join(rows)


def commands(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """(full name, command) for every command under `group`, groups expanded, in declaration order."""
    listed = group.declared() if isinstance(group, Cli) else group.commands.items()  # the top group: lazily loaded
    for name, command in listed:
        if command.hidden:
            continue
        if isinstance(command, click.Group):
            if command.invoke_without_command:  # a group that is a command too (`signs` lists the signs)
                yield f"{prefix}{name}", command
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def usage(name: str, command: click.Command) -> str:
    """`start [--injured WHEN] [--at WHEN]`: the command, its arguments and options."""
    parts = [name]
    for param in command.params:
        if isinstance(param, click.Argument):
            parts.append(param.make_metavar(click.Context(command)).replace("...", ""))  # optional ones in [ ]
        elif isinstance(param, click.Option) and "--help" not in param.opts:
            flag = max(param.opts, key=len)
            parts.append(f"[{flag}]" if param.is_flag else f"[{flag} {param.metavar or str(param.name).upper()}]")
    return " ".join(parts)


def command_table() -> str:
    rows = ["| command | what it does |", "| --- | --- |"]
    for name, command in commands(cli):
        about = " ".join((command.help or "").split("\n\n")[0].split()).replace("|", "\\|")
        rows.append(f"| `{usage(name, command)}` | {about} |")
    return "\n".join(rows)


def module_table() -> str:
    """Every module of the package with the first line of its own docstring (read, not imported), so
    the table cannot drift from the code: a new module without a docstring fails `--check`."""
    import ast

    rows = ["| module | what it is for (its docstring's first line) |", "| --- | --- |"]
    package = TOP / "therapy_timer"
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).parts):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        if not doc:
            raise SystemExit(f"{path.relative_to(TOP)} has no docstring: say in one line what it is for")
        first = " ".join(doc.split("\n\n")[0].split()).replace("|", "\\|")
        rows.append(f"| `{path.relative_to(package).as_posix()}` | {first} |")
    return "\n".join(rows)


def with_block(text: str, name: str, block: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return pattern.sub(lambda m: m[1] + block + "\n" + m[2], text)


def wanted() -> dict[Path, str]:
    """Every generated file and what it should contain."""
    default = settings_doc.render_default_file()
    readme = (TOP / "README.md").read_text(encoding="utf-8")
    readme = with_block(readme, "settings", settings_table())
    readme = with_block(readme, "commands", command_table())
    readme = with_block(readme, "modules", module_table())
    return {
        TOP / "therapy_timer" / "default_config.toml": default,
        TOP / "config.toml": default,
        TOP / "README.md": readme,
    }


def stale() -> list[Path]:
    return [path for path, text in wanted().items() if not path.exists() or path.read_text(encoding="utf-8") != text]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1 if any)")
    check = parser.parse_args().check
    if check:
        old = stale()
        for path in old:
            print(f"{path.relative_to(TOP)} is stale: run `python tools/generate.py`", file=sys.stderr)
        return 1 if old else 0
    for path, text in wanted().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(TOP)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
