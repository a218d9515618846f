"""Checks that every long-running container that serves a port has liveness and readiness probes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line

META = RuleMeta(
    code="K8S002",
    slug="container-probes",
    title="Containers have liveness and readiness probes",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="Without a readiness probe traffic reaches pods that are not ready (errors on every deploy); without "
              "liveness a hung process is never restarted.",
    example="containers:\n  - name: app",
    fix_example="readinessProbe:\n  httpGet: {path: /readyz, port: http}\nlivenessProbe:\n  httpGet: {path: /healthz, "
                "port: http}",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for manifest, pod in iter_workloads(repo):
        if manifest.kind in ("Job", "CronJob"):
            continue
        for container in iter_containers(pod):
            if not container.get("ports"):
                continue  # no port, no traffic to gate: a worker or a load generator
            missing = [p for p in ("livenessProbe", "readinessProbe") if p not in container]
            if missing:
                yield META.finding(
                    f"{manifest.kind}/{manifest.name} container {container.get('name', '?')!r} has no "
                    f"{' or '.join(missing)}",
                    manifest.path, line(container))
