"""Checks docker-compose services: images pinned, no Docker socket mounted, nothing privileged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import image_problem
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.yamlload import line_of

META = RuleMeta(
    code="DOCKER008",
    slug="compose-services",
    title="Compose services pin their images and get no host root",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production", "dev"),
    security=True,
    rationale=(
        "A compose file is how most services run locally and often in staging: an image that is not pinned "
        "changes under you; a mounted `/var/run/docker.sock` or `privileged: true` gives the container root "
        "on the host."
    ),
    example="services:\n  db:\n    image: postgres\n  agent:\n    volumes: [/var/run/docker.sock:/var/run/docker.sock]",
    fix_example="services:\n  db:\n    image: postgres:16.4-bookworm\n  agent:\n    volumes: [./data:/data]",
)


def is_compose_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith(("docker-compose", "compose.", "compose-")) and name.endswith((".yml", ".yaml"))


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path in repo.select(("compose",), is_compose_file):
        document = repo.yaml_first(path)
        services = document.get("services") if isinstance(document, dict) else None
        for name, service in services.items() if isinstance(services, dict) else ():
            if isinstance(service, dict):
                yield from _check_service(path, str(name), service)


def _check_service(path: str, name: str, service: dict[str, Any]) -> Iterator[Finding]:
    image = service.get("image")
    if isinstance(image, str) and "build" not in service:  # with build:, image: names what it builds
        problem = image_problem(image)
        if problem:
            yield META.finding(f"service {name}: image {image} {problem}", path, line_of(service, "image"))
    if service.get("privileged") is True:
        yield META.finding(f"service {name} is privileged: root on the host", path, line_of(service, "privileged"))
    volumes = service.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else ()):
        source = volume.get("source") if isinstance(volume, dict) else str(volume).split(":", 1)[0]
        if isinstance(source, str) and source.rstrip("/").endswith("docker.sock"):
            yield META.finding(f"service {name} mounts the Docker socket: root on the host", path,
                               line_of(volumes, index))
