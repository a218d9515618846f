"""Inline suppressions: ``# platctl: ignore[CI002] reason`` in YAML, HCL and Dockerfile comments.

The comment suppresses the named rules on its own line, or on the next line
when it stands alone on a comment line. ``# platctl: ignore-file[CODE]``
anywhere in a file suppresses the rule for the whole file. The comments are
the repository's, so the org policy has the last word: they never suppress a
``locked`` rule, and suppress nothing under ``allow_ignore: false``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(r"(?:#|//)\s*platctl:\s*(ignore|ignore-file)\[([A-Za-z0-9_, -]+)\]")


@dataclass
class Suppressions:
    """The inline ``platctl: ignore`` comments of one file, by line and for the whole file."""

    by_line: dict[int, set[str]] = field(default_factory=dict)
    whole_file: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int | None) -> bool:
        if code in self.whole_file:
            return True
        return line is not None and code in self.by_line.get(line, set())


def parse_suppressions(text: str) -> Suppressions:
    result = Suppressions()
    if "platctl:" not in text:
        return result
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        codes = {c.strip().upper() for c in match.group(2).split(",") if c.strip()}
        if match.group(1) == "ignore-file":
            result.whole_file |= codes
            continue
        result.by_line.setdefault(number, set()).update(codes)
        if line.lstrip().startswith(("#", "//")):
            result.by_line.setdefault(number + 1, set()).update(codes)
    return result
