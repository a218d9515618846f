"""What a service's findings become: configured severities, then path ignores, inline
suppressions and waivers, and the maturity level the rest allows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Sequence

from platctl.doctor.config import EffectiveConfig, Policy
from platctl.doctor.model import LEVELS, Finding, ServiceReport
from platctl.doctor.repo import Repo
from platctl.doctor.rules.base import Rule
from platctl.doctor.suppress import parse_suppressions
from platctl.globs import glob_matcher
from platctl.semver import is_version


def service_report(repo: Repo, prefix: str, findings: list[Finding], config: EffectiveConfig, *,
                   policy: Policy, rules: tuple[Rule, ...], today: dt.date) -> ServiceReport:
    """The service's report: severities as configured, then ignores, inline suppressions and waivers applied."""
    findings = [_with_severity(f, config) for f in findings]
    findings = [f for f in findings if not _path_ignored(f, config)]
    kept, suppressed = _apply_inline(repo, findings, policy)
    kept, waived = _apply_waivers(kept, config, today)
    kept = [dataclasses.replace(f, missing_file=True) if not os.path.lexists(repo.root / f.path) else f for f in kept]
    kept = [dataclasses.replace(f, path=prefix + f.path) if prefix else f for f in kept]
    kept.sort(key=Finding.sort_key)
    info = repo.golden_path
    return ServiceReport(
        root=prefix.rstrip("/") or ".",
        name=(prefix.rstrip("/").rsplit("/", 1)[-1] if prefix else repo.root.name),
        golden_path=info.name if info else None,
        golden_path_version=_recorded_version(repo),
        findings=tuple(kept),
        suppressed=suppressed,
        waived=waived,
        skips=tuple(dataclasses.replace(s, path=prefix + s.path) for s in repo.skips) if prefix else tuple(repo.skips),
        level=maturity_level(kept, rules, config),
        rules_run=tuple(r.code for r in rules if r.code in config.enabled),
    )


def _recorded_version(repo: Repo) -> str | None:
    """The golden-path version the record names (the repository's own say: only a well-formed version)."""
    section = (repo.record or {}).get("golden_path")
    version = section.get("version") if isinstance(section, dict) else None
    return str(version) if isinstance(version, str) and is_version(version) else None


def _with_severity(finding: Finding, config: EffectiveConfig) -> Finding:
    severity = config.severity.get(finding.rule)
    return finding if severity is None else dataclasses.replace(finding, severity=severity)


def _path_ignored(finding: Finding, config: EffectiveConfig) -> bool:
    ignores = config.per_path_ignores
    return any(finding.rule in codes and glob_matcher((glob,))(finding.path) for glob, codes in ignores)


def _apply_inline(repo: Repo, findings: list[Finding], policy: Policy) -> tuple[list[Finding], int]:
    """Drop the findings an inline comment suppresses, unless the policy forbids ignoring or locks the rule."""
    if not policy.allow_ignore:
        return findings, 0
    kept: list[Finding] = []
    suppressed = 0
    cache: dict[str, object] = {}
    for finding in findings:
        text = repo.text(finding.path) if repo.exists(finding.path) else None
        if text is not None and "platctl:" in text and finding.rule not in policy.locked:
            suppressions = cache.setdefault(finding.path, parse_suppressions(text))
            if suppressions.covers(finding.rule, finding.line):  # type: ignore[attr-defined]
                suppressed += 1
                continue
        kept.append(finding)
    return kept, suppressed


def _apply_waivers(findings: list[Finding], config: EffectiveConfig, today: dt.date) -> tuple[list[Finding], int]:
    """Drop findings an active waiver covers (GP004 reports the expired ones)."""
    active = [w for w in config.waivers if not w.expired(today)]
    kept = [f for f in findings if not any(w.rule == f.rule and glob_matcher((w.path,))(f.path) for w in active)]
    return kept, len(findings) - len(kept)


def maturity_level(findings: Sequence[Finding], rules: tuple[Rule, ...], config: EffectiveConfig) -> str:
    """The highest level whose enabled rules all pass: none, bronze, silver or gold."""
    failing = {f.rule for f in findings}
    level_of = {r.code: r.meta.level for r in rules}
    reached = "none"
    for level in LEVELS:
        codes = [c for c, lv in level_of.items() if lv.rank <= level.rank and c in config.enabled]
        if any(c in failing for c in codes):
            break
        reached = level.value
    return reached
