"""The one Jinja environment every template string is rendered in.

A golden path's file contents, file and folder names, ``cookiecutter.json``
defaults and choices are all template strings. They render in Jinja's
``ImmutableSandboxedEnvironment`` with cookiecutter's own extensions (``jsonify``,
``slugify``, ``random_ascii_string``, ``uuid4``, ``{% now %}``) and its strict
undefined, so a template from anywhere reads no attribute that starts with an
underscore, calls nothing unsafe and changes no object. The sandbox also bounds
``*`` and ``**`` so a template cannot exhaust memory with ``'a' * 10**12``.

Only a template the user trusts (bundled, ``--trust`` or allow-listed) that loads
its own ``_extensions`` gets cookiecutter's plain environment: those extensions
are Python code the user agreed to run.

Answers are data: they enter the context as values and are never rendered.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, TypeVar

from platctl.errors import TemplateError, UnsafeTemplateError

if TYPE_CHECKING:
    from jinja2 import Environment

T = TypeVar("T")

# cookiecutter's default extensions, loaded lazily (platctl.scaffold.extensions).
COOKIECUTTER_EXTENSIONS = ("platctl.scaffold.extensions.CookiecutterDefaults",)

# ``_jinja2_env_vars`` may change syntax and whitespace, nothing that loads code.
ENV_VAR_KEYS = frozenset(
    {
        "block_start_string",
        "block_end_string",
        "variable_start_string",
        "variable_end_string",
        "comment_start_string",
        "comment_end_string",
        "line_statement_prefix",
        "line_comment_prefix",
        "trim_blocks",
        "lstrip_blocks",
        "newline_sequence",
    }
)

MAX_PRODUCT = 10_000_000  # characters or items a single ``*`` may make
MAX_EXPONENT = 4096


def environment(
    context: Mapping[str, Any], trusted_code: bool = False, search_path: Sequence[Path] = ()
) -> Environment:
    """The environment for one template's context; ``trusted_code`` only when the user trusts its extensions."""
    from jinja2 import FileSystemLoader

    env_vars = environment_options(context)
    loader = FileSystemLoader([str(p) for p in search_path]) if search_path else None
    if trusted_code and context.get("_extensions"):
        from cookiecutter.environment import StrictEnvironment

        env: Environment = StrictEnvironment(
            context={"cookiecutter": dict(context)}, keep_trailing_newline=True, loader=loader, **env_vars
        )
        return env
    return _sandboxed(env_vars, loader)


def _sandboxed(env_vars: Mapping[str, Any], loader: Any) -> Environment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox(
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=list(COOKIECUTTER_EXTENSIONS),
        loader=loader,
        **env_vars,
    )


def _check_binop(operator: str, left: Any, right: Any) -> None:
    from jinja2.exceptions import SecurityError

    if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
        raise SecurityError(f"exponent {right} is larger than the template sandbox allows ({MAX_EXPONENT})")
    if operator == "*":
        sized, count = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and len(sized) * count > MAX_PRODUCT:
            raise SecurityError(f"'*' would make {len(sized) * count} items; the template sandbox allows {MAX_PRODUCT}")


def environment_options(context: Mapping[str, Any]) -> dict[str, Any]:
    """The template's ``_jinja2_env_vars``, refused when they ask for more than syntax."""
    options = context.get("_jinja2_env_vars") or {}
    if not isinstance(options, dict):
        raise UnsafeTemplateError("cookiecutter.json: _jinja2_env_vars must be an object of Jinja syntax options")
    unknown = sorted(set(options) - ENV_VAR_KEYS)
    if unknown:
        raise UnsafeTemplateError(
            f"cookiecutter.json: _jinja2_env_vars sets {', '.join(unknown)}; "
            f"platctl allows only {', '.join(sorted(ENV_VAR_KEYS))}"
        )
    if not all(isinstance(v, (str, bool)) for v in options.values()):
        raise UnsafeTemplateError("cookiecutter.json: each _jinja2_env_vars value must be a string or true/false")
    return dict(options)


def identity(context: Mapping[str, Any]) -> str:
    """A key for everything that changes how a template compiles: Jinja's version and the syntax options."""
    import jinja2

    options = sorted(environment_options(context).items())
    return hashlib.sha256(repr((jinja2.__version__, COOKIECUTTER_EXTENSIONS, options)).encode()).hexdigest()[:20]


def guarded(source: str, where: str, render: Callable[[], T]) -> T:
    """Run one render; a sandbox violation, a template error or exhaustion becomes a one-line platctl error."""
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError

    try:
        return render()
    except SecurityError as error:
        raise UnsafeTemplateError(
            f"golden path {source} broke out of the template sandbox in {where}: {error}"
        ) from None
    except JinjaError as error:
        raise TemplateError(f"golden path {source} failed to render {where}: {error}") from None
    except (MemoryError, RecursionError, OverflowError) as error:
        raise UnsafeTemplateError(
            f"golden path {source} exhausted the renderer in {where}: {type(error).__name__}"
        ) from None
