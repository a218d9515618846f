"""Checks that CODEOWNERS gives the catalog owner the whole repository and that every entry names an owner."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ownership._catalog import (
    catalog_components,
    codeowners_entries,
    codeowners_path,
    owner_slug,
    section,
)

META = RuleMeta(
    code="OWN002",
    slug="codeowners-matches-catalog",
    title="CODEOWNERS names the catalog owner",
    severity=Severity.ERROR,
    level=Level.SILVER,
    rationale="When CODEOWNERS and the catalog disagree, reviews go to one team and pages to another; nobody is sure "
              "who owns the service.",
    example="# catalog-info.yaml: owner: team-payments\n* @acme/team-checkout",
    fix_example="* @acme/team-payments",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    path = codeowners_path(repo)
    text = repo.text(path) if path else None
    if path is None or text is None:
        return
    entries = list(codeowners_entries(text))
    for number, pattern, owners in entries:
        if not owners:
            yield META.finding(f"entry {pattern} names no owner", path, number)
    owners_of_all = {owner_slug(o) for _, pattern, owners in entries if pattern in ("*", "/*", "/**") for o in owners}
    for _, component in catalog_components(repo):
        owner = section(component, "spec").get("owner")
        if owner and owner_slug(str(owner)) not in owners_of_all:
            yield META.finding(f"no `*` entry for the catalog owner {owner}", path, entries[0][0] if entries else 1)
