"""Each rule gets a time budget per service: running over it is a finding, never a hang.

The budget is cooperative: :class:`~platctl.doctor.repo.Repo` checks the
deadline each time a rule asks for a file, so a rule that runs long stops at
its next file and the files it did not reach are reported, not silently
passed. The built-in patterns are linear and custom-rule patterns run on RE2
(:mod:`platctl.doctor.patterns`), so no single file can hold a rule for long.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING, Any

from platctl.doctor.model import Finding, Severity

if TYPE_CHECKING:
    from platctl.doctor.repo import Repo
    from platctl.doctor.rules.base import Rule

RULE_TIME_BUDGET_SECONDS = 30.0


class OverBudget(Exception):
    """Raised inside a rule when it asks for ``path`` after its deadline."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class Deadline:
    """When the running rule must stop; None while no rule runs."""

    def __init__(self) -> None:
        self.at: float | None = None

    def check(self, path: str) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise OverBudget(path)


def run_rule(rule: Rule, repo: Repo, options: dict[str, Any], seconds: float | None = None) -> list[Finding]:
    """The rule's findings; a crash or a blown budget becomes a finding of the rule, never an exception."""
    budget = RULE_TIME_BUDGET_SECONDS if seconds is None else seconds
    findings: list[Finding] = []
    repo.deadline.at = time.monotonic() + budget
    try:
        findings.extend(rule.check(repo, options))
    except OverBudget as stopped:
        message = (f"rule exceeded its time budget ({budget:g} s) at {stopped.path}; "
                   "this file and the ones after it were not checked")
        findings.append(dataclasses.replace(rule.meta.finding(message, stopped.path), severity=Severity.ERROR))
    except Exception as error:  # noqa: BLE001 - a broken rule is reported, never a traceback
        findings.append(rule.meta.finding(f"rule could not run: {type(error).__name__}: {error}", ".", None))
    finally:
        repo.deadline.at = None
    return findings
