"""Checks that no AWS access key ID is committed (the key itself is never printed)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.security._scan import SECRET_PREFILTER, scan

PREFILTER = SECRET_PREFILTER  # the engine starts its git grep while the files are listed

META = RuleMeta(
    code="SEC002",
    slug="no-cloud-access-keys",
    title="No cloud access keys are committed",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    rationale="Bots scrape public and leaked repositories for AWS keys within minutes; a committed key is a "
              "compromised "
    "key. Rotate it and use OIDC or a secret store.",
    example="aws_access_key_id = AKIA... (a real key ID)",
    fix_example="(rotate the key; use OIDC role assumption in CI and instance roles at run time)",
)

# The prefix comes first so the regex engine jumps from one candidate to the next; the character before
# it is checked by a lookbehind after it (a pattern that starts with the lookbehind scans every position:
# 105 ms against 3 ms over the 9 MB a Helm chart monorepo's secret prefilter leaves).
_AWS_KEY = re.compile(r"((?:AKIA|ASIA|ABIA|ACCA)(?<![A-Z0-9].{4})[A-Z2-7]{16})(?![A-Z0-9])")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for hit in scan(repo, _AWS_KEY, "A", prefilter=PREFILTER):
        if hit.problem:
            yield META.finding(f"{hit.problem}; it may hold an AWS access key ID", hit.path)
        elif hit.match is not None and not hit.match.group(1).endswith("EXAMPLE"):
            yield META.finding(
                "committed AWS access key ID (value not shown); rotate it", hit.path, hit.line, hit.column
            )
