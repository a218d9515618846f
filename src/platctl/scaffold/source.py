"""Where a golden path comes from and which versions it has.

A source is a bundled name, a local template directory, or a git repository
(a local path holding ``.git``, ``file://``, ``https://``, ``ssh://`` or
``git@host:path``), optionally with a subdirectory (``SOURCE#subdir``). A git
source's versions are its semver tags; a bundled golden path's are its current
version plus every release archived under ``releases/``. Checking out a
version materialises the template in a temporary directory.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import git

from platctl.bundle import bundled_root
from platctl.errors import TemplateError, UserError
from platctl.scaffold.catalog import BUNDLED_PREFIX, GoldenPath, load_bundled, load_template_dir
from platctl.scaffold.mirror import GIT_URL, cache_path, git_cache, git_tags
from platctl.semver import is_version, normalise_version, version_key

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
        return Source(
            str(path.resolve() / subdir) if subdir else str(path.resolve()), "dir", str(path.resolve() / subdir)
        )
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
    tags = git_tags(git_cache(source.location, offline))
    return sorted({normalise_version(t) for t in tags}, key=version_key)


def _bundled_versions(name: str) -> list[str]:
    root = bundled_root() / name
    versions = {p.name[: -len(".tar.gz")] for p in (root / RELEASES_DIR).glob("*.tar.gz")}
    versions = {v for v in versions if RELEASE_VERSION.match(v)}
    versions.add(load_bundled(name).version)
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
        raise UserError(f"{ref!r} is not a version, tag, branch or commit name: use letters, digits and . _ - + / only")
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
    current = load_bundled(source.location)
    if ref is None or normalise_version(ref) == current.version:
        yield current
        return
    from platctl.scaffold.releases import extract_archive, verify_release

    version = normalise_version(ref)
    archive = root / RELEASES_DIR / f"{version}.tar.gz"
    if not RELEASE_VERSION.match(version) or archive.is_symlink() or not archive.is_file():
        versions = ", ".join(_bundled_versions(source.location))
        raise UserError(f"golden path {source.location} has no version {ref}; it has {versions}")
    import tempfile  # a lint run reads sources (GP003) but never unpacks one

    with tempfile.TemporaryDirectory(prefix="platctl-release-") as tmp:
        extract_archive(verify_release(archive), Path(tmp))
        yield load_template_dir(Path(tmp), source.record)


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
        version = (
            available_versions(source)[-1] if source.kind == "bundled" else load_template_dir(root, source.raw).version
        )
        changelog = root / "CHANGELOG.md"
        return Newest(version, changelog.read_text(encoding="utf-8", errors="replace") if changelog.is_file() else "")
    local = Path(source.location) / ".git"
    git_dir = local if local.is_dir() else cache_path(source.location)
    tags = git_tags(git_dir) if git_dir.is_dir() else []
    if not tags:
        return None
    tag = max(tags, key=version_key)
    return Newest(
        normalise_version(tag), _show(git_dir, f"{tag}:{source.subdir + '/' if source.subdir else ''}CHANGELOG.md")
    )


def _show(git_dir: Path, spec: str) -> str:
    import subprocess

    from platctl.gitcmd import git_command

    shown = subprocess.run(
        git_command("--git-dir", str(git_dir), "show", spec), capture_output=True, text=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else ""


@contextmanager
def _open_git(source: Source, ref: str | None, offline: bool) -> Iterator[GoldenPath]:
    from platctl.gitcmd import open_repo
    from platctl.scaffold.releases import extract_archive

    cache = git_cache(source.location, offline)
    repo = open_repo(cache)
    ref = ref or _newest_tag(repo) or "HEAD"
    commit = _resolve(repo, ref, source.location)
    import tempfile

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


def _newest_tag(repo: git.Repo) -> str | None:
    tags = [t.name for t in repo.tags if is_version(t.name)]
    return max(tags, key=version_key) if tags else None


def _resolve(repo: git.Repo, ref: str, location: str) -> str:
    import git

    for candidate in (ref, f"v{ref}", ref[1:] if ref.startswith("v") else None):
        if not candidate:
            continue
        try:
            return str(repo.commit(candidate).hexsha)
        except (git.BadName, git.BadObject, ValueError, IndexError, LookupError, OSError):
            continue
    raise UserError(f"golden path {location} has no tag, branch or commit {ref!r}")
