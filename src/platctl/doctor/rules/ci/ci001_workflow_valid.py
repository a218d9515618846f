"""Checks that every GitHub Actions workflow is a mapping with `on:` and `jobs:`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import workflow_paths

META = RuleMeta(
    code="CI001",
    slug="workflow-valid",
    title="Workflow files parse and declare triggers and jobs",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="GitHub silently skips a workflow it cannot read, so a broken file means checks that never run.",
    example="name: ci\nsteps:\n  - run: make test",
    fix_example="name: ci\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "
                "make "
    "test",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path in workflow_paths(repo):
        documents = repo.yaml(path)
        if documents is None:
            continue
        data = documents[0] if documents else None
        if not isinstance(data, dict):
            yield META.finding("workflow is not a YAML mapping", path, 1)
            continue
        missing = [key for key in ("on", "jobs") if key not in data and not (key == "on" and True in data)]
        if missing:
            yield META.finding(f"workflow has no {' or '.join(missing)}: GitHub will not run it", path, 1)
