"""Checks that the repository has a CODEOWNERS file when its golden path ships one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.fix import restore_missing
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ownership._catalog import CODEOWNERS_PATHS, codeowners_path

META = RuleMeta(
    code="OWN001",
    slug="codeowners-present",
    title="CODEOWNERS is present",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    fixable=True,
    fix_safety="Safe: restores the file exactly as the recorded golden path renders it.",
    rationale="Without CODEOWNERS no one is asked to review changes, and branch protection cannot require the owning "
              "team's approval.",
    example="(no CODEOWNERS file)",
    fix_example="* @acme/team-payments",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if codeowners_path(repo) is None and repo.golden_path_provides(*CODEOWNERS_PATHS):
        expected = repo.golden_path_file(*CODEOWNERS_PATHS) or "CODEOWNERS"
        yield META.finding("CODEOWNERS is missing", expected, None)


fix = restore_missing  # the missing file, as the recorded golden path renders it
