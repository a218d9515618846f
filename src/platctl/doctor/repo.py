"""The repository as rules see it: its files, listed once, each parsed at most once.

Rules ask the :class:`Repo` for text, YAML, JSON, Terraform or Dockerfile
documents. Unreadable files (binary, larger than 2 MB) become :class:`Skip`
records; files that do not parse are recorded in ``parse_errors`` and turned
into findings of the "could not parse" rule by the engine. Nothing here raises
on bad input.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from platctl.doctor.budget import Deadline
from platctl.doctor.dockerfile import Dockerfile, parse_dockerfile
from platctl.doctor.hcl import HclFile, HclParseError, parse_hcl
from platctl.doctor.model import Skip
from platctl.doctor.roles import PathRoles
from platctl.globs import glob_matcher
from platctl.scaffold.catalog import GoldenPath
from platctl.scaffold.record import RECORD_NAME
from platctl.yamlload import YamlParseError, load_yaml_documents

MAX_FILE_BYTES = 2 * 1024 * 1024
_MISSING = object()


class Repo:
    """A read-only, caching view of one service's files."""

    def __init__(self, root: Path, files: list[str], skips: list[Skip] | None = None,
                 roles: PathRoles | None = None) -> None:
        self.root = root
        self.roles = roles or PathRoles()
        self.files = tuple(files)
        self._file_set = frozenset(files)
        self.skips: list[Skip] = list(skips or [])
        self.parse_errors: dict[str, tuple[str, int | None]] = {}
        self._text: dict[str, str | None] = {}
        self._unread: dict[str, str] = {}
        self._globs: dict[tuple[str, ...], list[str]] = {}
        self._greps: dict[str, frozenset[str] | None] = {}
        self._parsed: dict[tuple[str, str], Any] = {}
        self.deadline = Deadline()  # the running rule's time budget (see platctl.doctor.budget)

    # -- listing ---------------------------------------------------------
    def role(self, path: str) -> str:
        """production, test, example or dev (see platctl.doctor.roles)."""
        return self.roles.role(path)

    def not_checked(self, path: str, reason: str) -> None:
        """Say that a file a rule would check is not checked, and why (listed with the skips)."""
        if not any(s.path == path for s in self.skips):
            self.skips.append(Skip(path, reason, scannable=True))

    def exists(self, path: str) -> bool:
        return path in self._file_set

    def first_existing(self, *candidates: str) -> str | None:
        return next((c for c in candidates if c in self._file_set), None)

    def glob(self, *patterns: str) -> list[str]:
        """Files matching any ``fnmatch`` pattern (``*`` crosses ``/``); each pattern set is matched once per run."""
        return self.select(("glob", *patterns), glob_matcher(patterns))

    def grep(self, extended_regex: str) -> frozenset[str] | None:
        """Files that may match ``extended_regex``, found by ``git grep`` in one pass; None outside git.

        A pre-filter for rules that search every file (secrets): only the files it
        names need to be read in Python. Binary files are searched too, and the
        repository's ``.gitattributes`` cannot hide a file from it.
        """
        if extended_regex not in self._greps:
            self._greps[extended_regex] = _git_grep(self.root, extended_regex)
        return self._greps[extended_regex]

    @property
    def scannable_files(self) -> tuple[str, ...]:
        """Every file of the repository a byte-level scan may read: the files plus template sources."""
        return self.files + tuple(s.path for s in self.skips if s.scannable)

    def with_suffix(self, *suffixes: str) -> list[str]:
        return self.select(("suffix", *suffixes), lambda f: f.endswith(suffixes))

    def select(self, key: tuple[str, ...], keep: Callable[[str], bool]) -> list[str]:
        """The files ``keep`` accepts, computed once per run under ``key`` (rules share the result)."""
        if key not in self._globs:
            self._globs[key] = [f for f in self.files if keep(f)]
        return list(self._globs[key])

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value rules compute from the files (a kustomize graph), computed once per run under ``key``."""
        if ("derived", key) not in self._parsed:
            self._parsed[("derived", key)] = compute()
        return self._parsed[("derived", key)]

    # -- reading -----------------------------------------------------------
    def text(self, path: str, quiet: bool = False) -> str | None:
        """The file's text, or None (recorded as a skip) if it is binary, huge or unreadable.

        ``quiet``: a reader that falls back to bytes (the secret scan) records no skip, so the skips
        are the same whether git narrowed the files the scan reads or not.
        """
        self.deadline.check(path)
        if path not in self._text:
            self._text[path] = self._read_text(path)
        reason = self._unread.get(path)
        if reason is not None and not quiet and not any(s.path == path for s in self.skips):
            self.skips.append(Skip(path, reason))
        return self._text[path]

    def _read_text(self, path: str) -> str | None:
        full = self.root / path
        try:
            if os.lstat(full).st_size > MAX_FILE_BYTES:
                return self._skip(path, "larger than 2 MB; not read")
            data = full.read_bytes()
        except OSError as error:
            return self._skip(path, f"cannot be read: {error.strerror or error}")
        if b"\0" in data[:8192]:
            return self._skip(path, "binary file; not read")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return self._skip(path, "not UTF-8 text; not read")

    def _skip(self, path: str, reason: str) -> str | None:
        """Remember why ``path`` is not read; always None, so ``return self._skip(...)`` reads naturally."""
        self._unread[path] = reason
        return None

    def yaml(self, path: str) -> list[Any] | None:
        """Every YAML document in the file, with line numbers; None if it cannot be read or parsed."""
        return self._parse(path, "yaml", _parse_yaml)  # type: ignore[no-any-return]

    def yaml_containing(self, path: str, *needles: str) -> list[Any]:
        """The file's YAML documents, parsed only when its text contains every needle (a cheap pre-filter)."""
        text = self.text(path)
        if text is None or not all(n in text for n in needles):
            return []
        return self.yaml(path) or []

    def yaml_first(self, path: str) -> Any:
        documents = self.yaml(path)
        return documents[0] if documents else None

    def json(self, path: str) -> Any:
        return self._parse(path, "json", _parse_json)

    def hcl(self, path: str) -> HclFile | None:
        return self._parse(path, "hcl", lambda text: parse_hcl(text, path))  # type: ignore[no-any-return]

    def dockerfile(self, path: str) -> Dockerfile | None:
        return self._parse(path, "dockerfile", lambda text: parse_dockerfile(text, path))  # type: ignore[no-any-return]

    def _parse(self, path: str, kind: str, parser: Callable[[str], Any]) -> Any:
        key = (path, kind)
        cached = self._parsed.get(key, _MISSING)
        if cached is not _MISSING:
            return cached
        text = self.text(path) if self.exists(path) else None
        result = None
        if text is not None:
            try:
                result = parser(text)
            except (YamlParseError, HclParseError, ValueError) as error:
                self.parse_errors[path] = (str(error), getattr(error, "line", None))
        self._parsed[key] = result
        return result

    # -- golden path record --------------------------------------------------
    @property
    def record(self) -> dict[str, Any] | None:
        """The parsed ``.platctl.yaml`` mapping, or None if absent or invalid."""
        document = self.yaml_first(RECORD_NAME) if self.exists(RECORD_NAME) else None
        return document if isinstance(document, dict) else None

    @property
    def golden_path(self) -> GoldenPath | None:
        """The bundled golden path the record names (doctor reads only bundled ones without rendering)."""
        from platctl.scaffold.catalog import bundled_golden_path

        record = self.record
        section = record.get("golden_path") if record else None
        if not isinstance(section, dict):
            return None
        return bundled_golden_path(str(section.get("name") or section.get("source") or ""))

    def golden_path_provides(self, *candidates: str) -> bool:
        """Whether the recorded golden path renders any of ``candidates``: only then may a missing file be reported."""
        info = self.golden_path
        return info is not None and any(info.provides(c) for c in candidates)

    def golden_path_file(self, *patterns: str) -> str | None:
        """The first file of the recorded golden path's render matching a pattern (a missing file's path)."""
        info = self.golden_path
        if info is None:
            return None
        matches = sorted(filter(glob_matcher(patterns), info.template_files))
        return next((f for f in matches if ".test." not in f), None)


# git grep results of this process, by (directory, regex): a monorepo's services reuse their parent's run.
_GREPS: dict[tuple[Path, str], frozenset[str] | None] = {}


def _git_grep(root: Path, extended_regex: str) -> frozenset[str] | None:
    root = root.resolve()
    for (searched, regex), found in _GREPS.items():
        if regex == extended_regex and found is not None and (searched == root or searched in root.parents):
            prefix = root.relative_to(searched).as_posix() + "/"
            return frozenset(p[len(prefix):] for p in found if p.startswith(prefix)) if prefix != "./" else found
    _GREPS[(root, extended_regex)] = found = _run_git_grep(root, extended_regex)
    return found


# git grep runs started ahead of need (see ``start_git_grep``), by (directory, regex).
_PENDING: dict[tuple[Path, str], Any] = {}


def start_git_grep(root: Path, extended_regex: str) -> None:
    """Start ``git grep`` in the background now, so it runs while the files are listed and parsed."""
    import subprocess

    root = root.resolve()
    from platctl.doctor.listing import inside_git

    if (root, extended_regex) in _PENDING or not inside_git(root):
        return
    # -a and --no-textconv: the repository's own .gitattributes (``* -diff``, ``binary``, a textconv driver)
    # must not decide which files are searched; every file is searched as it is on disk.
    from platctl.gitcmd import git_command

    command = git_command("-C", str(root), "grep", "-z", "-l", "-a", "--no-textconv", "--untracked", "-E",
                          "-e", extended_regex, "--", ".")
    env = {**os.environ, "LC_ALL": "C"}  # byte-wise character ranges, whatever the locale
    try:
        _PENDING[(root, extended_regex)] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                            env=env)
    except OSError:
        return


def _run_git_grep(root: Path, extended_regex: str) -> frozenset[str] | None:
    import subprocess

    start_git_grep(root, extended_regex)
    process = _PENDING.pop((root, extended_regex), None)
    if process is None:
        return None
    try:
        out, _ = process.communicate(timeout=120)
    except subprocess.SubprocessError:
        process.kill()
        return None
    if process.returncode not in (0, 1):
        return None
    return frozenset(n for n in out.decode("utf-8", "surrogateescape").split("\0") if n)


def _parse_yaml(text: str) -> list[Any]:
    return [d for d in load_yaml_documents(text) if d is not None]


def _parse_json(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonParseError(f"invalid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise JsonParseError("invalid JSON: nested too deeply", None) from None


class JsonParseError(ValueError):
    """A JSON document that does not parse, with its line."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line
