"""Checks that no private key is committed (the key itself is never printed)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.security._scan import SECRET_PREFILTER, scan

PREFILTER = SECRET_PREFILTER  # the engine starts its git grep while the files are listed

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
    for hit in scan(repo, _KEY, "PRIVATE KEY", prefilter=PREFILTER):
        if hit.problem:
            yield META.finding(f"{hit.problem}; it may hold a private key", hit.path)
        elif hit.match is not None:
            yield META.finding(f"committed {hit.match.group(1).lower()} (value not shown); rotate it",
                               hit.path, hit.line, hit.column)
