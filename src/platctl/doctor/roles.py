"""What a path is for: ``production`` (the default), ``test``, ``example`` or ``dev``.

A Dockerfile under ``tests/``, Terraform under ``examples/`` or a CI build
image under ``ci/`` is not what runs in production, and hardening advice for
production is noise there. Each rule says which roles it checks
(``RuleMeta.roles``); the engine drops its findings on paths of other roles.

Paths are matched with ``fnmatch`` globs (``*`` crosses ``/``) against the path
relative to the service. The ``doctor: roles:`` key of ``.platctl.yaml`` (or the
policy) maps a role to more globs; those are tried before the defaults, in the
order production, test, example, dev, so ``production: ["examples/live/*"]``
claims a path back.
"""

from __future__ import annotations

from collections.abc import Iterable

from platctl.globs import glob_matcher

ROLES = ("production", "test", "example", "dev")
ALL_ROLES = ROLES


def _under(*directories: str) -> tuple[str, ...]:
    return tuple(glob for d in directories for glob in (f"{d}/*", f"*/{d}/*"))


DEFAULT_ROLES: dict[str, tuple[str, ...]] = {
    "test": _under("test", "tests", "testdata", "testing", "__tests__", "fixtures", "e2e", "integration-tests")
    + ("*Dockerfile.test", "*Dockerfile.e2e", "*Dockerfile.cypress", "*.test.Dockerfile", "*_test.go", "*_test.py",
       "test_*.py", "*/test_*.py", "*.test.[jt]s", "*.spec.[jt]s", "*.test.[jt]sx", "*.spec.[jt]sx", "*Test.java",
       "*Tests.java", "*_spec.rb"),
    "example": _under("example", "examples", "sample", "samples", "_examples"),
    "dev": _under(".devcontainer", "ci", ".ci", "hack")
    + ("*Dockerfile.dev", "*Dockerfile.debug", "*Dockerfile.local", "*.dev.Dockerfile", "*.debug.Dockerfile",
       "*docker-compose.override.y*ml", "*compose.override.y*ml", "*docker-compose.dev.y*ml"),
}


class PathRoles:
    """The role of each path: configured globs first, then the defaults, else production."""

    def __init__(self, configured: Iterable[tuple[str, tuple[str, ...]]] = ()) -> None:
        extra = dict(configured)
        order = [(role, extra[role]) for role in ROLES if role in extra]
        order += [(role, globs) for role, globs in DEFAULT_ROLES.items()]
        self._order = [(role, glob_matcher(globs)) for role, globs in order]
        self._cache: dict[str, str] = {}

    def role(self, path: str) -> str:
        if path not in self._cache:
            self._cache[path] = next((role for role, matches in self._order if matches(path)), "production")
        return self._cache[path]
