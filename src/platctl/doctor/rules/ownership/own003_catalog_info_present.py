"""Checks that the repository has a Backstage `catalog-info.yaml` when its golden path ships one."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.fix import restore_missing
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ownership._catalog import CATALOG_PATHS

META = RuleMeta(
    code="OWN003",
    slug="catalog-info-present",
    title="catalog-info.yaml is present",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    fixable=True,
    fix_safety="Safe: restores the file exactly as the recorded golden path renders it.",
    rationale="A service missing from the catalog has no discoverable owner, docs, dependencies or on-call route.",
    example="(no catalog-info.yaml)",
    fix_example="apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\nspec:\n  type: "
                "service\n  lifecycle: production\n  owner: team-payments\n  system: payments",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if repo.first_existing(*CATALOG_PATHS) is None and repo.golden_path_provides(*CATALOG_PATHS):
        yield META.finding("catalog-info.yaml is missing", "catalog-info.yaml", None)


fix = restore_missing  # the missing file, as the recorded golden path renders it
