"""Checks that a SECURITY.md tells reporters how to disclose a vulnerability, when the golden path ships one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo

META = RuleMeta(
    code="SEC003",
    slug="security-policy",
    title="SECURITY.md is present",
    severity=Severity.WARNING,
    level=Level.GOLD,
    rationale="Without a disclosure policy a researcher who finds a hole opens a public issue, or gives up.",
    example="(no SECURITY.md)",
    fix_example="# Security policy\n\nReport vulnerabilities to security@acme.example; we answer within two working "
                "days.",
)

_PATHS = ("SECURITY.md", ".github/SECURITY.md", "docs/SECURITY.md")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if repo.first_existing(*_PATHS) is None and repo.golden_path_provides(*_PATHS):
        yield META.finding("SECURITY.md is missing", repo.golden_path_file(*_PATHS) or "SECURITY.md", None)
