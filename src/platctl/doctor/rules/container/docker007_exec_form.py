"""Checks that `CMD` and `ENTRYPOINT` use the exec (JSON array) form."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import final_stage, iter_dockerfiles

META = RuleMeta(
    code="DOCKER007",
    slug="exec-form-command",
    title="CMD and ENTRYPOINT use the exec form",
    severity=Severity.WARNING,
    level=Level.GOLD,
    roles=("production",),
    rationale="In shell form the process runs under `/bin/sh -c` and never receives SIGTERM: pods are killed after the "
              "grace period instead of shutting down cleanly.",
    example="CMD uvicorn app:app",
    fix_example='CMD ["uvicorn", "app:app"]',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for dockerfile in iter_dockerfiles(repo):
        final = final_stage(dockerfile)
        for instruction in final.find("CMD") + final.find("ENTRYPOINT"):
            if not instruction.json:
                yield META.finding(f"{instruction.keyword} uses the shell form", dockerfile.path, instruction.line)
