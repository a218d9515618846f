"""Checks that every Terraform variable declares a `type`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import iter_modules

META = RuleMeta(
    code="TF005",
    slug="variables-typed",
    title="Terraform variables declare a type",
    severity=Severity.WARNING,
    level=Level.SILVER,
    roles=("production",),
    rationale="An untyped variable accepts anything; a wrong value fails deep in a plan (or worse, apply) instead "
              "of at "
    "the input.",
    example='variable "replicas" {}',
    fix_example='variable "replicas" {\n  type        = number\n  description = "Pod replicas."\n}',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for module in iter_modules(repo):
        for hcl_file, variable in module.blocks("variable"):
            if variable.attr("type") is None:
                name = variable.labels[0] if variable.labels else "?"
                yield META.finding(f"variable {name!r} has no type", hcl_file.path, variable.line)
