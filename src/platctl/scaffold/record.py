"""``.platctl.yaml``: the record of which golden path, version and answers made a service."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platctl.errors import ConfigError

RECORD_NAME = ".platctl.yaml"
HEADER = (
    "# Written by platctl: the golden path this service was made from, at which\n"
    "# version, and with which answers. `platctl diff` and `platctl upgrade`\n"
    "# re-render from it, so keep it in git. Settings for `platctl doctor`\n"
    "# go under a `doctor:` key.\n"
)


@dataclass(frozen=True)
class Record:
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
    from platctl.doctor.yamlload import YamlParseError, load_yaml_documents

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


def _record_from(path: Path, data: Any) -> Record:
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping with golden_path and answers")
    golden_path = data.get("golden_path")
    answers = data.get("answers", {})
    if not isinstance(golden_path, dict) or not golden_path.get("source"):
        raise ConfigError(f"{path}: golden_path.source is missing; it names the template that made the service")
    for key in ("name", "source", "version", "commit"):
        _single_value(path, f"golden_path.{key}", golden_path.get(key))
    if not isinstance(answers, dict) or not all(isinstance(k, str) for k in answers):
        raise ConfigError(f"{path}: answers must be a mapping of variable names to values")
    for key, value in answers.items():
        _single_value(path, f"answer {key!r}", value)
    extra = {k: v for k, v in data.items() if k not in ("golden_path", "answers")}
    return Record(
        name=str(golden_path.get("name", "")),
        source=str(golden_path["source"]),
        version=str(golden_path.get("version", "")),
        answers=dict(answers),
        commit=golden_path.get("commit"),
        extra=extra,
    )


def _single_value(path: Path, what: str, value: Any) -> None:
    if isinstance(value, (dict, list)):
        raise ConfigError(f"{path}: {what} must be a single value, not a {type(value).__name__}")
