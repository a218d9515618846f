"""Three-way merge of one file with git's own ``git merge-file``, through gitpython."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from platctl.errors import PlatctlError


@dataclass(frozen=True)
class MergeResult:
    content: bytes
    conflicts: int


def merge_file(ours: bytes, base: bytes, theirs: bytes, labels: tuple[str, str, str]) -> MergeResult:
    """Merge ``theirs`` into ``ours`` relative to ``base``; conflicts get git's standard markers."""
    from platctl.gitcmd import git_command, plain_git

    with tempfile.TemporaryDirectory(prefix="platctl-merge-") as tmp:
        paths = []
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(str(path))
        command = git_command("merge-file", "-p")
        for label in labels:
            command += ["-L", label]
        status, out, err = plain_git(Path(tmp)).execute(
            command + paths,
            with_extended_output=True,
            with_exceptions=False,
            stdout_as_string=False,
            strip_newline_in_stdout=False,
        )
    if status < 0 or status > 127:
        raise PlatctlError(f"git merge-file failed on {labels[0]}: {err!r}")
    return MergeResult(bytes(out), int(status))
