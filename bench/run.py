"""platctl against cookiecutter, cruft, copier, repolinter and checkov, side by side (issue 6).

    python bench/run.py                   # every scenario, 5 timed runs each
    python bench/run.py --runs 9          # more runs
    python bench/run.py --quick           # 1 run, no warm-up: a smoke test, not numbers to quote
    python bench/run.py --only upgrade    # one scenario (repeatable, or comma-separated)
    python bench/run.py --profile         # also profile the platctl rows that miss their target

Scenarios are built anew under bench/.work/run; peers are installed on first
use (see bench/peers.py). Commands of a scenario run in turn, round after
round (platctl, peer, peer, platctl, ...), after one untimed warm-up round.
The table goes to stdout and, with every sample, to bench/results.json (a
partial or --quick run writes bench/.work/results-partial.json instead, so it
never replaces the numbers docs/performance.md quotes).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixtures  # noqa: E402
import peers as peer_setup  # noqa: E402
import report  # noqa: E402
import scenarios as sc  # noqa: E402
from measure import CommandFailed, Sample, Series, run_checked, run_measured  # noqa: E402

BENCH = Path(__file__).resolve().parent
RUN_DIR = BENCH / ".work" / "run"
T = TypeVar("T")
SCENARIOS = ("startup", "scaffold", "doctor", "doctor-20k", "drift", "upgrade", "many-repos")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--quick", action="store_true", help="1 run, no warm-up")
    parser.add_argument("--only", action="append", default=[], metavar="SCENARIO",
                        help=f"run only these scenarios: {', '.join(SCENARIOS)}")
    parser.add_argument("--services", type=int, default=200, help="services for many-repos (default 200)")
    parser.add_argument("--files", type=int, default=20_000, help="committed files in doctor-20k (default 20000)")
    parser.add_argument("--profile", action="store_true", help="profile platctl rows that miss their target")
    parser.add_argument("--platctl", metavar="EXE", default=None,
                        help="the platctl to measure (default: this tree, installed into bench/.work/venv-platctl)")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the results (default bench/results.json for a full run, "
                             "bench/.work/results-partial.json with --only or --quick)")
    args = parser.parse_args(argv)
    args.only = [s.strip() for item in args.only for s in item.split(",") if s.strip()] or list(SCENARIOS)
    unknown = sorted(set(args.only) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    if args.quick:
        args.runs, args.warmup = 1, 0
    if args.output is None:
        partial = args.quick or set(args.only) != set(SCENARIOS)
        args.output = BENCH / ".work" / "results-partial.json" if partial else BENCH / "results.json"
    return args


def find_platctl(given: str | None) -> str:
    """platctl from its own venv, freshly installed from this tree (``--platctl EXE``: that one instead).

    The peers run from venvs of their own; so does platctl. An interpreter's site-packages may hold
    ``.pth`` files that import modules at every start-up (this machine's imports certifi), which a venv
    does not read, and a PATH lookup may find a version manager's shell shim (pyenv's adds ~0.05 s).
    """
    if given:
        if not Path(given).exists():
            sys.exit(f"--platctl {given}: no such file")
        return given
    try:
        return peer_setup.install_platctl(BENCH.parent)
    except RuntimeError as error:
        sys.exit(str(error))


# -- fixtures shared by several scenarios ---------------------------------------------
class Work:
    """Fixtures built on first use and shared between scenarios."""

    def __init__(self, world: sc.World, args: argparse.Namespace) -> None:
        self.world, self.args = world, args
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, build: Callable[[], T]) -> T:
        if key not in self._cache:
            started = time.perf_counter()
            log(f"building fixture {key}")
            try:
                self._cache[key] = build()
            except Exception as error:  # noqa: BLE001 - remembered: the next scenario needing it fails alike
                self._cache[key] = error
            log(f"fixture {key} {'failed' if isinstance(self._cache[key], Exception) else 'ready'} "
                f"in {time.perf_counter() - started:.1f} s")
        value = self._cache[key]
        if isinstance(value, Exception):
            raise RuntimeError(f"fixture {key} could not be built: {value}") from value
        return cast(T, value)

    def rendered(self) -> Path:
        """One render of the bundled golden path, without git, to copy from."""
        def build() -> Path:
            out = RUN_DIR / "render"
            out.mkdir(parents=True)
            run_checked([self.world.platctl, "new", "service", fixtures.SERVICE, "--no-input", "--no-git",
                         "-o", str(out)], out, self.world.env)
            return out / fixtures.SERVICE
        return self._once("rendered", build)

    def fresh_service(self) -> Path:
        def build() -> Path:
            out = RUN_DIR / "doctor"
            out.mkdir(parents=True)
            run_checked([self.world.platctl, "new", "service", fixtures.SERVICE, "--no-input", "-o", str(out)],
                        out, self.world.env)
            return out / fixtures.SERVICE
        return self._once("fresh-service", build)

    def synthetic(self) -> tuple[Path, int]:
        def build() -> tuple[Path, int]:
            repo = RUN_DIR / "synthetic" / "monorepo"
            tracked = fixtures.synthetic_repo(self.rendered(), repo, tracked=self.args.files)
            return repo, tracked
        return self._once("synthetic", build)

    def many(self) -> list[Path]:
        return self._once("many", lambda: fixtures.many_services(
            self.rendered(), RUN_DIR / "many", self.args.services))

    def projects(self) -> sc.Projects:
        return self._once("projects", lambda: sc.make_projects(self.world))


def build_scenario(name: str, work: Work) -> sc.Scenario:
    world = work.world
    if name == "startup":
        return sc.startup(world)
    if name == "scaffold":
        return sc.scaffold(world)
    if name == "doctor":
        return sc.doctor_service(world, work.fresh_service())
    if name == "doctor-20k":
        return sc.doctor_large(world, *work.synthetic())
    if name == "drift":
        return sc.drift(world, work.projects())
    if name == "upgrade":
        return sc.upgrade(world, work.projects())
    return sc.many_repos(world, work.many())


# -- measuring ----------------------------------------------------------------------
def measure_once(command: sc.Command, index: int, env: dict[str, str]) -> Sample:
    """Prepare, run and verify one command; return its sample."""
    if command.prepare:
        command.prepare(index)
    sample = run_measured(command.argv(index), command.cwd, env, command.ok_codes)
    problem = command.verify(index) if command.verify else None
    if problem:
        raise CommandFailed(f"{command.label} ran but did not do the work: {problem}")
    return sample


def run_scenario(scenario: sc.Scenario, env: dict[str, str], runs: int, warmup: int) -> dict[str, Series]:
    live = [c for c in scenario.commands if not c.missing]
    results = {c.key: Series() for c in scenario.commands}
    for round_no in range(warmup + runs):
        timed = round_no >= warmup
        for command in live:
            series = results[command.key]
            if series.error:
                continue
            try:
                sample = measure_once(command, round_no, env)
            except (CommandFailed, RuntimeError, OSError) as error:
                series.error = str(error)
                log(f"  {command.label}: FAILED: {str(error).splitlines()[0]}")
                continue
            if timed:
                series.samples.append(sample)
        log(f"  round {round_no + 1}/{warmup + runs}{'' if timed else ' (warm-up)'} done")
    return results


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    platctl = find_platctl(args.platctl)
    if RUN_DIR.exists():
        shutil.rmtree(RUN_DIR)
    RUN_DIR.mkdir(parents=True)
    world = sc.World(RUN_DIR, fixtures.bench_env(RUN_DIR), platctl, peer_setup.all_peers())
    info = report.machine_info(platctl)
    work = Work(world, args)
    rows: list[report.Row] = []
    raw: dict[str, dict[str, Series]] = {}
    built: list[sc.Scenario] = []
    for name in args.only:
        log(f"scenario {name}")
        try:
            scenario = build_scenario(name, work)
        except Exception as error:  # noqa: BLE001 - a broken fixture skips its scenario, not the run
            log(f"scenario {name} could not be set up: {error}")
            traceback.print_exc()
            rows.append(report.Row(name, "platctl", "(setup)", None, None, None, None, None, 0, "", "error", "", "",
                                   str(error).splitlines()[0]))
            continue
        raw[name] = run_scenario(scenario, world.env, args.runs, args.warmup)
        for note in scenario.after() if scenario.after else []:
            scenario.notes.append(note)
            log(f"  {note}")
        rows.extend(report.rows_for(scenario, raw[name]))
        built.append(scenario)
    extra: dict[str, Any] = {
        "peers": {p.name: {"exe": p.exe, "version": p.version, "missing": p.missing} for p in world.peers.values()},
        "notes": {s.name: s.notes for s in built},
    }
    if args.profile:
        import profiling

        extra["profiles"] = profiling.profile_missed(built, rows, raw, world)
    options = {"runs": args.runs, "warmup": args.warmup, "quick": args.quick, "only": args.only,
               "services": args.services, "files": args.files}
    report.write_results(args.output, info, options, rows, raw, extra)
    print(f"\nplatctl benchmark, {info['date_utc']}, {info['nproc']} × {info['cpu_model']}, "
          f"load average at start {', '.join(f'{x:.2f}' for x in info['loadavg_start'])}; "
          f"{args.runs} timed run(s) after {args.warmup} warm-up round(s)\n")
    print(report.terminal_table(rows))
    print(f"\n{report.verdict(rows)}")
    if extra.get("profiles"):
        import profiling

        print("\nprofiles (raw files in bench/.work/profiles):\n" + profiling.summary(extra["profiles"]))
    print(f"\nwritten: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
