"""``platctl adopt``: put an existing repository on a golden path."""

from __future__ import annotations

import sys
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
        None, "--golden-path", "-g", help="Golden path (default: by each service's language)."
    ),
    services: List[str] = typer.Option(
        [], "--service", help="Adopt only this service directory of a monorepo (repeatable; '.' for the root)."
    ),
    set_values: List[str] = typer.Option([], "--set", "-s", help="Answer a variable: KEY=VALUE (repeatable)."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Version, tag, branch or commit of the golden path."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan and the report; write nothing."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cached clone of a git golden path."),
    trust: bool = typer.Option(False, "--trust", help="Let a golden path from outside the bundle run its hooks."),
) -> int:
    """Adopt an existing repository: detect what it has, add only the platform files that fit, report the rest."""
    from platctl.adopt import apply_adopt, find_services, read_tree
    from platctl.errors import UserError

    if not path.is_dir():
        raise UserError(f"{path} is not a directory: give the repository to adopt")
    chosen = [s.strip("/") if s != "." else "" for s in services] or _which(find_services(read_tree(path)))
    plans = [_plan(path, service, golden_path, set_values, ref, offline, trust) for service in chosen]
    for plan in plans:
        _show(plan, dry_run)
    if not dry_run:
        for plan in plans:
            apply_adopt(plan)
    return 0


def _which(found: List[str]) -> List[str]:
    """Every service found; on a terminal, ask about each when there are several."""
    if len(found) < 2 or not sys.stdin.isatty():
        return found
    return [s for s in found if typer.confirm(f"Adopt the service in {s}/ as its own service?", default=True)]


def _plan(path: Path, service: str, golden_path: Optional[str], set_values: List[str], ref: Optional[str],
          offline: bool, trust: bool) -> AdoptPlan:
    from platctl.adopt import choose_golden_path, plan_adopt
    from platctl.cli.options import parse_set_options
    from platctl.cli.upgrade import show_notices
    from platctl.scaffold.collect import Given, organisation_source
    from platctl.scaffold.source import open_golden_path, parse_source

    source = golden_path or choose_golden_path(path / service if service else path)
    with open_golden_path(parse_source(source), ref, offline, trust) as template:
        sources = [Given("--set", parse_set_options(set_values)), organisation_source()]
        plan = plan_adopt(path, template, sources, service)
    show_notices(plan.notices)
    return plan


def _show(plan: AdoptPlan, dry_run: bool) -> None:
    from platctl.cli.output import console

    out = console()
    verb = "Would adopt" if dry_run else "Adopting"
    out.print(f"{verb} {plan.repo} onto {plan.golden_path.name} {plan.golden_path.version}", markup=False)
    for name, value in plan.answers.items():
        out.print(f"  {name} = {value}  ({plan.origins.get(name, 'default')})", markup=False)
    for rel in plan.add:
        out.print(f"  add   {rel}", markup=False)
    for kept in plan.report.kept if plan.report else ():
        out.print(f"  {'skip' if kept.provided else 'keep'}  {kept.path}: {kept.why}", markup=False)
    if plan.kept_artifacts:
        out.print(f"  The repository provides its own {', '.join(plan.kept_artifacts)}: those are kept whole.")
    report = plan.report
    if report is not None:
        for line in report.conflicts:
            out.print(f"  note  {line}", markup=False)
        for clause in report.contract:
            seen = clause.evidence or "not seen: check it"
            out.print(f"  the app must {clause.what}  [{clause.rule or 'no rule'}; {seen}]", markup=False)
        out.print(f"  The report is {'not written' if dry_run else 'written'} to {report.path}.", markup=False)
    if dry_run:
        out.print("Dry run: nothing was written.")
