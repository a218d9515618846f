"""Checks that every container sets CPU and memory requests and limits."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line

META = RuleMeta(
    code="K8S001",
    slug="container-resources",
    title="Containers set CPU and memory requests and limits",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="Without requests the scheduler overpacks nodes; without limits one leaking pod evicts its neighbours.",
    example="containers:\n  - name: app\n    image: app:1.0.0",
    fix_example="resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {cpu: 500m, memory: 256Mi}",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod, init=True):
            resources = container.get("resources")
            missing = [f"{kind}.{res}" for kind in ("requests", "limits") for res in ("cpu", "memory")
                       if not _has(resources, kind, res)]
            if missing:
                yield META.finding(
                    f"{manifest.kind}/{manifest.name} container {container.get('name', '?')!r} lacks resources "
                    f"{', '.join(missing)}",
                    manifest.path, line(container, "resources") if resources else line(container))


def _has(resources: Any, kind: str, resource: str) -> bool:
    section = resources.get(kind) if isinstance(resources, dict) else None
    return isinstance(section, dict) and section.get(resource) not in (None, "")
