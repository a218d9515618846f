"""The fast path for Terraform files: a line-based reader of blocks and attributes.

On the 20,000-file bench its 1,615 files take 0.38 s to read this way and
0.83 s with tree-sitter-hcl (whose parse alone is 0.61 s), so doctor reads
Terraform here first and hands a file to the real parser
(:func:`platctl.doctor.hcl.parse_hcl`) whenever this reader cannot follow it:
the parser then reads it, or says where it is broken.
"""

from __future__ import annotations

import re

from platctl.doctor.hcl_model import Attribute, Block, HclFile, HclParseError

_BLOCK_OPEN = re.compile(r'^([A-Za-z_][\w-]*)((?:\s+(?:"[^"]*"|[A-Za-z_][\w-]*))*)\s*\{(.*)$')
_ATTRIBUTE = re.compile(r"^([A-Za-z_][\w-]*)\s*=(?!=)\s*(.*)$")
_LABEL = re.compile(r'"([^"]*)"|([A-Za-z_][\w-]*)')
_HEREDOC = re.compile(r"<<-?\s*([A-Za-z_]\w*)\s*$")


def strip_comment(line: str) -> str:
    """The line without a trailing ``#`` or ``//`` comment (quotes respected)."""
    if "#" not in line and "//" not in line:
        return line  # most lines: no comment to look for
    if '"' not in line:
        return line[: min(i for i in (line.find("#"), line.find("//")) if i >= 0)]
    return _strip_comment_scanning(line)


def _strip_comment_scanning(line: str) -> str:
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
    if '"' not in text:
        return sum(map(text.count, "{[(")) - sum(map(text.count, "}])"))
    return _balance_scanning(text)


def _balance_scanning(text: str) -> int:
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


def read_hcl_lines(text: str, path: str = "") -> HclFile:
    """Read a Terraform file into blocks and attributes; raises HclParseError where it cannot follow it."""
    return _Reader(text).parse(path)
