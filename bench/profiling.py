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
import json
import pstats
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence

import hotspots
from measure import Series
from report import Row
from scenarios import Command, Scenario, World

PROFILES = Path(__file__).resolve().parent / ".work" / "profiles"
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")
PROFILE_ROUND = 1000  # a run index no measured run uses, for fresh output directories
HOTSPOT_RUNS = 3


def _python_argv(command: Command, *flags: str, index: int = PROFILE_ROUND) -> list[str]:
    argv = command.argv(index)
    return [_python(argv[0]), *flags, "-m", "platctl", *argv[1:]]


def _python(platctl: str) -> str:
    """The interpreter of the measured platctl (its venv's), else this one."""
    beside = Path(platctl).parent / "python"
    return str(beside) if beside.exists() else sys.executable


def _run(command: Command, world: World, argv: list[str], index: int = PROFILE_ROUND
         ) -> subprocess.CompletedProcess[str]:
    if command.prepare:
        command.prepare(index)
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


def function_seconds(command: Command, world: World) -> dict[str, Any]:
    """In-process wall time of the command's hot functions (bench/hotspots.py), best of a few runs."""
    specs = hotspots.FUNCTIONS.get(command.key, [])
    script = str(Path(hotspots.__file__).resolve())
    best: dict[str, Any] = {}
    for run in range(HOTSPOT_RUNS):
        index = PROFILE_ROUND + 1 + run
        argv = [_python(command.argv(index)[0]), script, *specs, "--", *command.argv(index)[1:]]
        done = _run(command, world, argv, index)
        lines = [line for line in done.stderr.splitlines() if line.startswith("HOTSPOTS ")]
        if not lines:
            return {"error": done.stderr[-800:]}
        result = json.loads(lines[-1][len("HOTSPOTS "):])
        if not best or result["main_s"] < best["main_s"]:
            best = result
    return best


def profile_command(command: Command, world: World) -> dict[str, Any]:
    PROFILES.mkdir(parents=True, exist_ok=True)
    done = _run(command, world, _python_argv(command, "-X", "importtime"))
    (PROFILES / f"{command.key}.importtime").write_text(done.stderr)
    prof = PROFILES / f"{command.key}.prof"
    _run(command, world, _python_argv(command, "-m", "cProfile", "-o", str(prof)))
    result: dict[str, Any] = {"command": command.label, "imports": import_times(done.stderr),
                              "hotspots": function_seconds(command, world)}
    if prof.exists():
        result["functions"] = function_times(prof)
        buffer = io.StringIO()
        pstats.Stats(str(prof), stream=buffer).sort_stats("cumulative").print_stats(60)
        (PROFILES / f"{command.key}.txt").write_text(buffer.getvalue())
    return result


def needs_profile(scenario: Scenario, rows: Sequence[Row], raw: dict[str, Series]) -> list[Command]:
    """platctl commands that missed their target or were slower than a peer."""
    missed = {r.command for r in rows if r.scenario == scenario.title and r.tool == "platctl" and r.status == "MISSED"}
    keys = {c.key for c in scenario.commands if c.label in missed}
    for mine, peer in scenario.comparisons:
        ours, theirs = raw.get(mine), raw.get(peer)
        if ours and theirs and ours.ok and theirs.ok and (ours.median() or 0) >= (theirs.median() or 0):
            keys.add(mine)
    return [c for c in scenario.commands if c.key in keys]


def profile_missed(scenarios: Sequence[Scenario], rows: Sequence[Row], raw: dict[str, dict[str, Series]],
                   world: World) -> dict[str, Any]:
    results = {}
    for scenario in scenarios:
        for command in needs_profile(scenario, rows, raw.get(scenario.name, {})):
            print(f"[profile] {command.label}", file=sys.stderr, flush=True)
            results[command.key] = profile_command(command, world)
    return results


def summary(profiles: dict[str, Any], top: int = 8) -> str:
    """A few lines per profiled command: slowest imports and the in-process hot functions."""
    lines = []
    for key, result in profiles.items():
        imports = result.get("imports", {})
        lines.append(f"{result.get('command', key)}: imports {imports.get('total_s', 0):.3f} s in all")
        for item in [i for i in imports.get("top_cumulative", []) if i["depth"] <= 1][:top]:
            lines.append(f"    import {item['module']:<40} {item['cumulative_s']:.3f} s cumulative")
        spots = result.get("hotspots", {})
        if "functions" in spots:
            lines.append(f"    in-process: main {spots['main_s']:.3f} s (CLI import {spots['import_cli_s']:.3f} s)")
            ranked = sorted(spots["functions"].items(), key=lambda kv: -kv[1]["seconds"])
            for name, value in ranked[:top]:
                lines.append(f"    {name:<56} {value['seconds']:.3f} s  ({value['calls']} calls)")
        elif spots:
            lines.append(f"    hotspots failed: {str(spots.get('error', ''))[-200:]}")
    return "\n".join(lines)


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
