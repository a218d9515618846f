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
* :meth:`FixDraft.edit_text` with :func:`insert_lines`: a fix inserts the lines it
  must into the text and leaves every other byte as it was (indentation style,
  quoting, trailing whitespace, CRLF), so its diff is the fix and nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platctl.doctor.model import Finding, FixChange
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
        from platctl.safewrite import check_no_symlink_components  # only --fix writes: a lint run never loads it

        return check_no_symlink_components(self.root, path).read_bytes().decode("utf-8")  # CRLF stays CRLF

    def edit_text(self, path: str, edit: Callable[[str], tuple[str, list[FixChange]]]) -> None:
        """Apply ``edit`` to the file's text; keep the result only when it changed something.

        Fixes insert the lines they must and leave every other byte alone
        (indentation, quoting, trailing whitespace, line endings).
        """
        text = self.text(path)
        new, changes = edit(text)
        if changes and new != text:
            self.contents[path] = new.encode("utf-8")
            self.changes.extend(changes)

    def write(self) -> None:
        if self.contents:
            from platctl.safewrite import replace_files

            replace_files(self.root, self.contents)


def restore_missing(repo: Repo, findings: Sequence[Finding], options: Mapping[str, Any], draft: FixDraft) -> None:
    """Platform files the repo lacks, as a fresh render of its recorded golden path has them."""
    from platctl.safewrite import check_no_symlink_components

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


def insert_lines(text: str, before_line: int, lines: list[str]) -> str:
    """``lines`` inserted before the 1-based ``before_line``, in the file's own line endings; nothing else changes."""
    newline = "\r\n" if "\r\n" in text else "\n"
    parts = text.split("\n")
    parts = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])  # only \n ends a line
    index = min(max(before_line - 1, 0), len(parts))
    if index == len(parts) and parts and not parts[-1].endswith(("\n", "\r")):
        parts[-1] += newline
    parts[index:index] = [line + newline for line in lines]
    return "".join(parts)


def indentation(text: str, line: int) -> str:
    """The leading whitespace of a 1-based line."""
    lines = text.split("\n")
    content = lines[line - 1] if 0 < line <= len(lines) else ""
    return content[: len(content) - len(content.lstrip(" \t"))]
