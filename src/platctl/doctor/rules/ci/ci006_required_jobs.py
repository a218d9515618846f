"""Checks that CI lints, tests and builds: judged by what all of the repository's pipelines run, together.

It reads every pipeline (GitHub workflows, the GitLab pipeline, Jenkinsfiles)
and looks at what runs: job and stage names, step names, actions and commands
(`pre-commit`, `helm lint`, `mvn verify`, `checkstyle`, `docker build`,
`npm test`, …). One finding, on the main pipeline, names what none of them
does. Off by default: a `make ci` or a script can hide what runs, so the
rule cannot be right everywhere; turn it on with `--extend-select CI006` or
the policy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._gitlab import GITLAB_CI, gitlab_pipeline
from platctl.doctor.rules.ci._jenkins import jenkinsfiles
from platctl.doctor.rules.ci._workflows import Workflow, iter_workflows

META = RuleMeta(
    code="CI006",
    slug="required-jobs",
    title="CI runs lint, test and build steps",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="low",
    default_enabled=False,
    options=(("jobs", ("lint", "test", "build")),),
    rationale="A pipeline without a lint, test or build step lets that class of breakage reach main unnoticed.",
    example="jobs:\n  deploy: ...",
    fix_example="jobs:\n  lint: ...\n  test: ...\n  build: ...\n  deploy: ...",
)

# What shows that a pipeline does each kind of work: words in names, actions and commands (lower case).
EVIDENCE: dict[str, tuple[str, ...]] = {
    "lint": ("lint", "pre-commit", "ruff", "flake8", "pylint", "mypy", "black --check", "eslint", "prettier",
             "golangci", "go vet", "checkstyle", "spotless", "hadolint", "shellcheck", "tflint", "fmt -check",
             "terraform validate", "yamllint", "actionlint", "rubocop", "clippy", "super-linter", "codeql", "format"),
    "test": ("test", "pytest", "tox", "nox", "jest", "mocha", "vitest", "mvn verify", "gradlew check",
             "gradle check", "bats", "rspec", "ctest", "make check", "coverage", "e2e", "spec"),
    "build": ("build", "docker/build-push-action", "buildx", "bake", "mvn package", "mvn verify", "mvn install",
              "goreleaser", "ko ", "helm package", "kustomize", "compile", "package", "bundle", "image"),
}


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    wanted = [str(j) for j in options.get("jobs", ())]
    workflows = list(iter_workflows(repo))
    texts = [_workflow_text(w) for w in workflows]
    pipeline = gitlab_pipeline(repo)
    texts += [str(pipeline).lower()] if pipeline is not None else []
    texts += [(repo.text(p) or "").lower() for p in jenkinsfiles(repo)]
    anchor = _main_pipeline(workflows, pipeline is not None, jenkinsfiles(repo))
    if anchor is None:
        return
    done = " \n".join(texts)
    missing = [kind for kind in wanted if not any(word in done for word in EVIDENCE.get(kind, (kind,)))]
    if missing:
        yield META.finding(f"no pipeline of the repository runs a {', '.join(missing)} step", anchor, 1)


def _workflow_text(workflow: Workflow) -> str:
    parts = []
    for job_id, job in workflow.jobs():
        parts += [job_id, str(job.get("name", "")), str(job.get("uses", "")), str(job.get("steps", ""))]
    return " ".join(parts).lower()


def _main_pipeline(workflows: list[Workflow], gitlab: bool, jenkins: list[str]) -> str | None:
    """The pipeline that runs on every change: a workflow on pull_request or push (ci.* first), else GitLab, Jenkins."""
    on_change = [w for w in workflows if w.trigger_names() & {"pull_request", "push"}]
    named = [w for w in on_change if w.path.rsplit("/", 1)[-1].split(".")[0] in ("ci", "main", "build", "test")]
    if named or on_change:
        return (named or on_change)[0].path
    if gitlab:
        return GITLAB_CI
    return jenkins[0] if jenkins else (workflows[0].path if workflows else None)
