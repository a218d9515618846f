"""Where a golden path comes from and which versions it has.

A source is a bundled name, a local template directory, or a git repository
(a local path holding ``.git``, ``file://``, ``https://``, ``ssh://`` or
``git@host:path``), optionally with a subdirectory (``SOURCE#subdir``). A git
source's versions are its semver tags; a bundled golden path's are its current
version plus every release archived under ``releases/``. Checking out a
version materialises the template in a temporary directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import git

from platctl.errors import TemplateError, UnsafeTemplateError, UserError
from platctl.semver import is_version, normalise_version, version_key
from platctl.bundle import bundled_root
from platctl.scaffold.catalog import BUNDLED_PREFIX, GoldenPath, load_template_dir

GIT_URL = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")
RELEASES_DIR = "releases"
# A ref platctl passes on: tag, branch or commit names only, never a revision expression
# (``HEAD@{1}``, ``:/text``, ``a..b``, ``x^``) and never anything git could read as an option.
REF_COMPONENT = re.compile(r"^[A-Za-z0-9_+][A-Za-z0-9._+-]*$")
# A bundled release's version, which names its archive: strict semver, no path in it.
RELEASE_VERSION = re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True)
class Source:
    """A parsed ``--golden-path`` value."""

    raw: str
    kind: str  # "bundled", "dir" or "git"
    location: str
    subdir: str = ""

    @property
    def record(self) -> str:
        return self.raw


def parse_source(raw: str, directory: str | None = None) -> Source:
    base, _, fragment = raw.partition("#")
    subdir = (directory or fragment).strip("/")
    if ".." in Path(subdir).parts:
        raise UserError(f"subdirectory {subdir!r} of {base} must stay inside the repository")
    name = base[len(BUNDLED_PREFIX) :] if base.startswith(BUNDLED_PREFIX) else base
    if "/" not in name and (bundled_root() / name / "cookiecutter.json").is_file():
        return Source(BUNDLED_PREFIX + name, "bundled", name, subdir)
    if GIT_URL.match(base) or _is_local_git(base) or base.endswith(".git"):
        location = base if GIT_URL.match(base) else str(Path(base).expanduser().resolve())
        return Source(_with_subdir(location, subdir), "git", location, subdir)
    path = Path(base).expanduser()
    if (path / subdir / "cookiecutter.json").is_file():
        return Source(str(path.resolve() / subdir) if subdir else str(path.resolve()), "dir", str(path.resolve() / subdir))
    known = ", ".join(p.name for p in sorted(bundled_root().iterdir()) if (p / "cookiecutter.json").is_file())
    raise UserError(
        f"golden path {raw!r} not found: give a bundled name ({known}), a template directory, or a git repository"
    )


def _is_local_git(base: str) -> bool:
    """A local repository, or one that was cached before it moved away (for --offline)."""
    path = Path(base).expanduser()
    if (path / ".git").exists():
        return True
    return not path.exists() and cache_path(str(path.resolve())).is_dir()


def _with_subdir(location: str, subdir: str) -> str:
    return f"{location}#{subdir}" if subdir else location


def available_versions(source: Source, offline: bool = False) -> list[str]:
    """The versions a source offers, oldest first."""
    if source.kind == "bundled":
        return _bundled_versions(source.location)
    if source.kind == "dir":
        with open_golden_path(source) as golden_path:
            return [golden_path.version]
    tags = _git_tags(_git_cache(source.location, offline))
    return sorted({normalise_version(t) for t in tags}, key=version_key)


def _bundled_versions(name: str) -> list[str]:
    root = bundled_root() / name
    versions = {p.name[: -len(".tar.gz")] for p in (root / RELEASES_DIR).glob("*.tar.gz")}
    versions = {v for v in versions if RELEASE_VERSION.match(v)}
    versions.add(load_template_dir(root, BUNDLED_PREFIX + name).version)
    return sorted(versions, key=version_key)


@contextmanager
def open_golden_path(
    source: Source, ref: str | None = None, offline: bool = False, trust: bool = False
) -> Iterator[GoldenPath]:
    """The golden path at ``ref`` (a version, tag, branch or commit; the newest by default).

    ``trust`` lets a template from outside the bundle run its hooks and Jinja extensions.
    """
    with _open(source, ref, offline) as golden_path:
        yield golden_path.with_trust() if trust else golden_path


@contextmanager
def _open(source: Source, ref: str | None, offline: bool) -> Iterator[GoldenPath]:
    from platctl.scaffold.layers import composed

    with _open_own(source, ref, offline) as golden_path, composed(golden_path) as whole:
        yield whole


def check_ref(ref: str) -> str:
    """``ref`` if it is a plain tag, branch or commit name; a one-line error otherwise."""
    parts = ref.split("/")
    plain = all(REF_COMPONENT.match(p) and not p.endswith((".", ".lock")) for p in parts)
    if not plain or ".." in ref or len(ref) > 200:
        raise UserError(
            f"{ref!r} is not a version, tag, branch or commit name: use letters, digits and . _ - + / only"
        )
    return ref


@contextmanager
def _open_own(source: Source, ref: str | None, offline: bool) -> Iterator[GoldenPath]:
    if ref is not None:
        check_ref(ref)
    if source.kind == "bundled":
        with _open_bundled(source, ref) as golden_path:
            yield golden_path
    elif source.kind == "dir":
        golden_path = load_template_dir(Path(source.location), source.record)
        if ref not in (None, golden_path.version):
            raise UserError(f"{source.location} is a plain directory at version {golden_path.version}; it has no {ref}")
        yield golden_path
    else:
        with _open_git(source, ref, offline) as golden_path:
            yield golden_path


@contextmanager
def _open_bundled(source: Source, ref: str | None) -> Iterator[GoldenPath]:
    root = bundled_root() / source.location
    current = load_template_dir(root, source.record)
    if ref is None or normalise_version(ref) == current.version:
        yield current
        return
    from platctl.scaffold.releases import extract_archive, verify_release

    version = normalise_version(ref)
    archive = root / RELEASES_DIR / f"{version}.tar.gz"
    if not RELEASE_VERSION.match(version) or archive.is_symlink() or not archive.is_file():
        versions = ", ".join(_bundled_versions(source.location))
        raise UserError(f"golden path {source.location} has no version {ref}; it has {versions}")
    with tempfile.TemporaryDirectory(prefix="platctl-release-") as tmp:
        extract_archive(verify_release(archive), Path(tmp))
        yield load_template_dir(Path(tmp), source.record)


def cache_root() -> Path:
    from platctl.cachedir import user_cache_dir

    return user_cache_dir("git")


def cache_path(location: str) -> Path:
    """Where the mirror of a git golden path is cached."""
    return cache_root() / hashlib.sha256(location.encode()).hexdigest()[:16]


# Locations cloned or fetched by this process: one command (upgrade reads the base
# version, the list of versions and the target) fetches each repository once.
_FETCHED: set[str] = set()


def _git_cache(location: str, offline: bool) -> Path:
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


def _git_tags(git_dir: Path) -> list[str]:
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


@dataclass(frozen=True)
class Newest:
    """The newest version a source offers, and its CHANGELOG.md as of that version ('' when there is none)."""

    version: str
    changelog: str = ""


def newest_offline(source: Source) -> Newest | None:
    """The newest version of a source without fetching or cloning: the bundle, a directory,
    a local repository as it is now, or a remote one's cached mirror (None when it is not cached)."""
    if source.kind in ("bundled", "dir"):
        root = bundled_root() / source.location if source.kind == "bundled" else Path(source.location)
        version = available_versions(source)[-1] if source.kind == "bundled" else load_template_dir(root, source.raw).version
        changelog = root / "CHANGELOG.md"
        return Newest(version, changelog.read_text(encoding="utf-8", errors="replace") if changelog.is_file() else "")
    local = Path(source.location) / ".git"
    git_dir = local if local.is_dir() else cache_path(source.location)
    tags = _git_tags(git_dir) if git_dir.is_dir() else []
    if not tags:
        return None
    tag = max(tags, key=version_key)
    return Newest(normalise_version(tag), _show(git_dir, f"{tag}:{source.subdir + '/' if source.subdir else ''}CHANGELOG.md"))


def _show(git_dir: Path, spec: str) -> str:
    import subprocess

    from platctl.gitcmd import git_command

    shown = subprocess.run(git_command("--git-dir", str(git_dir), "show", spec), capture_output=True, text=True,
                           check=False)
    return shown.stdout if shown.returncode == 0 else ""


@contextmanager
def _open_git(source: Source, ref: str | None, offline: bool) -> Iterator[GoldenPath]:
    from platctl.gitcmd import open_repo
    from platctl.scaffold.releases import extract_archive

    cache = _git_cache(source.location, offline)
    repo = open_repo(cache)
    ref = ref or _newest_tag(repo) or "HEAD"
    commit = _resolve(repo, ref, source.location)
    with tempfile.TemporaryDirectory(prefix="platctl-checkout-") as tmp:
        archive = Path(tmp) / "tree.tar"
        with archive.open("wb") as out:
            repo.git.archive(commit, output_stream=out)
        tree = Path(tmp) / "tree"
        extract_archive(archive, tree)
        template_dir = tree / source.subdir
        if not (template_dir / "cookiecutter.json").is_file():
            raise TemplateError(f"{source.record} at {ref} has no cookiecutter.json")
        golden_path = load_template_dir(template_dir, source.record)
        version = normalise_version(ref) if is_version(ref) else golden_path.version
        yield golden_path.at(version=version, commit=commit)


def _newest_tag(repo: "git.Repo") -> str | None:
    tags = [t.name for t in repo.tags if is_version(t.name)]
    return max(tags, key=version_key) if tags else None


def _resolve(repo: "git.Repo", ref: str, location: str) -> str:
    import git

    for candidate in (ref, f"v{ref}", ref[1:] if ref.startswith("v") else None):
        if not candidate:
            continue
        try:
            return str(repo.commit(candidate).hexsha)
        except (git.BadName, git.BadObject, ValueError, IndexError, LookupError, OSError):
            continue
    raise UserError(f"golden path {location} has no tag, branch or commit {ref!r}")

