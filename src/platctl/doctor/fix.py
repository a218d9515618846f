"""``doctor --fix``: what every rule's fix shares. Each fixable rule owns its own ``fix`` function.

A rule module that can fix its findings defines ``fix(repo, findings, options, draft)``:
it works out new file contents into the :class:`FixDraft` and says what it did.
The engine calls the fixes of the rules that found something, in registry
order, then writes every drafted file at once through ``platctl.safewrite``, so
a failure or a kill leaves the repo as it was or completely fixed. Two rules
may edit the same file: the second sees the first one's draft.

Shared here:

* :func:`restore_missing`: a platform-owned file the golden path renders but the
  repo lacks is restored byte for byte from a fresh render of the recorded
  golden path and answers, and only when doctor may render it (the render gate).
* :meth:`FixDraft.edit_yaml`: YAML edited with ruamel.yaml's round-trip mode,
  so comments, key order and quoting survive.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platctl.doctor.model import Finding, FixChange
from platctl.safewrite import check_no_symlink_components, replace_files
from platctl.scaffold.record import RECORD_NAME

if TYPE_CHECKING:
    from platctl.doctor.repo import Repo

FixFunction = Callable[["Repo", Sequence[Finding], Mapping[str, Any], "FixDraft"], None]


@dataclass
class FixDraft:
    """New contents of the files the fixes change so far, and the changes made."""

    root: Path
    contents: dict[str, bytes] = field(default_factory=dict)
    changes: list[FixChange] = field(default_factory=list)

    def text(self, path: str) -> str:
        """The file as the fixes so far leave it."""
        if path in self.contents:
            return self.contents[path].decode("utf-8")
        return check_no_symlink_components(self.root, path).read_text(encoding="utf-8")

    def edit_yaml(self, path: str, edit: Callable[[Any], list[FixChange]]) -> None:
        """Apply ``edit`` to the file's YAML (round-trip); keep the result only when it changed something."""
        text = self.text(path)
        yaml = _round_trip(text)
        data = yaml.load(text)
        changes = edit(data)
        if changes:
            buffer = io.StringIO()
            yaml.dump(data, buffer)
            self.contents[path] = buffer.getvalue().encode("utf-8")
            self.changes.extend(changes)

    def write(self) -> None:
        if self.contents:
            replace_files(self.root, self.contents)


def restore_missing(repo: Repo, findings: Sequence[Finding], options: Mapping[str, Any], draft: FixDraft) -> None:
    """Platform files the repo lacks, as a fresh render of its recorded golden path has them."""
    root = repo.root
    missing = sorted({f.path: f.rule for f in findings
                      if not os.path.lexists(check_no_symlink_components(root, f.path))}.items())
    if not missing or not (root / RECORD_NAME).is_file():
        return
    from platctl.doctor.render_gate import render_refusal
    from platctl.scaffold.api import render_from_record
    from platctl.scaffold.record import read_record

    record = read_record(root)
    if render_refusal({"source": record.source, "version": record.version, "commit": record.commit}):
        return  # the repository chose a template doctor may not render: the findings stay, unfixed
    with render_from_record(root) as rendered:
        for path, rule in missing:
            source = rendered / path
            if source.is_file() and not source.is_symlink() and path not in draft.contents:
                draft.contents[path] = source.read_bytes()
                draft.changes.append(FixChange(path, rule, "restored from the golden path"))


def index_after(mapping: Any, keys: tuple[Any, ...]) -> int:
    """Where to insert a key so it follows the first of ``keys`` the mapping has (else first)."""
    order = list(mapping.keys())
    for key in keys:
        if key in order:
            return order.index(key) + 1
    return 0


def _round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=_sequence_indent(text), offset=2)
    return yaml


def _sequence_indent(text: str) -> int:
    """4 when block sequences are indented under their key (``steps:\\n  - run``), else 2."""
    lines = text.splitlines()
    for previous, line in zip(lines, lines[1:]):
        if previous.rstrip().endswith(":") and line.lstrip().startswith("- "):
            return 2 + (len(line) - len(line.lstrip())) - (len(previous) - len(previous.lstrip()))
    return 4
