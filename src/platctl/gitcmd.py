"""Every git command platctl runs, with the repository's own code switched off.

A repository or template is untrusted input: its ``.git/config`` can name an
fsmonitor command and its ``hooks/`` can hold scripts, and git runs both on
``status``, ``add``, ``commit`` and ``fetch``. Every git call goes through here:

* ``git_command(*args)``: the argv of a subprocess call, with ``-c`` overrides;
* ``git_environment()``: the same overrides as ``GIT_CONFIG_*`` variables, for gitpython;
* ``open_repo`` / ``init_repo`` / ``clone_mirror``: gitpython objects that carry them.

gitpython's own ``IndexFile.commit`` runs ``.git/hooks`` itself, ignoring
``core.hooksPath``: use ``commit_index``, which skips them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import git

# Settings that make git run no command the repository chose, and no transport that runs one.
SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.hooksPath", "/dev/null"),
    ("core.fsmonitor", "false"),
    ("core.untrackedCache", "false"),
    ("protocol.ext.allow", "never"),
    ("protocol.file.allow", "user"),
    ("diff.external", ""),
    ("uploadpack.packObjectsHook", ""),
)


def git_command(*args: str) -> list[str]:
    """``git -c … ARGS``: the argv for ``subprocess``."""
    flags = [part for key, value in SAFE_CONFIG for part in ("-c", f"{key}={value}")]
    return ["git", *flags, *args]


def git_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """``GIT_CONFIG_COUNT``/``KEY_n``/``VALUE_n`` for the safe settings, after any the caller had."""
    env = dict(os.environ if base is None else base)
    count = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    for index, (key, value) in enumerate(SAFE_CONFIG, start=count):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = key, value
    env["GIT_CONFIG_COUNT"] = str(count + len(SAFE_CONFIG))
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def _overrides() -> dict[str, str]:
    return {k: v for k, v in git_environment({}).items() if k.startswith("GIT_")}


def open_repo(path: Path, **kwargs: Any) -> git.Repo:
    import git

    repo = git.Repo(path, **kwargs)
    repo.git.update_environment(**_overrides())
    return repo


def init_repo(path: Path) -> git.Repo:
    import git

    git.Git(str(path)).execute(git_command("init", "-q", "-b", "main", str(path)), env=git_environment())
    return open_repo(path)


def clone_mirror(location: str, into: Path) -> None:
    import git

    git.Repo.clone_from(location, into, mirror=True, env=_overrides(), allow_unsafe_protocols=False)


def plain_git(directory: Path) -> git.Git:
    """A ``git.Git`` runner in ``directory`` (for commands outside any repository, like ``merge-file``)."""
    import git

    runner = git.Git(str(directory))
    runner.update_environment(**_overrides())
    return runner


def commit_index(repo: git.Repo, message: str) -> str:
    """Commit what is staged, without running any hook; return the SHA."""
    import git

    reader = repo.config_reader()
    done = repo.index.commit(
        message, author=git.Actor.author(reader), committer=git.Actor.committer(reader), skip_hooks=True
    )
    return str(done.hexsha)
