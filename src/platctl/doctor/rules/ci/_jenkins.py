"""Jenkinsfiles (and variants) as rules see them: a light reader of the pipeline's outline, not a Groovy parser.

It finds the top-level ``pipeline { … }`` block, its own ``options { … }``
block (not a stage's), the agent images and the stage names, skipping
comments and strings while it matches braces.
"""

from __future__ import annotations

import re

from platctl.doctor.repo import Repo

# Patterns are linear: no two unbounded runs that can match the same text side by side.
_PIPELINE = re.compile(r"^[ \t]*pipeline\s*\{", re.MULTILINE)
_DOCKER_BLOCK = re.compile(r"\bdocker\s*\{")
_DOCKER_SHORT = re.compile(r"""\bdocker\s+['"]([^'"]+)['"]""")
_IMAGE = re.compile(r"""(?:(?<=\{)|(?<=\s)|^)image\s*(?:\(\s*)?['"]([^'"]+)['"]""", re.MULTILINE)
_STAGE = re.compile(r"""\bstage\s*\(\s*['"]([^'"]+)['"]\s*\)""")


_DOCKER_IMAGE = re.compile(r"""\bdocker\.image\(\s*['"]([^'"]+)['"]""")


def is_jenkinsfile(path: str) -> bool:
    """Jenkinsfile and its variants: Jenkinsfile.release, Jenkinsfile-nightly, release.jenkinsfile."""
    name = path.rsplit("/", 1)[-1]
    lowered = name.lower()
    return lowered == "jenkinsfile" or lowered.startswith(("jenkinsfile.", "jenkinsfile-", "jenkinsfile_")) \
        or lowered.endswith(".jenkinsfile")


def jenkinsfiles(repo: Repo) -> list[str]:
    return repo.select(("jenkinsfiles",), is_jenkinsfile)


def declarative_jenkinsfiles(repo: Repo, rule: str) -> list[tuple[str, str]]:
    """(path, text) of each declarative pipeline; a scripted one is listed as not checked by ``rule``."""
    found = []
    for path in jenkinsfiles(repo):
        text = repo.text(path)
        if text is not None and pipeline_start(text) is None:
            repo.not_checked(path, f"scripted Jenkins pipeline (no pipeline {{ }} block): {rule} reads declarative "
                                   "pipelines only; not checked")
        elif text is not None:
            found.append((path, text))
    return found


def pipeline_start(text: str) -> int | None:
    match = _PIPELINE.search(text)
    return match.end() - 1 if match else None


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def top_level_block(text: str, name: str) -> tuple[str, int] | None:
    """The body of ``name { … }`` directly inside ``pipeline { … }``, and its offset."""
    start = pipeline_start(text)
    if start is None:
        return None
    depth, index, word_start = 0, start, None
    while index < len(text):
        index, char = _skip(text, index)
        if not char:
            break
        if char == "{":
            depth += 1
            if depth == 2 and word_start is not None and text[word_start:index].strip() == name:
                end = _matching(text, index)
                return text[index + 1 : end], index
        elif char == "}":
            depth -= 1
            if depth == 0:
                return None
        if char in "{};\n":
            word_start = index + 1
        index += 1
    return None


def _skip(text: str, index: int) -> tuple[int, str]:
    """Past any comments and strings starting at ``index``; the index and character where code resumes."""
    while index < len(text):
        end = _skip_one(text, index)
        if end == index:
            return index, text[index]
        index = end
    return index, ""


def _skip_one(text: str, index: int) -> int:
    if text.startswith("//", index):
        end = text.find("\n", index)
        return len(text) if end < 0 else end
    if text.startswith("/*", index):
        end = text.find("*/", index + 2)
        return len(text) if end < 0 else end + 2
    for quote in ("'''", '"""', "'", '"'):
        if text.startswith(quote, index):
            end = text.find(quote, index + len(quote))
            return len(text) if end < 0 else end + len(quote)
    return index


def _matching(text: str, open_index: int) -> int:
    depth, index = 0, open_index
    while index < len(text):
        index, char = _skip(text, index)
        if not char:
            break
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return len(text)


def agent_images(text: str) -> list[tuple[str, int]]:
    """Every image a docker agent names (``docker { image '…' }`` or ``docker '…'``), with its line."""
    found = [(m.group(1), m.start(1)) for m in _DOCKER_SHORT.finditer(text)]
    found += [(m.group(1), m.start(1)) for m in _DOCKER_IMAGE.finditer(text)]
    for block in _DOCKER_BLOCK.finditer(text):
        body_start = block.end() - 1
        body = text[body_start : _matching(text, body_start)]
        found += [(m.group(1), body_start + m.start(1)) for m in _IMAGE.finditer(body)]
    return sorted(((image, line_at(text, offset)) for image, offset in found if not _in_comment(text, offset)),
                  key=lambda item: item[1])


def stage_names(text: str) -> list[str]:
    return [m.group(1) for m in _STAGE.finditer(text) if not _in_comment(text, m.start())]


def _in_comment(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return text[line_start:offset].lstrip().startswith(("//", "*"))
