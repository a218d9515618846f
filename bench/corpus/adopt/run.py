"""Adopt each pinned repository of repos.yaml (dry run, then for real) and run doctor afterwards.

    python bench/corpus/adopt/run.py [--source DIR]   # DIR/<owner>+<name>/ holds a checkout at the pinned commit

Without --source each repository is cloned from GitHub and checked out at its commit. Writes
results.json beside this file: per repository, the services adopted, what was added and skipped,
the report's conflicts and contract, and doctor's findings by rule.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for entry in yaml.safe_load((HERE / "repos.yaml").read_text()):
            repo = _checkout(entry, args.source, Path(scratch))
            results[entry["repo"]] = _adopt(repo)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


def _checkout(entry: dict[str, str], source: Path | None, scratch: Path) -> Path:
    target = scratch / entry["repo"].replace("/", "+")
    if source is not None:
        shutil.copytree(source / entry["repo"].replace("/", "+"), target)
    else:
        subprocess.run(["git", "clone", "-q", f"https://github.com/{entry['repo']}", str(target)], check=True)
        subprocess.run(["git", "-C", str(target), "checkout", "-q", entry["commit"]], check=True)
        shutil.rmtree(target / ".git")
    for command in (["init", "-q", "-b", "main"], ["remote", "add", "origin", f"https://github.com/{entry['repo']}"],
                    ["add", "-A"], ["-c", "user.name=c", "-c", "user.email=c@e", "commit", "-qm", "pinned"]):
        subprocess.run(["git", "-C", str(target), *command], check=True)
    return target


def _adopt(repo: Path) -> dict[str, object]:
    platctl = [sys.executable, "-m", "platctl"]
    dry = subprocess.run([*platctl, "adopt", "--dry-run", str(repo)], capture_output=True, text=True)
    real = subprocess.run([*platctl, "adopt", str(repo)], capture_output=True, text=True)
    doctor = subprocess.run([*platctl, "doctor", "--format", "json", str(repo)], capture_output=True, text=True)
    findings: dict[str, int] = {}
    for service in json.loads(doctor.stdout or "{}").get("services", []):
        for finding in service["findings"]:
            findings[finding["rule"]] = findings.get(finding["rule"], 0) + 1
    lines = real.stdout.splitlines()
    return {
        "dry_run_matches": _plan_lines(dry.stdout) == _plan_lines(real.stdout),
        "exit": real.returncode,
        "error": real.stderr.strip()[-500:],
        "adopting": [line for line in lines if line.startswith("Adopting")],
        "detected": [
            line.strip() for line in lines if line.startswith("  ") and "=" in line and "(default)" not in line
        ],
        "skipped": [line.strip() for line in lines if line.startswith("  skip")],
        "notes": [line.strip() for line in lines if line.startswith("  note")],
        "contract": [line.strip() for line in lines if line.startswith("  the app must")],
        "doctor_findings_by_rule": dict(sorted(findings.items())),
    }


def _plan_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("  note", "  the app must", "  skip", "  add"))]


if __name__ == "__main__":
    raise SystemExit(main())
