"""Checks that the final stage declares a `HEALTHCHECK` (for images not deployed to Kubernetes, which ignores it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.container._dockerfiles import builds_base_images, final_stage, iter_dockerfiles

META = RuleMeta(
    code="DOCKER004",
    slug="healthcheck",
    title="Images declare a HEALTHCHECK",
    severity=Severity.WARNING,
    level=Level.GOLD,
    precision="medium",
    roles=("production",),
    rationale="Docker, Compose and ECS restart or route around an unhealthy container only if the image says how to "
              "test it.",
    example="FROM python:3.12-slim\nCMD [\"app\"]",
    fix_example='HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; '
                'urllib.request.urlopen(\'http://127.0.0.1:8080/healthz\')"]',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if builds_base_images(repo) or _deployed_to_kubernetes(repo):
        return  # base images: the images built on them say; Kubernetes ignores HEALTHCHECK and uses probes (K8S002)
    for dockerfile in iter_dockerfiles(repo):
        final = final_stage(dockerfile)
        if not final.find("HEALTHCHECK"):
            yield META.finding("final stage has no HEALTHCHECK", dockerfile.path, final.line)


def _deployed_to_kubernetes(repo: Repo) -> bool:
    from platctl.doctor.rules.k8s._manifests import iter_workloads

    return bool(repo.glob("*Chart.yaml")) or any(True for _ in iter_workloads(repo))
