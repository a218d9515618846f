"""Checks that root modules bound `required_version` (a floor and a ceiling) and reusable modules state a floor."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.hcl import unquote
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import iter_modules

META = RuleMeta(
    code="TF001",
    slug="terraform-required-version",
    title="Terraform required_version is bounded in root modules and has a floor in reusable ones",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale=(
        "Without a bounded `required_version` a newer major Terraform may plan against your state with changed "
        "semantics; an older one fails in confusing ways. A reusable module (no provider configuration, no backend) "
        "states only the oldest version it needs: a ceiling there would block every caller's upgrade, so the root "
        "module sets it."
    ),
    example="terraform {\n  required_providers { ... }\n}",
    fix_example='terraform {\n  required_version = ">= 1.6, < 2.0"\n}',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for module in iter_modules(repo):
        versions = [
            (f, b.attr("required_version")) for f, b in module.blocks("terraform") if b.attr("required_version")
        ]
        if not versions:
            yield META.finding(f"module {module.directory} has no terraform.required_version", module.anchor, 1)
            continue
        for hcl_file, attribute in versions:
            assert attribute is not None
            constraint = unquote(attribute.value)
            if module.is_root and not is_bounded(constraint):
                yield META.finding(
                    f"required_version {attribute.value} needs a floor and a ceiling", hcl_file.path, attribute.line
                )
            elif not module.is_root and not has_floor(constraint):
                yield META.finding(
                    f"required_version {attribute.value} needs a floor (>= X.Y)", hcl_file.path, attribute.line
                )


def has_floor(constraint: str) -> bool:
    """A reusable module states the oldest version it works with; its callers (root modules) set the ceiling."""
    parts = [p.strip() for p in constraint.split(",")]
    return any(p.startswith((">", "~>", "=")) or p[:1].isdigit() for p in parts)


def is_bounded(constraint: str) -> bool:
    """True for constraints with a lower and an upper bound (``>= 1.6, < 2.0``, ``~> 1.6``, ``= 1.9.8``)."""
    parts = [p.strip() for p in constraint.split(",")]
    has_floor = any(p.startswith((">", "~>")) for p in parts)
    has_ceiling = any(p.startswith(("<", "~>")) for p in parts)
    exact = len(parts) == 1 and (parts[0][:1].isdigit() or parts[0].startswith("="))
    return exact or (has_floor and has_ceiling)
