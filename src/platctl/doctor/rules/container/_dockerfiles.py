"""Dockerfiles as rules see them."""

from __future__ import annotations

from collections.abc import Iterator

from platctl.doctor.dockerfile import Dockerfile
from platctl.doctor.repo import Repo


def is_dockerfile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name in ("Dockerfile", "Containerfile") or name.startswith("Dockerfile.") or name.endswith(".Dockerfile")


def iter_dockerfiles(repo: Repo) -> Iterator[Dockerfile]:
    for path in repo.select(("dockerfiles",), is_dockerfile):
        parsed = repo.dockerfile(path)
        if parsed is not None and parsed.stages:
            yield parsed


def stage_names(dockerfile: Dockerfile) -> set[str]:
    return {s.name.lower() for s in dockerfile.stages if s.name}
