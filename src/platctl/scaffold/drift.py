"""``platctl diff``: how a service differs from a fresh render of its recorded golden path."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from platctl.scaffold.files import is_text, read_file, read_tree


@dataclass(frozen=True)
class FileDrift:
    path: str
    status: str  # "modified" or "missing"
    ownership: str  # "managed", "seeded" or "unowned"
    diff: str
    added: int
    removed: int


@dataclass(frozen=True)
class DriftReport:
    service: Path
    golden_path: str
    version: str
    files: tuple[FileDrift, ...]

    @property
    def drifted(self) -> bool:
        return bool(self.files)


def compute_drift(
    service_dir: Path, offline: bool = True, include_seeded: bool = False, trust: bool = False
) -> DriftReport:
    """Compare the files the golden path renders with the service's copies.

    Seeded files belong to the team after the first render, so they are left
    out unless ``include_seeded``.
    """
    from platctl.scaffold.api import open_recorded, render_golden_path

    with open_recorded(service_dir, offline, trust) as recorded:
        golden_path = recorded.golden_path
        with render_golden_path(golden_path, recorded.answers, service_dir) as rendered:
            expected = read_tree(rendered)
    files = []
    for rel in sorted(expected):
        ownership = golden_path.ownership(rel)
        if ownership == "seeded" and not include_seeded:
            continue
        actual = read_file(service_dir, rel)
        if actual != expected[rel]:
            files.append(_file_drift(rel, expected[rel], actual, ownership))
    return DriftReport(service_dir, recorded.record.name, recorded.record.version, tuple(files))


def _file_drift(rel: str, expected: bytes, actual: bytes | None, ownership: str) -> FileDrift:
    status = "missing" if actual is None else "modified"
    if not (is_text(expected) and (actual is None or is_text(actual))):
        return FileDrift(rel, status, ownership, f"Binary files a/{rel} and b/{rel} differ\n", 0, 0)
    old = expected.decode().splitlines(keepends=True)
    new = actual.decode().splitlines(keepends=True) if actual is not None else []
    lines = list(difflib.unified_diff(old, new, f"a/{rel}", "/dev/null" if actual is None else f"b/{rel}"))
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return FileDrift(rel, status, ownership, text, added, removed)
