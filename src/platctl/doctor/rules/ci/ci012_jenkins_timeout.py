"""Checks that a declarative Jenkins pipeline sets a `timeout` in its `options`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo

META = RuleMeta(
    code="CI012",
    slug="jenkins-timeout",
    title="Jenkins pipelines set a timeout",
    severity=Severity.WARNING,
    level=Level.SILVER,
    rationale="A Jenkins build without a timeout can hang forever, holding an executor and blocking the branch.",
    example="pipeline {\n  agent any\n  stages { ... }\n}",
    fix_example="pipeline {\n  agent any\n  options { timeout(time: 30, unit: 'MINUTES') }\n  stages { ... }\n}",
)

_PIPELINE = re.compile(r"^\s*pipeline\s*\{", re.MULTILINE)
_TIMEOUT = re.compile(r"\btimeout\s*\(")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path in repo.files:
        if path.rsplit("/", 1)[-1] != "Jenkinsfile":
            continue
        text = repo.text(path)
        match = _PIPELINE.search(text) if text else None
        if text and match and not _TIMEOUT.search(text):
            yield META.finding("declarative pipeline has no timeout(...) in options", path,
                               text.count("\n", 0, match.start()) + 1)
