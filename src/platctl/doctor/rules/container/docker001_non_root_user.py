"""Checks that the final build stage switches to a numeric, non-root `USER` (Linux images that are not base images).

An image the repository's own Kubernetes workloads run (a container whose image name is the
Dockerfile's directory, as ``image: adservice`` for ``src/adservice/Dockerfile``), each of them
with a non-zero ``runAsUser``, is not reported: where it is deployed, its default user never
applies. ``runAsNonRoot`` alone does not count: it refuses a root image rather than overriding it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import is_windows_image, split_image
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
            if not _user_set_where_deployed(repo, dockerfile.path):
                yield META.finding("final stage has no USER: the container runs as root", dockerfile.path, final.line)
            continue
        last = users[-1]
        match = _NUMERIC.match(last.arguments.strip())
        if match is None:
            yield META.finding(f"USER {last.arguments} is not a numeric UID", dockerfile.path, last.line)
        elif match.group(1) == "0":
            yield META.finding("USER 0 runs the container as root", dockerfile.path, last.line)


def _user_set_where_deployed(repo: Repo, path: str) -> bool:
    """Whether the repository's workloads run this Dockerfile's image, each with a non-zero ``runAsUser``."""
    from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, security_value

    name = posixpath.basename(posixpath.dirname(path))
    if not name:
        return False
    users = [security_value(pod, container, "runAsUser") for _, pod in iter_workloads(repo)
             for container in iter_containers(pod, init=True) if _image_name(container.get("image")) == name]
    return bool(users) and all(isinstance(u, int) and not isinstance(u, bool) and u > 0 for u in users)


def _image_name(image: Any) -> str:
    """``registry:5000/team/adservice:1.2@sha256:…`` -> ``adservice``."""
    return split_image(image)[0].rsplit("/", 1)[-1] if isinstance(image, str) else ""


def _windows_platform(dockerfile: Any) -> bool:
    return any(s.platform.startswith("windows") for s in dockerfile.stages) or any(
        "windows" in i.arguments.lower() for i in dockerfile.find("ARG") if "BASE" in i.arguments.upper())
