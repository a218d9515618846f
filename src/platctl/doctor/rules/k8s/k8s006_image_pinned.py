"""Checks that container images are pinned by a version tag or digest, as kustomize and skaffold deploy them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.images import image_problem, split_image
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._kustomize import apply_images, chains, skaffold_images
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line

META = RuleMeta(
    code="K8S006",
    slug="image-not-latest",
    title="Container images are not latest, untagged or floating",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale=(
        "`latest` or a floating tag makes rollbacks impossible (the old pods pull the new image) and hides what "
        "actually runs. The image is judged as deployed: after the `images:` overrides of the kustomizations "
        "that include the manifest (an entry with only `newName` keeps the tag), and an image skaffold builds "
        "is tagged by skaffold at deploy time."
    ),
    example="image: ghcr.io/acme/payments-api:latest",
    fix_example="image: ghcr.io/acme/payments-api:1.4.2@sha256:<digest>",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    built = skaffold_images(repo)
    for manifest, pod in iter_workloads(repo):
        paths = chains(repo, manifest.path)
        for container in iter_containers(pod, init=True):
            image = str(container.get("image") or "")
            problem = _problem(image, paths, built) if image else "is missing"
            if problem:
                yield META.finding(f"{manifest.kind}/{manifest.name} image {image} {problem}".replace("  ", " "),
                                   manifest.path, line(container, "image"))


def _problem(image: str, paths: list[list[dict[str, Any]]], built: set[str]) -> str | None:
    """None when every kustomize chain that deploys the manifest (or the manifest itself) pins the image."""
    if split_image(image)[0] in built:
        return None
    for chain in paths or [[]]:
        deployed = apply_images(image, chain)
        if deployed in built or split_image(deployed)[0] in built:
            continue
        problem = image_problem(deployed, floating=deployed == image)
        if problem:
            return problem if deployed == image else f"is deployed as {deployed}, which {problem}"
    return None
