"""What a GitHub Actions job does with its token: which jobs need more than `contents: read`."""

from __future__ import annotations

from typing import Any

from platctl.doctor.rules.ci._workflows import iter_steps

# Actions that need a write scope or an OIDC token from the job's GITHUB_TOKEN (by the start of `uses:`).
WRITING_ACTIONS = (
    "aws-actions/configure-aws-credentials", "google-github-actions/auth", "azure/login", "actions/deploy-pages",
    "github/codeql-action/upload-sarif", "github/codeql-action/analyze", "github/codeql-action/init",
    "actions/github-script", "peter-evans/create-or-update-comment", "peter-evans/create-pull-request",
    "marocchino/sticky-pull-request-comment", "softprops/action-gh-release", "ncipollo/release-action",
    "stefanzweifel/git-auto-commit-action", "peaceiris/actions-gh-pages", "JamesIves/github-pages-deploy-action",
    "googleapis/release-please-action", "google-github-actions/release-please-action", "changesets/action",
    "actions/labeler", "actions/stale", "actions/first-interaction", "release-drafter/release-drafter",
    "docker/login-action", "actions/attest-build-provenance", "actions/attest",
    "actions/create-release", "actions/upload-release-asset", "EndBug/add-and-commit", "ad-m/github-push-action",
    "amannn/action-semantic-pull-request",
)
# Shell commands that write with the token (push, comment, release, publish).
WRITING_COMMANDS = ("git push", "gh pr ", "gh issue ", "gh release ", "gh api ", "gh workflow ", "gh label ",
                    "npm publish", "docker push", "cosign sign", "semantic-release", "ghcr.io")


def needs_more_than_read(job: dict[str, Any]) -> str | None:
    """Why a job without its own ``permissions:`` needs more than ``contents: read``, or None."""
    if "uses" in job:
        return f"it calls the reusable workflow {job['uses']}"
    for step in iter_steps(job):
        uses = str(step.get("uses", ""))
        if uses.startswith(WRITING_ACTIONS):
            return f"it uses {uses.split('@', 1)[0]}"
        run = step.get("run")
        command = next((c for c in WRITING_COMMANDS if isinstance(run, str) and c in run), None)
        if command:
            return f"it runs {command.strip()}"
    return None
