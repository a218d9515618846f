"""Checks that every root module configures a remote backend, encrypted and locked when it is S3."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.hcl import unquote
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.terraform._modules import iter_modules

META = RuleMeta(
    code="TF003",
    slug="terraform-backend",
    title="Root modules use a remote, encrypted, locked backend",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="Local state lives on one laptop, is lost with it and cannot be locked: two applies at once corrupt it. "
              "State holds secrets, so it must be encrypted.",
    example='terraform {\n  required_version = ">= 1.6, < 2.0"\n}',
    fix_example='terraform {\n  backend "s3" {\n    bucket       = "acme-tfstate"\n    key          = '
                '"payments-api/terraform.tfstate"\n    encrypt      = true\n    use_lockfile = true\n  }\n}',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for module in iter_modules(repo):
        if not module.is_root:
            continue
        backends = list(module.nested("terraform", "backend"))
        if not backends and not module.has_backend:
            yield META.finding(f"root module {module.directory} has no backend: state stays local", module.anchor, 1)
        for hcl_file, backend in backends:
            if backend.labels[:1] != ("s3",):
                continue
            if unquote(getattr(backend.attr("encrypt"), "value", "false")) != "true":
                yield META.finding("s3 backend does not set encrypt = true", hcl_file.path, backend.line)
            if not backend.attr("use_lockfile") and not backend.attr("dynamodb_table"):
                yield META.finding(
                    "s3 backend has no locking (use_lockfile or dynamodb_table)", hcl_file.path, backend.line
                )
