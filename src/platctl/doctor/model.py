"""Plain data for doctor: severities, levels, rule metadata, findings and reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is; ``--fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Level(str, enum.Enum):
    """Maturity level a rule belongs to; a repo reaches the highest level whose rules all pass."""

    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.BRONZE: 0, Level.SILVER: 1, Level.GOLD: 2}
LEVELS = (Level.BRONZE, Level.SILVER, Level.GOLD)


@dataclass(frozen=True)
class Finding:
    """One place where a repo has left the golden path."""

    rule: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    fixable: bool = False
    missing_file: bool = False  # the path names a file that is not there (one the rule says should be)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line or 0, self.column or 0, self.rule)

    def baseline_key(self) -> tuple[str, str, str]:
        return (self.rule, self.path, self.message)


@dataclass(frozen=True)
class RuleMeta:
    """Everything a rule says about itself; docs, reporters and config read it."""

    code: str
    slug: str
    title: str
    severity: Severity
    rationale: str
    fix_example: str
    example: str = ""
    level: Level = Level.BRONZE
    fixable: bool = False
    fix_safety: str = "This rule has no automatic fix."
    golden_paths: tuple[str, ...] = ("*",)
    options: tuple[tuple[str, Any], ...] = ()
    custom: bool = False
    default_enabled: bool = True  # False: runs only when selected (select or extend_select)
    renders: bool = False  # True: renders the golden path, so only the command line or the policy may turn it on
    roles: tuple[str, ...] = ("production", "test", "example", "dev")  # path roles it checks (platctl.doctor.roles)
    precision: str = "high"  # how often a finding is right on real repositories: high, medium or low (SARIF)
    security: bool = False  # a security rule: SARIF gives it a security-severity (code scanning's security alerts)

    def finding(self, message: str, path: str, line: int | None = None, column: int | None = None) -> Finding:
        """A finding of this rule at its default severity."""
        return Finding(self.code, self.severity, message, path, line, column, self.fixable)

    def default_options(self) -> dict[str, Any]:
        return dict(self.options)


@dataclass(frozen=True)
class Skip:
    """A file doctor did not read, and why (binary, too large, symlink out of the repo)."""

    path: str
    reason: str
    scannable: bool = False  # a file of the repository's own (a template source): the secret scan still reads it


@dataclass(frozen=True)
class FixChange:
    """One change ``--fix`` made (or would make) to a file."""

    path: str
    rule: str
    description: str


@dataclass(frozen=True)
class ServiceReport:
    """The result of checking one service (a repo, or one directory of a monorepo)."""

    root: str
    name: str
    golden_path: str | None
    findings: tuple[Finding, ...]
    golden_path_version: str | None = None  # the version its record names, when that is a version
    suppressed: int = 0
    waived: int = 0
    baselined: int = 0
    skips: tuple[Skip, ...] = ()
    level: str = "none"
    rules_run: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything one ``run_doctor`` call found, ready for any reporter."""

    services: tuple[ServiceReport, ...]
    rules: tuple[RuleMeta, ...]
    fixes: tuple[FixChange, ...] = ()
    tool_version: str = ""
    elapsed_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for service in self.services for f in service.findings)

    @property
    def waived(self) -> int:
        return sum(s.waived for s in self.services)

    @property
    def suppressed(self) -> int:
        return sum(s.suppressed for s in self.services)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def worst_at_or_above(self, threshold: Severity) -> bool:
        return any(f.severity.rank >= threshold.rank for f in self.findings)

    def rule(self, code: str) -> RuleMeta | None:
        return next((meta for meta in self.rules if meta.code == code), None)
