"""A Markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from typing import TextIO

from platctl.doctor.model import Report, Severity
from platctl.doctor.reporters._common import by_file, summary_line

_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def render(report: Report, out: TextIO) -> None:
    out.write("## platctl doctor\n\n")
    out.write(f"{summary_line(report)}.\n\n")
    out.write("| service | golden path | maturity level | findings | waived |\n|---|---|---|---|---|\n")
    for service in report.services:
        out.write(f"| `{service.root}` | {service.golden_path or '-'} | **{service.level}** | "
                  f"{len(service.findings)} | {service.waived} |\n")
    for path, findings in by_file(report.findings):
        out.write(f"\n### `{_cell(path)}`\n\n| line | severity | rule | message |\n|---|---|---|---|\n")
        for f in findings:
            out.write(
                f"| {f.line or ''} | {_ICON[f.severity]} {f.severity.value} | `{f.rule}` | {_cell(f.message)} |\n"
            )
    if not report.findings:
        out.write("\nNo findings: the repository is on its golden path.\n")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
