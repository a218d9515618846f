"""Baselines: record today's findings, later report only new ones.

Findings match on rule, path and message (not line), as a multiset: if a file
had two CI002 findings with the same message at baseline time, a third is new.
A baseline is a way of ignoring findings, so it never hides a rule the org
policy locks, and hides nothing when the policy forbids ignoring
(``allow_ignore: false``).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from platctl.doctor.config import Policy
from platctl.doctor.model import Finding, ServiceReport
from platctl.errors import ConfigError

BASELINE_SCHEMA_VERSION = 1


def dump_baseline(findings: Iterable[Finding]) -> str:
    entries = sorted(f.baseline_key() for f in findings)
    body = {
        "schema_version": BASELINE_SCHEMA_VERSION,
        "tool": "platctl doctor",
        "findings": [{"rule": r, "path": p, "message": m} for r, p, m in entries],
    }
    return json.dumps(body, indent=2) + "\n"


def load_baseline(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: baseline not found (create one with --create-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{path}: not a doctor baseline: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise ConfigError(f"{path}: not a doctor baseline (no findings list)")
    counter: Counter[tuple[str, str, str]] = Counter()
    for entry in data["findings"]:
        if isinstance(entry, dict):
            counter[(str(entry.get("rule")), str(entry.get("path")), str(entry.get("message")))] += 1
    return counter


def filter_new(findings: Iterable[Finding], baseline: Counter[tuple[str, str, str]],
               locked: frozenset[str] = frozenset()) -> tuple[list[Finding], int]:
    """Findings not in the baseline (findings of ``locked`` rules always), and how many were matched by it."""
    remaining = Counter(baseline)
    new: list[Finding] = []
    matched = 0
    for finding in findings:
        key = finding.baseline_key()
        if remaining[key] > 0 and finding.rule not in locked:
            remaining[key] -= 1
            matched += 1
        else:
            new.append(finding)
    return new, matched


def apply_baseline(services: list[ServiceReport], path: Path, policy: Policy = Policy()) -> list[ServiceReport]:
    """Each service with only the findings the baseline does not hold, and how many it held."""
    baseline = load_baseline(path)
    if not policy.allow_ignore:
        return services
    result = []
    for service in services:
        new, matched = filter_new(service.findings, baseline, policy.locked)
        result.append(dataclasses.replace(service, findings=tuple(new), baselined=matched))
    return result
