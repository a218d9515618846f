"""``platctl adopt``: put an existing repository on a golden path."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

if TYPE_CHECKING:
    from platctl.adopt import AdoptPlan


def register(app: typer.Typer) -> None:
    app.command("adopt")(adopt_command)


def adopt_command(
    path: Path = typer.Argument(Path("."), help="The repository to adopt."),
    golden_path: Optional[str] = typer.Option(
        None, "--golden-path", "-g", help="Golden path (default: by the repository's language)."
    ),
    set_values: List[str] = typer.Option([], "--set", "-s", help="Answer a variable: KEY=VALUE (repeatable)."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Version, tag, branch or commit of the golden path."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan; write nothing."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cached clone of a git golden path."),
    trust: bool = typer.Option(False, "--trust", help="Let a golden path from outside the bundle run its hooks."),
) -> int:
    """Adopt an existing repository: record a golden path and add only the platform files it lacks."""
    from platctl.adopt import apply_adopt, choose_golden_path, plan_adopt
    from platctl.errors import UserError
    from platctl.cli.options import parse_set_options
    from platctl.scaffold.collect import Given
    from platctl.scaffold.source import open_golden_path, parse_source

    if not path.is_dir():
        raise UserError(f"{path} is not a directory: give the repository to adopt")
    source = golden_path or choose_golden_path(path)
    with open_golden_path(parse_source(source), ref, offline, trust) as template:
        plan = plan_adopt(path, template, [Given("--set", parse_set_options(set_values))])
    from platctl.cli.upgrade import show_notices

    show_notices(plan.notices)
    _show(plan, dry_run)
    if not dry_run:
        apply_adopt(plan)
    return 0


def _show(plan: "AdoptPlan", dry_run: bool) -> None:
    from platctl.cli.output import console

    out = console()
    verb = "Would adopt" if dry_run else "Adopting"
    out.print(f"{verb} {plan.repo} onto {plan.golden_path.name} {plan.golden_path.version}")
    for name, value in plan.answers.items():
        out.print(f"  {name} = {value}  ({plan.origins.get(name, 'default')})", markup=False)
    for rel in plan.add:
        out.print(f"  add   {rel}", markup=False)
    for rel in plan.kept:
        out.print(f"  keep  {rel} (the repository's own; `platctl diff` shows how it differs)", markup=False)
    if plan.kept_artifacts:
        out.print(f"  The repository provides its own {', '.join(plan.kept_artifacts)}: those are kept whole.")
    if dry_run:
        out.print("Dry run: nothing was written.")
