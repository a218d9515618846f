"""The ``platctl`` typer application and the one place errors become exit codes.

Heavy modules (rich, cookiecutter, git, jinja2) are imported inside the
commands that need them, so ``platctl --help`` and ``platctl doctor`` start fast.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from platctl import __version__
from platctl.cli import completion as completion_cli
from platctl.cli.lazy import lazy_group, typer_app
from platctl.errors import EXIT_INTERRUPTED, EXIT_USAGE, PlatctlError

# Every command, in the order --help lists them, and the module under platctl.cli whose
# register() adds it. A command is built (and its module imported) only when it is looked up.
COMMANDS = {
    "doctor": "doctor",
    "rules": "doctor",
    "diff": "upgrade",
    "upgrade": "upgrade",
    "adopt": "adopt",
    "completion": "completion",
    "new": "new",
    "golden-paths": "golden_paths",
    "fleet": "fleet",
}

app = typer_app(
    name="platctl",
    help="The golden path in one CLI: scaffold services, check conformance, keep them current.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=lazy_group(COMMANDS),
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"platctl {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Optional[bool] = typer.Option(
        None, "--version", "-V", help="Print the version and exit.", callback=_version_callback, is_eager=True
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for unexpected errors."),
) -> None:
    """The golden path in one CLI: scaffold services, check conformance, keep them current."""
    _STATE["debug"] = debug


_STATE: dict[str, bool] = {"debug": False}


def main() -> None:
    """Console-script entry point: run the app and turn errors into one line and an exit code."""
    if completion_cli.completing():
        completion_cli.prepare()
    try:
        code = app(standalone_mode=False, prog_name="platctl")
    except PlatctlError as error:
        _fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted; nothing was left half-written", EXIT_INTERRUPTED)
    except typer.Abort:
        _fail("aborted", EXIT_INTERRUPTED)
    except Exception as error:  # noqa: BLE001 - the one catch-all, with --debug for the traceback
        if _is_usage_error(error):
            error.show()  # type: ignore[attr-defined]
            sys.exit(EXIT_USAGE)
        if _STATE["debug"]:
            raise
        _fail(f"unexpected error: {error!r} (run again with --debug for the traceback)", 3)
    if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C inside a command into this code, silently
        _fail("interrupted; nothing was left half-written", EXIT_INTERRUPTED)
    sys.exit(code if isinstance(code, int) else 0)


def _is_usage_error(error: Exception) -> bool:
    """A click usage error (typer may vendor its own click, so match by shape)."""
    return callable(getattr(error, "show", None)) and isinstance(getattr(error, "exit_code", None), int)


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"platctl: error: {message}\n")
    sys.exit(code)
