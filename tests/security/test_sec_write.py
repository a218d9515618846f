"""Attacks on what platctl writes: git hooks, a committed staging journal, symlinked directories.

Each test plants a canary outside the work directory (or a hook that would
create one) and fails if the attack reaches it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from test_upgrade import LINES, git, golden_repo, release_v2, run, service, snapshot, write  # noqa: F401 - fixtures

CANARY_HOOK = "#!/bin/sh\necho ran > {canary}\n"


def plant_git_hooks(git_dir: Path, canary: Path, what: str = "both") -> None:
    """The ways a repository's own ``.git`` makes git run a command: hooks and an fsmonitor."""
    if what in ("both", "fsmonitor"):
        with (git_dir / "config").open("a") as config:
            config.write(f"[core]\n\tfsmonitor = \"echo fsmonitor > {canary}; false\"\n")
    if what == "fsmonitor":
        return
    hooks = git_dir / "hooks"
    hooks.mkdir(parents=True, exist_ok=True)
    for name in ("pre-commit", "commit-msg", "post-commit", "post-index-change", "reference-transaction"):
        (hooks / name).write_text(CANARY_HOOK.format(canary=canary))
        (hooks / name).chmod(0o755)


@pytest.mark.parametrize("what", ["hooks", "fsmonitor"])
def test_upgrade_commit_runs_no_hook_and_no_fsmonitor(service: Path, golden_repo: Path, tmp_path: Path,
                                                      what: str) -> None:
    git("reset", "-q", "--hard", "HEAD~1", cwd=service)  # no team edits: the upgrade merges cleanly
    release_v2(golden_repo)
    canary = tmp_path / "canary-hook"
    plant_git_hooks(service / ".git", canary, what)
    done = run("upgrade", "--commit", cwd=service)
    assert done.returncode == 0, done
    assert not canary.exists(), f"a repository's hook ran: {canary.read_text()}"
    assert "Upgrade demo from 1.0.0 to 2.0.0" in git(
        "-c", "core.fsmonitor=false", "log", "-1", "--format=%s", cwd=service
    )


def test_a_tree_holding_a_git_directory_runs_none_of_its_hooks(tmp_path: Path) -> None:
    from platctl.errors import PlatctlError
    from platctl.scaffold.gitinit import init_and_commit

    tree = tmp_path / "rendered"
    write(tree / "README.md", "hello\n")
    git("init", "-q", "-b", "main", cwd=tree)
    canary = tmp_path / "canary-init"
    plant_git_hooks(tree / ".git", canary)
    try:
        init_and_commit(tree, "first")
    except PlatctlError as error:
        assert ".git" in str(error)
    assert not canary.exists(), f"the template's hook ran: {canary.read_text()}"


def test_every_git_command_goes_through_the_one_helper() -> None:
    """No module starts git itself: gitpython's ``Repo``/``Git`` and ``["git", ...]`` only in platctl.gitcmd."""
    import platctl

    src = Path(platctl.__file__).parent
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        if rel == "gitcmd.py":
            continue
        text = path.read_text()
        for raw in ('["git"', "git.Repo(", "git.Repo.", "git.Git(", ".index.commit("):
            assert raw not in text, f"{rel} starts git without platctl.gitcmd: {raw}"


# -- a committed (or planted) staging journal --------------------------------------------------


def plant_staging(parent: Path, outside: Path, name: str = ".platctl-staging-999999-evil") -> Path:
    """A staging directory of a 'dead' platctl run whose journal deletes and overwrites files outside."""
    (outside / "victim.txt").write_text("keep me\n")
    (outside / "abs-victim.txt").write_text("keep me too\n")
    (outside / "linked-victim.txt").write_text("and me\n")
    staging = parent / name
    journal = {
        "files": {
            os.path.relpath(
                outside / "victim.txt", parent
            ): False,  # ../../outside/victim.txt: "did not exist": deleted
            str(outside / "abs-victim.txt"): False,  # an absolute path
            "link/linked-victim.txt": False,  # through a symlink in the work tree
            "overwritten.txt": True,  # "restored" from a backup that is a link to a secret
        }
    }
    write(staging / "journal.json", json.dumps(journal))
    (staging / "old").mkdir()
    (staging / "old" / "overwritten.txt").symlink_to(outside / "secret.txt")
    (outside / "secret.txt").write_text("secret\n")
    (parent / "link").symlink_to(outside)
    return staging


def outside_intact(outside: Path) -> None:
    assert (outside / "victim.txt").read_text() == "keep me\n"
    assert (outside / "abs-victim.txt").read_text() == "keep me too\n"
    assert (outside / "linked-victim.txt").read_text() == "and me\n"


def test_a_committed_staging_journal_is_never_recovered(service: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    staging = plant_staging(service, outside)
    git("add", "-A", cwd=service)
    git("commit", "-qm", "a pull request with a staging directory", cwd=service)
    before = snapshot(service)
    dry = run("upgrade", "--dry-run", cwd=service)
    assert dry.returncode == 0, dry
    outside_intact(outside)
    assert snapshot(service) == before and (staging / "journal.json").is_file()
    assert not (service / "overwritten.txt").exists()
    assert "left" in dry.stderr and staging.name in dry.stderr, dry


@pytest.mark.parametrize("how", ["world-writable", "no host id", "another host"])
def test_a_planted_staging_journal_is_never_recovered(tmp_path: Path, how: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    staging = plant_staging(out, outside)
    journal = json.loads((staging / "journal.json").read_text())
    if how == "world-writable":
        from platctl.safewrite import host_id

        journal["host"] = host_id()
        staging.chmod(0o777)
    elif how == "another host":
        journal["host"] = "someone-else:" + socket.gethostname()
    (staging / "journal.json").write_text(json.dumps(journal))
    made = run("new", "service", "svc", "--no-input", "--no-git", "-o", str(out), cwd=tmp_path)
    assert made.returncode == 0, made
    outside_intact(outside)
    assert staging.is_dir() and (staging / "journal.json").is_file()
    assert not (out / "overwritten.txt").exists()


# -- symlinked directories in the work tree ----------------------------------------------------


@pytest.fixture
def golden_with_deploy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git golden path whose v1.0.0 and v2.0.0 differ in ``deploy/authorized_keys``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "golden-deploy"
    write(repo / "cookiecutter.json", json.dumps({"service_name": "svc"}))
    write(repo / "golden-path.yaml", "name: keys\nmanaged: ['deploy/**']\n")
    write(repo / "{{cookiecutter.service_name}}" / "deploy" / "authorized_keys", "ssh-ed25519 AAAA v1\n")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v1", cwd=repo)
    git("tag", "v1.0.0", cwd=repo)
    write(repo / "{{cookiecutter.service_name}}" / "deploy" / "authorized_keys", "ssh-ed25519 AAAA attacker-v2\n")
    write(repo / "{{cookiecutter.service_name}}" / "deploy" / "new-file", "new in v2\n")
    git("commit", "-qam", "v2", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v2 new file", cwd=repo)
    git("tag", "v2.0.0", cwd=repo)
    return repo


def link_directory_out(root: Path, rel: str, outside: Path) -> None:
    """Replace ``root/rel`` by a symlink to ``outside`` (holding a copy of what was there)."""
    if (root / rel).exists():
        shutil.copytree(root / rel, outside, dirs_exist_ok=True)
        shutil.rmtree(root / rel)
    outside.mkdir(exist_ok=True)
    (root / rel).symlink_to(outside)


def test_upgrade_never_writes_through_a_symlinked_directory(golden_with_deploy: Path, tmp_path: Path) -> None:
    made = run(
        "new",
        "service",
        "svc",
        "-g",
        str(golden_with_deploy),
        "--ref",
        "v1.0.0",
        "--no-input",
        "-o",
        str(tmp_path / "out"),
        cwd=tmp_path,
    )
    assert made.returncode == 0, made
    svc = tmp_path / "out" / "svc"
    outside = tmp_path / "canary-dir"
    link_directory_out(svc, "deploy", outside)
    git("add", "-A", cwd=svc)
    git("commit", "-qm", "deploy lives elsewhere", cwd=svc)
    before = snapshot(outside)
    for args in (["--dry-run"], []):
        done = run("upgrade", *args, cwd=svc)
        assert done.returncode == 2, done
        assert "deploy" in done.stderr and "symlink" in done.stderr and done.stderr.count("\n") == 1, done
        assert snapshot(outside) == before


def test_doctor_fix_never_restores_through_a_symlinked_directory(default_python_service: Path, tmp_path: Path) -> None:
    root = tmp_path / "svc"
    shutil.copytree(default_python_service, root, symlinks=True)
    outside = tmp_path / "canary-dir"
    outside.mkdir()
    shutil.rmtree(root / ".github")
    (root / ".github").symlink_to(outside)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "workflows elsewhere", cwd=root)
    done = run("doctor", "--fix", cwd=root)
    assert list(outside.iterdir()) == [], f"doctor --fix wrote outside: {list(outside.rglob('*'))}"
    assert done.returncode in (1, 2), done
    assert "symlink" in done.stderr or "symlink" in done.stdout, done


def test_adopt_never_writes_through_a_symlinked_directory(tmp_path: Path) -> None:
    repo = tmp_path / "orders"
    write(repo / "pyproject.toml", '[project]\nname = "orders"\nversion = "0.1.0"\n')
    write(repo / "CODEOWNERS", "* @acme/team-orders\n")
    outside = tmp_path / "canary-dir"
    outside.mkdir()
    (repo / "deploy").symlink_to(outside)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    done = run("adopt", cwd=repo)
    assert list(outside.iterdir()) == [], f"adopt wrote outside: {list(outside.rglob('*'))}"
    assert done.returncode == 2 and "deploy" in done.stderr and "symlink" in done.stderr, done
    assert done.stderr.count("\n") == 1, done
    assert not (repo / ".platctl.yaml").exists()


def test_replace_files_refuses_every_symlinked_component(tmp_path: Path) -> None:
    from platctl.errors import UserError
    from platctl.safewrite import replace_files

    root = tmp_path / "root"
    outside = tmp_path / "outside"
    (root / "a").mkdir(parents=True)
    outside.mkdir()
    (root / "a" / "b").symlink_to(outside)
    (root / "file-link").symlink_to(outside / "target")
    for rel in ("a/b/c.txt", "file-link", "../outside/x", str(outside / "y"), "a/../../outside/z"):
        with pytest.raises(UserError):
            replace_files(root, {rel: b"pwned\n"})
        with pytest.raises(UserError):
            replace_files(root, {rel: None})
    assert list(outside.iterdir()) == []
