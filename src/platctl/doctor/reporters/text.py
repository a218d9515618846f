"""Text for people: findings grouped by file, a summary line and the maturity level.

Rich colours it on a terminal; piped output, or ``NO_COLOR``, is plain text.
"""

from __future__ import annotations

import os
from typing import TextIO

from platctl.doctor.model import Report, Severity
from platctl.doctor.reporters._common import by_file, levels, summary_line

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, out: TextIO) -> None:
    if os.environ.get("NO_COLOR") or not _is_terminal(out):
        _render_plain(report, out)
        return
    _render_rich(report, out)


def _is_terminal(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) or bool(os.environ.get("FORCE_COLOR"))


def _render_plain(report: Report, out: TextIO) -> None:
    """Plain text for pipes, CI logs and NO_COLOR (rich is not even imported)."""
    for path, findings in by_file(report.findings):
        out.write(f"{path}\n")
        for finding in findings:
            out.write(f"  {_where(finding.line, finding.column):>7}  {finding.severity.value:<7} {finding.rule:<9} "
                      f"{finding.message}{' (fixable)' if finding.fixable else ''}\n")
    for change in report.fixes:
        out.write(f"fixed {change.path}: {change.rule} {change.description}\n")
    out.write(f"{chr(10) if report.findings else ''}{summary_line(report)}. Maturity level: {levels(report)}.\n")


def _where(line: int | None, column: int | None) -> str:
    return f"{line}:{column or 1}" if line else "-"


def _render_rich(report: Report, out: TextIO) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False, force_terminal=True)
    for path, findings in by_file(report.findings):
        console.print(f"[bold]{escape(path)}[/bold]")
        for finding in findings:
            where = _where(finding.line, finding.column)
            fix = " [dim](fixable)[/dim]" if finding.fixable else ""
            console.print(f"  {where:>7}  [{_STYLE[finding.severity]}]{finding.severity.value:<7}[/] "
                          f"{finding.rule:<9} {escape(finding.message)}{fix}")
    for change in report.fixes:
        console.print(f"fixed {escape(change.path)}: {change.rule} {escape(change.description)}")
    if report.findings:
        console.print()
    console.print(f"{summary_line(report)}. Maturity level: {levels(report)}.")
