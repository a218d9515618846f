"""``fleet ingest``: doctor JSON reports (one per repository's CI) and fleet JSON (a shard's scan).

A fleet JSON file carries whole snapshots. A doctor report carries findings,
maturity level, waiver counts and the recorded golden-path version per service
(a report from an earlier platctl has no version field: there the version comes
from a GP003 finding when there is one). Every file is read and checked before
anything is written, so a broken file never leaves half a merge behind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.doctor.rules.record.gp003_version_current import META as CURRENT_RULE
from platctl.errors import UserError
from platctl.fleet.model import FIELDS, RuleCount, Snapshot, WaiverFact
from platctl.semver import is_version

FLEET_TOOL = "platctl fleet"
DOCTOR_TOOL = "platctl doctor"
FLEET_SCHEMA_VERSION = 1
# GP003's message, "golden path NAME is at 1.0.0; 1.1.0 is available …": the version a doctor report carries.
BEHIND_MESSAGE = re.compile(r"is at (\S+); (\S+) is available")


@dataclass(frozen=True)
class Parsed:
    snapshots: tuple[Snapshot, ...]
    broken: tuple[str, ...]  # one line per file that could not be read


def fleet_document(snapshots: list[Snapshot]) -> dict[str, Any]:
    from platctl import __version__

    return {"schema_version": FLEET_SCHEMA_VERSION, "tool": {"name": FLEET_TOOL, "version": __version__},
            "snapshots": [s.as_dict() for s in snapshots]}


def read_reports(paths: list[Path], at: str) -> Parsed:
    """Every snapshot in every file; a file that cannot be read is listed in ``broken``, not raised."""
    snapshots: list[Snapshot] = []
    broken: list[str] = []
    for path in paths:
        try:
            snapshots += read_report(path, at)
        except UserError as error:
            broken.append(str(error))
    return Parsed(tuple(snapshots), tuple(broken))


def read_report(path: Path, at: str) -> list[Snapshot]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise UserError(f"{path}:{error.lineno}: not valid JSON ({error.msg})") from None
    tool = data.get("tool", {}).get("name") if isinstance(data, dict) and isinstance(data.get("tool"), dict) else None
    try:
        if tool == FLEET_TOOL:
            return [_from_fleet(item) for item in data["snapshots"]]
        if tool == DOCTOR_TOOL:
            return [_from_doctor(service, path, at) for service in data["services"]]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise UserError(f"{path}: not a valid {tool} report ({type(error).__name__}: {error})") from None
    raise UserError(f"{path}: not a platctl doctor or platctl fleet JSON report")


def _from_fleet(item: dict[str, Any]) -> Snapshot:
    values: dict[str, Any] = {k: item.get(k) for k in FIELDS}
    for required in ("key", "name", "location", "scanned_at"):
        if not isinstance(values[required], str) or not values[required]:
            raise ValueError(f"snapshot without {required}")
    values["waived"] = int(values["waived"] or 0)
    rules = tuple(RuleCount(str(r["rule"]), str(r["severity"]), int(r["count"])) for r in item.get("rules", []))
    waivers = tuple(WaiverFact(str(w["rule"]), str(w["path"]), w.get("expires")) for w in item.get("waivers", []))
    return Snapshot(**values, rules=rules, waivers=waivers)


def _from_doctor(service: dict[str, Any], path: Path, at: str) -> Snapshot:
    from collections import Counter

    from platctl.fleet.facts import bundled_versions, entity_ref, version_lag

    name = str(service["name"])
    findings = service["findings"]
    counts = Counter((str(f["rule"]), str(f["severity"])) for f in findings)
    version = newest = None
    for finding in findings:
        match = BEHIND_MESSAGE.search(str(finding.get("message", ""))) if finding["rule"] == CURRENT_RULE.code else None
        if match:
            version, newest = match[1], match[2]
    recorded = service.get("golden_path_version")
    version = recorded if isinstance(recorded, str) and is_version(recorded) else version
    golden_path = service.get("golden_path")
    lag = version_lag(f"bundled:{golden_path}", version) if golden_path and bundled_versions(golden_path) else None
    root = str(service.get("root") or ".")
    return Snapshot(
        key=entity_ref(name), name=name, location=str(path) if root == "." else f"{path}#{root}", scanned_at=at,
        golden_path=golden_path, version=version, newest_version=(lag.newest if lag else None) or newest,
        versions_behind=lag.behind if lag else None, level=service.get("level"),
        rules=tuple(RuleCount(r, s, n) for (r, s), n in sorted(counts.items())), waived=int(service.get("waived", 0)),
    )
