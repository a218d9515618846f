"""cookiecutter's default Jinja extensions, loaded lazily.

Templates written for cookiecutter use ``jsonify``, ``slugify``,
``random_ascii_string``, ``uuid4`` and ``{% now %}``. cookiecutter's own
``cookiecutter.extensions`` imports arrow and python-slugify when it is
imported (about 25 ms of every ``platctl new``), although most templates use
none of them. This one extension gives the same filters, globals and tag with
the same output (tests/test_render_conformance.py compares them with
cookiecutter's), importing arrow or slugify only when a template calls them.
"""

from __future__ import annotations

import json
import string
import uuid
from secrets import choice
from typing import TYPE_CHECKING, Any

from jinja2 import nodes
from jinja2.ext import Extension

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.parser import Parser


def jsonify(obj: Any, indent: int = 4) -> str:
    return json.dumps(obj, sort_keys=True, indent=indent)


def random_ascii_string(length: int, punctuation: bool = False) -> str:
    corpus = f"{string.ascii_letters}{string.punctuation}" if punctuation else string.ascii_letters
    return "".join(choice(corpus) for _ in range(length))


def uuid4() -> str:
    return str(uuid.uuid4())


def slugify(value: str, *args: Any, **kwargs: Any) -> str:
    """python-slugify's ``slugify``, with its positional and keyword arguments."""
    from slugify import slugify as pyslugify

    return str(pyslugify(value, *args, **kwargs))


class CookiecutterDefaults(Extension):
    """``jsonify``, ``slugify``, ``random_ascii_string``, ``uuid4`` and the ``{% now %}`` tag."""

    tags = {"now"}

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(jsonify=jsonify, slugify=slugify)
        environment.globals.update(random_ascii_string=random_ascii_string, uuid4=uuid4)
        environment.extend(datetime_format="%Y-%m-%d")

    def _now(self, timezone: str, datetime_format: str | None) -> str:
        import arrow

        return str(arrow.now(timezone).strftime(datetime_format or self.environment.datetime_format))  # type: ignore[attr-defined]

    def _datetime(self, timezone: str, operator: str, offset: str, datetime_format: str | None) -> str:
        import arrow

        shift = {}
        for param in offset.split(","):
            interval, value = param.split("=")
            shift[interval.strip()] = float(operator + value.strip())
        moment = arrow.now(timezone).shift(**shift)  # type: ignore[arg-type]
        return str(moment.strftime(datetime_format or self.environment.datetime_format))  # type: ignore[attr-defined]

    def parse(self, parser: Parser) -> nodes.Output:
        """``{% now 'utc' %}``, ``{% now 'utc', '%Y' %}``, ``{% now 'utc' + 'days=1', '%d' %}``."""
        lineno = next(parser.stream).lineno
        node = parser.parse_expression()
        datetime_format = parser.parse_expression() if parser.stream.skip_if("comma") else nodes.Const(None)
        if isinstance(node, (nodes.Add, nodes.Sub)):
            operator = nodes.Const("+" if isinstance(node, nodes.Add) else "-")
            call = self.call_method("_datetime", [node.left, operator, node.right, datetime_format], lineno=lineno)
        else:
            call = self.call_method("_now", [node, datetime_format], lineno=lineno)
        return nodes.Output([call], lineno=lineno)
