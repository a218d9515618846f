"""Line scanning of every readable text file, shared by the secret rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from platctl.doctor.repo import Repo

_SKIP_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".ico", ".pdf", ".zip", ".gz", ".tgz", ".whl", ".jar",
                  ".woff", ".woff2", ".ttf", ".pyc", ".so", ".dll", ".exe")


# Every secret the rules look for also matches this: one git grep serves them all.
SECRET_PREFILTER = "BEGIN [A-Z ]*PRIVATE KEY|(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"


def scan(repo: Repo, pattern: re.Pattern[str], quick: str, prefilter: str | None = None
         ) -> Iterator[tuple[str, int, int, re.Match[str]]]:
    """(path, line, column, match) of ``pattern`` in every text file containing ``quick``.

    ``prefilter``: an extended regex that every match also matches; in a git
    repository ``git grep`` narrows the files to read to those it finds.
    """
    candidates = repo.grep(prefilter) if prefilter else None
    for path in repo.files:
        if candidates is not None and path not in candidates:
            continue
        if path.lower().endswith(_SKIP_SUFFIXES):
            continue
        text = repo.text(path)
        if text is None or quick not in text or pattern.search(text) is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                yield path, number, match.start() + 1, match
