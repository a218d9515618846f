"""The user's platctl config, ``$XDG_CONFIG_HOME/platctl/config.yaml`` (default ``~/.config/platctl/config.yaml``).

A platform team ships it to its engineers once. Two keys are read:
``trusted_sources`` (``platctl.scaffold.trust``) and ``defaults``, the answers
``platctl new`` offers as each variable's default::

    defaults:
      owner: team-payments
      github_org: acme
      aws_region: eu-central-1
      gitlab_url: https://gitlab.acme.example

Defaults rank below ``--set`` and answers files and above the golden path's own
defaults; a name a golden path does not have is ignored, and a value is checked
like any answer, an error naming this file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platctl.errors import ConfigError, located


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "platctl" / "config.yaml"


def read_user_config() -> dict[str, Any]:
    """The config as a mapping; an empty one when there is no file."""
    path = user_config_path()
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{located(path, error)}: not valid YAML; fix the syntax of your platctl config") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping (trusted_sources, defaults)")
    return data


def organisation_defaults() -> dict[str, Any]:
    """The ``defaults`` mapping: variable names to single values."""
    defaults = read_user_config().get("defaults") or {}
    path = user_config_path()
    if not isinstance(defaults, dict) or not all(isinstance(k, str) for k in defaults):
        raise ConfigError(f"{path}: defaults must be a mapping of variable names to values")
    for key, value in defaults.items():
        if isinstance(value, (dict, list)):
            raise ConfigError(f"{path}: defaults.{key} must be a single value, not a {type(value).__name__}")
    return {k: v if isinstance(v, bool) else "" if v is None else str(v) for k, v in defaults.items()}
