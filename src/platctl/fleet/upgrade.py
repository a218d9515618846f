"""``fleet upgrade``: for each repository, a branch with the golden-path upgrade committed, or its conflicts listed.

The work tree is left as it was found: the branch is made, committed and the
original branch checked out again. A repository with conflicts gets no branch
(``platctl upgrade`` in it shows and leaves the markers). The branch is pushed
when the repository has the remote, and a pull or merge request is opened only
when a forge is given. Every git command goes through ``platctl.gitcmd``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from platctl.errors import PlatctlError

if TYPE_CHECKING:
    import git

    from platctl.fleet.forge import Forge
    from platctl.upgrade.api import UpgradePlan

OUTCOMES = ("upgraded", "conflicts", "current", "failed")


@dataclass(frozen=True)
class UpgradeOptions:
    to: str
    remote: str = "origin"
    push: bool = True
    forge: Forge | None = None
    base: str | None = None  # the request's target branch (default: the branch the repository was on)
    offline: bool = False


@dataclass(frozen=True)
class RepoUpgrade:
    location: str
    outcome: str  # one of OUTCOMES
    from_version: str | None = None
    to_version: str | None = None
    branch: str | None = None
    commit: str | None = None
    conflicts: tuple[str, ...] = ()
    pushed: bool = False
    request_url: str | None = None
    message: str = ""  # why it failed, or what did not happen (push, request)


def upgrade_fleet(paths: Sequence[str], options: UpgradeOptions,
                  progress: Callable[[RepoUpgrade], None] | None = None) -> list[RepoUpgrade]:
    """Upgrade every repository, spread over the machine's cores; one row per repository, in order."""
    done = []
    for result in _each(list(paths), options):
        done.append(result)
        if progress is not None:
            progress(result)
    return done


def _each(paths: list[str], options: UpgradeOptions) -> Iterator[RepoUpgrade]:
    workers = min(os.cpu_count() or 1, len(paths))
    if workers < 2:
        yield from (upgrade_repo(p, options) for p in paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(upgrade_repo, paths, [options] * len(paths))


def upgrade_repo(location: str, options: UpgradeOptions) -> RepoUpgrade:
    """One repository's row; its problems are the row's message, never an exception."""
    try:
        return _upgrade(Path(location), location, options)
    except PlatctlError as error:
        return RepoUpgrade(location, "failed", message=str(error))
    except Exception as error:  # noqa: BLE001 - one broken repository must not stop the fleet
        return RepoUpgrade(location, "failed", message=f"unexpected error: {error!r}")


def _upgrade(path: Path, location: str, options: UpgradeOptions) -> RepoUpgrade:
    from platctl.scaffold.collect import organisation_source
    from platctl.scaffold.record import read_record
    from platctl.semver import normalise_version, version_key
    from platctl.upgrade.api import plan_upgrade

    if not path.is_dir():
        raise PlatctlError(f"{location}: no such repository (it was moved or deleted)")
    record = read_record(path)
    target = normalise_version(options.to)
    row = RepoUpgrade(location, "current", record.version, target)
    if record.version and version_key(record.version) >= version_key(target):
        return replace(row, message=f"already on {record.version}")
    plan = plan_upgrade(path, target, [organisation_source()], offline=options.offline)
    if plan.conflicts:
        return replace(row, outcome="conflicts", conflicts=tuple(plan.conflicts))
    branch = f"platctl/upgrade-{plan.golden_path}-{plan.to_version}"
    sha, original = _commit_on_branch(path, plan, branch)
    row = replace(row, outcome="upgraded", branch=branch, commit=sha)
    return _publish(path, row, options, options.base or original)


def _commit_on_branch(path: Path, plan: UpgradePlan, branch: str) -> tuple[str, str]:
    """Commit the plan on a new branch and return to the original one; on failure, undo both."""

    from platctl.gitcmd import open_repo
    from platctl.upgrade.apply import apply_upgrade

    repo = open_repo(path, search_parent_directories=True)
    if repo.head.is_detached:
        raise PlatctlError(f"{path}: HEAD is detached; check out a branch first")
    original = repo.active_branch.name
    if branch in [h.name for h in repo.heads]:
        raise PlatctlError(f"branch {branch} already exists in {path}: merge or delete it first")
    repo.git.checkout("-q", "-b", branch)
    try:
        sha = apply_upgrade(plan, commit=True)
    except BaseException:
        _restore(repo, original, branch)
        raise
    repo.git.checkout("-q", original)
    if not sha:
        raise PlatctlError(f"{path}: the upgrade made no commit")
    return sha, original


def _restore(repo: git.Repo, original: str, branch: str) -> None:
    import git

    try:
        repo.git.checkout("-q", "-f", original)
        repo.git.branch("-D", branch)
    except git.GitCommandError:
        pass


def _publish(path: Path, row: RepoUpgrade, options: UpgradeOptions, base: str) -> RepoUpgrade:
    """Push the branch when the remote exists, then open the request when a forge is given."""
    import git

    from platctl.gitcmd import open_repo

    repo = open_repo(path, search_parent_directories=True)
    remote = next((r for r in repo.remotes if r.name == options.remote), None)
    if remote is None or not options.push:
        return replace(row, message="" if not options.push else f"no remote {options.remote!r}: not pushed")
    try:
        repo.git.push("-q", options.remote, f"refs/heads/{row.branch}:refs/heads/{row.branch}")
    except git.GitCommandError as error:
        lines = (error.stderr or "").strip().splitlines()
        return replace(row, message=f"push failed: {lines[-1] if lines else error.status}")
    row = replace(row, pushed=True)
    if options.forge is None:
        return row
    return _request(row, options.forge, next(iter(remote.urls)), base)


def _request(row: RepoUpgrade, forge: Forge, remote_url: str, base: str) -> RepoUpgrade:
    from platctl.fleet.forge import open_request, project_path

    title = f"Upgrade golden path to {row.to_version}"
    body = (f"Upgrades this service's golden path from {row.from_version} to {row.to_version}.\n\n"
            "Prepared by `platctl fleet upgrade`: a three-way merge that keeps the team's edits.")
    try:
        url = open_request(forge, project_path(remote_url), str(row.branch), base, title, body)
    except PlatctlError as error:
        return replace(row, message=f"request not opened: {error}")
    return replace(row, request_url=url)
