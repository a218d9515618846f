"""Line scanning of every readable text file, shared by the secret rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from platctl.doctor.repo import Repo

_SKIP_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".ico", ".pdf", ".zip", ".gz", ".tgz", ".whl", ".jar",
                  ".woff", ".woff2", ".ttf", ".pyc", ".so", ".dll", ".exe")


def scan(repo: Repo, pattern: re.Pattern[str], quick: str) -> Iterator[tuple[str, int, int, re.Match[str]]]:
    """(path, line, column, match) of ``pattern`` in every text file containing ``quick``."""
    for path in repo.files:
        if path.lower().endswith(_SKIP_SUFFIXES):
            continue
        text = repo.text(path)
        if text is None or quick not in text or pattern.search(text) is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                yield path, number, match.start() + 1, match
