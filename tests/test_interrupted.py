"""SIGKILL at any moment leaves a tree either untouched or complete, never half-written."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_upgrade import _env, git, golden_repo, release_v2, run, service, snapshot  # noqa: F401 - fixtures

# Kill points as fractions of how long an uninterrupted run takes on this machine right now.
KILL_FRACTIONS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.5, 3.0]


def start(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "platctl", *args], cwd=cwd, env=env or _env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def kill_after(process: subprocess.Popen[bytes], delay: float) -> None:
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_new_service_killed_at_any_point(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    started = time.perf_counter()
    assert run("new", "service", "svc", "--no-input", "-o", str(reference), cwd=tmp_path).returncode == 0
    duration = time.perf_counter() - started
    expected = sorted(snapshot(reference / "svc"))
    outcomes = set()
    for i, delay in enumerate(f * duration for f in KILL_FRACTIONS):
        out = tmp_path / f"out{i}"
        out.mkdir()
        kill_after(start("new", "service", "svc", "--no-input", "-o", str(out), cwd=tmp_path), delay)
        target = out / "svc"
        if target.exists():
            assert sorted(snapshot(target)) == expected, f"killed after {delay}s: incomplete service"
            assert git("status", "--porcelain", cwd=target) == ""
            outcomes.add("complete")
        else:
            outcomes.add("untouched")
        # The next run in the same place removes whatever staging the killed one left.
        assert run("new", "service", "other", "--no-input", "--no-git", "-o", str(out), cwd=tmp_path).returncode == 0
        assert sorted(p.name for p in out.iterdir()) == sorted({"other", *(["svc"] if target.exists() else [])})
    assert outcomes == {"complete", "untouched"}, "the kill points no longer straddle the run: adjust KILL_FRACTIONS"


def test_upgrade_killed_at_any_point(service: Path, golden_repo: Path, tmp_path: Path) -> None:
    release_v2(golden_repo)
    before = snapshot(service)
    done = tmp_path / "done"
    shutil.copytree(service, done)
    slow = {**_env(), "PLATCTL_TEST_PAUSE_BETWEEN_WRITES": "0.15"}
    started = time.perf_counter()
    reference = start("upgrade", cwd=done, env=slow)
    assert reference.wait() == 1
    duration = time.perf_counter() - started
    after = snapshot(done)
    assert after != before
    outcomes = set()
    for delay in (f * duration for f in [0.2, 0.4, 0.55, 0.65, 0.75, 0.85, 0.95, 1.5, 3.0]):
        kill_after(start("upgrade", cwd=service, env=slow), delay)
        if any((p / "journal.json").exists() for p in service.glob(".platctl-staging-*")):
            outcomes.add("killed mid-write")
        # Any platctl upgrade run recovers first: here a dry run, which changes nothing else.
        run("upgrade", "--dry-run", cwd=service)
        now = snapshot(service)
        assert now in (before, after), f"killed after {delay}s: half-upgraded"
        outcomes.add("complete" if now == after else "untouched")
        git("checkout", "-q", "--", ".", cwd=service)
        git("clean", "-qfd", cwd=service)
    assert outcomes == {"complete", "untouched", "killed mid-write"}, ("the delays no longer straddle the run: "
                                                                       f"{outcomes}")
    assert not [p for p in service.iterdir() if p.name.startswith(".platctl-staging-")]
