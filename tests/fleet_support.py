"""A fleet of generated repositories, made cheaply: one render per golden path, copied and varied.

Used by the fleet tests and by bench/fleet.py. Each copy gets its own name,
owner, recorded version and a few deliberate departures from the golden path,
so the dashboard has adoption, version skew, levels and failing rules to show.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

TEAMS = ("team-payments", "team-search", "team-identity", "team-data", "team-mobile", "team-infra")


# Renders come from the archived 1.0.0 releases: fixed inputs, whatever the golden paths' work tree holds.
BASE_VERSION = "1.0.0"


def render_service(root: Path, golden_path: str, name: str, git: bool, owner: str = "team-payments") -> Path:
    from platctl.scaffold.api import NewServiceRequest, new_service

    request = NewServiceRequest(name=name, golden_path=golden_path, answers={"owner": owner},
                                output_dir=root, git=git, ref=BASE_VERSION)
    return new_service(request).path


def render_bases(root: Path, git: bool = False) -> dict[str, Path]:
    """One render per bundled golden path; with ``git``, each copy is a repository of its own (as in a real fleet).

    Without git, copies are scanned as plain trees: only right when ``root`` is outside any git work tree.
    """
    return {gp: render_service(root / gp, gp, "base-svc", git=git) for gp in ("python-service", "node-service")}


def newest_version(golden_path: str) -> str:
    from platctl.scaffold.source import available_versions, parse_source

    return available_versions(parse_source(golden_path))[-1]


def make_fleet(bases: dict[str, Path], root: Path, count: int, seed: int = 7) -> list[Path]:
    """``count`` repositories under ``root``, deterministic for a seed."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(count):
        golden_path = "python-service" if index % 3 else "node-service"
        made.append(vary(bases[golden_path], root / f"svc-{index:05d}", index, rng))
    return made


def vary(base: Path, target: Path, index: int, rng: random.Random) -> Path:
    shutil.copytree(base, target, symlinks=True)
    name, owner = target.name, TEAMS[index % len(TEAMS)]
    for rel in ("catalog-info.yaml", "CODEOWNERS", ".platctl.yaml"):
        path = target / rel
        text = path.read_text().replace("base-svc", name).replace("team-payments", owner)
        path.write_text(text)
    record = target / ".platctl.yaml"
    if rng.random() < 0.6:  # the rest stay on 1.0.0, behind when a newer version is bundled
        newest = newest_version("python-service" if "python" in record.read_text() else "node-service")
        record.write_text(re.sub(r"version: \S+", f"version: {newest}", record.read_text(), count=1))
    if rng.random() < 0.2:
        (target / "SECURITY.md").unlink()
    if rng.random() < 0.15:
        add_waiver(record, "SEC003", "SECURITY.md", f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    if rng.random() < 0.1:
        (target / "CODEOWNERS").unlink()
    if rng.random() < 0.05:
        record.unlink()  # not on a golden path
    return target


def add_waiver(record: Path, rule: str, path: str, expires: str) -> None:
    record.write_text(record.read_text() + f"doctor:\n  waivers:\n    - rule: {rule}\n      path: {path}\n"
                      f"      reason: tracked in PLAT-1\n      expires: {expires}\n")


def synthetic_report(index: int, rng: random.Random, day: str) -> dict[str, Any]:
    """A fleet JSON snapshot as a shard would write it, without scanning anything (for 10,000-repo figures)."""
    rules = [{"rule": r, "severity": s, "count": rng.randint(1, 3)}
             for r, s in (("GP003", "info"), ("SEC003", "warning"), ("OWN001", "error"), ("CI004", "warning"))
             if rng.random() < 0.25]
    behind = rng.choice((0, 0, 0, 1, 2))
    return {
        "key": f"component:default/svc-{index:05d}", "name": f"svc-{index:05d}", "location": f"repos/svc-{index:05d}",
        "scanned_at": f"{day}T05:00:00+00:00", "owner": TEAMS[index % len(TEAMS)],
        "golden_path": "python-service" if index % 3 else "node-service", "version": f"1.{2 - behind}.0",
        "newest_version": "1.2.0", "versions_behind": behind, "drift_files": None,
        "level": rng.choice(("none", "bronze", "silver", "gold")), "waived": 0, "error": None,
        "rules": rules, "waivers": [],
    }
