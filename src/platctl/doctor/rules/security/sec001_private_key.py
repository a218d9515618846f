"""Checks that no private key is committed: a PEM private-key header followed by key material (never printed)."""

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
    precision="medium",
    roles=("production", "dev", "example"),  # a key in a test is a fixture; SEC002 still checks tests
    security=True,
    rationale="A key in git history is public to everyone who ever cloned the repo; deleting the file does not revoke "
              "it. Rotate it and keep keys in a secret store.",
    example="(a file containing a PEM private key block)",
    fix_example="(rotate the key; load it at run time from a secret manager)",
)

# Key material: within the rest of the header's line and the two lines after it, a run of 20+ base64
# characters in mixed case with a digit, + or / (or 32+ of them; a real body line has 64), or a PEM header
# field (Proc-Type:). A header alone (a test assertion, a parser's constant, a docs placeholder such as
# XXXXXX) holds no key; a comment after the header does not hide the body. A bounded window: linear.
_RUN = re.compile(r"[A-Za-z0-9+/]{20,}")
_WINDOW = 600
_KEY = re.compile(r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for hit in scan(repo, _KEY, "PRIVATE KEY", prefilter=PREFILTER):
        if hit.problem:
            yield META.finding(f"{hit.problem}; it may hold a private key", hit.path)
        elif hit.match is not None and _has_key_material(repo, hit):
            yield META.finding(f"committed {hit.match.group(1).lower()} (value not shown); rotate it",
                               hit.path, hit.line, hit.column)


def _has_key_material(repo: Repo, hit: Any) -> bool:
    """Whether key material follows the header (a file not read as text here: assume it does)."""
    text = repo.text(hit.path, quiet=True)  # the scan's own file: a repository file or a template source
    if text is None or hit.line is None:
        return True
    window = "\n".join(text.split("\n", hit.line + 3)[hit.line - 1 : hit.line + 2])
    start = window.find(hit.match.group(0)) + len(hit.match.group(0))
    after = window[start:start + _WINDOW]
    return "Proc-Type:" in after or any(_mixed(m.group(0)) for m in _RUN.finditer(after))


def _mixed(run: str) -> bool:
    """Upper and lower case, and a digit, + or / or 32+ characters: base64, not an identifier or XXXXXX."""
    cased = any(c.isupper() for c in run) and any(c.islower() for c in run)
    return cased and (len(run) >= 32 or any(c.isdigit() or c in "+/" for c in run))
