"""Checks that GitLab CI jobs have a timeout: in `default:` or on every job (reported once per pipeline)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._gitlab import GITLAB_CI, gitlab_jobs, gitlab_pipeline

META = RuleMeta(
    code="CI014",
    slug="gitlab-job-timeout",
    title="GitLab CI jobs have a timeout",
    severity=Severity.WARNING,
    level=Level.SILVER,
    rationale="A GitLab job without a timeout runs until the project's limit (an hour by default, often more), holding "
              "a runner while it hangs.",
    example="test:\n  script: [make test]",
    fix_example="default:\n  timeout: 15 minutes\ntest:\n  script: [make test]",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    pipeline = gitlab_pipeline(repo)
    if pipeline is None:
        return
    default = pipeline.get("default")
    if isinstance(default, dict) and default.get("timeout"):
        return
    bare = [name for name, job in gitlab_jobs(pipeline) if not job.get("timeout")]
    if bare:  # one `default: timeout:` fixes them all, so one finding
        anchor = "default" if isinstance(default, dict) else bare[0]
        line = pipeline.line_of(anchor) if hasattr(pipeline, "line_of") else 1
        jobs = ", ".join(bare[:3]) + (f" and {len(bare) - 3} more" if len(bare) > 3 else "")
        yield META.finding(f"{len(bare)} job(s) have no timeout ({jobs}) and default: sets none; "
                           "add default: timeout:", GITLAB_CI, line)
