"""The dashboard: one self-contained HTML file with charts drawn from the data, readable light and dark.

Numbers that matter carry ``data-metric`` attributes, so a browser test can
compare the page with the database. Every text from a repository is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, TextIO

from platctl.fleet.reporters import page, svg

if TYPE_CHECKING:
    from platctl.fleet.reporters import ReportOptions
    from platctl.fleet.summary import FleetSummary

TOP_RULES = 15
REPO_TABLE = (("name", "service", False), ("owner", "owner", False), ("golden_path", "golden path", False),
              ("version", "version", False), ("versions_behind", "behind", True), ("level", "level", False),
              ("errors", "errors", True), ("warnings", "warnings", True), ("waived", "waived", True),
              ("day", "scanned", False), ("error", "scan error", False))


def render(summary: FleetSummary, out: TextIO, options: ReportOptions) -> None:
    title = escape(options.title)
    out.write(f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
              f'<meta http-equiv="Content-Security-Policy" content="{page.CSP}">'
              f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title>'
              f"<style>{page.CSS}</style></head><body>")
    out.write(f'<h1>{title}</h1><p class="muted">{summary.totals["services"]} services, latest scan '
              f'<span data-metric="latest_day">{escape(summary.latest_day or "none")}</span>; generated '
              f"{escape(summary.generated_at)}</p>")
    out.write(_cards(summary.totals))
    out.write('<div class="grid2">')
    out.write(_section("Adoption over time", _adoption(summary)))
    out.write(_section("Version skew per golden path", _versions(summary)))
    levels = [(k, v, None) for k, v in summary.levels.items()]
    out.write(_section("Maturity", svg.bar_chart(levels, "maturity", "levels")))
    out.write(_section("Top failing rules", _rules_chart(summary, options)))
    out.write("</div>")
    out.write(_section("Failing rules", _rules_table(summary, options)))
    out.write(_section("Teams", _table("teams", ("owner", "services", "on a golden path", "newest version", "errors",
                                                 "warnings", "gold", "silver", "bronze", "none"), _team_rows(summary))))
    out.write(_section("Services", _filter("repos", len(summary.repos)) + _table(
        "repos", tuple(h for _, h, _ in REPO_TABLE), _repo_rows(summary))))
    out.write(_section("Waivers expiring soon", _table("waivers", ("service", "owner", "rule", "path", "expires",
                                                                   "days left"), _waiver_rows(summary))))
    out.write(f"<script>{page.SCRIPT}</script></body></html>\n")


def _cards(totals: dict[str, int]) -> str:
    shown = (("services", "services"), ("on_golden_path", "on a golden path"), ("current", "on the newest version"),
             ("errors", "error findings"), ("failed", "scans failed"), ("expiring_waivers", "waivers expiring"))
    cards = "".join(f'<div class="card"><b data-metric="{key}">{totals[key]}</b>{label}</div>' for key, label in shown)
    return f'<div class="cards">{cards}</div>'


def _section(title: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def _adoption(summary: FleetSummary) -> str:
    points = summary.history
    if not points:
        return '<p class="muted">No history yet.</p>'
    series = [("services", [p.repos for p in points]), ("on a golden path", [p.on_golden_path for p in points]),
              ("on the newest version", [p.current for p in points]),
              ("bronze or better", [p.bronze_or_better for p in points])]
    return svg.line_chart([p.day for p in points], series, "adoption over time")


def _versions(summary: FleetSummary) -> str:
    if not summary.versions:
        return '<p class="muted">No service is on a golden path yet.</p>'
    return svg.stacked_bars(list(summary.versions.items()), "version skew")


def _rules_chart(summary: FleetSummary, options: ReportOptions) -> str:
    rows = [(r.rule, r.repos, options.rule_docs.format(code=r.rule)) for r in summary.rules[:10]]
    return svg.bar_chart(rows, "top failing rules") if rows else '<p class="muted">No failing rules.</p>'


def _rules_table(summary: FleetSummary, options: ReportOptions) -> str:
    rows = [(f'<a href="{escape(options.rule_docs.format(code=r.rule))}">{escape(r.rule)}</a>', r.severity,
             r.repos, r.findings) for r in summary.rules]
    return _table("rules", ("rule", "severity", "services", "findings"), rows, raw_first=True)


def _team_rows(summary: FleetSummary) -> list[tuple[object, ...]]:
    return [(t.owner, t.repos, t.on_golden_path, t.current, t.errors, t.warnings, t.levels["gold"],
             t.levels["silver"], t.levels["bronze"], t.levels["none"]) for t in summary.teams]


def _repo_rows(summary: FleetSummary) -> list[tuple[object, ...]]:
    return [tuple(repo[column] for column, _, _ in REPO_TABLE) for repo in summary.repos]


def _waiver_rows(summary: FleetSummary) -> list[tuple[object, ...]]:
    return [(w.key, w.owner, w.rule, w.path, w.expires, w.days_left) for w in summary.waivers]


def _filter(table: str, count: int) -> str:
    return (f'<input type="search" id="{table}-filter" data-filter="{table}" placeholder="filter: team, level, rule..."'
            f' aria-label="filter services"> <span class="muted"><span id="{table}-filter-count">{count}</span>'
            f" shown</span>")


def _table(name: str, header: Sequence[str], rows: Sequence[tuple[object, ...]], raw_first: bool = False) -> str:
    numeric = [any(isinstance(r[i], int) for r in rows) and all(isinstance(r[i], int) or r[i] is None for r in rows)
               for i in range(len(header))]
    head = "".join(f'<th{" class=num" if numeric[i] else ""}>{escape(h)}</th>' for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(_cell(v, numeric[i], raw_first and i == 0) for i, v in enumerate(row)) + "</tr>"
                   for row in rows)
    table = (f'<table class="sortable" id="{name}" data-rows="{len(rows)}"><thead><tr>{head}</tr></thead>'
             f"<tbody>{body}</tbody></table>")
    return f'<div class="scroll">{table}</div>' if rows else table + '<p class="muted">None.</p>'


def _cell(value: object, numeric: bool, raw: bool) -> str:
    text = "" if value is None else (str(value) if raw else escape(str(value)))
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"
