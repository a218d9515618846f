"""A Markdown summary short enough for a pull-request comment or an issue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from platctl.fleet.reporters import ReportOptions
    from platctl.fleet.summary import FleetSummary

TOP = 10


def render(summary: FleetSummary, out: TextIO, options: ReportOptions) -> None:
    t = summary.totals
    out.write(f"## {_cell(options.title)}: {t['services']} services on {summary.latest_day or 'no day yet'}\n\n")
    out.write("| services | on a golden path | on the newest version | scan failed | errors | warnings | waivers "
              "expiring |\n")
    out.write("|---:|---:|---:|---:|---:|---:|---:|\n")
    out.write(f"| {t['services']} | {t['on_golden_path']} ({_pct(t['on_golden_path'], t['scanned'])}) | "
              f"{t['current']} ({_pct(t['current'], t['on_golden_path'])}) | {t['failed']} | {t['errors']} | "
              f"{t['warnings']} | {t['expiring_waivers']} |\n\n")
    _table(out, "Maturity", ("level", "services"), [(k, v) for k, v in summary.levels.items()])
    _table(out, "Versions", ("golden path", "version", "services"),
           [(gp, v, n) for gp, rows in summary.versions.items() for v, n in rows])
    rules = [(f"[{r.rule}]({options.rule_docs.format(code=r.rule)})", r.severity, r.repos, r.findings)
             for r in summary.rules[:TOP]]
    _table(out, f"Top failing rules (of {len(summary.rules)})", ("rule", "severity", "services", "findings"), rules)
    _table(out, "Teams", ("owner", "services", "on a golden path", "newest version", "errors", "gold"),
           [(r.owner, r.repos, r.on_golden_path, r.current, r.errors, r.levels.get("gold", 0)) for r in summary.teams])
    _table(out, "Waivers expiring soon", ("service", "rule", "path", "expires"),
           [(w.key, w.rule, w.path, f"{w.expires} ({w.days_left} days)") for w in summary.waivers[:TOP]])


def _table(out: TextIO, title: str, header: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> None:
    out.write(f"### {title}\n\n")
    if not rows:
        out.write("None.\n\n")
        return
    out.write("| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n")
    for row in rows:
        out.write("| " + " | ".join(_cell(v) for v in row) + " |\n")
    out.write("\n")


def _cell(value: object) -> str:
    """A table cell: pipes and newlines escaped, HTML tags neutralised (names come from repositories)."""
    text = str(value).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")
    return text


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "n/a"
