"""``platctl upgrade``: move a service to a newer golden-path version without losing its edits.

For every file the golden path renders: base is the render at the recorded
version, theirs the render at the target version, ours the work tree. Files
the team never touched take the new version; files both sides changed are
merged by ``git merge-file``; clashes keep git's conflict markers. Seeded files
are never touched. Nothing is written until the whole plan is known, and the
writes go through ``platctl.upgrade.apply`` so a failure restores every file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from platctl.errors import UserError
from platctl.scaffold.collect import Given
from platctl.scaffold.record import Record

if TYPE_CHECKING:
    from platctl.scaffold.api import Recorded
from platctl.scaffold.files import is_text, read_file, read_tree
from platctl.upgrade.merge import merge_file

# What happens to a file, and whether the work tree changes.
WRITES = {"update", "merge", "conflict", "add", "remove"}


@dataclass(frozen=True)
class FileChange:
    path: str
    action: str  # update, merge, conflict, add, remove, kept-changed, kept-deleted, seeded
    content: bytes | None = None  # the new content; None for remove and for actions that write nothing
    conflicts: int = 0


@dataclass(frozen=True)
class UpgradePlan:
    service: Path
    golden_path: str
    from_version: str
    to_version: str
    record: Record
    changes: tuple[FileChange, ...] = field(default=())
    notices: tuple[str, ...] = ()  # one-line warnings, e.g. staging directories left untouched
    secrets: tuple[str, ...] = field(default=(), repr=False)  # values never to show: secret answers

    @property
    def conflicts(self) -> list[str]:
        return [c.path for c in self.changes if c.action == "conflict"]

    @property
    def writes(self) -> list[FileChange]:
        return [c for c in self.changes if c.action in WRITES]


def plan_upgrade(
    service_dir: Path,
    ref: str | None = None,
    sources: Sequence[Given] = (),
    offline: bool = False,
    trust: bool = False,
) -> UpgradePlan:
    """Work out every file's fate; write nothing. ``sources``: answers for the new version, highest first."""
    from platctl.recovery import recover_interrupted
    from platctl.scaffold.answers import secret_values
    from platctl.scaffold.api import open_recorded, record_for, render_golden_path
    from platctl.scaffold.collect import collect_answers, merge
    from platctl.scaffold.source import available_versions, open_golden_path

    notices = recover_interrupted(service_dir).left
    check_clean(service_dir)
    with open_recorded(service_dir, offline, trust) as recorded:
        target = ref or available_versions(recorded.source, offline)[-1]
        given = merge([s for s in sources if not s.suggests])  # the service was not made with today's defaults
        with render_golden_path(recorded.golden_path, _base_answers(recorded, given), service_dir) as rendered:
            base = read_tree(rendered)
        with open_golden_path(recorded.source, target, offline, trust) as new:
            known = {v.name for v in new.variables}
            kept = Given("the record", {k: v for k, v in recorded.record.answers.items() if k in known})
            answers = collect_answers(new, (*sources, kept))
            with render_golden_path(new, answers, service_dir) as rendered:
                theirs = read_tree(rendered)
            record = record_for(new, answers)
            secrets = secret_values(new, answers)
            ownership = new.ownership
    changes = tuple(
        _change(rel, base.get(rel), theirs.get(rel), read_file(service_dir, rel), ownership(rel), labels)
        for rel in sorted(set(base) | set(theirs))
        for labels in [(f"{rel} (yours)", f"{rel} ({recorded.record.version})", f"{rel} ({record.version})")]
    )
    new_record = dataclasses.replace(record, extra=recorded.record.extra)
    return UpgradePlan(
        service_dir, record.name, recorded.record.version, record.version, new_record, changes, notices, secrets
    )


def _base_answers(recorded: Recorded, values: Mapping[str, Any]) -> dict[str, Any]:
    """The recorded answers, with what the record could not keep (secrets) given again by ``values``.

    The service was made with those values, so the base render needs them too,
    or every file that uses a secret would look changed by the team.
    """
    from platctl.scaffold.answers import resolve_answers

    old = recorded.golden_path
    unrecorded = {k: v for k, v in values.items() if old.variable(k) and k not in recorded.record.answers}
    return resolve_answers(old, {**recorded.record.answers, **unrecorded}) if unrecorded else recorded.answers


def plan_diff(plan: UpgradePlan) -> Iterator[str]:
    """The unified diff of every file the plan writes; a secret answer's value shows as ``***``."""
    import difflib

    from platctl.scaffold.answers import redact

    for change in plan.writes:
        current = read_file(plan.service, change.path) or b""
        old_lines = redact(current.decode(errors="replace"), plan.secrets).splitlines(keepends=True)
        new_lines = redact((change.content or b"").decode(errors="replace"), plan.secrets).splitlines(keepends=True)
        yield from difflib.unified_diff(old_lines, new_lines, f"a/{change.path}", f"b/{change.path}")


def _change(
    rel: str, base: bytes | None, theirs: bytes | None, ours: bytes | None, ownership: str,
    labels: tuple[str, str, str],
) -> FileChange:
    if ownership == "seeded" and ours is not None:
        return FileChange(rel, "seeded")
    if theirs is None:
        return _removed_upstream(rel, base, ours)
    if ours is None:
        return FileChange(rel, "add", theirs) if base is None else FileChange(rel, "kept-deleted")
    if ours == theirs or theirs == base:
        return FileChange(rel, "unchanged")
    if ours == base:
        return FileChange(rel, "update", theirs)
    return _merge(rel, base or b"", theirs, ours, labels)


def _removed_upstream(rel: str, base: bytes | None, ours: bytes | None) -> FileChange:
    if ours is None:
        return FileChange(rel, "unchanged")
    if ours == base:
        return FileChange(rel, "remove")
    return FileChange(rel, "kept-changed")


def _merge(rel: str, base: bytes, theirs: bytes, ours: bytes, labels: tuple[str, str, str]) -> FileChange:
    if not (is_text(base) and is_text(theirs) and is_text(ours)):
        return FileChange(rel, "conflict", ours, 1)
    result = merge_file(ours, base, theirs, labels)
    if result.conflicts:
        return FileChange(rel, "conflict", result.content, result.conflicts)
    return FileChange(rel, "merge", result.content)


def check_clean(service_dir: Path) -> None:
    """Refuse a git work tree with uncommitted changes: the upgrade must be reviewable."""
    import git

    from platctl.gitcmd import open_repo

    try:
        repo = open_repo(service_dir, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return
    if repo.bare:
        return
    rel = Path(service_dir).resolve().relative_to(Path(repo.working_tree_dir or ".").resolve()).as_posix()
    if repo.is_dirty(untracked_files=True, path=None if rel == "." else rel):
        raise UserError(
            f"{service_dir} has uncommitted changes: commit or stash them first, so the upgrade can be reviewed"
        )
