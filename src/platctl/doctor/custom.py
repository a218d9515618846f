"""Policy-as-code: rules declared in the org policy file from generic check types.

Each entry of the policy's ``rules:`` list becomes a rule with its own code,
reported exactly like a built-in one::

    rules:
      - code: ORG001
        slug: readme-present
        title: A README is present
        severity: warning          # error | warning | info
        level: bronze              # bronze | silver | gold
        message: add a README.md that says what the service does
        rationale: New joiners start from the README.
        check: {type: file_exists, paths: [README.md, docs/index.md]}

Check types: ``file_exists`` (paths, any of them), ``file_absent`` (files glob),
``file_contains`` / ``file_not_contains`` (files glob, pattern regex),
``yaml_path`` / ``json_path`` (files glob, path like ``jobs.*.timeout-minutes``,
and one of ``exists: true``, ``equals: VALUE``, ``matches: REGEX``),
``terraform_block`` (block, optional labels, optional attribute) and
``codeowners_covers`` (path). Patterns are RE2 (see :mod:`platctl.doctor.patterns`):
they run in linear time, whatever the org writes.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.base import Rule
from platctl.errors import ConfigError

RULE_KEYS = ("code", "slug", "title", "severity", "level", "message", "rationale", "fix_example", "check")
_CODE = re.compile(r"^[A-Z]{2,10}[0-9]{3}$")
_CHECK_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (required keys, optional keys)
    "file_exists": (("paths",), ()),
    "file_absent": (("files",), ()),
    "file_contains": (("files", "pattern"), ()),
    "file_not_contains": (("files", "pattern"), ()),
    "yaml_path": (("files", "path"), ("exists", "equals", "matches")),
    "json_path": (("files", "path"), ("exists", "equals", "matches")),
    "terraform_block": (("block",), ("labels", "attribute")),
    "codeowners_covers": (("path",), ()),
}
_MISSING = object()
Check = Callable[[Repo, Mapping[str, Any]], Iterator[Finding]]


def parse_custom_rules(data: Any, source: str, taken: set[str]) -> tuple[Rule, ...]:
    """Validate the policy's ``rules:`` list; every problem names the file and line."""
    if not isinstance(data, list):
        raise ConfigError(f"{_at(source, data)}: rules must be a list of rule definitions")
    rules = []
    for entry in data:
        rule = _parse_rule(entry, source, taken)
        taken.add(rule.code)
        rules.append(rule)
    return tuple(rules)


def _at(source: str, node: Any, key: Any = None) -> str:
    line = node.line_of(key) if key is not None and hasattr(node, "line_of") else getattr(node, "line", 0)
    return f"{source}:{line}" if line else source


def _parse_rule(entry: Any, source: str, taken: set[str]) -> Rule:
    if not isinstance(entry, dict):
        raise ConfigError(f"{_at(source, entry)}: a custom rule must be a mapping")
    for key in entry:
        if key not in RULE_KEYS:
            raise ConfigError(f"{_at(source, entry, key)}: unknown key {key!r} in custom rule (known: "
                              f"{', '.join(RULE_KEYS)})")
    for key in ("code", "title", "message", "check"):
        if not entry.get(key):
            raise ConfigError(f"{_at(source, entry)}: custom rule needs {key}")
    code = str(entry["code"])
    if not _CODE.match(code) or code in taken:
        raise ConfigError(f"{_at(source, entry, 'code')}: custom rule code {code!r} must be new and look like "
                          "ORG001")
    meta = RuleMeta(
        code=code,
        slug=str(entry.get("slug") or code.lower()),
        title=str(entry["title"]),
        severity=_enum(Severity, entry.get("severity", "error"), source, entry, "severity"),
        level=_enum(Level, entry.get("level", "bronze"), source, entry, "level"),
        rationale=str(entry.get("rationale") or entry["message"]),
        fix_example=str(entry.get("fix_example") or ""),
        example="",
        golden_paths=("*",),
        custom=True,
    )
    check = _build_check(entry["check"], source, meta, str(entry["message"]))
    return Rule(meta, check, f"Declared in {source}: {meta.title}.")


def _enum(kind: Any, value: Any, source: str, entry: Any, key: str) -> Any:
    try:
        return kind(str(value).lower())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ConfigError(f"{_at(source, entry, key)}: {key} {value!r} is not one of {allowed}") from None


def _build_check(spec: Any, source: str, meta: RuleMeta, message: str) -> Check:
    if not isinstance(spec, dict) or spec.get("type") not in _CHECK_KEYS:
        raise ConfigError(f"{_at(source, spec)}: check.type must be one of {', '.join(_CHECK_KEYS)}")
    required, optional = _CHECK_KEYS[spec["type"]]
    for key in spec:
        if key not in ("type", *required, *optional):
            raise ConfigError(f"{_at(source, spec, key)}: unknown key {key!r} for check type {spec['type']}")
    for key in required:
        if key not in spec:
            raise ConfigError(f"{_at(source, spec)}: check type {spec['type']} needs {key}")
    if "pattern" in spec or "matches" in spec:
        _compile(spec.get("pattern", spec.get("matches")), source, spec)
    builder = _BUILDERS[spec["type"]]
    return builder(spec, meta, message)


def _compile(pattern: Any, source: str, spec: Any) -> Any:
    from platctl.doctor.patterns import PatternError, compile_linear

    try:
        return compile_linear(str(pattern))
    except PatternError as error:
        raise ConfigError(f"{_at(source, spec)}: invalid regular expression {pattern!r}: {error}") from None


def _globs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _file_exists(spec: Mapping[str, Any], meta: RuleMeta, message: str) -> Check:
    paths = _globs(spec["paths"])

    def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
        if not repo.glob(*paths):
            yield meta.finding(message, paths[0], None)
    return check


def _file_absent(spec: Mapping[str, Any], meta: RuleMeta, message: str) -> Check:
    files = _globs(spec["files"])

    def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
        for path in repo.glob(*files):
            yield meta.finding(message, path, None)
    return check


def _file_contains(spec: Mapping[str, Any], meta: RuleMeta, message: str) -> Check:
    from platctl.doctor.patterns import compile_linear

    files, pattern = _globs(spec["files"]), compile_linear(str(spec["pattern"]), multiline=True)
    negate = spec["type"] == "file_not_contains"

    def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
        for path in repo.glob(*files):
            text = repo.text(path)
            if text is None:
                continue
            if negate:
                for match in pattern.finditer(text):
                    yield meta.finding(message, path, text.count("\n", 0, match.start()) + 1)
            elif not pattern.search(text):
                yield meta.finding(message, path, None)
    return check


def _document_path(spec: Mapping[str, Any], meta: RuleMeta, message: str) -> Check:
    files, steps = _globs(spec["files"]), _split_path(str(spec["path"]))
    from platctl.doctor.patterns import compile_linear

    matches = compile_linear(str(spec["matches"])) if "matches" in spec else None
    expect_equal, wanted = "equals" in spec, spec.get("equals")
    is_json = spec["type"] == "json_path"

    def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
        for path in repo.glob(*files):
            documents = [repo.json(path)] if is_json else (repo.yaml(path) or [])
            for document in documents:
                for value, line in walk(document, steps):
                    bad = value is _MISSING or (expect_equal and value != wanted) or (
                        matches is not None and not matches.search(str(value)))
                    if bad:
                        yield meta.finding(message, path, line or 1)
    return check


def _split_path(path: str) -> list[str]:
    return [part for part in re.split(r"\.|\[(\d+|\*)\]", path) if part]


def walk(node: Any, steps: list[str], line: int | None = None) -> Iterator[tuple[Any, int | None]]:
    """(value, line) at the end of ``steps``; ``_MISSING`` where a step is absent. ``*`` fans out."""
    if not steps:
        yield node, line
        return
    step, rest = steps[0], steps[1:]
    here = getattr(node, "line", line)
    if step == "*":
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in items:
            yield from walk(child, rest, _line(node, key, here))
        return
    index: Any = int(step) if step.isdigit() and isinstance(node, list) else step
    found = isinstance(node, dict) and index in node
    if found or isinstance(node, list) and isinstance(index, int) and index < len(node):
        yield from walk(node[index], rest, _line(node, index, here))
    else:
        yield _MISSING, here


def _line(node: Any, key: Any, default: int | None) -> int | None:
    return node.line_of(key) if hasattr(node, "line_of") else default


def _terraform_block(spec: Mapping[str, Any], meta: RuleMeta, message: str) -> Check:
    block_type, labels, attribute = str(spec["block"]), tuple(_globs(spec.get("labels", []))), spec.get("attribute")

    def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
        from platctl.doctor.rules.terraform._modules import iter_modules

        found = [
            (f, b) for m in iter_modules(repo) for f, b in m.blocks(block_type) if b.labels[: len(labels)] == labels
        ]
        tf_files = repo.with_suffix(".tf")
        if not found and attribute is None and tf_files:
            yield meta.finding(message, tf_files[0], None)
        for hcl_file, block in found if attribute else ():
            if block.attr(str(attribute)) is None and not block.children(str(attribute)):
                yield meta.finding(message, hcl_file.path, block.line)

    return check


def _codeowners_covers(spec: Mapping[str, Any], meta: RuleMeta, message: str) -> Check:
    target = str(spec["path"]).lstrip("/")

    def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
        from platctl.doctor.rules.ownership._catalog import codeowners_entries, codeowners_path

        path = codeowners_path(repo)
        text = repo.text(path) if path else None
        entries = list(codeowners_entries(text)) if text else []
        if not any(owners and _covers(pattern, target) for _, pattern, owners in entries):
            yield meta.finding(message, path or "CODEOWNERS", None)

    return check


def _covers(pattern: str, path: str) -> bool:
    pattern = pattern.lstrip("/")
    if pattern in ("*", "**", "**/*"):
        return True
    if pattern.endswith("/"):
        return path.startswith(pattern) or path.rstrip("/") + "/" == pattern
    return fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern.rstrip("*").rstrip("/") + "/")


_BUILDERS: dict[str, Callable[[Mapping[str, Any], RuleMeta, str], Check]] = {
    "file_exists": _file_exists,
    "file_absent": _file_absent,
    "file_contains": _file_contains,
    "file_not_contains": _file_contains,
    "yaml_path": _document_path,
    "json_path": _document_path,
    "terraform_block": _terraform_block,
    "codeowners_covers": _codeowners_covers,
}
