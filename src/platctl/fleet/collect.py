"""One repository in, one snapshot per service out: doctor's report plus the facts around it.

``snapshots_of`` never raises for a repository's own faults: a path that
vanished, a clone that failed, a record that does not parse each become a
snapshot with ``error`` set, so one bad repository never stops a fleet scan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from platctl.doctor.rules.record.gp005_managed_file_drift import META as DRIFT_RULE
from platctl.errors import PlatctlError
from platctl.fleet.model import RuleCount, Snapshot
from platctl.scaffold.record import RECORD_NAME


@dataclass(frozen=True)
class ScanOptions:
    """What the command line can say about how each repository is scanned."""

    at: str | None = None  # ISO timestamp recorded as the scan time (default: now)
    drift: bool = False  # also run GP005 (renders the golden path: slower)
    policy: Path | None = None


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def snapshots_of(path: Path, location: str, options: ScanOptions) -> list[Snapshot]:
    """Scan one repository; its problems become an error row, never an exception."""
    at = options.at or now_iso()
    try:
        return _scan(path, location, at, options)
    except PlatctlError as error:
        return [failed(location, at, str(error))]
    except Exception as error:  # noqa: BLE001 - a hostile repository must not stop the fleet
        return [failed(location, at, f"unexpected error: {error!r}")]


def failed(location: str, at: str, message: str) -> Snapshot:
    """The row for a repository that could not be scanned, keyed by where it was looked for."""
    from platctl.fleet.facts import entity_ref

    name = Path(location.rstrip("/")).name.removesuffix(".git") or location
    return Snapshot(entity_ref(name), name, location, at, error=message.splitlines()[0] if message else "failed")


def _scan(path: Path, location: str, at: str, options: ScanOptions) -> list[Snapshot]:
    from platctl.doctor.api import DoctorOptions, run_doctor

    if not path.is_dir():
        raise PlatctlError(f"{location}: no such repository (it was moved or deleted)")
    today = dt.date.fromisoformat(at[:10])
    extend = (DRIFT_RULE.code,) if options.drift else ()
    report = run_doctor([path], DoctorOptions(policy=options.policy, today=today, extend_select=extend))
    return [_snapshot(path, location, at, service, options.drift) for service in report.services]


def _snapshot(path: Path, location: str, at: str, service: object, drift: bool) -> Snapshot:
    from platctl.doctor.model import ServiceReport
    from platctl.fleet.facts import identity, version_lag, waivers

    assert isinstance(service, ServiceReport)
    root = path / service.root if service.root != "." else path
    record = _record(root)
    section = _mapping(record.get("golden_path")) if isinstance(record, dict) else {}
    answers = _mapping(record.get("answers")) if isinstance(record, dict) else {}
    who = identity(root, str(answers.get("service_name") or service.name))
    lag = version_lag(_text(section.get("source")), _text(section.get("version")))
    counts = Counter((f.rule, f.severity.value) for f in service.findings)
    return Snapshot(
        key=who.key, name=who.name, location=location if service.root == "." else f"{location}/{service.root}",
        scanned_at=at, owner=who.owner, golden_path=service.golden_path or _text(section.get("name")),
        version=lag.version, newest_version=lag.newest, versions_behind=lag.behind,
        drift_files=len({f.path for f in service.findings if f.rule == DRIFT_RULE.code}) if drift else None,
        level=service.level, rules=tuple(RuleCount(r, s, n) for (r, s), n in sorted(counts.items())),
        waivers=waivers(root, record), waived=service.waived,
    )


def _record(root: Path) -> object:
    from platctl.doctor.policy import read_yaml_config

    path = root / RECORD_NAME
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return read_yaml_config(path)
    except PlatctlError:
        return None


def _mapping(value: object) -> dict[str, object]:
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and str(value) else None
