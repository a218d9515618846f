"""A small, fast, line-based reader for Terraform files.

It is not a full HCL parser: it finds blocks (type, labels, line), their
attributes (name, raw value text, line) and nested blocks, which is all the
doctor rules need. Unbalanced braces or an unterminated heredoc raise
:class:`HclParseError` with the line where the problem started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_BLOCK_OPEN = re.compile(r'^([A-Za-z_][\w-]*)((?:\s+(?:"[^"]*"|[A-Za-z_][\w-]*))*)\s*\{(.*)$')
_ATTRIBUTE = re.compile(r"^([A-Za-z_][\w-]*)\s*=(?!=)\s*(.*)$")
_LABEL = re.compile(r'"([^"]*)"|([A-Za-z_][\w-]*)')
_HEREDOC = re.compile(r"<<-?\s*([A-Za-z_]\w*)\s*$")


class HclParseError(ValueError):
    """A Terraform file the reader could not follow."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Attribute:
    name: str
    value: str
    line: int


@dataclass
class Block:
    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def children(self, block_type: str) -> list[Block]:
        return [b for b in self.blocks if b.type == block_type]

    def attr(self, name: str) -> Attribute | None:
        return self.attributes.get(name)


@dataclass
class HclFile:
    path: str
    body: Block

    def blocks(self, block_type: str) -> list[Block]:
        return self.body.children(block_type)


def strip_comment(line: str) -> str:
    """The line without a trailing ``#`` or ``//`` comment (quotes respected)."""
    in_string = False
    previous = ""
    for index, char in enumerate(line):
        if char == '"' and previous != "\\":
            in_string = not in_string
        elif not in_string and (char == "#" or (char == "/" and previous == "/")):
            return line[: index - 1 if char == "/" else index]
        previous = char
    return line


def _balance(text: str) -> int:
    """Open minus close brackets outside strings and ``${...}`` interpolation text."""
    depth = 0
    in_string = False
    previous = ""
    for char in text:
        if char == '"' and previous != "\\":
            in_string = not in_string
        elif not in_string and char in "{[(":
            depth += 1
        elif not in_string and char in "}])":
            depth -= 1
        previous = char
    return depth


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.index = 0

    def parse(self, path: str) -> HclFile:
        body = Block("", (), 1)
        self._read_body(body, top=True)
        return HclFile(path, body)

    def _next_line(self) -> tuple[int, str]:
        number = self.index + 1
        raw = self.lines[self.index]
        self.index += 1
        return number, raw

    def _read_body(self, block: Block, top: bool = False) -> None:
        in_comment = False
        while self.index < len(self.lines):
            number, raw = self._next_line()
            stripped, in_comment = _drop_block_comments(raw, in_comment)
            line = strip_comment(stripped).strip()
            if not line:
                continue
            if line.startswith("}"):
                if top:
                    raise HclParseError("unexpected '}'", number)
                return
            self._read_statement(block, line, number)
        if not top:
            raise HclParseError(f"block {block.type!r} opened here is never closed", block.line)

    def _read_statement(self, block: Block, line: str, number: int) -> None:
        attribute = _ATTRIBUTE.match(line)
        if attribute:
            value = self._read_value(attribute.group(2), number)
            block.attributes[attribute.group(1)] = Attribute(attribute.group(1), value, number)
            return
        opened = _BLOCK_OPEN.match(line)
        if opened is None:
            raise HclParseError(f"cannot read {line[:40]!r}", number)
        labels = tuple(a or b for a, b in _LABEL.findall(opened.group(2)))
        child = Block(opened.group(1), labels, number)
        block.blocks.append(child)
        rest = opened.group(3).strip()
        if rest.endswith("}") and _balance("{" + rest) == 0:
            _read_inline_body(child, rest[:-1], number)
        else:
            self._read_body(child)

    def _read_value(self, value: str, number: int) -> str:
        heredoc = _HEREDOC.search(value)
        if heredoc:
            return value + "\n" + self._read_heredoc(heredoc.group(1), number)
        parts = [value]
        depth = _balance(value)
        while depth > 0:
            if self.index >= len(self.lines):
                raise HclParseError("unclosed bracket in attribute value", number)
            _, raw = self._next_line()
            text = strip_comment(raw)
            parts.append(text)
            depth += _balance(text)
        return "\n".join(parts)

    def _read_heredoc(self, marker: str, number: int) -> str:
        body: list[str] = []
        while self.index < len(self.lines):
            _, raw = self._next_line()
            if raw.strip() == marker:
                return "\n".join(body)
            body.append(raw)
        raise HclParseError(f"heredoc <<{marker} is never closed", number)


def _drop_block_comments(raw: str, in_comment: bool) -> tuple[str, bool]:
    if in_comment:
        end = raw.find("*/")
        if end < 0:
            return "", True
        raw, in_comment = raw[end + 2 :], False
    start = raw.find("/*")
    if start >= 0 and '"' not in raw[:start]:
        end = raw.find("*/", start + 2)
        if end < 0:
            return raw[:start], True
        return raw[:start] + raw[end + 2 :], False
    return raw, False


def _read_inline_body(block: Block, inner: str, number: int) -> None:
    for part in re.split(r"[\n,]", inner):
        attribute = _ATTRIBUTE.match(part.strip())
        if attribute:
            block.attributes[attribute.group(1)] = Attribute(attribute.group(1), attribute.group(2).strip(), number)


def parse_hcl(text: str, path: str = "") -> HclFile:
    """Read a Terraform file into blocks and attributes; raises HclParseError."""
    return _Reader(text).parse(path)


# [ \t]*, not \s*: a run of blank lines must not be rescanned from every line start.
_MAP_KEY = re.compile(r'(?:^|[{,\n])[ \t]*"?([A-Za-z_][\w.-]*)"?[ \t]*[=:]', re.MULTILINE)


def map_keys(value: str) -> set[str]:
    """The keys of an HCL object literal given as raw text (``{ a = 1, "b" = 2 }``)."""
    return set(_MAP_KEY.findall(value))


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
