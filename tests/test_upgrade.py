"""Versioned golden paths from git, `platctl diff` and `platctl upgrade` by three-way merge."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import cookiecutter_tests

LINES = [f"line {i}\n" for i in range(1, 11)]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real console entry point, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "platctl", *args], cwd=cwd, capture_output=True, text=True, env=_env()
    )


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=_env(), check=True)
    return done.stdout


def write(path: Path, text: str | list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if isinstance(text, str) else "".join(text))


@pytest.fixture
def golden_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A golden path in a git repository, tagged v1.0.0."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "golden"
    tmpl = repo / "{{cookiecutter.service_name}}"
    write(repo / "cookiecutter.json", json.dumps({"service_name": "svc", "owner": "team-a"}))
    write(repo / "golden-path.yaml", "name: demo\nmanaged: ['ci.yml', 'deploy.yaml', 'old.txt', 'new.txt']\nseeded: "
                                     "['README.md']\n")
    write(tmpl / "ci.yml", LINES)
    write(tmpl / "deploy.yaml", LINES)
    write(tmpl / "old.txt", "retired in v2\n")
    write(tmpl / "README.md", "# {{ cookiecutter.service_name }}\n")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v1", cwd=repo)
    git("tag", "v1.0.0", cwd=repo)
    return repo


def release_v2(repo: Path) -> None:
    """Version 2: one change that merges cleanly, one that clashes, a file added, one removed."""
    tmpl = repo / "{{cookiecutter.service_name}}"
    write(tmpl / "ci.yml", LINES[:8] + ["line 9 from v2\n"] + LINES[9:])
    write(tmpl / "deploy.yaml", LINES[:4] + ["line 5 from v2\n"] + LINES[5:])
    write(tmpl / "new.txt", "added in v2\n")
    (tmpl / "old.txt").unlink()
    write(tmpl / "README.md", "# {{ cookiecutter.service_name }} v2\n")
    write(repo / "CHANGELOG.md", "# demo\n\n## 2.0.0\n\nDeploys to the new cluster.\n\n## 1.0.0\n\nFirst.\n")
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v2", cwd=repo)
    git("tag", "v2.0.0", cwd=repo)


@pytest.fixture
def service(golden_repo: Path, tmp_path: Path) -> Path:
    """A service made at v1.0.0, with team edits to two managed files committed."""
    made = run("new", "service", "svc", "-g", str(golden_repo), "--no-input", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    svc = tmp_path / "out" / "svc"
    write(svc / "ci.yml", ["line 1\n", "line 2 edited by the team\n"] + LINES[2:])
    write(svc / "deploy.yaml", LINES[:4] + ["line 5 edited by the team\n"] + LINES[5:])
    git("commit", "-qam", "team edits", cwd=svc)
    return svc


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }


def test_record_keeps_the_git_source_version_and_commit(service: Path, golden_repo: Path) -> None:
    record = yaml.safe_load((service / ".platctl.yaml").read_text())
    assert record["golden_path"]["version"] == "1.0.0"
    assert record["golden_path"]["commit"] == git("rev-parse", "v1.0.0", cwd=golden_repo).strip()
    assert record["golden_path"]["source"] == str(golden_repo)


def test_diff_shows_the_teams_edits(service: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh-cache"))  # offline, but the repository is local
    stat = run("diff", "--stat", cwd=service)
    assert stat.returncode == 1, stat
    assert stat.stdout.splitlines()[:2] == [
        "ci.yml | modified (managed) +1 -1",
        "deploy.yaml | modified (managed) +1 -1",
    ]
    full = run("diff", str(service), cwd=service.parent)
    assert "+line 2 edited by the team" in full.stdout and "-line 2" in full.stdout
    git("checkout", "--", ".", cwd=service)
    git("reset", "-q", "--hard", "HEAD~1", cwd=service)
    clean = run("diff", cwd=service)
    assert clean.returncode == 0 and "No drift" in clean.stdout


def test_doctor_reports_the_newer_version_with_its_headline(service: Path, golden_repo: Path) -> None:
    assert "GP003" not in run("doctor", "--format", "json", cwd=service).stdout
    release_v2(golden_repo)
    doctor = run("doctor", "--format", "json", cwd=service)
    findings = [f for s in json.loads(doctor.stdout)["services"] for f in s["findings"] if f["rule"] == "GP003"]
    assert [(f["path"], f["message"]) for f in findings] == [
        (
            ".platctl.yaml",
            "golden path demo is at 1.0.0; 2.0.0 is available: Deploys to the new cluster (platctl " "upgrade)",
        )
    ]


def test_upgrade_dry_run_and_dirty_tree_change_nothing(service: Path, golden_repo: Path) -> None:
    release_v2(golden_repo)
    before = snapshot(service)
    dry = run("upgrade", "--dry-run", cwd=service)
    assert dry.returncode == 1, dry  # the plan has a conflict
    assert "1.0.0 -> 2.0.0" in dry.stdout and "CONFLICT" in dry.stdout and "Dry run" in dry.stdout
    assert snapshot(service) == before
    write(service / "scratch.txt", "uncommitted\n")
    dirty = run("upgrade", cwd=service)
    assert dirty.returncode == 2, dirty
    assert "uncommitted changes" in dirty.stderr and dirty.stderr.count("\n") == 1
    assert snapshot(service) == {**before, "scratch.txt": b"uncommitted\n"}


def test_upgrade_merges_keeps_edits_marks_clash_adds_and_removes(service: Path, golden_repo: Path) -> None:
    release_v2(golden_repo)
    done = run("upgrade", cwd=service)
    assert done.returncode == 1, done
    assert "CONFLICT" in done.stdout and "deploy.yaml" in done.stdout.split("conflicts")[-1]
    ci = (service / "ci.yml").read_text()
    assert "line 2 edited by the team\n" in ci and "line 9 from v2\n" in ci and "<<<<<<<" not in ci
    deploy = (service / "deploy.yaml").read_text()
    assert (
        "<<<<<<< deploy.yaml (yours)\nline 5 edited by the team\n=======\nline 5 from v2\n>>>>>>> deploy.yaml "
        "(2.0.0)\n"
    ) in deploy
    check = subprocess.run(["git", "diff", "--check"], cwd=service, capture_output=True, text=True)
    assert check.returncode != 0 and "leftover conflict marker" in check.stdout
    assert (service / "new.txt").read_text() == "added in v2\n"
    assert not (service / "old.txt").exists()
    assert (service / "README.md").read_text() == "# svc\n"  # seeded: never touched
    record = yaml.safe_load((service / ".platctl.yaml").read_text())
    assert record["golden_path"]["version"] == "2.0.0"
    assert record["golden_path"]["commit"] == git("rev-parse", "v2.0.0", cwd=golden_repo).strip()
    assert "team edits" in git("log", "-1", "--format=%s", cwd=service)  # left uncommitted for review


def test_removed_file_the_team_changed_is_kept(service: Path, golden_repo: Path) -> None:
    write(service / "old.txt", "the team relies on this\n")
    git("commit", "-qam", "keep old", cwd=service)
    release_v2(golden_repo)
    done = run("upgrade", "--ref", "v2.0.0", cwd=service)
    assert "kept: removed upstream, but you changed it" in done.stdout
    assert (service / "old.txt").read_text() == "the team relies on this\n"


def test_clean_upgrade_commits_with_commit_flag(service: Path, golden_repo: Path) -> None:
    git("reset", "-q", "--hard", "HEAD~1", cwd=service)  # no team edits: nothing can clash
    release_v2(golden_repo)
    done = run("upgrade", "--commit", cwd=service)
    assert done.returncode == 0, done
    assert git("status", "--porcelain", cwd=service) == ""
    assert git("log", "-1", "--format=%s", cwd=service).strip() == "Upgrade demo from 1.0.0 to 2.0.0"
    assert run("diff", cwd=service).returncode == 0


def test_offline_uses_the_cache_and_unknown_ref_is_refused(service: Path, golden_repo: Path, tmp_path: Path) -> None:
    release_v2(golden_repo)
    unknown = run("upgrade", "--ref", "v9.9.9", cwd=service)
    assert unknown.returncode == 2 and "has no tag, branch or commit 'v9.9.9'" in unknown.stderr
    bad_set = run("upgrade", "--set", "nope=1", cwd=service)
    assert (
        bad_set.returncode == 2
        and "unknown variable 'nope' in --set; demo knows: service_name, owner" in bad_set.stderr
    )
    moved = golden_repo.rename(tmp_path / "moved-away")
    offline = run("upgrade", "--offline", "--dry-run", cwd=service)
    assert offline.returncode == 1 and "1.0.0 -> 2.0.0" in offline.stdout, offline
    gone = run("upgrade", "--dry-run", cwd=service)
    assert gone.returncode == 2 and "cannot fetch golden path" in gone.stderr
    assert moved.exists()


def cookiecutter_sdist_template() -> Path:
    """`fake-repo-tmpl` from cookiecutter's own sdist, which scripts/test.sh downloads from PyPI."""
    return cookiecutter_tests() / "fake-repo-tmpl"


def test_a_plain_cookiecutter_template_renders_and_upgrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "plain"
    shutil.copytree(cookiecutter_sdist_template(), repo)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "as shipped", cwd=repo)
    git("tag", "1.0.0", cwd=repo)
    made = run(
        "new",
        "service",
        "fake",
        "-g",
        str(repo),
        "--no-input",
        "-s",
        "full_name=Ada",
        "-o",
        str(tmp_path),
        cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    readme = tmp_path / "fake" / "README.rst"
    assert readme.is_file() and "fake-project-templated" not in [p.name for p in tmp_path.iterdir()]
    template_readme = repo / "{{cookiecutter.repo_name}}" / "README.rst"
    write(template_readme, template_readme.read_text() + "\nAdded in 1.1.0.\n")
    git("commit", "-qam", "1.1.0", cwd=repo)
    git("tag", "1.1.0", cwd=repo)
    upgraded = run("upgrade", cwd=tmp_path / "fake")
    assert upgraded.returncode == 0, upgraded
    assert readme.read_text().endswith("\nAdded in 1.1.0.\n")
    assert yaml.safe_load((tmp_path / "fake/.platctl.yaml").read_text())["golden_path"]["version"] == "1.1.0"


@pytest.mark.parametrize("how", ["fragment", "option"])
def test_a_template_in_a_subdirectory_of_a_git_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    repo = tmp_path / "templates"
    template = repo / "golden" / "svc"
    write(template / "cookiecutter.json", json.dumps({"service_name": "svc", "owner": "team-a"}))
    write(template / "{{cookiecutter.service_name}}" / "owner.txt", "{{ cookiecutter.owner }}\n")
    write(repo / "README.md", "many templates\n")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v1", cwd=repo)
    git("tag", "1.0.0", cwd=repo)
    source = [f"{repo}#golden/svc"] if how == "fragment" else [str(repo), "--directory", "golden/svc"]
    made = run("new", "service", "sub", "-g", *source, "--no-input", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "out/sub/owner.txt").read_text() == "team-a\n"
    record = yaml.safe_load((tmp_path / "out/sub/.platctl.yaml").read_text())
    assert record["golden_path"]["source"] == f"{repo}#golden/svc"
    assert record["golden_path"]["version"] == "1.0.0"
    assert run("diff", cwd=tmp_path / "out/sub").returncode == 0


def test_an_upgrade_fetches_its_golden_path_once(
    service: Path, golden_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import git as gitpython

    from platctl.scaffold import mirror
    from platctl.upgrade.api import plan_upgrade

    release_v2(golden_repo)
    monkeypatch.setattr(mirror, "_FETCHED", set())
    calls: list[str] = []
    real = gitpython.cmd.Git._call_process

    def counting(self: gitpython.cmd.Git, method: str, *args: object, **kwargs: object) -> object:
        calls.append(method)
        return real(self, method, *args, **kwargs)

    monkeypatch.setattr(gitpython.cmd.Git, "_call_process", counting)
    plan = plan_upgrade(service)
    assert plan.to_version == "2.0.0" and plan.conflicts == ["deploy.yaml"]
    assert calls.count("fetch") == 1, calls
