"""Checks that a `.dockerignore` sits beside every Dockerfile that copies its whole build context (`COPY . .`)."""

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
    rationale="Without it `COPY . .` sends `.git`, local `.env` files and caches into the image: leaked secrets and "
              "slow builds.",
    example="(no .dockerignore next to the Dockerfile)",
    fix_example=".git\n.env\n**/__pycache__\n.venv\n",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if builds_base_images(repo):
        return  # a base image's context is its own small directory
    for path in dockerfile_paths(repo):
        if not _copies_whole_context(repo, path):
            continue  # only named files are copied: nothing else of the context reaches the image
        directory = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
        name = path.rsplit("/", 1)[-1]
        if not repo.first_existing(directory + ".dockerignore", f"{path}.dockerignore", ".dockerignore"):
            yield META.finding(f"no .dockerignore beside {name}", path, None)


def _copies_whole_context(repo: Repo, path: str) -> bool:
    """A ``COPY``/``ADD`` whose source is the whole build context (``.``, ``./``)."""
    parsed = repo.dockerfile(path)
    for instruction in (parsed.find("COPY") + parsed.find("ADD")) if parsed else ():
        words = instruction.arguments.replace("[", " ").replace("]", " ").replace(",", " ").replace('"', " ").split()
        if any(w in (".", "./") for w in words[:-1]) and not any(f.startswith("--from") for f in instruction.flags):
            return True
    return False
