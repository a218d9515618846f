"""Checks that every catalog Component sets `spec.type`, `spec.lifecycle` and `spec.system`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ownership._catalog import catalog_components, section

META = RuleMeta(
    code="OWN006",
    slug="catalog-system-lifecycle",
    title="Catalog components set type, lifecycle and system",
    severity=Severity.WARNING,
    level=Level.SILVER,
    rationale="Lifecycle tells users whether they may depend on the service; system groups it with its neighbours for "
              "impact analysis.",
    example="spec:\n  owner: team-payments",
    fix_example="spec:\n  type: service\n  lifecycle: production\n  owner: team-payments\n  system: payments",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path, doc in catalog_components(repo):
        if doc.get("kind") != "Component":
            continue
        spec = section(doc, "spec")
        missing = [f"spec.{key}" for key in ("type", "lifecycle", "system") if not spec.get(key)]
        if missing:
            line = int(getattr(doc.get("spec"), "line", 0) or getattr(doc, "line", 1))
            yield META.finding(f"Component has no {', '.join(missing)}", path, line)
