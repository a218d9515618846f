"""What the repository answers: the detected values, each with where it was read, checked against the
golden path's variables; a value that does not fit is set aside for the report, not passed on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from platctl.adopt.detect import Detection, Fact
from platctl.adopt.endpoints import Endpoints
from platctl.adopt.infer import infer
from platctl.adopt.tree import Tree
from platctl.errors import UserError
from platctl.scaffold.answers import DNS_LABEL, check_value, suggest_service_name
from platctl.scaffold.catalog import GoldenPath


@dataclass(frozen=True)
class Found:
    values: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    refused: tuple[str, ...] = ()  # one line each: the value, where it was read, why it does not fit


def detected_answers(
    repo: Path, tree: Tree, golden_path: GoldenPath, detection: Detection, endpoints: Endpoints
) -> Found:
    inferred = infer(repo)
    facts: dict[str, Fact] = {k: Fact(v, inferred.origins[k]) for k, v in inferred.answers.items()}
    if detection.service_dir:
        facts["service_name"] = _service_name(inferred.answers.get("service_name", ""), detection)
    description = _description(tree, detection.service_dir)
    if description and "description" not in facts:
        facts["description"] = description
    if detection.package_manager:
        facts["package_manager"] = detection.package_manager
    for task, fact in detection.commands.items():
        facts[f"{task}_command"] = fact
    for name, seen in (
        ("port", endpoints.port),
        ("health_path", endpoints.health),
        ("ready_path", endpoints.ready),
        ("metrics_path", endpoints.metrics),
    ):
        if seen is not None:
            facts[name] = seen
    return _checked(golden_path, facts)


def _checked(golden_path: GoldenPath, facts: dict[str, Fact]) -> Found:
    found, refused = Found(), []
    for name, fact in facts.items():
        variable = golden_path.variable(name)
        if variable is None:
            continue
        try:
            if variable.choices and fact.value not in variable.choices:
                raise UserError(f"{name} must be one of {', '.join(variable.choices)}")
            check_value(variable, fact.value)
        except UserError as error:
            refused.append(f"{name} {fact.value!r} read from {fact.source} does not fit: {error}")
            continue
        found.values[name], found.origins[name] = fact.value, fact.source
    return Found(found.values, found.origins, tuple(refused))


def _service_name(repository: str, detection: Detection) -> Fact:
    """A service in a subdirectory is named by its compose image or service, else its directory."""
    compose = detection.compose
    image = str(compose.spec.get("image", "")) if compose else ""
    base = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    if base and "$" not in base and DNS_LABEL.match(base):
        return Fact(base, f"{compose.file} ({compose.name} image)" if compose else "")
    own = compose.name if compose else detection.service_dir.rsplit("/", 1)[-1]
    where = f"{compose.file} (service {own})" if compose else f"directory {detection.service_dir}"
    name = suggest_service_name(f"{repository}-{own}" if repository else own) or own
    return Fact(name if DNS_LABEL.match(name) else suggest_service_name(own) or own, where)


def _description(tree: Tree, own: str) -> Fact | None:
    prefix = f"{own}/" if own else ""
    package = tree.json(prefix + "package.json").get("description")
    if isinstance(package, str) and package.strip():
        return Fact(_sentence(package), prefix + "package.json")
    pyproject = tree.toml(prefix + "pyproject.toml")
    for table in (pyproject.get("project"), (pyproject.get("tool") or {}).get("poetry")):
        text = table.get("description") if isinstance(table, dict) else None
        if isinstance(text, str) and text.strip():
            return Fact(_sentence(text), prefix + "pyproject.toml")
    return None


def _sentence(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
