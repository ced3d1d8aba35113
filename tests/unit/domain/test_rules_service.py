"""Part 1 name rules (V07-V17, V48)."""

from __future__ import annotations

import pytest

from cmgtui.domain.rules.results import Severity, Status
from cmgtui.model import AzureEnvironment, CertificateSource, DeploymentMethod

from .factories import complete_profile, evidence, result


def test_service_name_missing_asks() -> None:
    p = complete_profile()
    p.certificate.service_name = ""
    r = result(p, "NAME-SERVICE")
    assert r.status is Status.SKIP and "Enter the CMG service name" in r.message


def test_service_name_bad_fqdn() -> None:
    p = complete_profile()
    p.certificate.service_name = "https://cmg.contoso.com"
    assert result(p, "NAME-SERVICE").status is Status.FAIL


def test_wildcard_needs_prefix() -> None:
    p = complete_profile()
    p.certificate.service_name = "*.contoso.com"
    assert result(p, "NAME-WILDCARD").status is Status.SKIP
    p.certificate.wildcard_prefix = "granitefalls"
    r = result(p, "NAME-WILDCARD")
    assert r.status is Status.PASS and "granitefalls.contoso.com" in r.message


@pytest.mark.parametrize("name", ["granite-falls.contoso.com", "gf.contoso.com", "1cmg.contoso.com"])
def test_prefix_fails(name: str) -> None:
    p = complete_profile()
    p.certificate.service_name = name
    r = result(p, "NAME-PREFIX")
    assert r.status is Status.FAIL and r.severity is Severity.ERROR and r.fix


def test_prefix_case_warns() -> None:
    p = complete_profile()
    p.certificate.service_name = "GraniteFalls.contoso.com"
    r = result(p, "NAME-PREFIX-CASE")
    assert r.status is Status.WARN and "granitefalls" in r.message


def test_classic_domain_rejected_for_vmss() -> None:
    p = complete_profile()
    p.certificate.service_name = "granitefalls.cloudapp.net"
    assert result(p, "NAME-CLASSIC-DOMAIN").status is Status.FAIL
    p.deployment_method = DeploymentMethod.CLASSIC
    assert result(p, "NAME-CLASSIC-DOMAIN").status is Status.SKIP


def test_azure_name_must_match_region_and_environment() -> None:
    p = complete_profile()
    p.certificate.source = CertificateSource.ENTERPRISE_PKI
    p.certificate.service_name = "granitefalls.eastus.cloudapp.azure.com"
    r = result(p, "NAME-AZURE-REGION")
    assert r.status is Status.FAIL
    assert "region eastus but you selected region westus" in r.message
    p.region = "EastUS"
    assert result(p, "NAME-AZURE-REGION").status is Status.PASS
    p.environment = AzureEnvironment.US_GOVERNMENT
    assert result(p, "NAME-AZURE-REGION").status is Status.FAIL


def test_public_ca_cannot_issue_azure_domain() -> None:
    p = complete_profile()
    p.certificate.service_name = "granitefalls.westus.cloudapp.azure.com"
    # Issue 10.2: it cannot work, so it fails (severity error), not a warning.
    assert result(p, "NAME-PUBLIC-CA-AZURE").status is Status.FAIL
    p.certificate.source = CertificateSource.ENTERPRISE_PKI
    assert result(p, "NAME-PUBLIC-CA-AZURE").status is Status.SKIP


def test_name_availability_from_evidence() -> None:
    p = complete_profile()
    evidence(p, "arm.names", dns=True, keyvault=False, storage=False, prefix="granitefalls")
    kv = result(p, "NAME-KEYVAULT-FREE")
    assert kv.status is Status.FAIL and "granitefalls" in kv.message and "purge" in kv.fix
    assert result(p, "NAME-DNS-FREE").status is Status.PASS
    assert result(p, "NAME-STORAGE-FREE").status is Status.FAIL
    p.gateway.content_enabled = False
    assert result(p, "NAME-STORAGE-FREE").status is Status.WARN


def test_name_availability_without_or_stale_evidence() -> None:
    p = complete_profile()
    del p.evidence["arm.names"]
    assert result(p, "NAME-DNS-FREE").status is Status.SKIP
    evidence(p, "arm.names", dns=True, keyvault=True, storage=True, prefix="other")
    r = result(p, "NAME-DNS-FREE")
    assert r.status is Status.SKIP and "run it again" in r.message


def test_renewal_cn_case_sensitive() -> None:
    p = complete_profile()
    p.certificate.previous_service_name = "granitefalls.contoso.com"
    assert result(p, "NAME-RENEWAL-CN").status is Status.PASS
    p.certificate.service_name = "GRANITEFALLS.CONTOSO.COM"
    r = result(p, "NAME-RENEWAL-CN")
    assert r.status is Status.FAIL and "letter case" in r.message
    p.certificate.service_name = "other.contoso.com"
    assert "new CMG" in result(p, "NAME-RENEWAL-CN").message


def test_derived_names_only_from_a_valid_service_name() -> None:
    """Issue 10.2: a folder path typed as the service name derives no deployment or key vault name."""
    from cmgtui.domain.azure.names import derivation_problem, derive_names

    p = complete_profile()
    assert derive_names(p) is not None and derivation_problem(p) is None
    p.certificate.service_name = "/home/admin/certs/cmg.pfx"
    assert derive_names(p) is None
    reason = derivation_problem(p)
    assert reason and "invalid service name" in reason and "path" in reason
    p.certificate.service_name = "ab.contoso.com"  # prefix too short to name a key vault
    assert derive_names(p) is None and "Prefix 'ab'" in (derivation_problem(p) or "")
