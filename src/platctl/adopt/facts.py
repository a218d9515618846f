"""What a golden path's manifest tells ``adopt`` beyond the shared model: its ``adopt:`` key.

``package_managers`` (the files that mark each choice of ``package_manager``),
``root_only`` (files that work only at a repository's root) and ``report``
(where the adoption report goes). Read with the one manifest reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from platctl.errors import TemplateError
from platctl.scaffold.catalog import MANIFEST_NAME, GoldenPath
from platctl.scaffold.manifest import read_manifest

DEFAULT_REPORT = "docs/adoption.md"


@dataclass(frozen=True)
class AdoptFacts:
    package_managers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root_only: tuple[str, ...] = ()
    report: str = DEFAULT_REPORT


def adopt_facts(golden_path: GoldenPath) -> AdoptFacts:
    where = golden_path.template_dir / MANIFEST_NAME
    section = read_manifest(where).get("adopt") or {}
    managers = section.get("package_managers") or {}
    if not isinstance(section, dict) or not isinstance(managers, dict):
        raise TemplateError(f"{where}: 'adopt' and 'adopt.package_managers' must be mappings")
    return AdoptFacts(
        package_managers=tuple((str(name), _strings(markers)) for name, markers in managers.items()),
        root_only=_strings(section.get("root_only")),
        report=str(section.get("report") or DEFAULT_REPORT),
    )


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()
