"""Start a git repository with a first commit, with no hook or fsmonitor of the tree's own.

Plumbing only (``init``, ``add``, ``write-tree``, ``commit-tree``, ``update-ref``),
through ``platctl.gitcmd``: no hook can run, and no gitpython import is paid for
on ``platctl new``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from platctl.errors import UserError
from platctl.gitcmd import git_command, git_environment


def init_and_commit(path: Path, message: str) -> str:
    """``git init`` on ``main``, stage everything, commit; return the commit SHA.

    A tree that holds ``.git`` already (a template can ship one, with hooks and an
    fsmonitor in its config) is refused: platctl starts the repository itself.
    """
    if (path / ".git").exists() or (path / ".git").is_symlink():
        raise UserError(f"{path / '.git'} exists before git was started: the template must not ship a .git")
    env = git_environment()
    _git(path, env, "init", "-q", "-b", "main", ".")
    _git(path, env, "add", "-A")
    tree = _git(path, env, "write-tree")
    commit = _git(path, {**env, **_identity(path, env)}, "commit-tree", tree, "-m", message)
    _git(path, env, "update-ref", "refs/heads/main", commit)
    return commit


def _git(path: Path, env: dict[str, str], *args: str) -> str:
    try:
        done = subprocess.run(git_command("-C", str(path), *args), env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise UserError(f"git could not start the repository: {error.strerror}; retry with --no-git") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise UserError(f"git could not start the repository: {detail}; retry with --no-git")
    return done.stdout.strip()


def _identity(path: Path, env: dict[str, str]) -> dict[str, str]:
    """The author and committer git would use; where none is configured, ``user@host`` as gitpython does."""
    found = subprocess.run(git_command("-C", str(path), "config", "--get-regexp", r"^user\.(name|email)$"),
                           env=env, capture_output=True, text=True, check=False).stdout
    configured = dict(line.split(" ", 1) for line in found.splitlines() if " " in line)
    user = _login()
    name = env.get("GIT_AUTHOR_NAME") or configured.get("user.name") or user
    email = env.get("GIT_AUTHOR_EMAIL") or configured.get("user.email") or f"{user}@{os.uname().nodename}"
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
