"""Apply an upgrade plan through ``platctl.safewrite``: every file changes, or none does."""

from __future__ import annotations

from platctl.safewrite import replace_files
from platctl.scaffold.record import RECORD_NAME, dump_record
from platctl.upgrade.api import UpgradePlan


def apply_upgrade(plan: UpgradePlan, commit: bool = False) -> str | None:
    """Write the plan into the service and update its record; return the commit SHA with ``commit``."""
    changes: dict[str, bytes | None] = {c.path: c.content for c in plan.writes}
    changes[RECORD_NAME] = dump_record(plan.record).encode()
    replace_files(plan.service, changes)
    return _commit(plan) if commit else None


def _commit(plan: UpgradePlan) -> str:
    from platctl.gitcmd import commit_index, open_repo

    repo = open_repo(plan.service, search_parent_directories=True)
    repo.git.add("-A", "--", str(plan.service.resolve()))
    message = (f"Upgrade {plan.golden_path} from {plan.from_version} to {plan.to_version}\n\nMerged by platctl "
               "upgrade.\n")
    return commit_index(repo, message)
