"""``platctl diff`` and ``platctl upgrade``: drift from the golden path, and moving to a newer version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

if TYPE_CHECKING:
    from platctl.scaffold.drift import DriftReport
    from platctl.upgrade.api import UpgradePlan


def register(app: typer.Typer) -> None:
    app.command("diff")(diff_command)
    app.command("upgrade")(upgrade_command)


def diff_command(
    path: Path = typer.Argument(Path("."), help="The service directory (holding .platctl.yaml)."),
    stat: bool = typer.Option(False, "--stat", help="One line per file instead of the full diff."),
    include_seeded: bool = typer.Option(False, "--all", help="Include seeded files, which the team owns."),
    offline: bool = typer.Option(True, "--offline/--fetch", help="Use only the cached golden path (default)."),
    trust: bool = typer.Option(False, "--trust", help="Let a golden path from outside the bundle run its hooks."),
) -> int:
    """Show how a service differs from a fresh render of its recorded golden path. Exit 1 on drift."""
    from platctl.scaffold.drift import compute_drift

    report = compute_drift(path, offline=offline, include_seeded=include_seeded, trust=trust)
    _show_drift(report, stat)
    return 1 if report.drifted else 0


def _show_drift(report: DriftReport, stat: bool) -> None:
    import sys

    if not report.drifted:
        sys.stdout.write(f"No drift from {report.golden_path} {report.version}.\n")
        return
    for drift in report.files:
        if stat:
            sys.stdout.write(f"{drift.path} | {drift.status} ({drift.ownership}) +{drift.added} -{drift.removed}\n")
        else:
            sys.stdout.write(drift.diff)
    if stat:
        sys.stdout.write(f"{len(report.files)} files differ from {report.golden_path} {report.version}.\n")


def upgrade_command(
    path: Path = typer.Argument(Path("."), help="The service directory (holding .platctl.yaml)."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Target version, tag, branch or commit (default: newest)."),
    set_values: List[str] = typer.Option([], "--set", "-s", help="Answer a (new) variable: KEY=VALUE."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan and the diff; change nothing."),
    commit: bool = typer.Option(False, "--commit", help="Commit the result when it merged cleanly."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cached clone of a git golden path."),
    trust: bool = typer.Option(False, "--trust", help="Let a golden path from outside the bundle run its hooks."),
) -> int:
    """Upgrade a service to a newer golden-path version by three-way merge. Exit 1 if conflicts remain."""
    from platctl.cli.options import parse_set_options
    from platctl.scaffold.collect import Given, organisation_source
    from platctl.upgrade.api import plan_upgrade

    sources = [Given("--set", parse_set_options(set_values)), organisation_source()]
    plan = plan_upgrade(path, ref, sources, offline, trust)
    show_notices(plan.notices)
    _show_plan(plan)
    if dry_run:
        _show_plan_diff(plan)
        return 1 if plan.conflicts else 0
    from platctl.upgrade.apply import apply_upgrade

    sha = apply_upgrade(plan, commit=commit and not plan.conflicts)
    _show_outcome(plan, sha, commit)
    return 1 if plan.conflicts else 0


ACTION_TEXT = {
    "update": "updated",
    "merge": "merged (your edits kept)",
    "conflict": "CONFLICT",
    "add": "added",
    "remove": "removed",
    "kept-changed": "kept: removed upstream, but you changed it",
    "kept-deleted": "kept deleted: changed upstream, but you deleted it",
    "seeded": "left alone: owned by the team",
}


def show_notices(notices: tuple[str, ...]) -> None:
    """One ``platctl: warning:`` line on stderr per notice the core returned."""
    import sys

    for notice in notices:
        sys.stderr.write(f"platctl: warning: {notice}\n")


def _show_plan(plan: UpgradePlan) -> None:
    from platctl.cli.output import console

    out = console()
    out.print(f"Upgrade {plan.golden_path} {plan.from_version} -> {plan.to_version} in {plan.service}")
    shown = [c for c in plan.changes if c.action in ACTION_TEXT and c.action != "seeded"]
    for change in shown:
        out.print(f"  {ACTION_TEXT[change.action]:<12} {change.path}", markup=False)
    if not shown:
        out.print("  nothing to change")


def _show_plan_diff(plan: UpgradePlan) -> None:
    import sys

    from platctl.upgrade.api import plan_diff

    sys.stdout.writelines(plan_diff(plan))
    sys.stdout.write("Dry run: nothing was changed.\n")


def _show_outcome(plan: UpgradePlan, sha: str | None, wanted_commit: bool) -> None:
    from platctl.cli.output import console

    out = console()
    if plan.conflicts:
        out.print(f"[red]{len(plan.conflicts)} file(s) with conflicts[/red]: {', '.join(plan.conflicts)}")
        out.print("Resolve the <<<<<<< markers, then commit." + (" (--commit skipped.)" if wanted_commit else ""))
    elif sha:
        out.print(f"Upgraded to {plan.to_version} and committed as {sha[:12]}.")
    else:
        out.print(f"Upgraded to {plan.to_version}; review with `git diff` and commit.")
