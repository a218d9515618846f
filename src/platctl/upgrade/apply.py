"""Apply an upgrade plan: every write staged first, and all of them undone if one fails."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from platctl.scaffold.record import RECORD_NAME, write_record
from platctl.scaffold.render import staging_dir
from platctl.upgrade.api import FileChange, UpgradePlan


def apply_upgrade(plan: UpgradePlan, commit: bool = False) -> str | None:
    """Write the plan into the service and update its record; return the commit SHA with ``commit``."""
    service = plan.service
    with staging_dir(service) as staging:
        backups = _stage(plan, staging)
        try:
            for change in plan.writes:
                _put(service / change.path, staging / "new" / change.path if change.content is not None else None)
            write_record(service, plan.record)
        except BaseException:
            _restore(service, backups)
            raise
    return _commit(plan) if commit else None


def _stage(plan: UpgradePlan, staging: Path) -> dict[str, Path | None]:
    """Write every new file into staging and keep a copy of every file that will change."""
    backups: dict[str, Path | None] = {}
    for change in [*plan.writes, FileChange(RECORD_NAME, "update")]:
        current = plan.service / change.path
        if current.is_file() and not current.is_symlink():
            backup = staging / "old" / change.path
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(current, backup)
            backups[change.path] = backup
        else:
            backups[change.path] = None
        if change.content is not None:
            new = staging / "new" / change.path
            new.parent.mkdir(parents=True, exist_ok=True)
            new.write_bytes(change.content)
            if current.is_file():
                shutil.copymode(current, new)
    return backups


def _put(target: Path, staged: Path | None) -> None:
    if staged is None:
        target.unlink(missing_ok=True)
        _prune_empty_dirs(target.parent)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def _prune_empty_dirs(directory: Path) -> None:
    try:
        while not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent
    except OSError:
        return


def _restore(service: Path, backups: dict[str, Path | None]) -> None:
    for rel, backup in backups.items():
        target = service / rel
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(backup, target)


def _commit(plan: UpgradePlan) -> str:
    import git

    repo = git.Repo(plan.service, search_parent_directories=True)
    repo.git.add("-A", "--", str(plan.service.resolve()))
    message = f"Upgrade {plan.golden_path} from {plan.from_version} to {plan.to_version}\n\nMerged by platctl upgrade.\n"
    reader = repo.config_reader()
    done = repo.index.commit(message, author=git.Actor.author(reader), committer=git.Actor.committer(reader))
    return done.hexsha
