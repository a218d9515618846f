"""Profile platctl commands that miss their target: import time and cProfile.

For each missed row, the same command (same fixture, same prepare step) runs as
``python -X importtime -m platctl ...`` and as ``python -m cProfile -m platctl ...``.
Raw outputs go to ``bench/.work/profiles/``; the summary (slowest imports by
cumulative time, functions by cumulative and own time) goes to results.json.

``python bench/profiling.py FILE.prof`` or ``FILE.importtime`` prints a summary
of a saved profile.
"""

from __future__ import annotations

import io
import pstats
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence

from report import Row
from scenarios import Command, Scenario, World

PROFILES = Path(__file__).resolve().parent / ".work" / "profiles"
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
PROFILE_ROUND = 1000  # a run index no measured run uses, for fresh output directories


def _python_argv(command: Command, *flags: str) -> list[str]:
    argv = command.argv(PROFILE_ROUND)
    return [sys.executable, *flags, "-m", "platctl", *argv[1:]]


def _run(command: Command, world: World, argv: list[str]) -> subprocess.CompletedProcess[str]:
    if command.prepare:
        command.prepare(PROFILE_ROUND)
    return subprocess.run(argv, cwd=command.cwd, env=world.env, capture_output=True, text=True, check=False)


def import_times(stderr: str, top: int = 15) -> dict[str, Any]:
    """Total import time, the slowest imports by cumulative time (outermost first) and by own time."""
    entries = []
    for line in stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if match:
            entries.append((match[4], int(match[1]) / 1e6, int(match[2]) / 1e6, len(match[3]) // 2))
    total = sum(own for _, own, _, _ in entries)
    by_cumulative = sorted(entries, key=lambda e: -e[2])[:top]
    by_own = sorted(entries, key=lambda e: -e[1])[:top]
    return {
        "total_s": round(total, 4),
        "top_cumulative": [{"module": m, "cumulative_s": round(c, 4), "depth": d} for m, _, c, d in by_cumulative],
        "top_self": [{"module": m, "self_s": round(s, 4)} for m, s, _, _ in by_own],
    }


def function_times(prof: Path, top: int = 20) -> dict[str, Any]:
    """The busiest functions of a cProfile run by cumulative and by own time."""
    stats = pstats.Stats(str(prof))
    table: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]

    def name(func: tuple[str, int, str]) -> str:
        path, line, fn = func
        short = re.sub(r"^.*?/(site-packages|src|lib/python3\.\d+)/", "", path)
        return f"{short}:{line}({fn})"

    rows = [(name(f), tt, ct, nc) for f, (cc, nc, tt, ct, _callers) in table.items()]
    total = getattr(stats, "total_tt", 0.0)
    return {
        "total_s": round(total, 4),
        "top_cumulative": [{"function": n, "cumulative_s": round(c, 4), "calls": k}
                           for n, _, c, k in sorted(rows, key=lambda r: -r[2])[:top]],
        "top_self": [{"function": n, "self_s": round(t, 4), "calls": k}
                     for n, t, _, k in sorted(rows, key=lambda r: -r[1])[:top]],
    }


def profile_command(command: Command, world: World) -> dict[str, Any]:
    PROFILES.mkdir(parents=True, exist_ok=True)
    done = _run(command, world, _python_argv(command, "-X", "importtime"))
    (PROFILES / f"{command.key}.importtime").write_text(done.stderr)
    prof = PROFILES / f"{command.key}.prof"
    _run(command, world, _python_argv(command, "-m", "cProfile", "-o", str(prof)))
    result: dict[str, Any] = {"command": command.label, "imports": import_times(done.stderr)}
    if prof.exists():
        result["functions"] = function_times(prof)
        buffer = io.StringIO()
        pstats.Stats(str(prof), stream=buffer).sort_stats("cumulative").print_stats(60)
        (PROFILES / f"{command.key}.txt").write_text(buffer.getvalue())
    return result


def profile_missed(scenarios: Sequence[Scenario], rows: Sequence[Row], world: World) -> dict[str, Any]:
    missed = {(r.scenario, r.command) for r in rows if r.tool == "platctl" and r.status == "MISSED"}
    results = {}
    for scenario in scenarios:
        for command in scenario.commands:
            if (scenario.title, command.label) in missed:
                print(f"[profile] {command.label}", file=sys.stderr, flush=True)
                results[command.key] = profile_command(command, world)
    return results


def main(argv: Sequence[str]) -> int:
    for arg in argv:
        path = Path(arg)
        summary = function_times(path) if path.suffix == ".prof" else import_times(path.read_text())
        print(f"== {path}")
        for key, value in summary.items():
            if isinstance(value, list):
                print(f"{key}:")
                for item in value:
                    print("  " + "  ".join(f"{k}={v}" for k, v in item.items()))
            else:
                print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
