"""A corpus of hostile repositories: doctor, diff and upgrade give findings, skips or exit 2,
never a traceback or a hang."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_upgrade import _env, git

TIMEOUT = 120  # seconds; a hang is a failure


def platctl(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "platctl", *args], cwd=cwd, capture_output=True, text=True, env=_env(), timeout=TIMEOUT
    )
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert "unexpected error" not in done.stderr, done.stderr
    return done


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def add_hostile_files(root: Path) -> None:
    write(root / ".github/workflows/broken.yml", "on: [push\njobs: {")
    write(
        root / ".github/workflows/crlf.yml",
        "\ufeffname: ci\r\non: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n    " "steps: []\r\n",
    )
    write(root / "observability/broken.json", '{"panels": [')
    write(root / "terraform/broken.tf", 'resource "aws_s3_bucket" {\n  bucket = \n')
    write(root / "worker/Dockerfile", "FROM\nUSER\n\x00\x01 not a dockerfile\n")
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    write(root / "deploy/bomb.yaml", laughs)
    write(root / "deploy/binary.yml", bytes(range(256)) * 64)
    write(root / "deploy/latin1.yaml", "name: caf\xe9\n".encode("latin-1"))
    write(root / "deploy/huge.yaml", b"key: value\n" * 5_000_000)  # 55 MB
    deep = root.joinpath(*[f"d{i}" for i in range(60)])
    write(deep / "deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: deep}\n")
    (root / "loop-a").symlink_to("loop-b")
    (root / "loop-b").symlink_to("loop-a")
    (root / "deploy/self").symlink_to("..")
    (root / "etc").symlink_to("/etc")
    (root / "deploy/passwd.yaml").symlink_to("/etc/passwd")
    unreadable = root / "deploy/unreadable.yaml"
    write(unreadable, "a: b\n")
    unreadable.chmod(0)


@pytest.fixture(scope="module")
def hostile_service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh python-service with every hostile file committed into it."""
    from support import render

    service = render(tmp_path_factory.mktemp("hostile"), "python-service", "payments-api", {})
    add_hostile_files(service)
    git("add", "-A", cwd=service)
    git("commit", "-qm", "hostile files", cwd=service)
    return service


def test_doctor_on_the_hostile_service(hostile_service: Path) -> None:
    done = platctl("doctor", ".", "--format", "json", cwd=hostile_service)
    assert done.returncode == 1, done.stderr
    assert "broken.yml" in done.stdout and "broken.tf" in done.stdout
    assert "root:x:0:0" not in done.stdout  # nothing read through the link to /etc/passwd


def test_doctor_on_a_directory_that_is_not_a_git_repository(tmp_path: Path) -> None:
    add_hostile_files(tmp_path / "plain")
    done = platctl("doctor", str(tmp_path / "plain"), cwd=tmp_path)
    assert done.returncode == 1


def test_doctor_on_a_shallow_clone_with_a_detached_head(hostile_service: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git("clone", "-q", "--depth", "1", f"file://{hostile_service}", str(clone), cwd=tmp_path)
    git("checkout", "-q", "--detach", cwd=clone)
    done = platctl("doctor", ".", "--format", "json", cwd=clone)
    assert done.returncode == 1


def test_diff_and_upgrade_on_the_hostile_service(hostile_service: Path) -> None:
    diff = platctl("diff", "--stat", cwd=hostile_service)
    assert diff.returncode == 0, diff.stdout + diff.stderr  # hostile files are the team's own, not drift
    upgrade = platctl("upgrade", "--dry-run", cwd=hostile_service)
    assert upgrade.returncode == 0, upgrade.stdout + upgrade.stderr


def test_a_platform_file_replaced_by_a_link_out_is_never_written_through(hostile_service: Path, tmp_path: Path) -> None:
    service = tmp_path / "svc"
    shutil.copytree(hostile_service, service, symlinks=True)
    target = tmp_path / "outside.txt"
    target.write_text("outside\n")
    (service / "Dockerfile").unlink()
    (service / "Dockerfile").symlink_to(target)
    git("add", "-A", cwd=service)
    git("commit", "-qm", "link", cwd=service)
    diff = platctl("diff", "--stat", cwd=service)
    assert diff.returncode == 1 and "Dockerfile | missing" in diff.stdout
    platctl("doctor", ".", "--fix", cwd=service)
    assert target.read_text() == "outside\n"


@pytest.mark.parametrize(
    "record",
    ["golden_path: [unclosed\n", "- a list\n", "golden_path: {source: no-such-golden-path}\n", "\x00\x01binary"],
)
def test_a_broken_record_is_a_clear_error(hostile_service: Path, tmp_path: Path, record: str) -> None:
    service = tmp_path / "svc"
    shutil.copytree(hostile_service, service, symlinks=True)
    write(service / ".platctl.yaml", record)
    for command in (["diff"], ["upgrade", "--dry-run"]):
        done = platctl(*command, cwd=service)
        assert done.returncode == 2 and done.stderr.startswith("platctl: error: "), (command, done.stderr)
    doctor = platctl("doctor", ".", cwd=service)
    assert doctor.returncode in (1, 2)
