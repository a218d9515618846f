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
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True, no_color=bool(os.environ.get("NO_COLOR")),
                      emoji=False)
    for path, findings in by_file(report.findings):
        console.print(f"[bold]{escape(path)}[/bold]")
        for finding in findings:
            where = f"{finding.line}:{finding.column or 1}" if finding.line else "-"
            fix = " [dim](fixable)[/dim]" if finding.fixable else ""
            console.print(f"  {where:>7}  [{_STYLE[finding.severity]}]{finding.severity.value:<7}[/] "
                          f"{finding.rule:<9} {escape(finding.message)}{fix}")
    for change in report.fixes:
        console.print(f"fixed {escape(change.path)}: {change.rule} {escape(change.description)}")
    if report.findings:
        console.print()
    console.print(f"{summary_line(report)}. Maturity level: {levels(report)}.")
