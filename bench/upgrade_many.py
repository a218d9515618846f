"""`platctl upgrade` on many services in a loop: the time per service (issue 4).

Usage: python bench/upgrade_many.py [--services 50]

Builds the two-tag git golden path the main benchmark uses (python-service at
v1.0.0, with a Dockerfile and .dockerignore change at v2.0.0), makes one
service at v1.0.0 with a committed team edit, copies it to N services, then
runs `platctl upgrade` in each, one after the other, and prints the time per
service. Every upgrade is checked to hold both the upstream change and the
team edit. Results also go to bench/.work/upgrade-many.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402

WORK = Path(__file__).resolve().parent / ".work" / "upgrade-many"
# The console script beside this interpreter, not a version manager's shell shim found on PATH.
PLATCTL = str(Path(sys.executable).parent / "platctl")


def make_services(count: int, env: dict[str, str]) -> list[Path]:
    golden, _copier = fixtures.two_tag_repos(WORK / "golden")
    first = WORK / "services" / "s000"
    first.parent.mkdir(parents=True)
    subprocess.run([PLATCTL, "new", "service", fixtures.SERVICE, "--no-input", "-g", str(golden), "--ref", "v1.0.0",
                    "-o", str(first)], check=True, env=env, capture_output=True)
    service = first / fixtures.SERVICE
    fixtures.local_edit(service)
    services = [service]
    for i in range(1, count):
        copy = WORK / "services" / f"s{i:03d}" / fixtures.SERVICE
        shutil.copytree(service, copy, symlinks=True)
        services.append(copy)
    return services


def upgrade_all(services: list[Path], env: dict[str, str]) -> list[float]:
    times = []
    for service in services:
        started = time.perf_counter()
        done = subprocess.run([PLATCTL, "upgrade", "."], cwd=service, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        problem = fixtures.upgraded(service) if done.returncode == 0 else done.stderr or done.stdout
        if problem:
            raise SystemExit(f"upgrade of {service} went wrong (exit {done.returncode}): {problem}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50)
    count = parser.parse_args().services
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = fixtures.bench_env(WORK)
    services = make_services(count, env)
    started = time.perf_counter()
    times = upgrade_all(services, env)
    total = time.perf_counter() - started
    summary = {
        "services": count,
        "total_s": round(total, 3),
        "per_service_median_s": round(statistics.median(times), 3),
        "per_service_mean_s": round(statistics.fmean(times), 3),
        "per_service_min_s": round(min(times), 3),
        "per_service_max_s": round(max(times), 3),
        "first_s": round(times[0], 3),
    }
    (WORK / "upgrade-many.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"platctl upgrade on {count} services: {total:.2f} s in all; per service median "
          f"{summary['per_service_median_s']:.3f} s, mean {summary['per_service_mean_s']:.3f} s, "
          f"min {summary['per_service_min_s']:.3f} s, max {summary['per_service_max_s']:.3f} s "
          f"(the first, which fills the cache, {summary['first_s']:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
