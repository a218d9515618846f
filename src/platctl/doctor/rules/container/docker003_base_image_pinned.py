"""Checks that every `FROM` names a base image by tag (not `latest`) or by digest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import image_problem
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import iter_dockerfiles, stage_names

META = RuleMeta(
    code="DOCKER003",
    slug="base-image-pinned",
    title="Base images are pinned by a version tag or digest, never latest or a floating tag",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    roles=("production",),
    rationale="An untagged, `latest` or floating base (`alpine`, `python:3`, `docker:dind`) changes under you: builds "
              "stop being reproducible and a bad upstream push ships straight to production.",
    example="FROM python",
    fix_example="FROM python:3.12.8-slim-bookworm@sha256:<digest>",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for dockerfile in iter_dockerfiles(repo):
        stages = stage_names(dockerfile)
        for stage in dockerfile.stages:
            problem = image_problem(stage.base, stages)
            if problem:
                yield META.finding(f"base image {stage.base} {problem}", dockerfile.path, stage.line)
