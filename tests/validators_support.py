"""Helpers for running real validators against a rendered golden path.

Every helper returns plain data; the tests decide and show the tool's output on failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import require_tool

CHECKOV_VENV = Path(os.environ.get("PLATCTL_CHECKOV_VENV", "/opt/platctl-ci/checkov"))


@dataclass(frozen=True)
class ToolRun:
    command: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def report(self) -> str:
        """The command and everything it printed, for an assertion message."""
        return f"$ {' '.join(self.command)}\nexit {self.returncode}\n{self.stdout}\n{self.stderr}"


def run_tool(command: Sequence[str | Path], cwd: Path, timeout: int = 300) -> ToolRun:
    args = tuple(str(part) for part in command)
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    return ToolRun(args, done.returncode, done.stdout, done.stderr)


def checkov_path() -> str:
    """checkov lives in its own venv (it pins a conflicting hcl2); fall back to PATH."""
    candidate = CHECKOV_VENV / "bin" / "checkov"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return require_tool("checkov")


def kustomize_command() -> list[str]:
    """`kustomize build`, or the copy built into kubectl."""
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return [require_tool("kustomize"), "build"]


def yaml_documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def files(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.glob(pattern) if p.is_file())


def github_anchor(heading: str) -> str:
    """GitHub's heading slug: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def markdown_anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", path.read_text(), flags=re.MULTILINE)
    return {github_anchor(h) for h in headings}


def workflow_uses(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line number, `uses:` reference, trailing comment) for every step that uses an action."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$", line)
        if match:
            yield number, match.group(1), (match.group(2) or "").strip()


def checkov_summaries(stdout: str) -> list[dict[str, Any]]:
    """checkov prints one report object per framework, or a list of them."""
    data = json.loads(stdout)
    reports = data if isinstance(data, list) else [data]
    return [r for r in reports if isinstance(r, dict)]

