"""``platctl doctor`` and ``platctl rules``: parse options, call the core, render, pick the exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional, TextIO

import typer

from platctl.cli.completion import complete_rules
from platctl.cli.output import open_output
from platctl.doctor.reporters import REPORTER_NAMES
from platctl.errors import UserError

FORMATS = REPORTER_NAMES
FORMAT_HELP = ", ".join(FORMATS[:-1]) + " or " + FORMATS[-1] + "."
IGNORE_HELP = "Skip these rules (repeatable)."
FAIL_ON = ("error", "warning", "info")


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_command)
    app.command("rules")(rules_command)


def doctor_command(
    paths: List[Path] = typer.Argument(None, help="Repositories or services to check (default: .)."),
    output_format: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to FILE instead of stdout."),
    select: List[str] = typer.Option(
        [], "--select", autocompletion=complete_rules, help="Only these rules (codes, slugs or prefixes; repeatable)."
    ),
    extend_select: List[str] = typer.Option(
        [], "--extend-select", help="Also run these rules, e.g. ones that are off by default (repeatable)."
    ),
    ignore: List[str] = typer.Option([], "--ignore", autocompletion=complete_rules, help=IGNORE_HELP),
    fail_on: str = typer.Option("error", "--fail-on", help="Exit 1 on findings at or above: error, warning, info."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings are reported."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Org policy file (default: $PLATCTL_POLICY)."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings not in this baseline."),
    create_baseline: Optional[Path] = typer.Option(None, "--create-baseline", help="Record today's findings to FILE."),
    explain: Optional[str] = typer.Option(
        None, "--explain", autocompletion=complete_rules, help="Explain a rule (code or slug) and exit."
    ),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes and report each change."),
) -> int:
    """Check that repositories are still on their golden path."""
    if explain:
        return _explain(explain, policy)
    _check_choice("--format", output_format, FORMATS)
    _check_choice("--fail-on", fail_on, FAIL_ON)
    _prefetch(paths)
    from platctl.doctor.api import DoctorOptions, run_doctor
    from platctl.doctor.model import Severity

    options = DoctorOptions(
        tuple(select) or None, tuple(ignore), policy, baseline, fix, extend_select=tuple(extend_select)
    )
    report = run_doctor(list(paths or [Path(".")]), options)
    if create_baseline is not None:
        return _write_baseline(create_baseline, report)
    with open_output(output) as out:
        _render(output_format, report, out)
    return 0 if exit_zero or not report.worst_at_or_above(Severity(fail_on)) else 1


def rules_command(
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
    policy: Optional[Path] = typer.Option(None, "--policy", help="Also list this policy's custom rules."),
) -> int:
    """List every doctor rule."""
    from platctl.doctor.api import catalogue

    _check_choice("--format", output_format, ("text", "json"))
    rules = catalogue(policy)
    if output_format == "json":
        import json

        rows = [
            {
                "code": r.code,
                "slug": r.meta.slug,
                "title": r.meta.title,
                "severity": r.meta.severity.value,
                "level": r.meta.level.value,
                "fixable": r.meta.fixable,
                "custom": r.meta.custom,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    for rule in rules:
        m = rule.meta
        sys.stdout.write(
            f"{m.code:<10} {m.severity.value:<8} {m.level.value:<7} {'fix' if m.fixable else '   '} "
            f"{m.slug:<32} {m.title}\n"
        )
    return 0


def _explain(name: str, policy: Optional[Path]) -> int:
    from platctl.doctor.api import catalogue
    from platctl.doctor.docs import rule_markdown

    rule = next((r for r in catalogue(policy) if name.upper() == r.code or name.lower() == r.meta.slug), None)
    if rule is None:
        raise UserError(f"unknown rule {name!r}: `platctl rules` lists them")
    sys.stdout.write(rule_markdown(rule))
    return 0


def _prefetch(paths: Optional[List[Path]]) -> None:
    """Start git's file listings of a few repositories before the rules are imported (they run meanwhile)."""
    from platctl.doctor.listing import prefetch_listing

    for path in (paths or [Path(".")])[:4]:
        prefetch_listing(path)


def _check_choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise UserError(f"unknown {option} {value!r}: choose one of {', '.join(allowed)}")


def _render(name: str, report: object, out: TextIO) -> None:
    from platctl.doctor.reporters import get_reporter

    get_reporter(name)(report, out)  # type: ignore[arg-type]


def _write_baseline(path: Path, report: object) -> int:
    from platctl.doctor.baseline import dump_baseline

    findings = getattr(report, "findings")  # noqa: B009 - the report's type stays out of the CLI's imports
    try:
        path.write_text(dump_baseline(findings), encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write --create-baseline {path}: {error.strerror}") from None
    sys.stderr.write(f"platctl doctor: recorded {len(findings)} findings in {path}\n")
    return 0


