"""Reports files that rules needed but that do not parse, so the rules could not check them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo

META = RuleMeta(
    code="REPO001",
    slug="could-not-parse",
    title="Files parse",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production", "dev"),  # a fixture that does not parse on purpose is no finding
    rationale="A file that does not parse is not checked by any rule, and usually not loaded by the tool it is meant "
              "for either.",
    example="jobs:\n  test: [unclosed",
    fix_example="jobs:\n  test:\n    runs-on: ubuntu-24.04",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Runs last: every parse error the other rules ran into."""
    for path, (message, line) in sorted(repo.parse_errors.items()):
        yield META.finding(f"could not parse, so it was not checked: {message}", path, line)
