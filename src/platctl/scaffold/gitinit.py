"""Start a git repository with a first commit, through gitpython."""

from __future__ import annotations

from pathlib import Path

from platctl.errors import UserError


def init_and_commit(path: Path, message: str) -> str:
    """``git init`` on ``main``, stage everything, commit; return the commit SHA."""
    import git

    try:
        repo = git.Repo.init(path, initial_branch="main")
        repo.git.add(A=True)
        reader = repo.config_reader()
        commit = repo.index.commit(
            message, author=git.Actor.author(reader), committer=git.Actor.committer(reader)
        )
    except (git.GitError, OSError) as error:
        raise UserError(f"git could not start the repository: {error}; retry with --no-git") from None
    return commit.hexsha

