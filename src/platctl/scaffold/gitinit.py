"""Start a git repository with a first commit, with no hook or fsmonitor of the tree's own."""

from __future__ import annotations

from pathlib import Path

from platctl.errors import UserError


def init_and_commit(path: Path, message: str) -> str:
    """``git init`` on ``main``, stage everything, commit; return the commit SHA.

    A tree that holds ``.git`` already (a template can ship one, with hooks and an
    fsmonitor in its config) is refused: platctl starts the repository itself.
    """
    import git

    from platctl.gitcmd import commit_index, init_repo

    if (path / ".git").exists() or (path / ".git").is_symlink():
        raise UserError(f"{path / '.git'} exists before git was started: the template must not ship a .git")
    try:
        repo = init_repo(path)
        repo.git.add(A=True)
        return commit_index(repo, message)
    except (git.GitError, OSError) as error:
        raise UserError(f"git could not start the repository: {error}; retry with --no-git") from None
