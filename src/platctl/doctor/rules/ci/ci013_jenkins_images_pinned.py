"""Checks that every image a Jenkins docker agent runs in is pinned by tag or digest, never latest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import image_problem
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._jenkins import agent_images, jenkinsfiles

META = RuleMeta(
    code="CI013",
    slug="jenkins-images-pinned",
    title="Jenkins agent images are pinned, never latest",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    rationale="An agent image is code that runs with the build's credentials; an unpinned one changes under you and "
              "makes builds unreproducible.",
    example="agent { docker { image 'python' } }",
    fix_example="agent { docker { image 'python:3.12-slim-bookworm' } }",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path in jenkinsfiles(repo):
        text = repo.text(path)
        for image, line in agent_images(text) if text else ():
            problem = None if image.startswith("$") else image_problem(image)
            if problem:
                yield META.finding(f"agent image {image} {problem}", path, line)
