"""The rule registry: every built-in rule, listed explicitly, in report order.

Adding a rule means writing its module and adding it here. A duplicate code or
slug fails at import. REPO001 stays last: it reports the parse errors the
other rules ran into.
"""

from __future__ import annotations

from platctl.doctor.rules.base import Rule, index_rules
from platctl.doctor.rules.ci import (
    ci001_workflow_valid,
    ci002_actions_pinned,
    ci003_workflow_permissions,
    ci004_job_timeout,
    ci005_no_long_lived_cloud_keys,
    ci006_required_jobs,
    ci007_pull_request_target_checkout,
    ci008_script_injection,
    ci009_concurrency,
    ci010_gitlab_images_pinned,
    ci011_gitlab_interruptible,
    ci012_jenkins_timeout,
    ci013_jenkins_images_pinned,
    ci014_gitlab_job_timeout,
    ci015_pipeline_present,
)
from platctl.doctor.rules.container import (
    docker001_non_root_user,
    docker002_multi_stage,
    docker003_base_image_pinned,
    docker004_healthcheck,
    docker005_dockerignore,
    docker006_copy_not_add,
    docker007_exec_form,
    docker008_compose_services,
)
from platctl.doctor.rules.k8s import (
    k8s001_resources,
    k8s002_probes,
    k8s003_run_as_non_root,
    k8s004_read_only_root_filesystem,
    k8s005_pod_disruption_budget,
    k8s006_image_pinned,
    k8s007_restricted_security_context,
)
from platctl.doctor.rules.observability import (
    obs001_alert_rules_present,
    obs002_alert_rules_valid,
    obs003_alert_severity,
    obs004_alert_runbook_url,
    obs005_runbook_exists,
    obs006_slo_burn_rate_alerts,
    obs007_dashboard_present,
    obs008_metrics_scraped,
    obs009_app_serves_contract,
)
from platctl.doctor.rules.ownership import (
    own001_codeowners_present,
    own002_codeowners_matches_catalog,
    own003_catalog_info_present,
    own004_catalog_entity_valid,
    own005_catalog_owner,
    own006_catalog_system_lifecycle,
)
from platctl.doctor.rules.record import (
    gp001_record_present,
    gp002_record_valid,
    gp003_version_current,
    gp004_waiver_expired,
    gp005_managed_file_drift,
    repo001_could_not_parse,
)
from platctl.doctor.rules.security import sec001_private_key, sec002_cloud_access_key, sec003_security_policy
from platctl.doctor.rules.terraform import (
    tf001_required_version,
    tf002_provider_versions,
    tf003_backend,
    tf004_required_tags,
    tf005_variables_typed,
    tf006_variables_described,
    tf007_modules_pinned,
)

REGISTRY: tuple[Rule, ...] = tuple(
    Rule.from_module(module)
    for module in (
        own001_codeowners_present,
        own002_codeowners_matches_catalog,
        own003_catalog_info_present,
        own004_catalog_entity_valid,
        own005_catalog_owner,
        own006_catalog_system_lifecycle,
        ci001_workflow_valid,
        ci002_actions_pinned,
        ci003_workflow_permissions,
        ci004_job_timeout,
        ci005_no_long_lived_cloud_keys,
        ci006_required_jobs,
        ci007_pull_request_target_checkout,
        ci008_script_injection,
        ci009_concurrency,
        ci010_gitlab_images_pinned,
        ci011_gitlab_interruptible,
        ci012_jenkins_timeout,
        ci013_jenkins_images_pinned,
        ci014_gitlab_job_timeout,
        ci015_pipeline_present,
        docker001_non_root_user,
        docker002_multi_stage,
        docker003_base_image_pinned,
        docker004_healthcheck,
        docker005_dockerignore,
        docker006_copy_not_add,
        docker007_exec_form,
        docker008_compose_services,
        tf001_required_version,
        tf002_provider_versions,
        tf003_backend,
        tf004_required_tags,
        tf005_variables_typed,
        tf006_variables_described,
        tf007_modules_pinned,
        k8s001_resources,
        k8s002_probes,
        k8s003_run_as_non_root,
        k8s004_read_only_root_filesystem,
        k8s005_pod_disruption_budget,
        k8s006_image_pinned,
        k8s007_restricted_security_context,
        obs001_alert_rules_present,
        obs002_alert_rules_valid,
        obs003_alert_severity,
        obs004_alert_runbook_url,
        obs005_runbook_exists,
        obs006_slo_burn_rate_alerts,
        obs007_dashboard_present,
        obs008_metrics_scraped,
        obs009_app_serves_contract,
        sec001_private_key,
        sec002_cloud_access_key,
        sec003_security_policy,
        gp001_record_present,
        gp002_record_valid,
        gp003_version_current,
        gp004_waiver_expired,
        gp005_managed_file_drift,
        repo001_could_not_parse,
    )
)

RULES_BY_CODE: dict[str, Rule] = index_rules(REGISTRY)
