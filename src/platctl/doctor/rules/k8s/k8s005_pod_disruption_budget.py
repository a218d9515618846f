"""Checks that every Deployment and StatefulSet with more than one replica is covered by a PodDisruptionBudget."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_manifests

META = RuleMeta(
    code="K8S005",
    slug="pod-disruption-budget",
    title="Deployments have a PodDisruptionBudget",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    rationale="Without a PDB a node drain or cluster upgrade may evict every replica at once: an outage during routine "
              "maintenance.",
    example="kind: Deployment\n...",
    fix_example="apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec:\n  minAvailable: 1\n  selector:\n    "
                "matchLabels: {app: payments-api}",
)


KINDS = ("Deployment", "StatefulSet", "PodDisruptionBudget", "HorizontalPodAutoscaler")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    manifests = list(iter_manifests(repo, KINDS))
    scaled = _autoscaled(manifests)
    selectors = [_labels(m.doc.get("spec"), "selector") for m in manifests if m.kind == "PodDisruptionBudget"]
    for manifest in manifests:
        if manifest.kind not in ("Deployment", "StatefulSet") or _single_replica(manifest.doc, scaled):
            continue  # a PDB on one replica (minAvailable: 1) would block every node drain
        labels = _labels(_template(manifest.doc), "metadata")
        if not any(selector and selector.items() <= labels.items() for selector in selectors):
            yield META.finding(f"{manifest.kind}/{manifest.name} has no PodDisruptionBudget selecting its pods",
                               manifest.path, manifest.line)


def _single_replica(doc: dict[str, Any], scaled: set[str]) -> bool:
    """One replica (``spec.replicas`` 0 or 1, or unset) and no HorizontalPodAutoscaler scaling it out."""
    spec = doc.get("spec")
    replicas = spec.get("replicas", 1) if isinstance(spec, dict) else 1
    metadata = doc.get("metadata")
    name = str(metadata.get("name")) if isinstance(metadata, dict) else ""
    return isinstance(replicas, int) and replicas <= 1 and name not in scaled


def _autoscaled(manifests: list[Any]) -> set[str]:
    """Names of the workloads an HPA targets (any HPA may add replicas)."""
    names = set()
    for manifest in manifests:
        spec = manifest.doc.get("spec") if manifest.kind == "HorizontalPodAutoscaler" else None
        target = spec.get("scaleTargetRef") if isinstance(spec, dict) else None
        if isinstance(target, dict):
            names.add(str(target.get("name")))
    return names


def _template(doc: dict[str, Any]) -> Any:
    spec = doc.get("spec")
    return spec.get("template") if isinstance(spec, dict) else None


def _labels(node: Any, key: str) -> dict[str, Any]:
    section = node.get(key) if isinstance(node, dict) else None
    field = "matchLabels" if key == "selector" else "labels"
    labels = section.get(field) if isinstance(section, dict) else None
    return dict(labels) if isinstance(labels, dict) else {}
