"""Checks that GitLab CI jobs are interruptible by default, so a newer pipeline cancels a superseded one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._gitlab import GITLAB_CI, gitlab_pipeline

META = RuleMeta(
    code="CI011",
    slug="gitlab-interruptible",
    title="GitLab CI jobs are interruptible by default",
    severity=Severity.INFO,
    level=Level.GOLD,
    rationale="Without `interruptible: true` every push to a merge request runs the whole pipeline again beside the "
              "old "
    "one: slower feedback and wasted runners. Deploy jobs opt out with `interruptible: false`.",
    example="default:\n  timeout: 15 minutes",
    fix_example="default:\n  interruptible: true\n  timeout: 15 minutes",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    pipeline = gitlab_pipeline(repo)
    if pipeline is None:
        return
    default = pipeline.get("default")
    if not (isinstance(default, dict) and default.get("interruptible") is True):
        line = pipeline.line_of("default") if hasattr(pipeline, "line_of") and "default" in pipeline else 1
        yield META.finding("default: does not set interruptible: true", GITLAB_CI, line)
