"""Small helpers shared by reporters."""

from __future__ import annotations

from collections.abc import Iterator

from platctl.doctor.model import Finding, Report, Severity


def by_file(findings: tuple[Finding, ...]) -> Iterator[tuple[str, list[Finding]]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=Finding.sort_key):
        grouped.setdefault(finding.path, []).append(finding)
    yield from grouped.items()


def location(finding: Finding) -> str:
    if finding.line is None:
        return finding.path
    column = f":{finding.column}" if finding.column else ""
    return f"{finding.path}:{finding.line}{column}"


def summary_line(report: Report) -> str:
    counts = [f"{report.count(s)} {s.value}{'s' if report.count(s) != 1 and s is not Severity.INFO else ''}"
              for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    files = len({f.path for f in report.findings})
    extras = [f"{report.waived} waived", f"{report.suppressed} suppressed inline"]
    baselined = sum(s.baselined for s in report.services)
    if baselined:
        extras.append(f"{baselined} in baseline")
    skipped = sum(len(s.skips) for s in report.services)
    if skipped:
        extras.append(f"{skipped} file{'s' if skipped != 1 else ''} skipped")
    where = f" in {files} file{'s' if files != 1 else ''}" if files else ""  # "0 errors … in 0 files" reads wrong
    return f"{', '.join(counts)}{where}; {', '.join(extras)}"


def levels(report: Report) -> str:
    return ", ".join(f"{s.root}: {s.level}" if len(report.services) > 1 else s.level for s in report.services)
