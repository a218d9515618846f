"""Checks that registry modules pin an exact `version` and git modules pin a `ref`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.hcl import unquote
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import iter_modules

META = RuleMeta(
    code="TF007",
    slug="modules-pinned",
    title="Modules are pinned to an exact version or git ref",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="An unpinned module pulls whatever was published last on the next init: a changed default can recreate "
              "your database.",
    example='module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}',
    fix_example='module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n}',
)

_REGISTRY = re.compile(r"^([\w.-]+/)?[\w-]+/[\w-]+/[\w-]+$")
_EXACT = re.compile(r"^=?\s*v?\d+\.\d+\.\d+\S*$")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for module in iter_modules(repo):
        for hcl_file, block in module.blocks("module"):
            source_attr = block.attr("source")
            if source_attr is None:
                continue
            problem = _problem(unquote(source_attr.value), block.attr("version"))
            if problem:
                name = block.labels[0] if block.labels else "?"
                yield META.finding(f"module {name!r} {problem}", hcl_file.path, source_attr.line)


def _problem(source: str, version: Any) -> str | None:
    if source.startswith(("./", "../")):
        return None
    if source.startswith(("git::", "git@", "github.com/")) or ".git" in source:
        return None if "ref=" in source else "git source has no ?ref= pin"
    if _REGISTRY.match(source):
        if version is None:
            return "has no version"
        if not _EXACT.match(unquote(version.value)):
            return f"version {version.value} is a range; pin an exact version"
    return None
