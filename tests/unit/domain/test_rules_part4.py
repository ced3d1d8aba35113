"""Part 4 rules added by rules_part4, the version implications and the pre-flight's fixes."""

from __future__ import annotations

from cmgtui.domain.rules.part4 import fixes_for, preflight_results
from cmgtui.domain.rules.results import Status
from cmgtui.domain.rules.versions import version_implications
from cmgtui.model import AzureEnvironment
from cmgtui.model.profile import DeployedCmg

from .factories import NOW, SUBSCRIPTION, TENANT, complete_profile, evidence, result


def test_subscription_live_needs_the_list_then_judges_state_and_tenant() -> None:
    p = complete_profile()
    assert result(p, "GW-SUBSCRIPTION-LIVE").severity.value == "info"
    evidence(p, "arm.subscriptions", subscriptions=[
        {"id": SUBSCRIPTION, "name": "Prod", "tenant_id": TENANT, "state": "Enabled"}])
    assert result(p, "GW-SUBSCRIPTION-LIVE").status is Status.PASS
    evidence(p, "arm.subscriptions", subscriptions=[
        {"id": SUBSCRIPTION, "name": "Prod", "tenant_id": TENANT, "state": "Disabled"}])
    assert "Prod is Disabled" in result(p, "GW-SUBSCRIPTION-LIVE").message
    evidence(p, "arm.subscriptions", subscriptions=[
        {"id": SUBSCRIPTION, "name": "Prod", "tenant_id": "00000000-0000-4000-8000-000000000000", "state": "Enabled"}])
    assert result(p, "GW-SUBSCRIPTION-LIVE").status is Status.WARN
    evidence(p, "arm.subscriptions", subscriptions=[])
    assert result(p, "GW-SUBSCRIPTION-LIVE").status is Status.FAIL


def test_new_group_that_exists_in_another_region_fails_and_in_the_same_region_warns() -> None:
    p = complete_profile()
    p.gateway.use_existing_resource_group = False
    evidence(p, "arm.resource_group", name="cmg-rg", exists=False, location="")
    assert result(p, "GW-RG-NEW-EXISTS").status is Status.PASS
    evidence(p, "arm.resource_group", name="cmg-rg", exists=True, location="eastus")
    failed = result(p, "GW-RG-NEW-EXISTS")
    assert failed.status is Status.FAIL and "already exists in 'eastus', not in 'westus'" in failed.message
    evidence(p, "arm.resource_group", name="cmg-rg", exists=True, location="westus")
    assert result(p, "GW-RG-NEW-EXISTS").status is Status.WARN
    evidence(p, "arm.resource_group", name="other", exists=False, location="")
    assert result(p, "GW-RG-NEW-EXISTS").status is Status.SKIP


def test_alerts_accept_the_console_default_and_refuse_warning_above_critical() -> None:
    p = complete_profile()
    p.gateway.peak_concurrent_clients = None
    ok = result(p, "GW-ALERTS")
    assert ok.status is Status.PASS and "console's default GB" in ok.message
    p.gateway.peak_concurrent_clients = 5_000  # 5,000 × 300 MB over 14 of 30 days: 684 GB
    assert "cmgtui's suggested 684 GB (Part 4, Cost)" in result(p, "GW-ALERTS").message
    p.gateway.traffic_alert.warning_percent = 95
    bad = result(p, "GW-ALERTS")
    assert bad.status is Status.WARN and "must be below the critical level (90 %)" in bad.message
    p.gateway.traffic_alert.warning_percent = 50
    p.drafts["gateway.storage_alert.gigabytes"] = "two"
    assert "'two' isn't a whole number" in result(p, "GW-ALERTS").message


def test_cert_lint_summary_fails_on_a_failing_check() -> None:
    p = complete_profile()
    assert result(p, "GW-CERT-LINT").status is Status.PASS
    evidence(p, "cert.lint", results=[{"rule": "CERT-KEY", "status": "fail"}, {"rule": "CERT-EKU", "status": "pass"}])
    assert "fails 1 check(s): CERT-KEY" in result(p, "GW-CERT-LINT").message
    del p.evidence["cert.lint"]
    assert result(p, "GW-CERT-LINT").status is Status.SKIP


def test_roles_scp_content_and_redeploy() -> None:
    p = complete_profile()
    assert result(p, "GW-SUP-CMG-TRAFFIC").severity.value == "info"
    p.site.software_update_points = ["sup01.contoso.com"]
    assert result(p, "GW-SUP-CMG-TRAFFIC").status is Status.SKIP
    p.gateway.sup_allows_cmg_traffic = True
    assert result(p, "GW-SUP-CMG-TRAFFIC").status is Status.PASS
    assert result(p, "GW-SCP").status is Status.PASS
    p.site.scp_online = False
    p.site.service_connection_point = "cm01"
    assert result(p, "GW-SCP").status is Status.FAIL
    p.site.service_connection_point = "cm01.contoso.com"
    assert "online mode" in result(p, "GW-SCP").message
    p.site.scp_online = True
    assert result(p, "GW-SCP").status is Status.PASS
    p.site.site_version = 2103
    p.gateway.content_enabled = False
    assert result(p, "GW-CONTENT-EARLY-VMSS").status is Status.FAIL
    p.gateway.deployed = DeployedCmg(subscription_id=p.gateway.subscription_id, region="westus",
                                     resource_group="cmg-rg", service_name="granitefalls.contoso.com", recorded_at=NOW)
    assert result(p, "GW-REDEPLOY").status is Status.PASS
    p.region = "eastus"
    moved = result(p, "GW-REDEPLOY")
    assert moved.status is Status.WARN and "region westus → eastus" in moved.message and "24 hours" in moved.fix


def test_fixes_offer_providers_group_and_explain_a_prefix() -> None:
    p = complete_profile()
    assert not fixes_for(p).changes_tenant
    evidence(p, "arm.providers", **{"Microsoft.KeyVault": "NotRegistered", "Microsoft.Storage": "Registered"})
    p.gateway.use_existing_resource_group = False
    evidence(p, "arm.resource_group", name="cmg-rg", exists=False, location="")
    evidence(p, "arm.names", prefix="granitefalls", dns=False, keyvault=True, storage=True, suggestion="granitefalls42")
    fixes = fixes_for(p)
    assert fixes.providers == ["Microsoft.KeyVault"]
    assert (fixes.create_group, fixes.region) == ("cmg-rg", "westus")
    assert fixes.suggested_service_name == "granitefalls42.contoso.com"


def test_preflight_results_include_names_and_hide_rules_that_do_not_apply() -> None:
    from cmgtui.domain.rules.profile_rules import evaluate_profile

    shown, hidden = preflight_results(evaluate_profile(complete_profile(), NOW))
    rules = {r.rule for r in shown}
    assert {"NAME-KEYVAULT-FREE", "GW-PROVIDERS", "GW-CERT-LINT", "SITE-VERSION-VMSS"} <= rules
    assert "GW-REDEPLOY" not in rules and "SITE-VERSION-USGOV" not in rules and hidden >= 2


def test_version_implications_follow_the_timeline() -> None:
    old = [n.text for n in version_implications(2103, AzureEnvironment.US_GOVERNMENT) if not n.ok]
    assert any("pre-release on 2103" in t for t in old)
    assert any("before 2111 (your environment)" in t for t in old)
    new = version_implications(2309, AzureEnvironment.PUBLIC)
    assert all(n.ok for n in new) and any("-TenantId" in n.text for n in new)
    assert version_implications(None) == []
