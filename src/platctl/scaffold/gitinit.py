"""Start a git repository with a first commit, with no hook or fsmonitor of the tree's own.

Every git call goes through ``platctl.gitcmd`` (hooks, fsmonitor and signing off).
``git init`` and the identity lookup start in the background while the
template renders (:func:`start_git`); after the render only ``git add`` and
``git commit`` run (:func:`commit_all`). No gitpython import is paid for on
``platctl new``.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from platctl.errors import UserError
from platctl.gitcmd import git_command, git_environment


@dataclass
class GitStart:
    """A ``git init`` and an identity lookup under way, for a tree that is still being rendered."""

    folder: Path
    init: subprocess.Popen[str]
    identity: subprocess.Popen[str]
    env: dict[str, str]


@contextmanager
def started_git(scratch: Path, wanted: bool = True) -> Iterator[GitStart | None]:
    """:func:`start_git` for the block (None when not ``wanted``); both processes are reaped however it ends,
    so nothing is still writing into ``scratch`` when the caller removes it."""
    start = start_git(scratch) if wanted else None
    try:
        yield start
    finally:
        for process in (start.init, start.identity) if start else ():
            if process.poll() is None:
                process.kill()
            process.communicate()


def start_git(scratch: Path) -> GitStart:
    """Begin ``git init`` in a fresh folder under ``scratch`` (the staging directory) and look up the identity."""
    env = git_environment()
    folder = Path(tempfile.mkdtemp(prefix="git-", dir=scratch))
    try:
        init = _start(env, "init", "-q", "-b", "main", str(folder))
        identity = _start(env, "-C", str(folder), "config", "--get-regexp", r"^user\.(name|email)$")
    except OSError as error:
        raise UserError(f"git could not start the repository: {error.strerror}; retry with --no-git") from None
    return GitStart(folder, init, identity, env)


def commit_all(start: GitStart, path: Path, message: str) -> str:
    """Move the new repository into ``path``, stage everything, commit on ``main``; return the commit SHA.

    A tree that holds ``.git`` already (a template can ship one, with hooks and an
    fsmonitor in its config) is refused: platctl starts the repository itself.
    """
    if (path / ".git").exists() or (path / ".git").is_symlink():
        raise UserError(f"{path / '.git'} exists before git was started: the template must not ship a .git")
    _finish(start.init)
    configured = start.identity.communicate()[0]
    os.rename(start.folder / ".git", path / ".git")
    _git(path, start.env, "add", "-A")
    _git(path, {**start.env, **_identity(configured, start.env)}, "-c", "commit.gpgsign=false", "commit", "-q",
         "--no-verify", "-m", message)
    return (path / ".git" / "refs" / "heads" / "main").read_text(encoding="ascii").strip()


def init_and_commit(path: Path, message: str) -> str:
    """``git init`` on ``main``, stage everything, commit; return the commit SHA (both steps at once)."""
    with tempfile.TemporaryDirectory(prefix="platctl-git-") as scratch, started_git(Path(scratch)) as start:
        assert start is not None
        return commit_all(start, path, message)


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(git_command(*args), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate()
    if process.returncode != 0:
        detail = (err.strip().splitlines() or [f"exit {process.returncode}"])[-1]
        raise UserError(f"git could not start the repository: {detail}; retry with --no-git")
    return out.strip()


def _git(path: Path, env: dict[str, str], *args: str) -> str:
    try:
        return _finish(_start(env, "-C", str(path), *args))
    except OSError as error:
        raise UserError(f"git could not start the repository: {error.strerror}; retry with --no-git") from None


def _identity(configured: str, env: dict[str, str]) -> dict[str, str]:
    """The author and committer git would use; where none is configured, ``user@host`` as gitpython does."""
    found = dict(line.split(" ", 1) for line in configured.splitlines() if " " in line)
    user = _login()
    name = env.get("GIT_AUTHOR_NAME") or found.get("user.name") or user
    email = env.get("GIT_AUTHOR_EMAIL") or found.get("user.email") or f"{user}@{os.uname().nodename}"
    return {
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": env.get("GIT_COMMITTER_NAME") or name,
        "GIT_COMMITTER_EMAIL": env.get("GIT_COMMITTER_EMAIL") or email,
    }


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "platctl"
