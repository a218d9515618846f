"""Checks that services with alert rules also have their metrics endpoint scraped (ServiceMonitor, PodMonitor or
scrape annotations)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_manifests
from platctl.doctor.rules.observability._alerts import iter_groups

META = RuleMeta(
    code="OBS008",
    slug="metrics-endpoint-scraped",
    title="The metrics endpoint is wired to Prometheus",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    rationale="Alert rules over metrics nobody scrapes never fire: the alerts look fine in review and are silent in "
              ""
    "production.",
    example="kind: Deployment  # no ServiceMonitor, no prometheus.io/scrape annotation",
    fix_example="apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  endpoints:\n    - port: "
                "http\n    "
    "  path: /metrics",
)


SCRAPERS = ("ServiceMonitor", "PodMonitor", "ScrapeConfig")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if not any(any(g.alerts()) for g in iter_groups(repo)):
        return
    manifests = list(iter_manifests(repo, (*SCRAPERS, "Deployment")))
    if any(m.kind in SCRAPERS for m in manifests):
        return
    for manifest in manifests:
        if manifest.kind == "Deployment" and not _annotated(manifest.doc):
            yield META.finding(
                f"Deployment/{manifest.name} is not scraped: add a ServiceMonitor or scrape annotations",
                manifest.path,
                manifest.line,
            )


def _annotated(doc: dict[str, Any]) -> bool:
    spec = doc.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    metadata = template.get("metadata") if isinstance(template, dict) else None
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return isinstance(annotations, dict) and str(annotations.get("prometheus.io/scrape", "")).lower() == "true"
