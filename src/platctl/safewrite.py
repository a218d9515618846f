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

Recovery lives in ``platctl.recovery``: a staging directory is untrusted
until proven ours (a pull request can commit one), so only one stamped here at
creation (``write_stamp``) by this user on this machine is ever rolled back.

No path under a root is ever read, written or deleted through a symlinked
component (``check_no_symlink_components``): a ``deploy/`` that links out of
the tree is an error, not a way out.

``PLATCTL_TEST_PAUSE_BETWEEN_WRITES`` (seconds) slows ``replace_files`` down
between files so the tests can kill it in the middle; it is read only there.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Mapping

from platctl.errors import UserError

STAGING_PREFIX = ".platctl-staging-"
JOURNAL = "journal.json"
STAMP = "stamp.json"


def check_no_symlink_components(root: Path, rel: str) -> Path:
    """``root / rel`` if ``rel`` stays under ``root`` and no existing component of it is a symlink."""
    parts = PurePosixPath(rel).parts
    if not rel or "\0" in rel or PurePosixPath(rel).is_absolute() or ".." in parts or "\\" in rel:
        raise UserError(f"{rel!r} is not a path inside {root}: platctl writes only inside the tree")
    current = root
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            break
        if stat.S_ISLNK(mode):
            where = "/".join(parts[: index + 1])
            raise UserError(f"{where} in {root} is a symlink; platctl does not read or write through links "
                            f"({rel}): replace it with a real {'directory' if index + 1 < len(parts) else 'file'}")
    return root / rel


def host_id() -> str:
    """This machine: its hostname and machine id (which a pull request's author cannot know)."""
    import socket

    machine = ""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            machine = Path(candidate).read_text().strip()
            break
        except OSError:
            continue
    return f"{socket.gethostname()}:{machine}"


@contextmanager
def staging_dir(parent: Path) -> Iterator[Path]:
    """A fresh directory in ``parent``, stamped as this run's, that is removed however the block ends."""
    from platctl.recovery import recover_interrupted

    recover_interrupted(parent)
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    except OSError as error:
        raise UserError(f"cannot write in {parent}: {error.strerror}; choose another directory") from None
    try:
        write_stamp(path)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def write_stamp(staging: Path) -> None:
    """Mark ``staging`` as made by this user on this machine, so a later run may recover it."""
    _write_json(staging, STAMP, stamp_of(staging))


def stamp_of(path: Path) -> dict[str, Any]:
    info = os.lstat(path)
    return {"host": host_id(), "uid": os.geteuid(), "dev": info.st_dev, "ino": info.st_ino}


def replace_files(root: Path, changes: Mapping[str, bytes | None]) -> None:
    """Write each ``rel -> content`` (``None`` deletes) under ``root``: all of them, or none."""
    for rel in changes:
        check_no_symlink_components(root, rel)
    pause = float(os.environ.get("PLATCTL_TEST_PAUSE_BETWEEN_WRITES", "0") or 0)
    with staging_dir(root) as staging:
        had = {rel: _stage_one(root, staging, rel, content) for rel, content in changes.items()}
        _write_json(staging, JOURNAL, {"files": had})
        try:
            for rel, content in changes.items():
                _put(root, rel, staging / "new" / rel if content is not None else None)
                if pause:
                    time.sleep(pause)
        except BaseException:
            roll_back(root, staging, had)
            raise
        (staging / JOURNAL).unlink()


def _stage_one(root: Path, staging: Path, rel: str, content: bytes | None) -> bool:
    """Back up the current file (if any) and stage the new content; return whether a file existed."""
    current = check_no_symlink_components(root, rel)
    existed = current.is_file()
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


def _write_json(directory: Path, name: str, data: Mapping[str, Any]) -> None:
    tmp = directory / (name + ".tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, directory / name)


def read_json(directory: Path, name: str) -> Any:
    path = directory / name
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _put(root: Path, rel: str, staged: Path | None) -> None:
    target = check_no_symlink_components(root, rel)
    if staged is None:
        target.unlink(missing_ok=True)
        _prune_empty_dirs(root, target.parent)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def roll_back(root: Path, staging: Path, had: Mapping[str, bool]) -> None:
    """Put every original back and remove every file that did not exist before."""
    for rel in had:
        check_no_symlink_components(root, rel)
    for rel, existed in had.items():
        target = check_no_symlink_components(root, rel)
        if existed:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staging / "old" / rel, target, follow_symlinks=False)
        else:
            target.unlink(missing_ok=True)
            _prune_empty_dirs(root, target.parent)


def _prune_empty_dirs(root: Path, directory: Path) -> None:
    """Remove ``directory`` and its parents while they are empty, never ``root`` or above it."""
    try:
        while directory != root and root in directory.parents and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent
    except OSError:
        return
