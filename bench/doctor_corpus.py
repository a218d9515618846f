"""doctor on public repositories, held to a committed judgement of every finding (like ruff's ecosystem check).

    python bench/doctor_corpus.py --source /work/.mirror      # check out each pinned repo, run doctor, compare
    python bench/doctor_corpus.py --fix                        # and: --fix changes only the lines it must
    python bench/doctor_corpus.py --write-new                  # add findings that appeared, verdict "unjudged"

Repositories are pinned in bench/corpus/doctor/repos.yaml and checked out at
their commit into bench/.work/corpus/doctor/ (from --source DIR, which holds
``owner+name`` checkouts or bare mirrors ``owner+name/repo``, else cloned from
GitHub). bench/corpus/doctor/expectations.json holds, for every finding, a
verdict: ``true`` (a platform team would act on it), ``false`` (wrong) or
``noise`` (right in the letter, not worth acting on), with the reason.

It prints precision (true / all judged findings), false positives by rule, any
false positive at error severity, and the findings that appeared or
disappeared since the expectations were written. Run it before each change to
a rule. It is not part of the test suite (it needs the repositories).
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus" / "doctor"
WORK = HERE / ".work" / "corpus" / "doctor"
Key = tuple[str, str, str, int, str]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="directory of owner+name checkouts or bare mirrors")
    parser.add_argument("--fix", action="store_true", help="also run --fix on a copy and check its diff")
    parser.add_argument("--write-new", action="store_true", help="record appeared findings as unjudged")
    args = parser.parse_args()
    import yaml

    repos = yaml.safe_load((CORPUS / "repos.yaml").read_text())
    expected = _load_expectations()
    found: dict[Key, str] = {}
    for entry in repos:
        root = checkout(entry["repo"], entry["commit"], args.source)
        if root is None:
            print(f"{entry['repo']}: not available here; skipped")
            continue
        for key, severity in run(entry["repo"], root).items():
            found[key] = severity
        if args.fix:
            print(fix_report(entry["repo"], root))
    report(found, expected, {e["repo"] for e in repos})
    if args.write_new:
        _write_new(found, expected)
    return 0


def checkout(repo: str, commit: str, source: Path | None) -> Path | None:
    """The repository at ``commit`` in bench/.work (made once, from --source or GitHub)."""
    target = WORK / repo.replace("/", "+")
    if (target / ".corpus-commit").is_file() and (target / ".corpus-commit").read_text() == commit:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    git_dir = _git_dir(repo, source, target)
    if git_dir is None:
        return None
    _extract(git_dir, commit, target)
    # A repository of its own, as a clone is (bench/.work is ignored by this checkout's git).
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "add", "-A", "."], check=True)
    (target / ".git" / "info" / "exclude").write_text(".corpus-commit\n")
    subprocess.run(["git", "-C", str(target), "rm", "-q", "--cached", "--ignore-unmatch", ".corpus-commit"], check=True)
    (target / ".corpus-commit").write_text(commit)
    return target


def _git_dir(repo: str, source: Path | None, target: Path) -> Path | None:
    name = repo.replace("/", "+")
    for candidate in ([source / name / "repo", source / name / ".git", source / name] if source else []):
        if (candidate / "objects").is_dir() or (candidate / "HEAD").is_file() and (candidate / "refs").is_dir():
            return candidate
    clone = WORK / f"{name}.git"
    if not clone.exists():
        done = subprocess.run(["git", "clone", "--bare", "--filter=blob:limit=2m", f"https://github.com/{repo}",
                               str(clone)], capture_output=True)
        if done.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            return None
    return clone


def _extract(git_dir: Path, commit: str, target: Path) -> None:
    """Every file of the commit whose blob is present (large files of a partial mirror may be absent)."""
    listing = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", commit],
                             capture_output=True, check=True).stdout.decode("utf-8", "surrogateescape")
    entries = [e.split("\t", 1) for e in listing.split("\0") if e]
    blobs = [(meta.split()[2], path) for meta, path in entries if meta.split()[1] == "blob"]
    batch = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
                           input="".join(f"{sha}\n" for sha, _ in blobs).encode(), capture_output=True).stdout
    offset = 0
    for _, path in blobs:
        header_end = batch.index(b"\n", offset)
        header = batch[offset:header_end].split()
        offset = header_end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes(batch[offset:offset + size])
        offset += size + 1


def run(repo: str, root: Path) -> dict[Key, str]:
    from platctl.doctor.api import DoctorOptions, run_doctor

    report = run_doctor([root], DoctorOptions())
    return {(repo, f.rule, f.path, f.line or 0, f.message): f.severity.value for f in report.findings}


def report(found: dict[Key, str], expected: dict[Key, dict[str, Any]], repos: set[str]) -> None:
    judged = {k: expected[k]["verdict"] for k in found if k in expected}
    verdicts = collections.Counter(judged.values())
    total = sum(verdicts.values())
    print(f"\n{len(found)} findings on {len({k[0] for k in found})} repositories; judged {total}: "
          + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
    if total:
        print(f"precision (true / all judged): {verdicts['true'] / total:.1%}")
    by_rule = collections.Counter(k[1] for k, v in judged.items() if v == "false")
    print("false positives by rule:", dict(by_rule.most_common()) or "none")
    noise = collections.Counter(k[1] for k, v in judged.items() if v == "noise")
    print("noise by rule:", dict(noise.most_common()) or "none")
    errors = [k for k, v in judged.items() if v == "false" and found[k] == "error"]
    print(f"false positives at error severity: {len(errors)}")
    for key in errors:
        print("   ", *key)
    appeared = [k for k in found if k not in expected]
    gone = [k for k in expected if k not in found and k[0] in repos]
    for title, keys in (("appeared (not judged yet)", appeared), ("disappeared", gone)):
        print(f"{title}: {len(keys)}")
        for key in sorted(keys)[:40]:
            print("   ", *key)


def fix_report(repo: str, root: Path) -> str:
    """Run --fix on a copy: every changed file may only gain lines, and fixed workflows must pass actionlint."""
    from platctl.doctor.api import DoctorOptions, run_doctor

    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / "repo"
        shutil.copytree(root, copy, symlinks=True)
        report = run_doctor([copy], DoctorOptions(fix=True))
        changed = sorted({c.path for c in report.fixes})
        problems = [p for p in changed if not _only_insertions((root / p).read_bytes(), (copy / p).read_bytes())]
        lint = _actionlint(copy, [p for p in changed if p.startswith(".github/workflows/")])
        return (f"{repo}: --fix changed {len(changed)} file(s), {len(report.fixes)} fix(es); "
                f"changes other than inserted lines: {problems or 'none'}; actionlint: {lint}")


def _only_insertions(before: bytes, after: bytes) -> bool:
    old, new = before.split(b"\n"), after.split(b"\n")
    return all(tag == "insert" for tag, *_ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
               if tag != "equal")


def _actionlint(root: Path, workflows: list[str]) -> str:
    if not workflows or shutil.which("actionlint") is None:
        return "not run" if workflows else "no workflow changed"
    before = subprocess.run(
        ["actionlint", "-no-color", "-oneline", *workflows], cwd=root, capture_output=True, text=True
    )
    new_errors = [line for line in before.stdout.splitlines() if "timeout-minutes" in line or "permissions" in line]
    return "clean on the fixed keys" if not new_errors else "; ".join(new_errors[:3])


def _load_expectations() -> dict[Key, dict[str, Any]]:
    path = CORPUS / "expectations.json"
    entries = json.loads(path.read_text()) if path.is_file() else []
    return {(e["repo"], e["rule"], e["path"], e["line"], e["message"]): e for e in entries}


def _write_new(found: dict[Key, str], expected: dict[Key, dict[str, Any]]) -> None:
    entries = list(expected.values())
    entries += [
        {
            "repo": k[0],
            "rule": k[1],
            "path": k[2],
            "line": k[3],
            "message": k[4],
            "severity": found[k],
            "verdict": "unjudged",
            "why": "",
        }
        for k in found
        if k not in expected
    ]
    entries.sort(key=lambda e: (e["repo"], e["rule"], e["path"], e["line"], e["message"]))
    (CORPUS / "expectations.json").write_text(json.dumps(entries, indent=1) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.exit(main())
