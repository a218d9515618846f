"""Checks that a `.dockerignore` sits beside every Dockerfile's build context."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import builds_base_images, dockerfile_paths

META = RuleMeta(
    code="DOCKER005",
    slug="dockerignore",
    title="A .dockerignore keeps secrets and clutter out of the build context",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    rationale="Without it `COPY . .` sends `.git`, local `.env` files and caches into the image: leaked secrets and slow builds.",
    example="(no .dockerignore next to the Dockerfile)",
    fix_example=".git\n.env\n**/__pycache__\n.venv\n",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if builds_base_images(repo):
        return  # a base image's context is its own small directory
    for path in dockerfile_paths(repo):
        directory = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        name = path.rsplit("/", 1)[-1]
        if not repo.first_existing(directory + ".dockerignore", f"{path}.dockerignore", ".dockerignore"):
            yield META.finding(f"no .dockerignore beside {name}", path, None)
