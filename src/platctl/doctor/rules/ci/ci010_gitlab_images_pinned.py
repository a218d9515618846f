"""Checks that every image a GitLab CI job runs in (and its services) is pinned by tag or digest, never latest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import image_problem
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._gitlab import GITLAB_CI, gitlab_jobs, gitlab_pipeline

META = RuleMeta(
    code="CI010",
    slug="gitlab-images-pinned",
    title="GitLab CI images are pinned, never latest",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    rationale="A job image is code that runs with the pipeline's tokens and variables; an unpinned one changes under "
              "you and makes builds unreproducible.",
    example="lint:\n  image: python\n  script: [make lint]",
    fix_example="lint:\n  image: python:3.12-slim-bookworm\n  script: [make lint]",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    pipeline = gitlab_pipeline(repo)
    if pipeline is None:
        return
    holders: list[tuple[str, Any]] = [("default", pipeline.get("default")), ("top level", pipeline)]
    holders += list(gitlab_jobs(pipeline))
    for name, holder in holders:
        if isinstance(holder, dict):
            yield from _check_holder(name, holder)


def _check_holder(name: str, holder: dict[str, Any]) -> Iterator[Finding]:
    images = [("image", holder.get("image"))]
    services = holder.get("services")
    images += [("services", s) for s in services] if isinstance(services, list) else []
    for key, value in images:
        image = value.get("name") if isinstance(value, dict) else value
        if isinstance(image, str) and image and not image.startswith("$"):
            problem = image_problem(image)
            if problem:
                line = holder.line_of(key) if hasattr(holder, "line_of") else 1
                yield META.finding(f"{name}: image {image} {problem}", GITLAB_CI, line)
