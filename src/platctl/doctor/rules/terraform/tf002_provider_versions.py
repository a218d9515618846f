"""Checks that every entry in `required_providers` has a `source` and a bounded `version`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import iter_modules
from platctl.doctor.rules.terraform.tf001_required_version import has_floor, is_bounded

META = RuleMeta(
    code="TF002",
    slug="provider-versions-pinned",
    title="Providers declare a source and a bounded version",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale=(
        "An unpinned provider upgrades itself on the next `terraform init`, and a new major version can change "
        "or destroy resources. A reusable module states a floor (`>= 5.0`); the root module that calls it sets "
        "the ceiling."
    ),
    example='aws = {\n  source = "hashicorp/aws"\n}',
    fix_example='aws = {\n  source  = "hashicorp/aws"\n  version = "~> 5.0"\n}',
)

_FIELD = re.compile(r'(source|version)\s*=\s*"([^"]*)"')


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for module in iter_modules(repo):
        for hcl_file, block in module.nested("terraform", "required_providers"):
            for name, attribute in block.attributes.items():
                fields = dict(_FIELD.findall(attribute.value))
                problem = _problem(fields, module.is_root)
                if problem:
                    yield META.finding(f"provider {name} {problem}", hcl_file.path, attribute.line)


def _problem(fields: dict[str, str], root: bool) -> str | None:
    if "source" not in fields:
        return "has no source"
    if "version" not in fields:
        return "has no version constraint"
    if not root:
        return None if has_floor(fields["version"]) else f"version {fields['version']!r} has no floor; use >= X.Y"
    if not is_bounded(fields["version"]):
        return f"version {fields['version']!r} has no upper bound; use ~> X.Y"
    return None
