"""Checks that container images are tagged (not `latest`) or pinned by digest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.images import image_problem
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, kustomize_images, line

META = RuleMeta(
    code="K8S006",
    slug="image-not-latest",
    title="Container images are not latest or untagged",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="`latest` makes rollbacks impossible (the old pods pull the new image) and hides what actually runs.",
    example="image: ghcr.io/acme/payments-api:latest",
    fix_example="image: ghcr.io/acme/payments-api:1.4.2@sha256:<digest>",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    overrides = kustomize_images(repo)
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod, init=True):
            image = str(container.get("image") or "")
            problem = _problem(image, overrides) if image else "is missing"
            if problem:
                yield META.finding(f"{manifest.kind}/{manifest.name} image {image} {problem}".replace("  ", " "),
                                   manifest.path, line(container, "image"))


def _problem(image: str, overrides: dict[str, dict[str, Any]]) -> str | None:
    """Kustomize ``images:`` entries may pin a placeholder name; otherwise the image itself must be pinned."""
    name = image.split("@", 1)[0].rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image.split("@", 1)[0]
    entry = overrides.get(name)
    if entry is None:
        problem = image_problem(image)
        return f"{problem}, and no kustomization images: entry pins it" if problem else None
    if entry.get("digest"):
        return None
    tag = str(entry.get("newTag") or "")
    return None if tag and tag != "latest" else "is set by a kustomization images: entry without newTag or digest"
