"""Checks the rest of Pod Security "restricted": no privilege escalation, all capabilities dropped,
RuntimeDefault seccomp."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_workloads, line, security_value

META = RuleMeta(
    code="K8S007",
    slug="restricted-security-context",
    title='Containers meet Pod Security "restricted"',
    severity=Severity.WARNING,
    level=Level.SILVER,
    security=True,
    roles=("production",),
    rationale="Privilege escalation, Linux capabilities and an unconfined seccomp profile are the usual steps from "
              "a "
    "compromised process to the node.",
    example="securityContext:\n  runAsNonRoot: true",
    fix_example="securityContext:\n  allowPrivilegeEscalation: false\n  capabilities: {drop: [ALL]}\n  "
                "seccompProfile: "
    "{type: RuntimeDefault}",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod, init=True):
            missing = _missing(pod, container)
            if missing:
                yield META.finding(
                    f"{manifest.kind}/{manifest.name} container {container.get('name', '?')!r} lacks "
                    f"{', '.join(missing)}",
                    manifest.path,
                    line(container),
                )


def _missing(pod: dict[str, Any], container: dict[str, Any]) -> list[str]:
    missing = []
    if security_value(pod, container, "allowPrivilegeEscalation") is not False:
        missing.append("allowPrivilegeEscalation: false")
    capabilities = security_value(pod, container, "capabilities")
    drops = capabilities.get("drop") if isinstance(capabilities, dict) else None
    if not (isinstance(drops, list) and "ALL" in drops):
        missing.append("capabilities.drop: [ALL]")
    seccomp = security_value(pod, container, "seccompProfile")
    if not (isinstance(seccomp, dict) and seccomp.get("type") in ("RuntimeDefault", "Localhost")):
        missing.append("seccompProfile: RuntimeDefault")
    return missing
