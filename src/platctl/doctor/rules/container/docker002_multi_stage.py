"""Checks that Dockerfiles that install or build in their only stage use a multi-stage build."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import builds_base_images, iter_dockerfiles

META = RuleMeta(
    code="DOCKER002",
    slug="multi-stage-build",
    title="Images are built in multiple stages",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    rationale="A single stage ships compilers, build caches and package managers: a bigger image and a bigger attack "
              "surface.",
    example="FROM python:3.12\nRUN pip install .\nCMD [\"app\"]",
    fix_example="FROM python:3.12 AS build\nRUN pip wheel -w /wheels .\n\nFROM python:3.12-slim\nCOPY --from=build "
                "/wheels /wheels\n...",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if builds_base_images(repo):
        return  # base images are built in one stage on purpose
    for dockerfile in iter_dockerfiles(repo):
        if len(dockerfile.stages) < 2 and _builds(dockerfile):
            yield META.finding("single-stage build; build in one stage and copy artifacts into a slim one",
                               dockerfile.path, dockerfile.stages[0].line)


_BUILD_WORDS = ("install", "build", "compile", "npm ci", "yarn", "pnpm", "mvn", "gradle", "cargo", "make", "dotnet",
                "bundle", "composer", "poetry", "uv sync", "go mod", "wheel")


def _builds(dockerfile: Any) -> bool:
    """A RUN that installs or builds something: tooling a second stage would leave behind."""
    return any(word in i.arguments.lower() for i in dockerfile.stages[0].find("RUN") for word in _BUILD_WORDS)
