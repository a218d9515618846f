"""Code Climate JSON for GitLab's Code Quality report (``artifacts: reports: codequality:``).

GitLab reads an array of issues, each with ``description``, ``check_name``,
``fingerprint``, ``severity`` and ``location`` (``path`` and ``lines.begin``),
and shows the new and fixed ones on the merge request. The fingerprint leaves
out the line, like the baseline's key, so an issue survives edits above it; a
second finding with the same rule, file and message gets its own fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from platctl.doctor.model import Finding, Report, Severity

_SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def render(report: Report, out: TextIO) -> None:
    out.write(json.dumps(as_codeclimate(report), indent=2) + "\n")


def as_codeclimate(report: Report) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for finding in sorted(report.findings, key=Finding.sort_key):
        key = finding.baseline_key()
        seen[key] = seen.get(key, 0) + 1
        issues.append(_issue(finding, _fingerprint(key, seen[key])))
    return issues


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": finding.rule,
        "description": f"{finding.rule}: {finding.message}",
        "severity": _SEVERITY[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": finding.path, "lines": {"begin": finding.line or 1}},
    }


def _fingerprint(key: tuple[str, str, str], occurrence: int) -> str:
    return hashlib.sha256("\0".join((*key, str(occurrence))).encode()).hexdigest()
