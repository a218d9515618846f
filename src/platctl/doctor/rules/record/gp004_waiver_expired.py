"""Reports waivers whose `expires` date has passed: they no longer suppress anything."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo

META = RuleMeta(
    code="GP004",
    slug="waiver-expired",
    title="Waivers have not expired",
    severity=Severity.WARNING,
    level=Level.SILVER,
    rationale="A waiver is a dated promise to fix something. Once it expires the findings it covered come back, and "
              "the "
    "stale waiver should be renewed with a reason or removed.",
    example="waivers:\n  - {rule: CI002, path: .github/workflows/legacy.yml, reason: vendor action, expires: "
    "2024-01-31}",
    fix_example="(fix the findings and delete the waiver, or renew it with a new date and reason)",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Every waiver of the configuration (the engine passes them, with today's date) whose date has passed."""
    today = options.get("today")
    for waiver in options.get("waivers", ()):
        if today is not None and waiver.expired(today):
            root = str(repo.root) + "/"
            path = waiver.source[len(root) :] if waiver.source.startswith(root) else waiver.source
            message = (
                f"waiver for {waiver.rule} on {waiver.path} expired on {waiver.expires}; "
                "it no longer suppresses anything"
            )
            yield META.finding(message, path, waiver.line or None)
