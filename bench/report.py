"""Turn measured series into rows, a terminal table, a Markdown table and results.json.

``python bench/report.py [bench/results.json]`` prints the Markdown table of a
saved run (what docs/performance.md shows).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from measure import Series
from scenarios import Command, Scenario

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Row:
    scenario: str
    tool: str
    command: str
    median_s: float | None
    min_s: float | None
    max_s: float | None
    peak_mb: float | None
    cpu_s: float | None
    runs: int
    target: str  # "≤ 0.10 s" or ""
    status: str  # MET, MISSED, n/a, error or ""
    ratio: str  # platctl/peer median for peer rows
    platctl_faster: str  # yes, no or ""
    note: str  # why n/a, or the error


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _target_text(command: Command) -> str:
    t = command.target
    if t is None:
        return ""
    return f"≤ {t.seconds:g} s" + (f", ≤ {t.peak_mb:g} MB" if t.peak_mb else "")


def _status(command: Command, series: Series) -> str:
    if command.target is None:
        return ""
    if not series.ok:
        return "error"
    median, peak = series.median(), series.peak_mb()
    met = median is not None and median <= command.target.seconds
    if command.target.peak_mb is not None:
        met = met and peak is not None and peak <= command.target.peak_mb
    return "MET" if met else "MISSED"


def rows_for(scenario: Scenario, results: dict[str, Series]) -> list[Row]:
    by_key = {c.key: c for c in scenario.commands}
    versus = {peer: mine for mine, peer in scenario.comparisons}
    rows = []
    for command in scenario.commands:
        series = results.get(command.key, Series())
        ratio, faster = _versus(results.get(versus.get(command.key, ""), Series()), series)
        if faster:
            faster = f"{faster} (vs {by_key[versus[command.key]].label.split(' (')[0]})"
        note = command.missing or series.error or ""
        status = "n/a" if command.missing else _status(command, series)
        rows.append(Row(scenario.title, command.tool, command.label, series.median(), series.low(), series.high(),
                        series.peak_mb(), series.cpu_median(), len(series.samples), _target_text(command), status,
                        ratio, faster, note.splitlines()[0] if note else ""))
    return rows


def _versus(mine: Series, theirs: Series) -> tuple[str, str]:
    """platctl's median over the peer's, and whether platctl was faster."""
    if not (mine.ok and theirs.ok):
        return "", ""
    value = (mine.median() or 0.0) / (theirs.median() or 1e-9)
    return f"{value:.2f}", "yes" if value < 1 else "no"


HEADERS = ("scenario", "tool", "command", "median s", "min–max s", "peak MB", "CPU s", "target", "status",
           "platctl/peer", "platctl faster")


def _cells(row: Row) -> list[str]:
    span = "—" if row.min_s is None else f"{row.min_s:.3f}–{row.max_s:.3f}"
    median = _fmt(row.median_s) if row.status != "n/a" else "n/a"
    return [row.scenario, row.tool, row.command, median, span, _fmt(row.peak_mb, 0), _fmt(row.cpu_s, 2),
            row.target, row.status, row.ratio, row.platctl_faster]


def terminal_table(rows: Sequence[Row]) -> str:
    cells = [list(HEADERS)] + [_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    lines = []
    for index, line in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=False)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  {r.tool} ({r.command}): {r.note}" for r in rows if r.note]
    return "\n".join(lines + (["", "notes:"] + notes if notes else []))


def verdict(rows: Sequence[Row]) -> str:
    """One line: targets met and peers beaten."""
    targets = [r for r in rows if r.target]
    met = sum(r.status == "MET" for r in targets)
    compared = [r for r in rows if r.platctl_faster]
    beaten = sum(r.platctl_faster.startswith("yes") for r in compared)
    missing = sum(r.status == "n/a" for r in rows)
    errors = sum(r.status == "error" or (bool(r.note) and r.status != "n/a") for r in rows)
    return (f"targets met: {met}/{len(targets)}; peers beaten: {beaten}/{len(compared)}; "
            f"peer rows n/a: {missing}; rows with errors: {errors}")


def markdown_table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") or " " for c in _cells(row)) + " |")
    return "\n".join(lines)


# -- machine and run info -----------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _mem_total_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _output(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, cwd=REPO)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def machine_info(platctl: str) -> dict[str, Any]:
    dirty = _output(["git", "status", "--porcelain", "--", "src", "golden_paths"])
    return {
        "date_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": _cpu_model(),
        "mem_total_gib": _mem_total_gib(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "python_executable": sys.executable,
        "platctl": _output([platctl, "--version"]),
        "platctl_executable": platctl,
        "platctl_commit": _output(["git", "rev-parse", "--short", "HEAD"]),
        "platctl_src_uncommitted_files": len(dirty.splitlines()) if dirty else 0,
        "loadavg_start": list(os.getloadavg()),
    }


def write_results(path: Path, info: dict[str, Any], options: dict[str, Any], rows: Sequence[Row],
                  raw: dict[str, dict[str, Series]], extra: dict[str, Any]) -> None:
    info = {**info, "loadavg_end": list(os.getloadavg())}
    samples = {
        scenario: {key: {"seconds": s.seconds(), "peak_mb": [x.peak_mb for x in s.samples],
                         "cpu_seconds": [x.cpu_seconds for x in s.samples], "error": s.error}
                   for key, s in series.items()}
        for scenario, series in raw.items()
    }
    document = {"machine": info, "options": options, "rows": [asdict(r) for r in rows], "samples": samples, **extra}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def main(argv: Sequence[str]) -> int:
    path = Path(argv[0]) if argv else Path(__file__).resolve().parent / "results.json"
    document = json.loads(path.read_text())
    rows = [Row(**{"cpu_s": None, **r}) for r in document["rows"]]
    machine = document["machine"]
    print(f"Run {machine['date_utc']} on {machine['nproc']} × {machine['cpu_model']}, Python {machine['python']}, "
          f"{machine['platctl']} ({machine['platctl_commit']}); load average {machine['loadavg_start']} at start; "
          f"{document['options']}\n")
    print(markdown_table(rows))
    print(f"\n{verdict(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
