"""``fleet ci``: the organisation's CI scans the fleet in shards, then one job merges and reports.

GitHub Actions gets a matrix job per shard; GitLab CI a ``parallel:matrix``
job. Each shard runs ``fleet scan --shard I/N --no-store --output``, uploads
its JSON, and the report job ingests them all into the database named by the
``PLATCTL_FLEET_DB`` secret (a PostgreSQL URL keeps history between runs) and
publishes the dashboard. Actions are pinned by commit, as doctor requires.
"""

from __future__ import annotations

from dataclasses import dataclass

from platctl.errors import UserError

PROVIDERS = ("github", "gitlab")
DEFAULT_OUTPUT = {"github": ".github/workflows/platctl-fleet.yml", "gitlab": ".gitlab-ci.yml"}
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0"
UPLOAD = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02  # v4.6.2"
DOWNLOAD = "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093  # v4.3.0"


@dataclass(frozen=True)
class PipelineOptions:
    provider: str
    shards: int = 4
    repos_file: str = "repos.txt"
    install: str = "platctl"  # what pip installs
    schedule: str = "17 5 * * *"
    image: str = "python:3.12-slim-bookworm"  # GitLab only


def render_pipeline(options: PipelineOptions) -> str:
    if options.provider not in PROVIDERS:
        raise UserError(f"unknown --provider {options.provider!r}: choose github or gitlab")
    if not 1 <= options.shards <= 256:
        raise UserError(f"--shards {options.shards} must be between 1 and 256")
    for name, value in (
        ("--repos", options.repos_file),
        ("--install", options.install),
        ("--schedule", options.schedule),
        ("--image", options.image),
    ):
        if any(c in value for c in "\"'\n\\$`"):
            raise UserError(f"{name} {value!r} may not hold quotes, backslashes, $ or newlines")
    return _github(options) if options.provider == "github" else _gitlab(options)


def _github(o: PipelineOptions) -> str:
    matrix = ", ".join(str(i) for i in range(1, o.shards + 1))
    return GITHUB.format(
        matrix=matrix, checkout=CHECKOUT, setup_python=SETUP_PYTHON, upload=UPLOAD, download=DOWNLOAD, **_values(o)
    )


def _gitlab(o: PipelineOptions) -> str:
    matrix = ", ".join(f'"{i}"' for i in range(1, o.shards + 1))
    return GITLAB.format(matrix=matrix, **_values(o))


def _values(o: PipelineOptions) -> dict[str, object]:
    install = f'python -m pip install --disable-pip-version-check "{o.install}"'
    return {"shards": o.shards, "repos": o.repos_file, "schedule": o.schedule, "image": o.image, "install": install}


# The templates: str.format fields in single braces, YAML's and GitHub's own braces doubled.
GITHUB = """# Written by `platctl fleet ci --provider github`: scans the fleet in {shards} shards, then reports.
# Set the PLATCTL_FLEET_DB secret to a PostgreSQL URL to keep history between runs.
name: platctl fleet
on:
  schedule:
    - cron: "{schedule}"
  workflow_dispatch: {{}}
permissions:
  contents: read
concurrency:
  group: platctl-fleet
  cancel-in-progress: false
jobs:
  scan:
    name: scan shard ${{{{ matrix.shard }}}}/{shards}
    runs-on: ubuntu-latest
    timeout-minutes: 60
    strategy:
      fail-fast: false
      matrix:
        shard: [{matrix}]
    steps:
      - uses: {checkout}
      - uses: {setup_python}
        with:
          python-version: "3.12"
      - run: {install}
      - name: fleet scan
        run: >-
          platctl fleet scan --repos "{repos}" --shard "${{{{ matrix.shard }}}}/{shards}"
          --no-store --output "fleet-shard-${{{{ matrix.shard }}}}.json" || test $? -eq 1
      - uses: {upload}
        with:
          name: fleet-shard-${{{{ matrix.shard }}}}
          path: fleet-shard-${{{{ matrix.shard }}}}.json
          retention-days: 7
  report:
    needs: scan
    runs-on: ubuntu-latest
    timeout-minutes: 30
    env:
      PLATCTL_FLEET_DB: ${{{{ secrets.PLATCTL_FLEET_DB }}}}
    steps:
      - uses: {setup_python}
        with:
          python-version: "3.12"
      - run: {install}
      - uses: {download}
        with:
          pattern: fleet-shard-*
          path: shards
          merge-multiple: true
      - run: platctl fleet ingest shards/*.json
      - run: platctl fleet report --format html --output fleet.html
      - run: platctl fleet report --format markdown >> "$GITHUB_STEP_SUMMARY"
      - run: platctl fleet report --format backstage --output tech-insights.json
      - uses: {upload}
        with:
          name: fleet-report
          path: |
            fleet.html
            tech-insights.json
          retention-days: 30
"""

GITLAB = """# Written by `platctl fleet ci --provider gitlab`: scans the fleet in {shards} shards, then reports.
# Run it from a pipeline schedule; set the PLATCTL_FLEET_DB CI/CD variable to a PostgreSQL URL
# to keep history between runs.
stages: [scan, report]

fleet-scan:
  stage: scan
  image: {image}
  timeout: 60 minutes
  interruptible: true
  parallel:
    matrix:
      - SHARD: [{matrix}]
  script:
    - {install}
    - platctl fleet scan --repos "{repos}" --shard "$SHARD/{shards}" --no-store --output "fleet-shard-$SHARD.json" || test $? -eq 1
  artifacts:
    paths: [fleet-shard-*.json]
    expire_in: 7 days

fleet-report:
  stage: report
  image: {image}
  timeout: 30 minutes
  interruptible: true
  needs: [fleet-scan]
  script:
    - {install}
    - platctl fleet ingest fleet-shard-*.json
    - platctl fleet report --format html --output fleet.html
    - platctl fleet report --format backstage --output tech-insights.json
  artifacts:
    paths: [fleet.html, tech-insights.json]
    expire_in: 30 days
"""
