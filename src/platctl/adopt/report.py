"""The adoption report: what was added, what was kept and why, what conflicts, and the contract the app
must meet for the platform files to work, each clause naming the doctor rule that checks it.

Plain data, rendered to Markdown for ``docs/adoption.md``; the CLI prints the same text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kept:
    path: str
    why: str
    provided: bool = False  # left out because the repository provides the part its own way, not because it exists


@dataclass(frozen=True)
class Clause:
    """One thing the app must do; ``evidence`` says where adopt saw it done, or is empty."""

    what: str
    rule: str  # the doctor rule that checks it, or "" when none can
    evidence: str = ""


@dataclass(frozen=True)
class Report:
    service: str  # the service's directory in the repository ("." for the root)
    golden_path: str
    answers: tuple[tuple[str, str, str], ...]  # (variable, value, where it came from)
    added: tuple[str, ...]
    kept: tuple[Kept, ...]
    conflicts: tuple[str, ...]
    contract: tuple[Clause, ...]
    path: str = "docs/adoption.md"


def render_markdown(report: Report) -> str:
    lines = [f"# Adoption of `{report.service}` onto {report.golden_path}", "",
             "Written by `platctl adopt`. Run `platctl doctor` to check the contract below; "
             "`platctl doctor --explain <RULE>` explains a rule.", "", "## Answers", "",
             "| variable | value | from |", "|---|---|---|"]
    lines += [f"| {name} | `{value}` | {origin} |" for name, value, origin in report.answers]
    lines += ["", "## Added", ""] + [f"- `{path}`" for path in report.added] + ["", "## Kept", ""]
    lines += [f"- `{k.path}` {'not added' if k.provided else 'kept'}: {k.why}" for k in report.kept] or ["- nothing"]
    lines += ["", "## Conflicts and what adopt did not do", ""]
    lines += [f"- {c}" for c in report.conflicts] or ["- none"]
    lines += ["", "## The contract the app must meet", "", "| the app must | checked by | seen |", "|---|---|---|"]
    lines += [f"| {c.what} | {_rule(c.rule)} | {c.evidence or '**not seen**: check it'} |" for c in report.contract]
    return "\n".join(lines) + "\n"


def _rule(code: str) -> str:
    return f"`{code}`" if code else "no rule (check by hand)"
