"""``.platctl.yaml``: the record of which golden path, version and answers made a service."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platctl.errors import ConfigError
from platctl.scaffold.catalog import BUNDLED_PREFIX, bundled_golden_path

RECORD_NAME = ".platctl.yaml"
HEADER = (
    "# Written by platctl: the golden path this service was made from, at which\n"
    "# version, and with which answers. `platctl diff` and `platctl upgrade`\n"
    "# re-render from it, so keep it in git. Settings for `platctl doctor`\n"
    "# go under a `doctor:` key.\n"
)


@dataclass(frozen=True)
class Record:
    """What ``.platctl.yaml`` holds: the golden path (name, source, version, commit) and the answers."""

    name: str
    source: str
    version: str
    answers: dict[str, Any]
    commit: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def dump_record(record: Record) -> str:
    import yaml

    golden_path: dict[str, Any] = {"name": record.name, "source": record.source, "version": record.version}
    if record.commit:
        golden_path["commit"] = record.commit
    body = {"golden_path": golden_path, "answers": record.answers, **record.extra}
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, default_flow_style=False)


def write_record(service_dir: Path, record: Record) -> None:
    (service_dir / RECORD_NAME).write_text(dump_record(record), encoding="utf-8")


def read_record(service_dir: Path) -> Record:
    """Read and validate a service's record; errors name the file and line.

    The record comes with the repository, so it is untrusted: it is read by the
    same bounded loader as every file doctor reads (aliases cannot blow it up),
    and its answers must be single values, as in an answers file.
    """
    from platctl.yamlload import YamlParseError, load_yaml_documents

    path = service_dir / RECORD_NAME
    try:
        documents = load_yaml_documents(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path} not found: this directory was not made by platctl (see `platctl adopt`)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    except YamlParseError as error:
        where = f"{path}:{error.line}" if error.line else str(path)
        raise ConfigError(f"{where}: not valid YAML ({error}); fix the syntax") from None
    return _record_from(path, documents[0] if documents else None)


def record_problem(data: Any) -> str | None:
    """What is wrong with a parsed record, in one phrase, or None: the one check ``read_record`` and GP002 share."""
    if not isinstance(data, dict):
        return "must be a mapping with golden_path and answers"
    section = data.get("golden_path")
    if not isinstance(section, dict):
        return "golden_path must be a mapping with name, source and version"
    missing = [key for key in ("name", "source", "version") if not section.get(key)]
    if missing:
        return f"golden_path has no {', '.join(missing)}; it names the template and version that made the service"
    for key in ("name", "source", "version", "commit"):
        if isinstance(section.get(key), (dict, list)):
            return f"golden_path.{key} must be a single value, not a {type(section[key]).__name__}"
    answers = data.get("answers", {})
    if not isinstance(answers, dict) or not all(isinstance(k, str) for k in answers):
        return "answers must be a mapping of variable names to values"
    nested = next((k for k, v in answers.items() if isinstance(v, (dict, list))), None)
    if nested is not None:
        return f"answer {nested!r} must be a single value, not a {type(answers[nested]).__name__}"
    source = str(section["source"])
    if source.startswith(BUNDLED_PREFIX) and bundled_golden_path(source) is None:
        return f"golden path {source} is not bundled with this platctl"
    return None


def _record_from(path: Path, data: Any) -> Record:
    problem = record_problem(data)
    if problem:
        raise ConfigError(f"{path}: {problem}")
    golden_path, answers = data["golden_path"], data.get("answers", {})
    extra = {k: v for k, v in data.items() if k not in ("golden_path", "answers")}
    return Record(
        name=str(golden_path["name"]),
        source=str(golden_path["source"]),
        version=str(golden_path["version"]),
        answers=dict(answers),
        commit=golden_path.get("commit"),
        extra=extra,
    )
