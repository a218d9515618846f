"""Dockerfiles read by BuildKit's own parser (the ``dockerfile`` wheel), grouped into build stages.

BuildKit's parser knows what a hand-written reader gets wrong: the
``# escape=`` directive (Windows images use a backtick), heredocs,
continuations with comments between them, JSON or shell form. A file it
refuses, or an instruction BuildKit does not know, raises
:class:`DockerfileParseError` with the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KNOWN = frozenset({"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
                   "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"})


class DockerfileParseError(ValueError):
    """A Dockerfile BuildKit would refuse, with the line (when it can be found)."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str
    line: int
    values: tuple[str, ...] = ()
    json: bool = False
    flags: tuple[str, ...] = ()


@dataclass
class Stage:
    base: str
    name: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)
    platform: str = ""

    def find(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass
class Dockerfile:
    path: str
    instructions: list[Instruction]
    stages: list[Stage]

    def find(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def parse_dockerfile(text: str, path: str = "") -> Dockerfile:
    """Instructions (BuildKit's parse) and stages; an empty file has neither."""
    import dockerfile

    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as error:
        if "no instructions" in str(error):
            return Dockerfile(path, [], [])
        raise DockerfileParseError(f"invalid Dockerfile: {error}", _failing_line(text)) from None
    instructions = [_instruction(c) for c in commands]
    unknown = next((i for i in instructions if i.keyword not in KNOWN), None)
    if unknown is not None:
        raise DockerfileParseError(f"unknown instruction {unknown.keyword}", unknown.line)
    return Dockerfile(path, instructions, _stages(instructions))


def _instruction(command: object) -> Instruction:
    keyword = str(getattr(command, "cmd")).upper()
    original = str(getattr(command, "original"))
    arguments = original.split(None, 1)[1] if len(original.split(None, 1)) > 1 else ""
    values = tuple(str(v) for v in getattr(command, "value"))
    return Instruction(keyword, arguments.strip(), int(getattr(command, "start_line")), values,
                       bool(getattr(command, "json")), tuple(getattr(command, "flags")))


def _failing_line(text: str) -> int | None:
    """The first line whose addition makes the file fail to parse (a binary search over prefixes)."""
    import dockerfile

    lines = text.splitlines(keepends=True)
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        try:
            dockerfile.parse_string("".join(lines[:middle]))
            low = middle + 1
        except dockerfile.GoParseError as error:
            if "no instructions" in str(error):
                low = middle + 1
            else:
                high = middle
    return low if lines else None


def _stages(instructions: list[Instruction]) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            values = instruction.values
            name = values[2] if len(values) >= 3 and values[1].lower() == "as" else None
            platform = next((f.split("=", 1)[1] for f in instruction.flags if f.startswith("--platform=")), "")
            stages.append(Stage(values[0] if values else "", name, instruction.line, platform=platform))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages
