"""doctor against repolinter on the public repositories of doctor's corpus, not only on platctl's own renders.

    python bench/corpus_speed.py --source /work/.mirror              # 7 alternating rounds per repository
    python bench/corpus_speed.py --source /work/.mirror --runs 11 --platctl EXE

The repositories and commits are the ones bench/doctor_corpus.py judges findings on
(bench/corpus/doctor/repos.yaml), checked out the same way. platctl runs from its own
venv with this tree installed (as bench/run.py does), repolinter from bench/node_modules;
each repository's two commands alternate round after round, after one warm-up round, in
the environment bench/run.py uses. Prints a Markdown table and writes every sample to
bench/.work/corpus-speed.json. Exit 1 from either tool is a finished lint.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import doctor_corpus  # noqa: E402
import fixtures  # noqa: E402
import peers  # noqa: E402
from measure import run_measured  # noqa: E402

BENCH = Path(__file__).resolve().parent
OUT = BENCH / ".work" / "corpus-speed.json"
LINT_CODES = frozenset({0, 1})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="directory of owner+name checkouts or bare mirrors")
    parser.add_argument("--runs", type=int, default=7, help="timed rounds per repository (default 7)")
    parser.add_argument("--platctl", metavar="EXE", help="the platctl to measure (default: this tree, in its venv)")
    args = parser.parse_args()
    import yaml

    platctl = args.platctl or peers.install_platctl(BENCH.parent)
    repolinter = peers.repolinter()
    if repolinter.exe is None:
        sys.exit(f"repolinter is not available: {repolinter.missing}")
    env = fixtures.bench_env(BENCH / ".work" / "corpus-speed")
    rows = []
    for entry in yaml.safe_load((doctor_corpus.CORPUS / "repos.yaml").read_text()):
        root = doctor_corpus.checkout(entry["repo"], entry["commit"], args.source)
        if root is None:
            print(f"{entry['repo']}: not available here; skipped", file=sys.stderr)
            continue
        commands = {"platctl": [platctl, "doctor", "."], "repolinter": [repolinter.exe, "lint", "."]}
        seconds = _alternate(commands, root, env, args.runs)
        rows.append({"repo": entry["repo"], "files": _tracked(root), **seconds})
    OUT.write_text(json.dumps(rows, indent=2) + "\n")
    print(table(rows))
    return 0


def _alternate(commands: dict[str, list[str]], root: Path, env: dict[str, str], runs: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_no in range(runs + 1):  # round 0 warms the page cache and both tools' caches
        for name, argv in commands.items():
            sample = run_measured(argv, root, env, LINT_CODES)
            if round_no:
                samples[name].append(sample.seconds)
    return samples


def _tracked(root: Path) -> int:
    listing = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
    return listing.count(b"\0")


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| repository | files | platctl doctor s | repolinter s | repolinter / platctl |", "|---|---|---|---|---|"]
    for row in rows:
        ours = statistics.median(row["platctl"])  # type: ignore[arg-type]
        theirs = statistics.median(row["repolinter"])  # type: ignore[arg-type]
        lines.append(f"| {row['repo']} | {row['files']:,} | {ours:.3f} | {theirs:.3f} | {theirs / ours:.2f} × |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
