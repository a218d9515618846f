"""Which repositories a scan covers: paths and globs, a file of git URLs, and a stable shard of them.

A git URL is cloned shallow (``--depth 1``) into ``$XDG_CACHE_HOME/platctl/fleet/``
and fetched again on the next scan, through ``platctl.gitcmd`` (hooks and
fsmonitor off: a repository is untrusted input).
"""

from __future__ import annotations

import glob
import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from platctl.errors import PlatctlError, UserError

GIT_URL = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")
SHARD = re.compile(r"^(\d+)/(\d+)$")


@dataclass(frozen=True)
class Target:
    """One repository to scan: where it was named (``location``), and a URL to clone first, if any."""

    location: str
    url: str | None = None


def parse_shard(spec: str | None) -> tuple[int, int] | None:
    """``I/N`` with 1 <= I <= N; a one-line error otherwise."""
    if spec is None:
        return None
    match = SHARD.match(spec.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise UserError(f"--shard {spec!r} is not I/N with 1 <= I <= N (for example 1/4)")
    return int(match[1]), int(match[2])


def in_shard(target: Target, shard: tuple[int, int] | None) -> bool:
    """A stable share: the same repository lands in the same shard on every machine and every run."""
    if shard is None:
        return True
    index, count = shard
    number = int(hashlib.sha256(target.location.encode()).hexdigest()[:12], 16)
    return number % count == index - 1


def collect_targets(patterns: list[str], repos_file: Path | None, shard: tuple[int, int] | None) -> list[Target]:
    """Every repository named, once each, in the given order, keeping only this shard's."""
    targets = [Target(p) for pattern in patterns for p in _expand(pattern)]
    if repos_file is not None:
        targets += read_repos_file(repos_file)
    if not targets:
        raise UserError("no repositories to scan: give paths, globs or --repos FILE")
    unique = list({t.location: t for t in targets}.values())
    return [t for t in unique if in_shard(t, shard)]


def _expand(pattern: str) -> list[str]:
    """A glob's matching directories (sorted); a plain path as given, even when it is missing."""
    if not glob.has_magic(pattern):
        return [pattern]
    found = sorted(p for p in glob.glob(pattern) if Path(p).is_dir())
    if not found:
        raise UserError(f"{pattern!r} matches no directory")
    return found


def read_repos_file(path: Path) -> list[Target]:
    """One repository a line: a git URL or a path; blank lines and ``#`` comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"--repos {path}: cannot be read: {error}") from None
    entries = [line.split(" #", 1)[0].strip() for line in lines]
    entries = [e for e in entries if e and not e.startswith("#")]
    return [Target(e, e if GIT_URL.match(e) else None) for e in entries]


def checkout(target: Target) -> Path:
    """The directory to scan: the path itself, or a fresh shallow clone of the URL."""
    return clone_shallow(target.url) if target.url else Path(target.location)


def clone_shallow(url: str) -> Path:
    """Clone (or fetch again) the default branch at depth 1 into the user cache; a PlatctlError if it fails."""
    from platctl.cachedir import private_dir, user_cache_dir

    if url.startswith("-") or any(c in url for c in "\n\r\0"):
        raise PlatctlError(f"{url!r} is not a git URL")
    root = private_dir(user_cache_dir("fleet"))
    if root is None:
        raise PlatctlError(f"the cache {user_cache_dir('fleet')} is not private to this user: remove it")
    into = root / hashlib.sha256(url.encode()).hexdigest()[:16]
    if (into / ".git").is_dir():
        _git(into, "fetch", "-q", "--depth", "1", "--no-tags", "origin", "HEAD")
        _git(into, "reset", "-q", "--hard", "FETCH_HEAD")
        _git(into, "clean", "-q", "-ffdx")
    else:
        _git(root, "clone", "-q", "--depth", "1", "--single-branch", "--no-tags", "--", url, str(into))
    return into


def _git(cwd: Path, *args: str) -> None:
    from platctl.gitcmd import git_command, git_environment

    done = subprocess.run(git_command(*args), cwd=cwd, capture_output=True, text=True, env=git_environment(),
                          timeout=600, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise PlatctlError(f"git {args[0]} failed: {lines[-1] if lines else f'exit {done.returncode}'}")
