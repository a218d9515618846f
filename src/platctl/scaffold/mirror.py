"""The git mirrors of golden-path repositories, cached per user.

A remote (or local) git source is cloned once, bare, into
``$XDG_CACHE_HOME/platctl/git/<hash>`` and fetched at most once per process;
``--offline`` uses the mirror as it is. The cache is used only when it is this
user's alone (``platctl.cachedir``). Tags are read from the ref files, without
a git process.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from platctl.errors import UserError
from platctl.semver import is_version

GIT_URL = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")


def cache_root() -> Path:
    from platctl.cachedir import user_cache_dir

    return user_cache_dir("git")


def cache_path(location: str) -> Path:
    """Where the mirror of a git golden path is cached."""
    import hashlib  # only here: doctor's GP003 imports this module on every run

    return cache_root() / hashlib.sha256(location.encode()).hexdigest()[:16]


# Locations cloned or fetched by this process: one command (upgrade reads the base
# version, the list of versions and the target) fetches each repository once.
_FETCHED: set[str] = set()


def git_cache(location: str, offline: bool) -> Path:
    """A bare mirror of the repository in the user cache, fetched unless offline (a local one is cloned even then)."""
    import git

    from platctl.gitcmd import clone_mirror, open_repo

    cache = cache_path(location)
    try:
        if not _private_cache(cache).exists():
            if offline and not _on_this_machine(location):
                raise UserError(f"{location} is not in the cache ({cache}) and --offline forbids fetching it")
            tmp = Path(tempfile.mkdtemp(prefix=".clone-", dir=cache.parent))
            clone_mirror(location, tmp)
            os.rename(tmp, cache)
        elif not offline and location not in _FETCHED:
            open_repo(cache).git.fetch("--prune", "--tags", "origin", "+refs/heads/*:refs/heads/*")
        _FETCHED.add(location)
    except git.GitCommandError as error:
        detail = (error.stderr or "").strip().splitlines()
        raise UserError(f"cannot fetch golden path {location}: {detail[-1] if detail else error}") from None
    return cache


def _on_this_machine(location: str) -> bool:
    """A repository on a local path: cloning it needs no network, so --offline allows it."""
    return location.startswith("file://") or not GIT_URL.match(location)


def _private_cache(cache: Path) -> Path:
    """``cache`` once its folders are made and each is this user's alone; a one-line error otherwise."""
    from platctl.cachedir import make_private_dir, private_dir_problem

    problem = make_private_dir(cache_root())
    if not problem and os.path.lexists(cache):
        problem = (f"{cache} {why}" if (why := private_dir_problem(cache)) else None)
    if problem:
        raise UserError(f"the git cache {problem}: remove it, or set XDG_CACHE_HOME to a folder only you can write")
    return cache


def git_tags(git_dir: Path) -> list[str]:
    """The version tags of a repository, read from its ref files (no git process, no gitpython)."""
    tags: set[str] = set()
    refs = git_dir / "refs" / "tags"
    if refs.is_dir():
        tags.update(p.name for p in refs.iterdir())
    packed = git_dir / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(errors="replace").splitlines():
            ref = line.split(" ", 1)[-1]
            if ref.startswith("refs/tags/"):
                tags.add(ref[len("refs/tags/") :])
    return [t for t in tags if is_version(t)]
