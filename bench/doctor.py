"""Speed of ``platctl doctor``, printed as figures (not a timed test).

    python bench/doctor.py            # a generated service, and a synthetic 20,000-file repo

Each figure is the best of several runs of a fresh ``python -m platctl doctor``
process, so interpreter start-up and imports are included; the in-process
``run_doctor`` time is printed beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 3


def render_service(root: Path) -> Path:
    from platctl.scaffold.api import NewServiceRequest, new_service

    return new_service(NewServiceRequest(name="payments-api", answers={"owner": "team-payments"},
                                         output_dir=root, git=True)).path


def synthetic_repo(root: Path, files: int = 20_000) -> Path:
    """Many services' worth of workflows, Dockerfiles, Terraform, manifests and plain source files."""
    template = render_service(root / "template")
    sources = [p for p in template.rglob("*") if p.is_file() and ".git" not in p.parts]
    repo = root / "mono"
    count = 0
    while count < files:
        service = repo / f"svc{count // len(sources):04d}"
        for source in sources:
            target = service / source.relative_to(template)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            count += 1
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/ci.yml").write_bytes((template / ".github/workflows/ci.yml").read_bytes())
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def best_wall(args: list[str]) -> float:
    times = []
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - started)
    return min(times)


def in_process(path: Path) -> tuple[float, int, int]:
    from platctl.doctor.api import run_doctor

    started = time.perf_counter()
    report = run_doctor([path])
    return time.perf_counter() - started, len(report.services), len(report.findings)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="platctl-bench-") as tmp:
        root = Path(tmp)
        service = render_service(root / "one")
        files = sum(1 for p in service.rglob("*") if p.is_file() and ".git" not in p.parts)
        print(f"generated service ({files} files):")
        print(f"  python -c pass                 {best_wall([sys.executable, '-c', 'pass']):.3f} s (interpreter floor)")
        core = [sys.executable, "-c", "import sys; from platctl.doctor.api import run_doctor; "
                "from platctl.doctor.reporters import get_reporter; "
                f"get_reporter('text')(run_doctor([__import__('pathlib').Path({str(service)!r})]), sys.stdout)"]
        print(f"  doctor core + text report      {best_wall(core):.3f} s wall, start-up included")
        print("  platctl doctor (CLI)           "
              f"{best_wall([sys.executable, '-m', 'platctl', 'doctor', str(service)]):.3f} s wall")
        print(f"  run_doctor in-process          {in_process(service)[0]:.3f} s")
        mono = synthetic_repo(root / "synthetic")
        seconds, services, findings = in_process(mono)
        print(f"synthetic monorepo (20,000+ files, {services} services, {findings} findings):")
        print("  platctl doctor (CLI)           "
              f"{best_wall([sys.executable, '-m', 'platctl', 'doctor', str(mono)]):.3f} s wall")
        print(f"  run_doctor in-process          {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
