"""Checks that every container mounts its root filesystem read-only."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line

META = RuleMeta(
    code="K8S004",
    slug="read-only-root-filesystem",
    title="Containers use a read-only root filesystem",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    rationale="A writable root lets an attacker drop tools or modify the application; mount an emptyDir for /tmp "
              "instead (checkov CKV_K8S_22).",
    example="securityContext:\n  runAsNonRoot: true",
    fix_example="securityContext:\n  readOnlyRootFilesystem: true\nvolumeMounts:\n  - {name: tmp, mountPath: /tmp}",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod, init=True):
            context = container.get("securityContext")
            if not (isinstance(context, dict) and context.get("readOnlyRootFilesystem") is True):
                yield META.finding(
                    f"{manifest.kind}/{manifest.name} container {container.get('name', '?')!r} has a writable root "
                    "filesystem",
                    manifest.path, line(container, "securityContext") if context else line(container))
