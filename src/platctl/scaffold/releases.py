"""Released versions of a bundled golden path, kept renderable forever.

``golden_paths/NAME/`` holds the newest version. Releasing archives it as
``golden_paths/NAME/releases/VERSION.tar.gz`` (a reproducible tarball: sorted
entries, zero times and owners), so a service made years ago re-renders at
its recorded version with no network. ``release_golden_path`` also writes
``VERSION.sha256``: the digest of every file a render with reference answers
makes, which the tests compare to prove old versions re-render byte for byte.
``releases/SHA256SUMS`` holds the sha256 of every archive: platctl unpacks an
archive only when it matches, so a file dropped beside the releases is never
taken for one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

from platctl.errors import TemplateError, UnsafeTemplateError
from platctl.scaffold.source import RELEASES_DIR

CHECKSUMS = "SHA256SUMS"
EXCLUDED = {RELEASES_DIR, "__pycache__"}
# Releases made before manifests declared ``reference_answers`` (python-service 1.0.0 and 1.1.0,
# node-service 1.0.0) were digested with these; a newer release says its own in golden-path.yaml.
ANSWERS_BEFORE_MANIFESTS_SAID = {"service_name": "payments-api", "owner": "team-payments"}


def archive_bytes(template_root: Path) -> bytes:
    """A reproducible tar.gz of a golden path's directory, without its releases."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(template_root.rglob("*")):
            rel = path.relative_to(template_root)
            if rel.parts[0] in EXCLUDED or "__pycache__" in rel.parts:
                continue
            info = tar.gettarinfo(str(path), arcname=rel.as_posix())
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            info.mode = 0o755 if path.is_dir() or path.stat().st_mode & 0o111 else 0o644
            with path.open("rb") if path.is_file() else io.BytesIO() as data:
                tar.addfile(info, data if path.is_file() else None)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def tree_digest(root: Path) -> str:
    """One line per file, ``sha256  path``, sorted: what a render made, byte for byte.

    The record platctl writes beside the render is platctl's, not the template's, so it is left out.
    """
    from platctl.scaffold.record import RECORD_NAME

    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts and p.name != RECORD_NAME):
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def archive_digest(archive: Path) -> str:
    """Render a release archive with the reference answers; digest the tree it makes."""
    import tempfile

    from platctl.scaffold.answers import resolve_answers
    from platctl.scaffold.api import render_golden_path
    from platctl.scaffold.catalog import BUNDLED_PREFIX, load_template_dir
    name = archive.parent.parent.name
    with tempfile.TemporaryDirectory(prefix="platctl-release-") as tmp:
        extract_archive(archive, Path(tmp))
        golden_path = load_template_dir(Path(tmp), BUNDLED_PREFIX + name)
        reference = dict(golden_path.reference_answers) or ANSWERS_BEFORE_MANIFESTS_SAID
        answers = resolve_answers(golden_path, reference)
        with render_golden_path(golden_path, answers, Path("/srv/payments-api"), cache=False) as project:
            return tree_digest(project)


def current_archive_bytes(template_root: Path) -> bytes:
    """The archive of a golden path as it is now, its layers composed in."""
    import tempfile

    from platctl.scaffold.catalog import load_template_dir
    from platctl.scaffold.layers import compose_into

    golden_path = load_template_dir(template_root, template_root.name)
    if not golden_path.extends:
        return archive_bytes(template_root)
    with tempfile.TemporaryDirectory(prefix="platctl-layers-") as tmp:
        compose_into(golden_path, Path(tmp) / template_root.name)
        return archive_bytes(Path(tmp) / template_root.name)


def release_golden_path(template_root: Path, version: str) -> tuple[Path, Path]:
    """Archive the current template as ``version`` and record its reference digest."""
    releases = template_root / RELEASES_DIR
    releases.mkdir(exist_ok=True)
    archive = releases / f"{version}.tar.gz"
    archive.write_bytes(current_archive_bytes(template_root))
    digest = releases / f"{version}.sha256"
    digest.write_text(archive_digest(archive))
    (releases / CHECKSUMS).write_text(checksums_text(releases))
    return archive, digest


def checksums_text(releases: Path) -> str:
    """``SHA256SUMS`` for every archive in ``releases``, as ``sha256sum`` writes it."""
    archives = sorted(p for p in releases.glob("*.tar.gz") if p.is_file() and not p.is_symlink())
    return "".join(f"{hashlib.sha256(a.read_bytes()).hexdigest()}  {a.name}\n" for a in archives)


def verify_release(archive: Path) -> Path:
    """``archive`` if ``SHA256SUMS`` beside it lists it with its exact sha256; a one-line error otherwise."""
    sums = archive.parent / CHECKSUMS
    listed = {}
    if sums.is_file() and not sums.is_symlink():
        for line in sums.read_text(encoding="utf-8", errors="replace").splitlines():
            digest, _, name = line.partition("  ")
            listed[name] = digest
    actual = hashlib.sha256(archive.read_bytes()).hexdigest()
    if listed.get(archive.name) != actual:
        raise UnsafeTemplateError(
            f"{archive} does not match the checksum in {sums}: it is not a release of this golden path; reinstall "
            "platctl"
        )
    return archive


def extract_archive(archive: Path, into: Path) -> None:
    """Unpack a tarball: regular files, directories and links that stay inside ``into``; nothing else."""
    try:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                _check_member(archive, member)
            tar.extractall(into, filter="data")
    except tarfile.FilterError as error:
        raise UnsafeTemplateError(f"{archive.name}: {error}; a golden path must stay inside itself") from None
    except (tarfile.TarError, OSError) as error:
        raise TemplateError(f"{archive.name} cannot be unpacked: {error}") from None


def _check_member(archive: Path, member: tarfile.TarInfo) -> None:
    """Refuse absolute names, ``..``, devices and links that point out of the tree (before anything is written)."""
    name = Path(member.name)
    problem = None
    if name.is_absolute() or ".." in name.parts:
        problem = "has a path outside the template"
    elif not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
        problem = "is a device or special file"
    elif member.issym() or member.islnk():
        target = Path(member.linkname) if member.islnk() else name.parent / member.linkname
        if Path(member.linkname).is_absolute() or not _stays_inside(target):
            problem = f"links out of the template (to {member.linkname})"
    if problem:
        raise UnsafeTemplateError(f"{archive.name}: {member.name!r} {problem}; a golden path must stay inside itself")


def _stays_inside(relative: Path) -> bool:
    depth = 0
    for part in relative.parts:
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return False
    return True
