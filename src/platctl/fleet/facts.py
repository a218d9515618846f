"""Per-service facts doctor does not report: owner and entity ref, version lag, waivers.

Each reads the repository as untrusted input through the same bounded YAML
loader as doctor, and a fact that cannot be read is simply unknown (doctor's
own findings already say why).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.doctor.rules.ownership._catalog import CATALOG_PATHS, CODEOWNERS_PATHS
from platctl.errors import PlatctlError
from platctl.fleet.model import WaiverFact
from platctl.scaffold.record import RECORD_NAME

MAX_FILE = 1_000_000  # bytes: a catalog entry or CODEOWNERS bigger than this is not read


@dataclass(frozen=True)
class Identity:
    key: str  # the Backstage entity ref, e.g. component:default/payments-api
    name: str
    owner: str | None


def identity(root: Path, fallback_name: str) -> Identity:
    """The catalog entry's ref and owner; without one, ``component:default/NAME`` and CODEOWNERS' owner."""
    entity = _catalog_entity(root)
    metadata = _mapping(entity.get("metadata"))
    spec = _mapping(entity.get("spec"))
    name = str(metadata.get("name") or fallback_name)
    kind = str(entity.get("kind") or "Component").lower()
    namespace = str(metadata.get("namespace") or "default")
    owner = spec.get("owner")
    return Identity(f"{kind}:{namespace}/{name}", name, str(owner) if owner else _codeowners_owner(root))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def entity_ref(name: str) -> str:
    return f"component:default/{name}"


def _catalog_entity(root: Path) -> dict[str, Any]:
    from platctl.doctor.policy import read_yaml_config

    for name in CATALOG_PATHS:
        path = root / name
        if _readable(path):
            try:
                data = read_yaml_config(path)
            except PlatctlError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def _codeowners_owner(root: Path) -> str | None:
    """The first owner of the catch-all ``*`` rule, as a team slug."""
    from platctl.doctor.rules.ownership._catalog import codeowners_entries, owner_slug

    for name in CODEOWNERS_PATHS:
        path = root / name
        if _readable(path):
            text = path.read_text(encoding="utf-8", errors="replace")
            owners = [owners for _, pattern, owners in codeowners_entries(text) if pattern in ("*", "/*", "/")]
            return owner_slug(owners[-1][0]) if owners and owners[-1] else None
    return None


def _readable(path: Path) -> bool:
    return path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_FILE


@dataclass(frozen=True)
class VersionLag:
    version: str | None
    newest: str | None
    behind: int | None


def version_lag(source: str | None, version: str | None) -> VersionLag:
    """How many released versions of the golden path are newer than the recorded one (offline)."""
    versions = _versions(source) if source else ()
    if not version or not versions:
        return VersionLag(version or None, versions[-1] if versions else None, None)
    from platctl.semver import version_key

    behind = sum(1 for v in versions if version_key(v) > version_key(version))
    return VersionLag(version, versions[-1], behind)


@functools.lru_cache(maxsize=256)
def _versions(source: str) -> tuple[str, ...]:
    """Every version a golden-path source offers, oldest first; () when it is not known offline."""
    from platctl.scaffold.source import available_versions, parse_source

    try:
        return tuple(available_versions(parse_source(source), offline=True))
    except (PlatctlError, OSError):
        return ()


def bundled_versions(name: str) -> tuple[str, ...]:
    return _versions(f"bundled:{name}")


def waivers(root: Path, record: Any) -> tuple[WaiverFact, ...]:
    """The waivers a record's ``doctor:`` section declares, as doctor itself parses them."""
    from platctl.doctor.config import CodeResolver
    from platctl.doctor.policy import load_repo_section
    from platctl.doctor.rules import REGISTRY

    resolver = CodeResolver((r.code, r.meta.slug) for r in REGISTRY)
    try:
        section = load_repo_section(record, str(root / RECORD_NAME), resolver)
    except PlatctlError:
        return ()
    return tuple(WaiverFact(w.rule, w.path, w.expires.isoformat() if w.expires else None) for w in section.waivers)
