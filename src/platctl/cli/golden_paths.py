"""``platctl golden-paths list|show``: what golden paths there are and what they ask."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import typer

if TYPE_CHECKING:
    from platctl.scaffold.catalog import GoldenPath

FORMATS = ("text", "json")
golden_paths_app = typer.Typer(help="List and inspect golden paths.", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(golden_paths_app, name="golden-paths")


@golden_paths_app.command("list")
def list_command(fmt: str = typer.Option("text", "--format", "-f", help="text or json.")) -> int:
    """List the bundled golden paths."""
    from platctl.cli.output import check_format, console, echo_json
    from platctl.scaffold.catalog import list_golden_paths

    check_format(fmt, FORMATS)
    paths = list_golden_paths()
    if fmt == "json":
        echo_json([_summary(p) for p in paths])
        return 0
    from rich.table import Table

    table = Table("name", "version", "description", box=None)
    for path in paths:
        table.add_row(path.name, path.version, path.description)
    console().print(table)
    return 0


@golden_paths_app.command("show")
def show_command(
    name: str = typer.Argument(..., help="Golden path name or template directory."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Version, tag, branch or commit."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cached clone of a git golden path."),
) -> int:
    """Show a golden path's variables with their defaults, choices and help, and its versions."""
    from platctl.cli.output import check_format, echo_json
    from platctl.scaffold.source import available_versions, open_golden_path, parse_source

    check_format(fmt, FORMATS)
    source = parse_source(name)
    versions = available_versions(source, offline)
    with open_golden_path(source, ref, offline) as path:
        if fmt == "json":
            echo_json({**_summary(path), "versions": versions, "variables": _variables(path)})
        else:
            _show_text(path, versions)
    return 0


def _show_text(path: GoldenPath, versions: list[str]) -> None:
    from rich.markup import escape
    from rich.table import Table

    from platctl.cli.output import console

    out = console()
    out.print(f"[bold]{path.name}[/bold] {path.version}  ({path.source}); versions: {', '.join(versions)}")
    out.print(path.description)
    table = Table(box=None)
    table.add_column("variable", no_wrap=True)  # names are what people search for: never broken
    for heading in ("default", "choices", "applies when"):
        table.add_column(heading, overflow="fold")
    table.add_column("help", overflow="fold", ratio=2)  # a long pattern wraps rather than being cut
    for v in _variables(path):
        table.add_row(escape(v["name"]), escape(str(v["default"])), escape(", ".join(v["choices"])),
                      escape(v["when"] or "always"), escape(_help_text(v)))
    out.print(table)


def _help_text(variable: dict[str, Any]) -> str:
    """The help, then what a valid value looks like: in words, and the pattern itself."""
    valid = [variable["pattern_help"], f"pattern {variable['pattern']}" if variable["pattern"] else ""]
    shown = "; ".join(v for v in valid if v)
    return str(variable["help"]) + (f" (valid: {shown})" if shown else "")


@golden_paths_app.command("lint")
def lint_command(
    name: str = typer.Argument(..., help="Golden path name, template directory or git repository."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Version, tag, branch or commit."),
    trust: bool = typer.Option(False, "--trust", help="Let a golden path from outside the bundle run its hooks."),
) -> int:
    """Render a golden path with its defaults and every choice, and run doctor on each. Exit 1 on any finding."""
    from platctl.cli.output import console
    from platctl.lint import lint_golden_path
    from platctl.scaffold.source import open_golden_path, parse_source

    with open_golden_path(parse_source(name), ref, trust=trust) as path:
        report = lint_golden_path(path)
    out = console()
    for case in report.cases:
        label = case.label or "with " + (", ".join(f"{k}={v}" for k, v in case.answers.items()) or "defaults")
        status = "[green]ok[/green]" if case.ok else "[red]FAILED[/red]"
        out.print(f"{status} {report.golden_path} {report.version} {label}")
        if case.error:
            out.print(f"    {case.error}", markup=False)
        for f in case.findings:
            where = f"{f.path}:{f.line}" if f.line else f.path
            out.print(f"    {where} {f.rule} {f.message}", markup=False)
    failed = sum(not c.ok for c in report.cases)
    out.print(f"{len(report.cases) - failed} of {len(report.cases)} renders pass their golden path's rules.")
    return 0 if report.ok else 1


def _summary(path: GoldenPath) -> dict[str, Any]:
    return {
        "name": path.name,
        "version": path.version,
        "description": path.description,
        "source": path.source,
        "managed": list(path.managed),
        "seeded": list(path.seeded),
    }


def _variables(path: GoldenPath) -> list[dict[str, Any]]:
    return [
        {
            "name": v.name,
            "default": v.default,
            "choices": list(v.choices),
            "help": v.help,
            "pattern": v.pattern,
            "type": v.type,
            "min": v.minimum,
            "max": v.maximum,
            "required": v.required,
            "when": v.when,
            "pattern_help": v.pattern_help,
            "group": v.group,
            "choice_help": dict(v.choice_help),
        }
        for v in path.variables
    ]
