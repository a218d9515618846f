"""Checks that workflows do not use long-lived AWS access keys from secrets where OIDC fits."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import workflow_paths

META = RuleMeta(
    code="CI005",
    slug="no-long-lived-cloud-keys",
    title="Cloud access uses OIDC, not stored access keys",
    severity=Severity.ERROR,
    level=Level.SILVER,
    security=True,
    precision="medium",
    rationale=(
        "Stored access keys never expire and leak through logs, forks and compromised actions. OIDC "
        "(`id-token: write` plus the cloud's login action) gives each run a short-lived credential instead."
    ),
    example="aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}",
    fix_example="permissions:\n  id-token: write\n...\n- uses: aws-actions/configure-aws-credentials@<sha>  # v4\n  "
                "with:\n    role-to-assume: arn:aws:iam::123456789012:role/deploy",
)

# In GitLab CI and Jenkins, stored keys arrive as variables or credential bindings named like this.
_KEY_VARIABLE = re.compile(r"\b(AWS_SECRET_ACCESS_KEY)\b")
# A secret's name, then a plain test of it: one pattern with two unbounded runs around "AWS" is quadratic.
_SECRET = re.compile(r"secrets\.([A-Z0-9_]+)")
_EXACT_NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path in workflow_paths(repo):
        text = repo.text(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            found = _stored_key(line) if "secrets." in line else None
            if found and not line.lstrip().startswith("#"):
                name, column = found
                yield META.finding(
                    f"uses stored AWS key secrets.{name}; use OIDC role assumption", path, number, column
                )
    yield from _other_ci(repo)


def _stored_key(line: str) -> tuple[str, int] | None:
    """The first ``secrets.NAME`` naming a long-lived AWS key, and its column."""
    for match in _SECRET.finditer(line):
        name = match.group(1)
        exact = next((n for n in _EXACT_NAMES if name.startswith(n)), None)
        after_aws = name[name.find("AWS") + 3 :] if "AWS" in name else ""
        if exact or "ACCESS_KEY" in after_aws or "SECRET_KEY" in after_aws:
            return exact or name, match.start() + 1
    return None


def _other_ci(repo: Repo) -> Iterator[Finding]:
    from platctl.doctor.rules.ci._gitlab import GITLAB_CI
    from platctl.doctor.rules.ci._jenkins import jenkinsfiles

    paths = [GITLAB_CI] if repo.exists(GITLAB_CI) else []
    for path in paths + jenkinsfiles(repo):
        text = repo.text(path)
        for number, line in enumerate((text or "").splitlines(), start=1):
            match = _KEY_VARIABLE.search(line)
            if match and not line.lstrip().startswith(("#", "//", "*")):
                yield META.finding(
                    "uses a stored AWS secret access key (AWS_SECRET_ACCESS_KEY); assume a role "
                    "with the CI system's OIDC token instead",
                    path,
                    number,
                    match.start() + 1,
                )
