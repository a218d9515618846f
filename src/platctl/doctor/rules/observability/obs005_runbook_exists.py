"""Checks that a `runbook_url` pointing into this repository names a file that exists."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._alerts import iter_groups, line

META = RuleMeta(
    code="OBS005",
    slug="runbook-exists",
    title="Runbooks linked from alerts exist",
    severity=Severity.ERROR,
    level=Level.SILVER,
    roles=("production",),
    rationale="A runbook link that 404s is worse than none: it costs the on-call engineer time exactly when they have "
              "none.",
    example="runbook_url: https://github.com/acme/payments-api/blob/main/docs/runbooks/missing.md",
    fix_example="(add docs/runbooks/missing.md, or point runbook_url at a runbook that exists)",
)

def _project_slug(repo: Repo) -> str | None:
    from platctl.doctor.rules.ownership._catalog import catalog_components, section

    for _, component in catalog_components(repo):
        annotations = section(section(component, "metadata"), "annotations")
        if annotations.get("github.com/project-slug"):
            return str(annotations["github.com/project-slug"])
    return None


_BLOB = re.compile(r"^https?://[^/]+/[^/]+/[^/]+/(?:-/)?(?:blob|tree)/[^/]+/(.+)$")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    slug = _project_slug(repo)
    for group in iter_groups(repo):
        for alert in group.alerts():
            annotations = alert.get("annotations")
            url = annotations.get("runbook_url") if isinstance(annotations, dict) else None
            target = local_target(str(url), group.path, slug) if url else None
            if target and not repo.exists(target) and not any(f.startswith(target + "/") for f in repo.files):
                yield META.finding(f"alert {alert.get('alert')}: runbook {target} does not exist", group.path,
                                   line(annotations, "runbook_url"))


def local_target(url: str, source: str, slug: str | None = None) -> str | None:
    """The repo-relative file a runbook URL points at, or None for an external or templated URL.

    A ``…/blob/<ref>/<path>`` URL counts as this repository's unless the catalog's
    ``github.com/project-slug`` names a different one.
    """
    url = url.split("#", 1)[0].split("?", 1)[0]
    if "{{" in url or "$" in url:
        return None
    match = _BLOB.match(url)
    if match:
        if slug and f"/{slug.lower()}/" not in url.lower():
            return None
        return match.group(1).rstrip("/")
    if "://" in url or not url:
        return None
    joined = url.lstrip("/") if url.startswith("/") else posixpath.join(posixpath.dirname(source), url)
    return posixpath.normpath(joined)
