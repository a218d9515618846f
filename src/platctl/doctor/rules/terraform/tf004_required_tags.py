"""Checks that the AWS provider applies the required tags through `default_tags`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.hcl import map_keys
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import TerraformModule, iter_modules

META = RuleMeta(
    code="TF004",
    slug="required-tags",
    title="AWS resources carry owner, service, environment and cost_center tags",
    severity=Severity.ERROR,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    options=(("tags", ("owner", "service", "environment", "cost_center")),),
    rationale="Untagged resources cannot be billed back, found in an incident, or cleaned up when the service is "
              "retired.",
    example='provider "aws" {\n  region = var.region\n}',
    fix_example='provider "aws" {\n  region = var.region\n  default_tags {\n    tags = local.tags\n  }\n}',
)

_LOCAL_REF = re.compile(r"local\.([A-Za-z_][\w-]*)")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    wanted = [str(t) for t in options.get("tags", ())]
    for module in iter_modules(repo):
        for hcl_file, provider in module.blocks("provider"):
            if provider.labels[:1] != ("aws",):
                continue
            default_tags = provider.children("default_tags")
            tags = default_tags[0].attr("tags") if default_tags else None
            if tags is None:
                yield META.finding("aws provider has no default_tags", hcl_file.path, provider.line)
                continue
            missing = [t for t in wanted if _normal(t) not in {_normal(k) for k in _tag_keys(module, tags.value)}]
            if missing:
                yield META.finding(f"default_tags lack {', '.join(missing)}", hcl_file.path, tags.line)


def _tag_keys(module: TerraformModule, value: str, depth: int = 0) -> set[str]:
    keys = map_keys(value)
    if depth > 3:
        return keys
    for name in _LOCAL_REF.findall(value):
        for _, block in module.blocks("locals"):
            local = block.attr(name)
            if local is not None:
                keys |= _tag_keys(module, local.value, depth + 1)
    return keys


def _normal(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")
