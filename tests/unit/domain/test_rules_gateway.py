"""Part 4 rules (V18-V28, V40) against the domain sheet's tables."""

from __future__ import annotations

import pytest

from cmgtui.domain.rules.results import Status
from cmgtui.model import AzureEnvironment, DeploymentMethod, VmSize

from .factories import complete_profile, evidence, result


@pytest.mark.parametrize(("count", "status"), [(0, Status.FAIL), (1, Status.PASS), (16, Status.PASS),
                                               (17, Status.FAIL)])
def test_vm_instances_range(count: int, status: Status) -> None:
    p = complete_profile()
    p.gateway.vm_instances = count
    assert result(p, "GW-VM-INSTANCES").status is status


def test_vm_instances_draft_fails() -> None:
    p = complete_profile()
    p.drafts["gateway.vm_instances"] = "two"
    r = result(p, "GW-VM-INSTANCES")
    assert r.status is Status.FAIL and "'two'" in r.message


def test_ha_and_lab_warnings() -> None:
    p = complete_profile()
    p.gateway.vm_instances = 1
    p.gateway.vm_size = VmSize.LAB
    assert result(p, "GW-HA").status is Status.WARN
    lab = result(p, "GW-LAB-SIZE")
    assert lab.status is Status.WARN and "10 clients" in lab.message


def test_capacity() -> None:
    p = complete_profile()
    p.gateway.peak_concurrent_clients = 12_000
    assert result(p, "GW-CAPACITY").status is Status.PASS
    p.gateway.peak_concurrent_clients = 12_001
    r = result(p, "GW-CAPACITY")
    assert r.status is Status.WARN and "Use 3 VM instances" in r.fix
    p.gateway.peak_concurrent_clients = None
    assert result(p, "GW-CAPACITY").status is Status.SKIP


def test_capacity_on_2103_uses_2000_per_vm() -> None:
    p = complete_profile()
    p.site.site_version = 2103
    p.gateway.peak_concurrent_clients = 5_000
    r = result(p, "GW-CAPACITY")
    assert r.status is Status.WARN and "4,000" in r.message


def test_cmgcp_count() -> None:
    p = complete_profile()
    p.gateway.vm_instances = 16
    r = result(p, "GW-CMGCP-COUNT")
    assert r.status is Status.WARN and "4 recommended" in r.message
    p.site.cmgcp_servers = [f"cmgcp0{i}.contoso.com" for i in range(4)]
    assert result(p, "GW-CMGCP-COUNT").status is Status.PASS
    p.site.cmgcp_servers = []
    assert result(p, "GW-CMGCP-COUNT").status is Status.SKIP


def test_us_gov_needs_2111() -> None:
    p = complete_profile()
    p.environment = AzureEnvironment.US_GOVERNMENT
    p.site.site_version = 2107
    r = result(p, "SITE-VERSION-USGOV")
    assert r.status is Status.FAIL and "2111" in r.message
    p.site.site_version = 2111
    assert result(p, "SITE-VERSION-USGOV").status is Status.PASS


@pytest.mark.parametrize(
    ("version", "feature", "method", "status"),
    [
        (2309, True, DeploymentMethod.VMSS, Status.PASS),
        (2309, False, DeploymentMethod.VMSS, Status.FAIL),
        (2103, True, DeploymentMethod.VMSS, Status.WARN),
        (2006, True, DeploymentMethod.VMSS, Status.FAIL),
        (2203, True, DeploymentMethod.CLASSIC, Status.FAIL),
        (2107, True, DeploymentMethod.CLASSIC, Status.FAIL),  # Azure retired classic cloud services after 31 August 2024
    ],
)
def test_site_version_vmss(version: int, feature: bool, method: DeploymentMethod, status: Status) -> None:
    p = complete_profile()
    p.site.site_version = version
    p.optional_feature_enabled = feature
    p.deployment_method = method
    assert result(p, "SITE-VERSION-VMSS").status is status


def test_vm_size_needs_2107() -> None:
    p = complete_profile()
    p.gateway.vm_size = VmSize.LARGE
    assert result(p, "GW-VM-SIZE").status is Status.PASS
    p.site.site_version = 2103
    assert result(p, "GW-VM-SIZE").status is Status.FAIL


def test_providers() -> None:
    p = complete_profile()
    evidence(p, "arm.providers", **{"Microsoft.KeyVault": "Registered", "Microsoft.Storage": "Registered",
                                    "Microsoft.Network": "NotRegistered"})
    r = result(p, "GW-PROVIDERS")
    assert r.status is Status.FAIL
    assert "Microsoft.Network (NotRegistered)" in r.message
    assert "Microsoft.Compute (not reported)" in r.message
    assert "Register provider Microsoft.Network" in r.fix
    del p.evidence["arm.providers"]
    assert result(p, "GW-PROVIDERS").status is Status.SKIP


def test_resource_group_region() -> None:
    p = complete_profile()
    evidence(p, "arm.resource_group", exists=True, location="eastus", name="cmg-rg")
    r = result(p, "GW-RG-REGION")
    assert r.status is Status.FAIL and "'eastus'" in r.message and "'westus'" in r.message
    evidence(p, "arm.resource_group", exists=False, location="", name="cmg-rg")
    assert "doesn't exist" in result(p, "GW-RG-REGION").message
    evidence(p, "arm.resource_group", exists=True, location="westus", name="other-rg")
    assert result(p, "GW-RG-REGION").status is Status.SKIP
    p.gateway.use_existing_resource_group = False
    assert result(p, "GW-RG-REGION").status is Status.SKIP


def test_resource_group_name_on_2103() -> None:
    p = complete_profile()
    p.gateway.resource_group = "CMG_RG"
    assert result(p, "GW-RG-NAME").status is Status.PASS
    p.site.site_version = 2103
    assert result(p, "GW-RG-NAME").status is Status.FAIL


def test_owner_evidence() -> None:
    p = complete_profile()
    evidence(p, "arm.owner", is_owner=False)
    assert result(p, "GW-OWNER").status is Status.FAIL
    del p.evidence["arm.owner"]
    assert result(p, "GW-OWNER").status is Status.SKIP


def test_region_rule() -> None:
    p = complete_profile()
    p.region = "usgovtexas"
    assert result(p, "GW-REGION").status is Status.FAIL
    p.region = "futureregion"
    assert result(p, "GW-REGION").status is Status.SKIP
    evidence(p, "arm.locations", locations=["westus"])
    assert result(p, "GW-REGION").status is Status.FAIL
    p.region = "westus"
    assert result(p, "GW-REGION").status is Status.PASS


def test_subscription_and_site_code() -> None:
    p = complete_profile()
    p.gateway.subscription_id = "not-a-guid"
    assert result(p, "GW-SUBSCRIPTION").status is Status.FAIL
    p.site.site_code = "AUTO"
    assert "AUTO" in result(p, "SITE-CODE").message


def test_mp_traffic_todo_until_ticked() -> None:
    p = complete_profile()
    p.gateway.mp_allows_cmg_traffic = False
    r = result(p, "GW-MP-CMG-TRAFFIC")
    assert r.status is Status.SKIP and "Allow Configuration Manager cloud management gateway traffic" in r.message


def _lint(p, *, lab: bool = False, service: str = "GraniteFalls.contoso.com", thumb: str = "") -> None:  # type: ignore[no-untyped-def]
    evidence(p, "cert.lint", lab=lab, service_name=service, thumbprint=thumb, results=[
        {"rule": "CERT-EKU", "phase": "certificate", "status": "pass", "severity": "error", "message": "ok"}])


def test_lab_only_certificate_warns_for_a_production_size_cmg() -> None:
    p = complete_profile()
    p.gateway.vm_size = VmSize.STANDARD
    _lint(p, lab=True, service=p.certificate.service_name)
    r = result(p, "GW-CERT-LINT")
    assert r.status is Status.WARN and "LAB ONLY" in r.message and "Standard A2_v2" in r.message
    p.gateway.vm_size = VmSize.LAB
    assert result(p, "GW-CERT-LINT").status is Status.PASS


def test_certificate_check_for_another_name_or_certificate_is_stale() -> None:
    from cmgtui.domain.rules.checks import evaluate

    p = complete_profile()
    _lint(p, service="Other.contoso.com")
    r = result(p, "GW-CERT-LINT")
    assert r.status is Status.SKIP and r.message.startswith("Stale") and "Other.contoso.com" in r.message
    cert = [x for x in evaluate(p) if x.phase.value == "certificate" and x.rule.startswith("CERT-")]
    assert [(x.rule, x.status) for x in cert] == [("CERT-CHECKED", Status.SKIP)]
    _lint(p, service=p.certificate.service_name, thumb="aa11")
    p.certificate.thumbprint = "bb22"
    assert result(p, "GW-CERT-LINT").message.startswith("Stale")
    p.certificate.thumbprint = "AA11"
    assert result(p, "GW-CERT-LINT").status is Status.PASS


def test_owner_and_regions_read_for_another_subscription_are_stale() -> None:
    p = complete_profile()
    p.gateway.subscription_id = "11111111-2222-4333-8444-555555555555"
    evidence(p, "arm.owner", is_owner=True, subscription_id="99999999-2222-4333-8444-555555555555")
    r = result(p, "GW-OWNER")
    assert r.status is Status.SKIP and r.message.startswith("Stale")
    evidence(p, "arm.owner", is_owner=True, subscription_id=p.gateway.subscription_id.upper())
    assert result(p, "GW-OWNER").status is Status.PASS
