"""Checks that every catalog Component names its `spec.owner`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ownership._catalog import catalog_components, section

META = RuleMeta(
    code="OWN005",
    slug="catalog-owner",
    title="Catalog components name an owner",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="The owner is who gets paged, who approves changes and who is asked about the service; an ownerless "
              "service is everyone's and no one's.",
    example="spec:\n  type: service\n  lifecycle: production",
    fix_example="spec:\n  type: service\n  lifecycle: production\n  owner: team-payments",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path, doc in catalog_components(repo):
        if doc.get("kind") == "Component" and not section(doc, "spec").get("owner"):
            spec = doc.get("spec")
            yield META.finding(
                "Component has no spec.owner", path, int(getattr(spec, "line", 0) or getattr(doc, "line", 1))
            )
