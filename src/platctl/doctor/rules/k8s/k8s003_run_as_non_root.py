"""Checks that every container runs with `runAsNonRoot: true`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line, security_value

META = RuleMeta(
    code="K8S003",
    slug="run-as-non-root",
    title="Pods run as non-root",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    roles=("production",),
    rationale="`runAsNonRoot: true` makes the kubelet refuse to start a container that would run as UID 0 (Pod "
              "Security "
    'Standard "restricted").',
    example="spec:\n  containers: [...]",
    fix_example="spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod, init=True):
            if security_value(pod, container, "runAsNonRoot") is not True:
                yield META.finding(
                    f"{manifest.kind}/{manifest.name} container {container.get('name', '?')!r} does not set "
                    "runAsNonRoot: true",
                    manifest.path,
                    line(container),
                )
