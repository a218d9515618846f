"""YAML loading that remembers line numbers, on PyYAML's C parser when it is there.

Mappings load as :class:`LineDict` and sequences as :class:`LineList`; both carry
``line`` (1-based, where the node starts) and ``lines`` (key or index -> line).

Every file doctor reads, and every ``.platctl.yaml`` platctl reads, may be
hostile, so aliases are bounded: all the aliases (and ``<<`` merges) of a
document may add at most :data:`MAX_ALIAS_NODES` nodes to it once expanded, and
an alias may not contain itself. A billion-laughs document is a parse error in
linear time, before anything walks it.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import yaml

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_ALIAS_NODES = 100_000


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line) if hasattr(self, "lines") else self.line


class LineList(list):  # type: ignore[type-arg]
    """A list that knows the line of itself and of each item."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[index] if index < len(lines) else self.line


class _LineLoader(_BaseLoader):  # type: ignore[misc]
    def construct_mapping(self, node: Any, deep: bool = False) -> LineDict:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        self.flatten_mapping(node)
        return _line_mapping(node, functools.partial(self.construct_object, deep=True))

    def construct_sequence(self, node: Any, deep: bool = False) -> LineList:
        if not isinstance(node, yaml.SequenceNode):
            raise yaml.constructor.ConstructorError(None, None, "expected a sequence", node.start_mark)
        return _line_list(node, functools.partial(self.construct_object, deep=True))


def _line_mapping(node: Any, build: Callable[[Any], Any]) -> LineDict:
    """A mapping node as a LineDict, each key and value built by ``build``."""
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = build(key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
            ) from None
        mapping[key] = build(value_node)
        lines[key] = key_node.start_mark.line + 1
    mapping.lines = lines
    return mapping


def _line_list(node: Any, build: Callable[[Any], Any]) -> LineList:
    """A sequence node as a LineList, each item built by ``build``."""
    items = LineList(build(child) for child in node.value)
    items.line = node.start_mark.line + 1
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_SPECIAL_KEYS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


class _FastLineLoader(_LineLoader):
    """For a text without aliases (no ``*``): plain maps, lists and strings are built by one small
    function instead of PyYAML's general constructor (which tracks shared and recursive nodes that
    a text without aliases cannot have). Everything else, from ``1`` and ``null`` to a merge key or
    an unknown tag, still goes through PyYAML, so the result is the same."""

    def construct_document(self, node: Any) -> Any:
        try:
            return _build(self, node)
        finally:
            self.constructed_objects: dict[Any, Any] = {}  # as PyYAML leaves them after a document
            self.recursive_objects: dict[Any, Any] = {}


def _build(loader: _LineLoader, node: Any) -> Any:
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        return node.value if tag == _STR else loader.construct_object(node)
    if kind is yaml.SequenceNode and tag == _SEQ:
        return _line_list(node, functools.partial(_build, loader))
    if kind is not yaml.MappingNode or tag != _MAP or any(k.tag in _SPECIAL_KEYS for k, _ in node.value):
        return loader.construct_object(node, deep=True)
    return _line_mapping(node, functools.partial(_build, loader))


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_expansion(root: Any) -> None:
    """Refuse a document whose aliases expand it by more than MAX_ALIAS_NODES nodes, or refer to themselves.

    Sizes are counted once per distinct node (aliases share nodes), so this is linear in the document.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in _children(node))
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise yaml.constructor.ConstructorError(None, None, "an alias refers to itself", node.start_mark)
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    if sizes[id(root)] - len(sizes) > MAX_ALIAS_NODES:
        raise yaml.constructor.ConstructorError(
            None, None, f"aliases expand the document by more than {MAX_ALIAS_NODES} nodes", root.start_mark)


def _construct_map(loader: _LineLoader, node: Any) -> LineDict:
    return loader.construct_mapping(node)


def _construct_seq(loader: _LineLoader, node: Any) -> LineList:
    return loader.construct_sequence(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_str)
# A plain `=` resolves to YAML 1.1's "value" type, which PyYAML's safe loader cannot build; YAML 1.2,
# Kubernetes and Go's YAML libraries read it as the string "=" (CRD enums of label operators).
_LineLoader.add_constructor("tag:yaml.org,2002:value", _LineLoader.construct_yaml_str)


class _BoundedLineLoader(_LineLoader):
    """For a text that may hold aliases (it has ``&`` and ``*``): the expansion is checked before construction."""

    def construct_document(self, node: Any) -> Any:
        _check_expansion(node)
        return super().construct_document(node)


class YamlParseError(ValueError):
    """A YAML document that does not parse, with the line where it broke."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def load_yaml_documents(text: str) -> list[Any]:
    """Every document of a YAML stream, with line information; raises YamlParseError."""
    try:
        loader = _FastLineLoader if "*" not in text else _BoundedLineLoader if "&" in text else _LineLoader
        return list(yaml.load_all(text, Loader=loader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        return _raise(f"{error.problem or error.context or 'invalid YAML'}", line)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        return _raise(f"invalid YAML: {type(error).__name__}", None)


def _raise(message: str, line: int | None) -> list[Any]:
    raise YamlParseError(message, line)


def line_of(node: Any, key: Any = None) -> int | None:
    """The line of ``node`` (or of ``key`` inside it) when the loader recorded one."""
    if key is not None and isinstance(node, (LineDict, LineList)):
        return node.line_of(key) or None
    return getattr(node, "line", None) or None
