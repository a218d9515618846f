"""``platctl fleet``: scan, ingest, report, upgrade and the CI pipeline, each a thin call into ``platctl.fleet``."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, List, Optional

import typer

from platctl.cli.output import open_output

if TYPE_CHECKING:
    from platctl.fleet.model import Snapshot
    from platctl.fleet.upgrade import RepoUpgrade

DB_HELP = ("Database: a SQLite file or a PostgreSQL URL (default: $PLATCTL_FLEET_DB, else "
           "~/.local/share/platctl/fleet.db).")
fleet_app = typer.Typer(help="The fleet: adoption, versions and conformance across repositories, over time.",
                        no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(fleet_app, name="fleet")


@fleet_app.command("scan")
def scan_command(
    paths: List[str] = typer.Argument(None, help="Repository paths or globs (quote globs: 'repos/*')."),
    repos: Optional[Path] = typer.Option(None, "--repos", help="A file listing git URLs or paths, one a line."),
    shard: Optional[str] = typer.Option(None, "--shard", help="Scan only shard I of N (I/N), a stable share."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    store: bool = typer.Option(True, "--store/--no-store", help="Write the snapshots to the database."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the snapshots as fleet JSON."),
    drift: bool = typer.Option(False, "--drift", help="Count files drifted from the golden path (renders: slower)."),
    at: Optional[str] = typer.Option(None, "--at", help="Record the scan at this ISO date or time (default: now)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Worker processes (default: one per core)."),
) -> int:
    """Scan repositories with doctor and keep one snapshot per service per day. Exit 1 if any scan failed."""
    from platctl.fleet.api import ScanRequest, scan_fleet, scan_time
    from platctl.fleet.collect import ScanOptions

    request = ScanRequest(tuple(paths or ()), repos, shard, ScanOptions(scan_time(at), drift), db, store, jobs)
    with _progress("scanned") as progress:
        outcome = scan_fleet(request, progress)
    if output is not None:
        _write_fleet_json(output, list(outcome.snapshots))
    for snapshot in outcome.failed:
        sys.stderr.write(f"platctl: warning: {snapshot.location}: {snapshot.error}\n")
    stored = outcome.stored
    note = f"; stored {stored.added} new, {stored.replaced} replaced, {stored.unchanged} unchanged" if stored else ""
    sys.stdout.write(f"Scanned {len(outcome.snapshots)} services, {len(outcome.failed)} failed{note}.\n")
    return 1 if outcome.failed else 0


@fleet_app.command("ingest")
def ingest_command(
    reports: List[Path] = typer.Argument(None, help="doctor JSON reports or fleet JSON files (shards)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    at: Optional[str] = typer.Option(
        None, "--at", help="Scan time for doctor reports (ISO date or time; default: now)."
    ),
    skip_broken: bool = typer.Option(
        False, "--skip-broken", help="Ingest the readable reports; exit 1 if any is " "broken."
    ),
) -> int:
    """Merge reports into the database; ingesting the same report again changes nothing."""
    from platctl.fleet.api import ingest_reports

    result = ingest_reports(list(reports or ()), db, at, skip_broken)
    for line in result.errors:
        sys.stderr.write(f"platctl: warning: skipped {line}\n")
    sys.stdout.write(f"Ingested: {result.added} new, {result.replaced} replaced, {result.unchanged} unchanged.\n")
    return 1 if result.errors else 0


@fleet_app.command("report")
def report_command(
    output_format: str = typer.Option("html", "--format", "-f", help="html, markdown, json, csv or backstage."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
    expiring_days: int = typer.Option(30, "--expiring-days", help="Waivers expiring within this many days are listed."),
    rule_docs: str = typer.Option("docs/rules/{code}.md", "--rule-docs", help="Link for a rule; {code} is replaced."),
    title: str = typer.Option("Fleet", "--title", help="The report's title."),
) -> int:
    """Write the dashboard (HTML), a Markdown summary, JSON, CSV or Backstage Tech Insights facts."""
    from platctl.fleet.api import fleet_summary
    from platctl.fleet.reporters import ReportOptions, reporter

    render = reporter(output_format)
    summary = fleet_summary(db, expiring_days=expiring_days)
    with open_output(output) as out:
        render(summary, out, ReportOptions(rule_docs, title))
    return 0


@fleet_app.command("upgrade")
def upgrade_command(
    paths: List[str] = typer.Argument(None, help="Repository paths or globs."),
    to: str = typer.Option(..., "--to", help="The golden-path version to upgrade to."),
    remote: str = typer.Option("origin", "--remote", help="Push the branch to this remote when it exists."),
    push: bool = typer.Option(True, "--push/--no-push", help="Push the upgrade branch."),
    forge: Optional[str] = typer.Option(None, "--open-request", help="Open a pull/merge request: github or gitlab."),
    forge_url: Optional[str] = typer.Option(None, "--forge-url", help="The forge's API URL (default: the public one)."),
    base: Optional[str] = typer.Option(None, "--base", help="The request's target branch (default: the current one)."),
    offline: bool = typer.Option(False, "--offline", help="Use only the cached golden path."),
) -> int:
    """Prepare a branch per repository with the upgrade committed; exit 1 on conflicts or failures."""
    from platctl.fleet.forge import forge_from_env
    from platctl.fleet.targets import collect_targets
    from platctl.fleet.upgrade import UpgradeOptions, upgrade_fleet

    chosen = forge_from_env(forge, forge_url) if forge else None
    targets = [t.location for t in collect_targets(list(paths or ()), None, None)]
    results = upgrade_fleet(targets, UpgradeOptions(to, remote, push, chosen, base, offline), _show_upgrade)
    counts = {k: sum(1 for r in results if r.outcome == k) for k in ("upgraded", "conflicts", "current", "failed")}
    sys.stdout.write(
        f"{counts['upgraded']} upgraded cleanly, {counts['conflicts']} with conflicts, "
        f"{counts['current']} already current, {counts['failed']} failed.\n"
    )
    return 1 if counts["conflicts"] or counts["failed"] else 0


@fleet_app.command("ci")
def ci_command(
    provider: str = typer.Option(..., "--provider", help="github or gitlab."),
    shards: int = typer.Option(4, "--shards", help="How many scan jobs run side by side."),
    repos: str = typer.Option("repos.txt", "--repos", help="The repository list file, relative to the CI checkout."),
    install: str = typer.Option("platctl", "--install", help="What the jobs pip-install (pin it: platctl==X.Y.Z)."),
    schedule: str = typer.Option(
        "17 5 * * *", "--schedule", help="Cron schedule (GitHub; GitLab uses a pipeline " "schedule)."
    ),
    image: str = typer.Option("python:3.12-slim-bookworm", "--image", help="The GitLab jobs' image."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Where to write it ('-': stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> int:
    """Write the CI pipeline that scans the fleet in shards and publishes the report."""
    from platctl.errors import UserError
    from platctl.fleet.pipeline import DEFAULT_OUTPUT, PipelineOptions, render_pipeline

    text = render_pipeline(PipelineOptions(provider, shards, repos, install, schedule, image))
    target = output or Path(DEFAULT_OUTPUT[provider])
    if str(target) == "-":
        sys.stdout.write(text)
        return 0
    if target.exists() and not force:
        raise UserError(f"{target} exists: use --force to overwrite it, or --output another file")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    sys.stdout.write(f"Wrote {target} ({shards} shards).\n")
    return 0


def _show_upgrade(result: RepoUpgrade) -> None:
    detail = {
        "upgraded": f"{result.from_version} -> {result.to_version} on {result.branch}"
        + (", pushed" if result.pushed else "")
        + (f", {result.request_url}" if result.request_url else ""),
        "conflicts": "conflicts in " + ", ".join(result.conflicts),
        "current": result.message,
        "failed": result.message,
    }[result.outcome]
    note = f" ({result.message})" if result.outcome == "upgraded" and result.message else ""
    sys.stdout.write(f"{result.outcome:<10} {result.location}: {detail}{note}\n")


@contextmanager
def _progress(verb: str) -> Iterator[Callable[[Snapshot], None]]:
    """A progress bar on a terminal; one plain line per service in CI logs and pipes."""
    if not sys.stderr.isatty():
        count = [0]

        def line(snapshot: Snapshot) -> None:
            count[0] += 1
            state = f"error: {snapshot.error}" if snapshot.error else f"{snapshot.level} {snapshot.version or ''}"
            sys.stderr.write(f"{verb} {count[0]}: {snapshot.name} {state}\n")

        yield line
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(verb, total=None)
        yield lambda snapshot: bar.advance(task)


def _write_fleet_json(path: Path, snapshots: list[Snapshot]) -> None:
    import json

    from platctl.fleet.ingest import fleet_document

    with open_output(path) as out:
        out.write(json.dumps(fleet_document(snapshots), indent=1) + "\n")


