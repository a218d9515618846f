"""Scanning every file of the repository for secrets, shared by the secret rules.

No file escapes the scan: text files are searched as the other rules read them;
binary, non-UTF-8 and huge files (which the other rules skip) are searched as
bytes, streamed in bounded chunks; template sources are searched too. A file
the scan cannot read is a :class:`Hit` with a ``problem``, which the rules
report as a failing finding, never a silent skip.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from platctl.doctor.repo import Repo

# Every secret the rules look for also matches this: one git grep serves them all.
SECRET_PREFILTER = "BEGIN [A-Z ]*PRIVATE KEY|(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"

CHUNK_BYTES = 1024 * 1024
OVERLAP_BYTES = 4096  # longer than any secret the rules match, so none is cut in two between chunks
MAX_SCAN_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Hit:
    """A match of a secret pattern, or a file that could not be scanned (``problem``)."""

    path: str
    line: int | None = None
    column: int | None = None
    match: re.Match[str] | None = None
    problem: str = ""


def scan(repo: Repo, pattern: re.Pattern[str], quick: str, prefilter: str | None = None) -> Iterator[Hit]:
    """Every match of ``pattern`` in the repository's files (text files only when they contain ``quick``).

    ``prefilter``: an extended regex that every match also matches; in a git
    repository ``git grep`` narrows the files to read to those it finds.
    """
    candidates = repo.grep(prefilter) if prefilter else None
    for path in repo.scannable_files:
        if candidates is not None and path not in candidates:
            continue
        text = repo.text(path, quiet=True)  # a template source too: it is text, only not rendered
        if text is None:
            yield from scan_bytes(repo.root, path, pattern, quick)
        elif quick in text and pattern.search(text) is not None:
            yield from _scan_text(path, text, pattern)


def _scan_text(path: str, text: str, pattern: re.Pattern[str]) -> Iterator[Hit]:
    """Every match, with the line and column ``str.splitlines`` gives it. The patterns match within a
    line, so one search of the whole text finds what a search of each line would (a Helm values file of
    4,000 lines is one call, not 4,000). Lines are counted from the previous hit on, so a file of nothing
    but hits stays linear."""
    line, column, last = 1, 1, 0
    for match in pattern.finditer(text):
        pieces = (text[last : match.start()] + "|").splitlines()  # "|": a break just before the hit counts
        line += len(pieces) - 1
        column = len(pieces[-1]) if len(pieces) > 1 else column + len(pieces[-1]) - 1
        last = match.start()
        yield Hit(path, line, column, match)


def scan_bytes(root: Path, path: str, pattern: re.Pattern[str], quick: str) -> Iterator[Hit]:
    """Matches in a file read as bytes, a chunk at a time (binary, not UTF-8, or too large to read whole)."""
    full = root / path
    try:
        info = os.stat(full)
        if not stat.S_ISREG(info.st_mode):
            return  # not a file git could hold (a socket, a fifo): nothing to scan
        if info.st_size > MAX_SCAN_BYTES:
            yield Hit(path, problem=f"could not be checked: larger than {MAX_SCAN_BYTES // (1024 * 1024)} MB")
            return
        with open(full, "rb") as handle:
            yield from _scan_stream(handle, path, _as_bytes(pattern), quick.encode("ascii"), pattern)
    except OSError as error:
        yield Hit(path, problem=f"could not be checked: cannot be read: {error.strerror or error}")


def _scan_stream(handle: BinaryIO, path: str, wanted: re.Pattern[bytes], quick: bytes,
                 pattern: re.Pattern[str]) -> Iterator[Hit]:
    tail, line = b"", 1  # ``line``: the line ``buffer`` starts on
    while chunk := handle.read(CHUNK_BYTES):
        buffer = tail + chunk
        if quick in buffer:
            for match in wanted.finditer(buffer):
                if match.end() > len(tail):  # a match inside ``tail`` alone was reported with the last chunk
                    yield _byte_hit(path, buffer, match, line, pattern)
        tail = buffer[-OVERLAP_BYTES:]
        line += buffer.count(b"\n", 0, len(buffer) - len(tail))


def _byte_hit(path: str, buffer: bytes, match: re.Match[bytes], line: int, pattern: re.Pattern[str]) -> Hit:
    start = match.start()
    line_start = buffer.rfind(b"\n", 0, start) + 1
    column = start - line_start + 1 if line_start or line == 1 else None
    as_text = pattern.search(match.group(0).decode("latin-1"))
    return Hit(path, line + buffer.count(b"\n", 0, start), column, as_text)


def _as_bytes(pattern: re.Pattern[str]) -> re.Pattern[bytes]:
    """The same (ASCII) pattern over bytes."""
    return re.compile(pattern.pattern.encode("ascii"), pattern.flags & ~re.UNICODE)
