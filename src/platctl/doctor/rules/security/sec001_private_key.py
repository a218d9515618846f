"""Checks that no private key is committed (the key itself is never printed)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.security._scan import SECRET_PREFILTER, scan

META = RuleMeta(
    code="SEC001",
    slug="no-private-keys",
    title="No private keys are committed",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="A key in git history is public to everyone who ever cloned the repo; deleting the file does not revoke it. Rotate it and keep keys in a secret store.",
    example="(a file containing a PEM private key block)",
    fix_example="(rotate the key; load it at run time from a secret manager)",
)

_KEY = re.compile(r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path, line, column, match in scan(repo, _KEY, "PRIVATE KEY", prefilter=SECRET_PREFILTER):
        yield META.finding(f"committed {match.group(1).lower()} (value not shown); rotate it", path, line, column)
