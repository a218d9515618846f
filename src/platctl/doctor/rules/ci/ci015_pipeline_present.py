"""Checks that a service whose golden path brings a CI pipeline still has one (GitHub Actions, GitLab CI or Jenkins)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.fix import restore_missing
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._gitlab import GITLAB_CI
from platctl.doctor.rules.ci._jenkins import jenkinsfiles

META = RuleMeta(
    code="CI015",
    slug="pipeline-present",
    title="The service has the CI pipeline its golden path brings",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    fixable=True,
    fix_safety="Safe: restores the pipeline exactly as the recorded golden path renders it for the recorded CI "
               "provider.",
    rationale="Without its pipeline nothing lints, tests, builds or scans a change before it merges, and none of the "
              "other CI rules has anything to check.",
    example="(no .github/workflows/, .gitlab-ci.yml or Jenkinsfile)",
    fix_example="platctl doctor --fix   # restores the pipeline of the recorded ci_provider",
)



def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    """The pipeline file comes from the golden path's manifest (``pipeline:``), for the recorded provider."""
    record, golden_path = repo.record, repo.golden_path
    if record is None or golden_path is None or _has_pipeline(repo):
        return
    answers = record.get("answers")
    expected = golden_path.pipeline_file(answers if isinstance(answers, dict) else {})
    if expected and golden_path.provides(expected):
        yield META.finding(f"no CI pipeline: the golden path's pipeline {expected} is missing", expected)


def _has_pipeline(repo: Repo) -> bool:
    workflows = repo.glob(".github/workflows/*.yml", ".github/workflows/*.yaml")
    return bool(workflows) or repo.exists(GITLAB_CI) or bool(jenkinsfiles(repo))


fix = restore_missing  # the missing file, as the recorded golden path renders it
