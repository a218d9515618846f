"""Recovering from a platctl run that was killed while it staged or wrote files.

A killed run leaves its ``.platctl-staging-<pid>-…`` directory (see
``platctl.safewrite``); the next run that stages in the same place rolls it
back and removes it. A staging directory is untrusted input, though: a pull
request can commit one, and its journal would then name files to delete or
overwrite anywhere. So a directory is recovered only when

* it was stamped at creation by this user on this machine (host, uid, device
  and inode: a copy or a checkout of it cannot match), and nobody else can write it;
* git does not track it;
* every path in its journal stays inside the tree through no symlink, and every
  backup is a regular file.

Anything else is left untouched (never deleted), with a one-line notice the
caller can show.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from platctl.cachedir import private_dir_problem
from platctl.errors import UserError
from platctl.safewrite import (
    JOURNAL,
    STAGING_PREFIX,
    STAMP,
    check_no_symlink_components,
    read_json,
    roll_back,
    stamp_of,
)


@dataclass(frozen=True)
class Recovery:
    """What ``recover_interrupted`` did: staging it rolled back, and one-line notices about staging it left."""

    recovered: tuple[Path, ...] = ()
    left: tuple[str, ...] = ()


def recover_interrupted(parent: Path) -> Recovery:
    """Roll back and remove this user's staging directories of platctl runs that no longer run."""
    try:
        entries = sorted(e for e in parent.iterdir() if e.name.startswith(STAGING_PREFIX))
    except OSError:
        return Recovery()
    recovered: list[Path] = []
    left: list[str] = []
    for entry in entries:
        pid = _staging_pid(entry.name)
        if pid is None or _alive(pid):
            continue
        try:
            _recover_one(parent, entry)
        except UserError as why:
            left.append(f"left {entry} untouched: {why}; remove it yourself if no platctl run of yours made it")
            continue
        recovered.append(entry)
    return Recovery(tuple(recovered), tuple(left))


def _recover_one(parent: Path, entry: Path) -> None:
    """Roll ``entry`` back into ``parent`` and remove it, or raise UserError saying why it is not ours."""
    problem = private_dir_problem(entry) or _tracked_by_git(parent, entry)
    if problem:
        raise UserError(f"it {problem}")
    if _only_a_partial_stamp(entry):
        shutil.rmtree(entry)
        return
    if read_json(entry, STAMP) != stamp_of(entry):
        raise UserError("it was not made by platctl as this user on this machine")
    if os.path.lexists(entry / JOURNAL):
        roll_back(parent, entry, _journal_files(entry))
    shutil.rmtree(entry)


def _only_a_partial_stamp(entry: Path) -> bool:
    """A run killed between creating its staging directory and stamping it left nothing else."""
    names = {p.name for p in entry.iterdir()}
    return names <= {STAMP + ".tmp"} and all(not (entry / n).is_symlink() for n in names)


def _tracked_by_git(parent: Path, entry: Path) -> str | None:
    import subprocess

    from platctl.gitcmd import git_command

    try:
        done = subprocess.run(git_command("-C", str(parent), "ls-files", "-z", "--", entry.name),
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None if not _inside_work_tree(parent) else "cannot be checked with git ls-files"
    if done.returncode != 0:
        return "cannot be checked with git ls-files" if _inside_work_tree(parent) else None
    return "is tracked by git (committed, not left by a platctl run)" if done.stdout else None


def _inside_work_tree(path: Path) -> bool:
    return any(os.path.lexists(p / ".git") for p in (path, *path.parents))


def _journal_files(staging: Path) -> dict[str, bool]:
    """The journal's ``rel -> existed`` entries, each checked to stay in the tree through no link."""
    data = read_json(staging, JOURNAL)
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, bool) for k, v in files.items()):
        raise UserError("its journal is not one platctl wrote")
    for rel, existed in files.items():
        if existed and not stat.S_ISREG(os.lstat(check_no_symlink_components(staging, f"old/{rel}")).st_mode):
            raise UserError(f"its backup of {rel} is not a regular file")
    return files


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
