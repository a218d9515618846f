"""Checks that container images are tagged (not `latest`) or pinned by digest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container.docker003_base_image_pinned import image_problem
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line

META = RuleMeta(
    code="K8S006",
    slug="image-not-latest",
    title="Container images are not latest or untagged",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="`latest` makes rollbacks impossible (the old pods pull the new image) and hides what actually runs.",
    example="image: ghcr.io/acme/payments-api:latest",
    fix_example="image: ghcr.io/acme/payments-api:1.4.2@sha256:<digest>",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod, init=True):
            image = container.get("image")
            problem = image_problem(str(image)) if image else "is missing"
            if problem:
                yield META.finding(f"{manifest.kind}/{manifest.name} image {image or ''} {problem}".replace("  ", " "),
                                   manifest.path, line(container, "image"))
