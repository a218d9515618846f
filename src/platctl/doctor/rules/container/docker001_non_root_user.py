"""Checks that the final build stage switches to a numeric, non-root `USER` (Linux images that are not base images)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import is_windows_image
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import builds_base_images, final_stage, iter_dockerfiles

META = RuleMeta(
    code="DOCKER001",
    slug="non-root-user",
    title="Containers run as a numeric non-root user",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    roles=("production",),
    rationale=(
        "A process running as root inside the container is root on the host after any container escape. A "
        "numeric UID also lets Kubernetes verify `runAsNonRoot` (it cannot resolve user names)."
    ),
    example="FROM python:3.12-slim\nCMD [\"app\"]",
    fix_example="FROM python:3.12-slim\nUSER 10001:10001\nCMD [\"app\"]",
)

_NUMERIC = re.compile(r"^(\d+)(?::(\d+))?$")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if builds_base_images(repo):
        return  # base images leave USER to the images built on them
    for dockerfile in iter_dockerfiles(repo):
        final = final_stage(dockerfile)
        if is_windows_image(final.base) or _windows_platform(dockerfile):
            continue  # Windows users are names (ContainerUser), never numeric UIDs
        users = final.find("USER")
        if not users:
            yield META.finding("final stage has no USER: the container runs as root", dockerfile.path, final.line)
            continue
        last = users[-1]
        match = _NUMERIC.match(last.arguments.strip())
        if match is None:
            yield META.finding(f"USER {last.arguments} is not a numeric UID", dockerfile.path, last.line)
        elif match.group(1) == "0":
            yield META.finding("USER 0 runs the container as root", dockerfile.path, last.line)


def _windows_platform(dockerfile: Any) -> bool:
    return any(s.platform.startswith("windows") for s in dockerfile.stages) or any(
        "windows" in i.arguments.lower() for i in dockerfile.find("ARG") if "BASE" in i.arguments.upper())
