"""Checks that catalog entities have a valid apiVersion, kind and metadata.name."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ownership._catalog import CATALOG_PATHS

META = RuleMeta(
    code="OWN004",
    slug="catalog-entity-valid",
    title="catalog-info.yaml entities are valid",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="Backstage rejects an entity with a bad apiVersion, kind or name, and the service silently drops out of "
              "the catalog.",
    example="apiVersion: v1\nkind: Component\nmetadata:\n  name: Payments API",
    fix_example="apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api",
)

_NAME = re.compile(r"^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    path = repo.first_existing(*CATALOG_PATHS)
    if path is None:
        return
    for doc in repo.yaml(path) or ():
        if not isinstance(doc, dict):
            yield META.finding("catalog entity is not a mapping", path, 1)
            continue
        problem = _problem(doc)
        if problem:
            yield META.finding(problem, path, int(getattr(doc, "line", 1)) or 1)


def _problem(doc: dict[str, Any]) -> str | None:
    if not str(doc.get("apiVersion", "")).startswith("backstage.io/"):
        return f"apiVersion {doc.get('apiVersion')!r} is not backstage.io/v1alpha1"
    if not doc.get("kind"):
        return "entity has no kind"
    metadata = doc.get("metadata")
    name = str(metadata.get("name", "")) if isinstance(metadata, dict) else ""
    if not (_NAME.match(name) and len(name) <= 63):
        return f"metadata.name {name!r} is not a valid entity name"
    return None
