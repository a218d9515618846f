"""A Dockerfile reader: instructions with their line, grouped into build stages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int


@dataclass
class Stage:
    base: str
    name: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)

    def find(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass
class Dockerfile:
    path: str
    instructions: list[Instruction]
    stages: list[Stage]

    def find(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


_FROM = re.compile(r"^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE)


def parse_dockerfile(text: str, path: str = "") -> Dockerfile:
    """Read instructions (continuations joined, comments dropped) and stages."""
    instructions = list(_instructions(text.splitlines()))
    return Dockerfile(path, instructions, _stages(instructions))


def _instructions(lines: list[str]) -> list[Instruction]:
    result: list[Instruction] = []
    buffer: list[str] = []
    start = 0
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue
        if not buffer:
            start = number
        buffer.append(stripped[:-1] if stripped.endswith("\\") else stripped)
        if not stripped.endswith("\\"):
            result.append(_instruction(" ".join(buffer), start))
            buffer = []
    if buffer:
        result.append(_instruction(" ".join(buffer), start))
    return result


def _instruction(text: str, line: int) -> Instruction:
    keyword, _, arguments = text.partition(" ")
    return Instruction(keyword.upper(), arguments.strip(), line)


def _stages(instructions: list[Instruction]) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            match = _FROM.match(instruction.arguments)
            base = match.group(1) if match else instruction.arguments
            name = match.group(2) if match else None
            stages.append(Stage(base, name, instruction.line))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages
