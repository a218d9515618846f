"""Every write platctl makes into a user's directory goes through here.

Two operations, both all-or-nothing:

* ``staging_dir(parent)``: a fresh ``.platctl-staging-<pid>-…`` directory on
  the target's filesystem, for building a new tree that is then renamed into
  place (``platctl new``, ``adopt``).
* ``replace_files(root, changes)``: replace, create or delete several files in
  an existing tree (``upgrade``, ``doctor --fix``). New contents and backups
  of the originals are staged first; a journal marks the moment files start to
  change; any exception restores every original.

A process killed with SIGKILL cannot clean up. It leaves its staging directory,
and the next platctl run that stages in the same directory finds it (its pid
no longer runs): without a journal nothing was changed and it is deleted; with
a journal the originals are put back first. So a tree is always either as it
was or completely changed.

``PLATCTL_TEST_PAUSE_BETWEEN_WRITES`` (seconds) slows ``replace_files`` down
between files so the tests can kill it in the middle; it is read only there.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from platctl.errors import UserError

STAGING_PREFIX = ".platctl-staging-"
JOURNAL = "journal.json"


@contextmanager
def staging_dir(parent: Path) -> Iterator[Path]:
    """A fresh directory in ``parent`` that is removed however the block ends."""
    recover_interrupted(parent)
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    except OSError as error:
        raise UserError(f"cannot write in {parent}: {error.strerror}; choose another directory") from None
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def recover_interrupted(parent: Path) -> list[Path]:
    """Roll back and remove staging directories of platctl processes that no longer run."""
    try:
        entries = [e for e in parent.iterdir() if e.name.startswith(STAGING_PREFIX)]
    except OSError:
        return []
    recovered = []
    for entry in entries:
        pid = _staging_pid(entry.name)
        if pid is None or _alive(pid) or entry.is_symlink() or not entry.is_dir():
            continue
        if (entry / JOURNAL).is_file():
            _roll_back(parent, entry)
        shutil.rmtree(entry, ignore_errors=True)
        recovered.append(entry)
    return recovered


def replace_files(root: Path, changes: Mapping[str, bytes | None]) -> None:
    """Write each ``rel -> content`` (``None`` deletes) under ``root``: all of them, or none."""
    pause = float(os.environ.get("PLATCTL_TEST_PAUSE_BETWEEN_WRITES", "0") or 0)
    with staging_dir(root) as staging:
        had = {rel: _stage_one(root, staging, rel, content) for rel, content in changes.items()}
        _write_journal(staging, had)
        try:
            for rel, content in changes.items():
                _put(root / rel, staging / "new" / rel if content is not None else None)
                if pause:
                    time.sleep(pause)
        except BaseException:
            _roll_back(root, staging)
            raise
        (staging / JOURNAL).unlink()


def _stage_one(root: Path, staging: Path, rel: str, content: bytes | None) -> bool:
    """Back up the current file (if any) and stage the new content; return whether a file existed."""
    current = root / rel
    existed = current.is_file() and not current.is_symlink()
    if existed:
        backup = staging / "old" / rel
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(current, backup)
    if content is not None:
        new = staging / "new" / rel
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_bytes(content)
        if existed:
            shutil.copymode(current, new)
    return existed


def _write_journal(staging: Path, had: Mapping[str, bool]) -> None:
    tmp = staging / (JOURNAL + ".tmp")
    tmp.write_text(json.dumps({"files": had}))
    os.replace(tmp, staging / JOURNAL)


def _put(target: Path, staged: Path | None) -> None:
    if staged is None:
        target.unlink(missing_ok=True)
        _prune_empty_dirs(target.parent)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def _roll_back(root: Path, staging: Path) -> None:
    """Put every original back and remove every file that did not exist before."""
    had: dict[str, bool] = json.loads((staging / JOURNAL).read_text())["files"]
    for rel, existed in had.items():
        target = root / rel
        if existed:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staging / "old" / rel, target)
        else:
            target.unlink(missing_ok=True)
            _prune_empty_dirs(target.parent)


def _prune_empty_dirs(directory: Path) -> None:
    try:
        while not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent
    except OSError:
        return


def _staging_pid(name: str) -> int | None:
    head = name[len(STAGING_PREFIX) :].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
