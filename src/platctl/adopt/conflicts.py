"""What does not fit, said in the report instead of written: another CI that already runs the tests, a
detected value the golden path cannot take, a language or package manager the added files do not speak."""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from platctl.adopt.answers import Found
from platctl.adopt.detect import Detection
from platctl.doctor.rules.ci.ci015_pipeline_present import META as PIPELINE_PRESENT
from platctl.scaffold.catalog import GoldenPath, matches_glob


def conflicts(detection: Detection, golden_path: GoldenPath, answers: Mapping[str, Any], add: Mapping[str, bytes],
              found: Found) -> tuple[str, ...]:
    return (*_ci(detection, golden_path, answers, add), *found.refused, *_language(detection, golden_path),
            *_package_manager(detection, golden_path, answers, add))


def _ci(detection: Detection, golden_path: GoldenPath, answers: Mapping[str, Any], add: Mapping[str, bytes]
        ) -> Iterator[str]:
    generated = {f for _, f in golden_path.pipelines}
    pipeline = golden_path.pipeline_file(answers)
    for fact in detection.ci:
        own = any(matches_glob(fact.source, g) or fact.source == g for g in generated) or fact.source.startswith(
            ".github/"
        )
        if not own:
            yield (
                f"{fact.value} (`{fact.source}`) runs this repository's CI, and platctl does not generate it: "
                f"the golden path's pipeline (`{pipeline}`: lint, test, one image build scanned and promoted by "
                "digest) was not added beside it, where both would run the same tests. Move to it by replacing "
                f"`{fact.source}`; until then doctor's `{PIPELINE_PRESENT.code}` reports the pipeline missing"
            )
    if pipeline and pipeline in add:
        yield from _pipeline_commands(detection, golden_path, answers)


def _pipeline_commands(detection: Detection, golden_path: GoldenPath, answers: Mapping[str, Any]) -> Iterator[str]:
    manager = detection.package_manager
    if manager is None and golden_path.variable("package_manager"):
        yield (
            f"no lock file found: the added pipeline installs with {answers.get('package_manager')}; "
            "commit the lock file of the package manager you use, or answer `package_manager`"
        )
    for task in ("test", "lint"):
        if golden_path.variable(f"{task}_command") and f"{task}" not in detection.commands:
            yield (
                f"no {task} command found in the repository (package.json script, scripts/{task}.sh, Makefile "
                f"target): the added pipeline runs the golden path's own {task} step; answer `{task}_command` "
                "to run yours"
            )


def _language(detection: Detection, golden_path: GoldenPath) -> Iterator[str]:
    if detection.language and golden_path.language and detection.language != golden_path.language:
        yield (
            f"this service is written in {detection.language}, and {golden_path.name} is a {golden_path.language} "
            "golden path: review every added file that builds or lints code (pipeline, Dockerfile, linters) "
            "before you merge"
        )


def _package_manager(
    detection: Detection, golden_path: GoldenPath, answers: Mapping[str, Any], add: Mapping[str, bytes]
) -> Iterator[str]:
    variable = golden_path.variable("package_manager")
    chosen = str(answers.get("package_manager", ""))
    dockerfile = next((rel for rel in add if rel.rsplit("/", 1)[-1] == "Dockerfile"), None)
    if variable and dockerfile and chosen and chosen != variable.default:
        yield (
            f"`{dockerfile}` was added from the golden path and installs with {variable.default}, while this "
            f"repository uses {chosen}: adapt it before the first build"
        )
