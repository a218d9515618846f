"""Checks that local files are copied with `COPY`, not `ADD`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import iter_dockerfiles

META = RuleMeta(
    code="DOCKER006",
    slug="copy-not-add",
    title="COPY, not ADD, for local files",
    severity=Severity.WARNING,
    level=Level.GOLD,
    roles=("production",),
    rationale="`ADD` also fetches URLs and unpacks archives: surprising behaviour that can pull unverified content "
              "into "
    "the image.",
    example="ADD . /app",
    fix_example="COPY . /app",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for dockerfile in iter_dockerfiles(repo):
        for instruction in dockerfile.find("ADD"):
            sources = [a for a in instruction.arguments.split() if not a.startswith("--")][:-1]
            if not any(s.startswith(("http://", "https://", "git@")) for s in sources):
                yield META.finding("ADD copies local files; use COPY", dockerfile.path, instruction.line)
