"""``platctl golden-paths lint``: a golden path that fails its own rules cannot ship.

The template is rendered with its defaults and with every choice value (every
combination while there are few, else each value once), and ``platctl doctor``
checks each render. Any finding, or a render that fails, fails the lint; so does
a manifest whose ``when`` does not parse or names an unknown variable, or whose
``choice_help`` names a value that is not a choice.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.errors import PlatctlError
from platctl.scaffold.catalog import GoldenPath

MAX_COMBINATIONS = 32


@dataclass(frozen=True)
class LintCase:
    answers: dict[str, str]
    findings: tuple[Any, ...] = ()  # platctl.doctor.model.Finding
    error: str | None = None
    label: str = ""  # what was checked, when it is not a render ("the manifest")

    @property
    def ok(self) -> bool:
        return self.error is None and not self.findings


@dataclass(frozen=True)
class LintReport:
    golden_path: str
    version: str
    cases: tuple[LintCase, ...]

    @property
    def ok(self) -> bool:
        return all(case.ok for case in self.cases)


def choice_cases(golden_path: GoldenPath) -> list[dict[str, str]]:
    """Answers to render: the defaults, then every choice value."""
    choices = {v.name: v.choices for v in golden_path.variables if len(v.choices) > 1}
    names = sorted(choices)
    product = list(itertools.product(*(choices[n] for n in names)))
    if len(product) <= MAX_COMBINATIONS:
        return [dict(zip(names, values, strict=False)) for values in product] or [{}]
    cases: list[dict[str, str]] = [{}]
    cases += [{name: value} for name in names for value in choices[name][1:]]
    return cases


def lint_golden_path(golden_path: GoldenPath) -> LintReport:
    problems = manifest_problems(golden_path)
    if problems:
        cases = tuple(LintCase({}, error=p, label="the manifest") for p in problems)
        return LintReport(golden_path.name, golden_path.version, cases)
    return LintReport(
        golden_path.name, golden_path.version, tuple(_lint_case(golden_path, a) for a in choice_cases(golden_path))
    )


def manifest_problems(golden_path: GoldenPath) -> list[str]:
    """What the questionnaire cannot use: a broken ``when``, help for a choice that does not exist."""
    from platctl.scaffold.conditions import when_problems

    problems = when_problems(golden_path)
    for variable in golden_path.variables:
        unknown = sorted(set(dict(variable.choice_help)) - set(variable.choices))
        if unknown:
            problems.append(f"{variable.name}: choice_help for {', '.join(unknown)}, which are not its choices")
    return problems


def _lint_case(golden_path: GoldenPath, given: dict[str, str]) -> LintCase:
    from platctl.doctor.api import run_doctor
    from platctl.scaffold.answers import resolve_answers
    from platctl.scaffold.api import render_golden_path

    try:
        answers = resolve_answers(golden_path, given)
        with render_golden_path(golden_path, answers, Path("/srv") / "lint") as project:
            report = run_doctor([project])
    except PlatctlError as error:
        return LintCase(given, error=str(error))
    return LintCase(given, tuple(report.findings))
