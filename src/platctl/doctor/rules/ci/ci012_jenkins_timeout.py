"""Checks that a declarative Jenkins pipeline sets a `timeout` in its own `options` (a stage's timeout is not
enough)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._jenkins import declarative_jenkinsfiles, line_at, pipeline_start, top_level_block

META = RuleMeta(
    code="CI012",
    slug="jenkins-timeout",
    title="Jenkins pipelines set a timeout",
    severity=Severity.WARNING,
    level=Level.SILVER,
    rationale="A Jenkins build without a pipeline-wide timeout can hang forever between or outside stages, holding "
              "an "
    "executor and blocking the branch.",
    example="pipeline {\n  agent any\n  stages {\n    stage('test') { options { timeout(time: 10, unit: 'MINUTES') "
            "} "
    "... }\n  }\n}",
    fix_example="pipeline {\n  agent any\n  options { timeout(time: 30, unit: 'MINUTES') }\n  stages { ... }\n}",
)

_TIMEOUT = re.compile(r"\btimeout\s*\(")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for path, text in declarative_jenkinsfiles(repo, META.code):
        start = pipeline_start(text)
        if start is None:
            continue
        block = top_level_block(text, "options")
        if block is None or not _TIMEOUT.search(block[0]):
            yield META.finding("declarative pipeline has no timeout(...) in its options", path, line_at(text, start))
