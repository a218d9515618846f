"""Checks that every Terraform variable has a `description`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import iter_modules

META = RuleMeta(
    code="TF006",
    slug="variables-described",
    title="Terraform variables have a description",
    severity=Severity.WARNING,
    level=Level.SILVER,
    roles=("production",),
    rationale="The description is the only documentation a module's caller sees in plans, docs generators and the "
              "registry.",
    example='variable "replicas" {\n  type = number\n}',
    fix_example='variable "replicas" {\n  type        = number\n  description = "Pod replicas."\n}',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for module in iter_modules(repo):
        for hcl_file, variable in module.blocks("variable"):
            description = variable.attr("description")
            if description is None or description.value.strip() in ('""', ""):
                name = variable.labels[0] if variable.labels else "?"
                yield META.finding(f"variable {name!r} has no description", hcl_file.path, variable.line)
