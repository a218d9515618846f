"""Plan an adoption (read everything, decide file by file, write nothing) and apply it.

Only the platform files the service lacks are added: never the application
(the manifest's ``application``), never a file it has, never a part it provides
its own way (an ``artifacts`` entry whose ``present_when`` matches, in the
service or at the repository root), and, for a service in a subdirectory, none
of the files that work only at the root (``adopt.root_only``). Each file kept
or left out is reported with the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from platctl.adopt.answers import Found, detected_answers
from platctl.adopt.contract import contract
from platctl.adopt.detect import Detection, detect
from platctl.adopt.endpoints import Endpoints, detect_endpoints
from platctl.adopt.report import Kept, Report, render_markdown
from platctl.adopt.tree import Tree, read_tree
from platctl.errors import UserError
from platctl.safewrite import check_no_symlink_components
from platctl.scaffold.catalog import AdoptFacts, GoldenPath, matches_glob
from platctl.scaffold.collect import Given
from platctl.scaffold.record import RECORD_NAME


@dataclass(frozen=True)
class AdoptPlan:
    repo: Path  # the service's directory: where the files go
    golden_path: GoldenPath
    answers: dict[str, Any]
    origins: dict[str, str]
    add: dict[str, bytes]
    kept: tuple[str, ...]  # files the golden path has that the service keeps as its own
    kept_artifacts: tuple[str, ...]
    notices: tuple[str, ...] = ()  # one-line warnings, e.g. staging directories left untouched
    report: Report | None = field(default=None, compare=False)
    service_dir: str = ""  # relative to the repository root; "" for the root


@dataclass(frozen=True)
class _Seen:
    tree: Tree
    facts: AdoptFacts
    detection: Detection
    endpoints: Endpoints
    found: Found


def plan_adopt(repo: Path, golden_path: GoldenPath, sources: Sequence[Given] = (), service_dir: str = "") -> AdoptPlan:
    """Render the golden path for this service and decide, file by file, what to add.

    ``sources`` are the caller's answers (highest first); what the repository says comes after them.
    """
    from platctl.recovery import recover_interrupted
    from platctl.scaffold.collect import collect_answers

    target = check_no_symlink_components(repo, service_dir) if service_dir else repo
    notices = recover_interrupted(target).left
    if os.path.lexists(target / RECORD_NAME):
        raise UserError(f"{target / RECORD_NAME} exists: this service is on a golden path already (see platctl diff)")
    seen = _look(repo, golden_path, service_dir)
    answers = collect_answers(golden_path, (*sources, Given("the repository", seen.found.values)))
    origins = {k: _origin(k, sources, seen.found) for k in answers}
    files, record = _render(golden_path, answers, target)
    add, kept, provided, skipped = _decide(seen, golden_path, files, target)
    add[RECORD_NAME] = record
    report = _report(seen, golden_path, answers, origins, add, kept, skipped)
    if not os.path.lexists(check_no_symlink_components(target, seen.facts.report)):
        add[seen.facts.report] = render_markdown(report).encode()
    return AdoptPlan(target, golden_path, answers, origins, add, tuple(k.path for k in kept), provided, notices,
                     report, service_dir)


def _look(repo: Path, golden_path: GoldenPath, service_dir: str) -> _Seen:
    tree = read_tree(repo)
    facts = golden_path.adopt
    detection = detect(tree, service_dir, golden_path, facts)
    endpoints = detect_endpoints(tree, service_dir, detection.compose)
    return _Seen(tree, facts, detection, endpoints, detected_answers(repo, tree, golden_path, detection, endpoints))


def _render(golden_path: GoldenPath, answers: dict[str, Any], target: Path) -> tuple[dict[str, bytes], bytes]:
    from platctl.scaffold.api import render_golden_path
    from platctl.scaffold.files import read_tree as read_rendered

    with render_golden_path(golden_path, answers, target) as rendered:
        return read_rendered(rendered), (rendered / RECORD_NAME).read_bytes()


def _decide(seen: _Seen, golden_path: GoldenPath, files: dict[str, bytes], target: Path
            ) -> tuple[dict[str, bytes], list[Kept], tuple[str, ...], list[str]]:
    own = seen.detection.service_dir
    evidence = {a.name: _evidence(seen.tree, a.present_when, own) for a in golden_path.artifacts}
    provided = tuple(name for name, where in evidence.items() if where)
    add: dict[str, bytes] = {}
    kept: list[Kept] = []
    skipped: list[str] = []
    for rel, content in sorted(files.items()):
        artifact = next((a.name for a in golden_path.artifacts if any(matches_glob(rel, g) for g in a.files)), None)
        if any(matches_glob(rel, g) for g in golden_path.application):
            continue
        if os.path.lexists(check_no_symlink_components(target, rel)):
            kept.append(Kept(rel, "the service's own file (`platctl diff` shows how it differs)"))
        elif artifact in provided:
            kept.append(Kept(rel, f"the repository provides its {artifact} its own way ({evidence[artifact]})", True))
        elif own and any(matches_glob(rel, g) for g in seen.facts.root_only):
            skipped.append(f"`{rel}` not added: it works only at the repository root, and this service is `{own}/`")
        else:
            add[rel] = content
    return add, kept, provided, skipped


def _evidence(tree: Tree, globs: tuple[str, ...], own: str) -> str:
    """The first file (in the service, else at the root) that shows the repository provides an artifact."""
    for under in dict.fromkeys((own, "")):
        found = next((f for g in globs for f in tree.glob(g, under)), None)
        if found:
            return found
    return ""


def _report(seen: _Seen, golden_path: GoldenPath, answers: dict[str, Any], origins: dict[str, str],
            add: dict[str, bytes], kept: list[Kept], skipped: list[str]) -> Report:
    from platctl.adopt.conflicts import conflicts

    rows = tuple((k, str(v), origins.get(k, "default")) for k, v in answers.items())
    return Report(
        service=seen.detection.service_dir or ".",
        golden_path=f"{golden_path.name} {golden_path.version}",
        answers=rows,
        added=tuple(sorted({*add, seen.facts.report})),
        kept=tuple(kept),
        conflicts=(*conflicts(seen.detection, golden_path, answers, add, seen.found), *skipped),
        contract=contract(add, answers, seen.endpoints, seen.tree, seen.detection.service_dir),
        path=seen.facts.report,
    )


def _origin(name: str, sources: Sequence[Given], found: Found) -> str:
    """Where an answer came from, in the order collect_answers weighs them: given, the repository, suggested."""
    given = next((s.origin for s in sources if not s.suggests and name in s.values), None)
    suggested = next((s.origin for s in sources if s.suggests and name in s.values), "default")
    return given or found.origins.get(name) or suggested


def apply_adopt(plan: AdoptPlan) -> None:
    """Add the planned files; never overwrite one that appeared meanwhile."""
    from platctl.safewrite import replace_files

    clash = [rel for rel in plan.add if os.path.lexists(check_no_symlink_components(plan.repo, rel))]
    if clash:
        raise UserError(f"{', '.join(clash)} appeared while adopting; nothing was written, run platctl adopt again")
    replace_files(plan.repo, dict(plan.add))
