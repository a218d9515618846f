"""Terraform files as rules see them: blocks (type, labels, line), attributes (name, source text, line)."""

from __future__ import annotations

from dataclasses import dataclass, field


class HclParseError(ValueError):
    """A Terraform file the parser could not read."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Attribute:
    """``name = value`` in an HCL body; the value as written."""

    name: str
    value: str
    line: int


@dataclass
class Block:
    """An HCL block (``resource "type" "name" { ... }``) with its attributes and nested blocks."""

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
    """A parsed Terraform file: its top-level body."""

    path: str
    body: Block

    def blocks(self, block_type: str) -> list[Block]:
        return self.body.children(block_type)
