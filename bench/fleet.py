"""Figures for `platctl fleet` (issue 15), side by side with their targets; not a timed test.

    python bench/fleet.py            # 1,000 generated repositories, 30 days of history, 10,000 simulated
    python bench/fleet.py --repos 200 --simulated 2000   # a quicker look

The 1,000 repositories are cheap copies of one `platctl new service` render per
golden path, each with its own name, owner, recorded version and a few
departures from the golden path (tests/fleet_support.py). The 30 days are the
first scan's fleet JSON ingested again with each day's date (the database then
holds 30,000 snapshots with real findings). The 10,000 are synthetic snapshots
as shards would write them. Every step runs the real `platctl` CLI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fleet_support import make_fleet, render_bases, synthetic_report  # noqa: E402

WORK = ROOT / "bench" / ".work" / "fleet"


def platctl(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "platctl", *args], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"platctl {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed


def real_fleet(count: int, days: int) -> dict[str, float]:
    repos = WORK / "repos"
    if not (repos / "svc-00000" / ".git").is_dir() or len(list(repos.iterdir())) != count:
        shutil.rmtree(repos, ignore_errors=True)
        shutil.rmtree(WORK / "bases", ignore_errors=True)
        make_fleet(render_bases(WORK / "bases", git=True), repos, count)  # bench/.work is inside our own git tree
    db = WORK / "fleet.db"
    db.unlink(missing_ok=True)
    scan = platctl("fleet", "scan", f"{repos}/*", "--db", str(db), "--at", "2025-01-01",
                   "--output", str(WORK / "day-01.json"))
    report = platctl("fleet", "report", "--db", str(db), "--output", str(WORK / "fleet.html"))
    first = json.loads((WORK / "day-01.json").read_text())
    for day in range(2, days + 1):
        for snapshot in first["snapshots"]:
            snapshot["scanned_at"] = f"2025-01-{day:02d}T05:00:00+00:00"
        (WORK / "day.json").write_text(json.dumps(first))
        platctl("fleet", "ingest", str(WORK / "day.json"), "--db", str(db))
    report_30 = platctl("fleet", "report", "--db", str(db), "--output", str(WORK / "fleet-30.html"))
    return {"repos": count, "scan_s": scan, "report_s": report, "report_30_days_s": report_30,
            "db_mb_30_days": db.stat().st_size / 1e6, "html_mb": (WORK / "fleet-30.html").stat().st_size / 1e6}


def simulated_fleet(count: int) -> dict[str, float]:
    rng = random.Random(5)
    shard = WORK / "simulated.json"
    snapshots = [synthetic_report(i, rng, "2025-02-01") for i in range(count)]
    shard.write_text(json.dumps({"tool": {"name": "platctl fleet"}, "snapshots": snapshots}))
    db = WORK / "simulated.db"
    db.unlink(missing_ok=True)
    ingest = platctl("fleet", "ingest", str(shard), "--db", str(db))
    report = platctl("fleet", "report", "--db", str(db), "--output", str(WORK / "simulated.html"))
    return {"repos": count, "ingest_s": ingest, "report_s": report,
            "html_mb": (WORK / "simulated.html").stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--simulated", type=int, default=10_000)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    real = real_fleet(args.repos, args.days)
    simulated = simulated_fleet(args.simulated)
    rows = [
        (f"fleet scan, {real['repos']} repositories", f"{real['scan_s']:.1f} s", "60 s"),
        ("fleet report (HTML), 1 day", f"{real['report_s']:.1f} s", "3 s"),
        (f"fleet report (HTML), {args.days} days", f"{real['report_30_days_s']:.1f} s", "3 s"),
        (f"database after {args.days} daily snapshots", f"{real['db_mb_30_days']:.1f} MB", "50 MB"),
        (f"fleet ingest, {simulated['repos']} simulated", f"{simulated['ingest_s']:.1f} s", "30 s"),
        (f"fleet report (HTML), {simulated['repos']} simulated", f"{simulated['report_s']:.1f} s", "10 s"),
        (f"HTML size, {simulated['repos']} simulated", f"{simulated['html_mb']:.1f} MB", "5 MB"),
    ]
    print(f"platctl fleet on {os.cpu_count()} cores, {dt.date.today()}\n")
    print("| measure | result | target |\n|---|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    (WORK / "results.json").write_text(json.dumps({"real": real, "simulated": simulated}, indent=2))


if __name__ == "__main__":
    main()
