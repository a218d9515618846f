"""In a git repository, doctor lists files from git's index and narrows secret scans with git grep."""

from __future__ import annotations

import subprocess
from pathlib import Path

from doctor_support import check

KEY = "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
AWS = "aws_access_key_id = AKIA" + "Z7Q2WJ4KXH3MB5NA\n"


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@e", *args], check=True,
                   capture_output=True)


def test_tracked_untracked_ignored_deleted_and_linked_files(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".gitignore").write_text("build/\n")
    (root / "tracked.pem").write_text("# notes\n" + KEY)
    (root / "deleted.pem").write_text(KEY)
    (root / "link.pem").symlink_to("/etc/hostname")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    (root / "deleted.pem").unlink()
    (root / "untracked.ini").write_text("[default]\n" + AWS)
    (root / "build").mkdir()
    (root / "build/ignored.pem").write_text(KEY)
    report = check(root, "SEC001", "SEC002")
    found = sorted((f.rule, f.path, f.line) for f in report.findings)
    assert found == [("SEC001", "tracked.pem", 2), ("SEC002", "untracked.ini", 2)]
    skipped = {s.path: s.reason for s in report.services[0].skips}
    assert "outside the repository" in skipped["link.pem"]
    assert "deleted.pem" not in skipped and "build/ignored.pem" not in skipped
