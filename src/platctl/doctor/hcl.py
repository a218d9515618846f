"""Terraform files read by a real HCL parser (tree-sitter with tree-sitter-hcl), behind a fast line reader.

The tree is turned into the small model the rules use: blocks (type, labels,
line), their attributes (name, the expression's source text, line) and nested
blocks. A file the parser cannot read raises :class:`HclParseError` with the
line of the first error, which the engine reports as a finding.
"""

from __future__ import annotations

import re
from typing import Any

from platctl.doctor.hcl_model import Attribute, Block, HclFile, HclParseError

__all__ = ["Attribute", "Block", "HclFile", "HclParseError", "map_keys", "parse_hcl", "unquote"]


_PARSER: list[Any] = []  # one tree-sitter parser per process, made on first use (an explicit cache)


def _parser() -> Any:
    if not _PARSER:
        import tree_sitter
        import tree_sitter_hcl

        _PARSER.append(tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language())))
    return _PARSER[0]


def parse_hcl(text: str, path: str = "") -> HclFile:
    """Read a Terraform file into blocks and attributes; raises HclParseError with the first error's line.

    The line reader (``platctl.doctor.hcl_lines``) reads plain files twice as fast; any file it cannot
    follow goes to tree-sitter-hcl, which reads it or names the line where it is broken.
    """
    from platctl.doctor.hcl_lines import read_hcl_lines

    try:
        return read_hcl_lines(text, path)
    except HclParseError:
        return parse_with_tree_sitter(text, path)


def parse_with_tree_sitter(text: str, path: str = "") -> HclFile:
    """The real parser's reading of the file (tree-sitter with tree-sitter-hcl)."""
    source = _calm_blank_runs(text).encode("utf-8")
    tree = _parser().parse(source)
    root = tree.root_node
    if root.has_error:
        node = _first_error(root)
        what = f"expected {node.type!r}" if node.is_missing else "unexpected syntax"
        raise HclParseError(f"invalid HCL: {what}", node.start_point[0] + 1)
    top = Block("", (), 1)
    body = next((c for c in root.children if c.type == "body"), None)
    if body is not None:
        _read_body(body, top, source)
    return HclFile(path, top)


def _calm_blank_runs(text: str) -> str:
    """Every blank line after a blank line becomes a ``#`` comment: same lines, same meaning.

    tree-sitter-hcl is superlinear on runs of blank lines inside an object
    literal (20,000 of them: 2.7 s; 200,000: minutes) and linear on comment
    lines, so a hostile file cannot stall doctor this way.
    """
    if "\n\n" not in text and "\n \n" not in text and "\n\t\n" not in text:
        return text
    lines = text.split("\n")
    for index in range(len(lines) - 2, 0, -1):
        if not lines[index].strip() and not lines[index - 1].strip():
            lines[index] = "#"
    return "\n".join(lines)


def _first_error(node: Any) -> Any:
    """The first ERROR or MISSING node in document order (the root itself if none is found)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_error or current.is_missing:
            return current
        stack.extend(reversed([c for c in current.children if c.has_error or c.is_missing]))
    return node


def _read_body(body: Any, block: Block, source: bytes) -> None:
    for child in body.children:
        if child.type == "attribute":
            name = _text(child.children[0], source)
            expression = child.children[-1]
            block.attributes[name] = Attribute(name, _text(expression, source), child.start_point[0] + 1)
        elif child.type == "block":
            block.blocks.append(_block(child, source))


def _block(node: Any, source: bytes) -> Block:
    kind = _text(node.children[0], source)
    labels: list[str] = []
    for child in node.children[1:]:
        if child.type == "identifier":
            labels.append(_text(child, source))
        elif child.type == "string_lit":
            labels.append(_text(child, source)[1:-1])
        elif child.type == "block_start":
            break
    block = Block(kind, tuple(labels), node.start_point[0] + 1)
    for child in node.children:
        if child.type == "body":
            _read_body(child, block, source)
    return block


def _text(node: Any, source: bytes) -> str:
    return source[node.start_byte:node.end_byte].decode("utf-8")


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
