"""Match paths against many ``fnmatch`` globs at once, mostly without regular expressions.

``fnmatch.fnmatchcase`` compiles a regular expression for every pattern it
meets, which costs more than the matching itself when a short run meets sixty
patterns once each (doctor's path roles, a rule's file set). Nearly every glob
platctl uses has ``*`` as its only wildcard, and such a glob is a prefix, a
suffix and pieces in order in between: plain string operations. A character
class of single characters (``*.test.[jt]s``) is expanded into one glob per
character first. Anything else (``?``, ranges, negated classes) falls back to
one regular expression for all of them, compiled on first use.

The semantics are ``fnmatchcase``'s exactly: case-sensitive, ``*`` crosses
``/``; a property test holds the two to the same answers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

_SIMPLE_CLASS = re.compile(r"\[([^\]!^\-\[*?]+)\]")  # [abc]: no negation, range, nesting or wildcard
_MAX_EXPANSION = 64  # more alternatives than this: leave the class to the regular expression


def glob_matcher(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A predicate: does a path match any of ``patterns`` (``fnmatchcase`` semantics)?"""
    return _matcher(tuple(patterns))


@lru_cache(maxsize=512)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    exact: set[str] = set()
    prefixes: list[str] = []
    suffixes: list[str] = []
    contains: list[str] = []
    general: list[tuple[str, tuple[str, ...], str]] = []
    rest: list[str] = []
    for pattern in (q for p in patterns for q in _expand(p)):
        if "?" in pattern or "[" in pattern:
            rest.append(pattern)
            continue
        if "*" not in pattern:
            exact.add(pattern)
            continue
        first, *middle, last = pattern.split("*")
        pieces = tuple(piece for piece in middle if piece)
        if not pieces and not last:
            prefixes.append(first)
        elif not pieces and not first:
            suffixes.append(last)
        elif len(pieces) == 1 and not first and not last:
            contains.append(pieces[0])
        else:
            general.append((first, pieces, last))
    starts, ends = tuple(prefixes), tuple(suffixes)
    regex = _Lazy(rest)

    def matches(path: str) -> bool:
        return (
            path in exact
            or (bool(starts) and path.startswith(starts))
            or (bool(ends) and path.endswith(ends))
            or any(piece in path for piece in contains)
            or any(_in_order(path, first, pieces, last) for first, pieces, last in general)
            or (bool(rest) and regex.match(path))
        )

    return matches


def _in_order(path: str, first: str, pieces: tuple[str, ...], last: str) -> bool:
    """``first*piece*piece*last``: leftmost matches of the pieces, between the prefix and the suffix."""
    end = len(path) - len(last)
    if end < len(first) or not path.startswith(first) or not path.endswith(last):
        return False
    position = len(first)
    for piece in pieces:
        found = path.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _expand(pattern: str) -> list[str]:
    """``a.[jt]s`` -> ``a.js``, ``a.ts``; a pattern with no simple class (or too many) is kept as it is."""
    classes = _SIMPLE_CLASS.findall(pattern)
    outside = _SIMPLE_CLASS.sub("", pattern)
    if not classes or "[" in outside or "]" in outside:
        return [pattern]
    total = 1
    for chars in classes:
        total *= len(set(chars))
    if total > _MAX_EXPANSION:
        return [pattern]
    literals = _SIMPLE_CLASS.split(pattern)[::2]
    return ["".join(itertools.chain.from_iterable(itertools.zip_longest(literals, choice, fillvalue="")))
            for choice in itertools.product(*(sorted(set(chars)) for chars in classes))]


class _Lazy:
    """The fallback: one regular expression for the globs string operations cannot express."""

    def __init__(self, patterns: list[str]) -> None:
        self._patterns = patterns
        self._compiled: re.Pattern[str] | None = None

    def match(self, path: str) -> bool:
        if self._compiled is None:
            import fnmatch

            self._compiled = re.compile("|".join(fnmatch.translate(p) for p in self._patterns))
        return self._compiled.match(path) is not None
