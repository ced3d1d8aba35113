"""Name derivation against the domain sheet §1.1 table and rule V09 (D6)."""

from __future__ import annotations

import pytest

from cmgtui.domain.azure import names
from cmgtui.domain.azure.names import (
    CmgNames,
    deployment_name,
    derive_names,
    effective_service_name,
    is_azure_domain,
    key_vault_host,
    needs_cname,
    prefix_from_service_name,
    prefix_problem,
    storage_account_name,
    storage_blob_host,
    storage_table_host,
)
from cmgtui.model import AzureEnvironment, DeploymentMethod, Profile

PUB = AzureEnvironment.PUBLIC
GOV = AzureEnvironment.US_GOVERNMENT
VMSS = DeploymentMethod.VMSS
CLASSIC = DeploymentMethod.CLASSIC


def _profile(service: str, region: str = "westus", env=PUB, method=VMSS, wildcard="") -> Profile:
    p = Profile(name="t", environment=env, region=region, deployment_method=method)
    p.certificate.service_name = service
    p.certificate.wildcard_prefix = wildcard
    return p


def test_granitefalls_own_domain_public_vmss() -> None:
    got = derive_names(_profile("GraniteFalls.contoso.com"))
    assert got == CmgNames(
        service_name="GraniteFalls.contoso.com",
        prefix="GraniteFalls",
        deployment_name="GraniteFalls.westus.cloudapp.azure.com",
        key_vault_name="GraniteFalls",
        key_vault_host="GraniteFalls.vault.azure.net",
        storage_account_name="granitefalls",
        storage_blob_host="granitefalls.blob.core.windows.net",
        storage_table_host="granitefalls.table.core.windows.net",
        needs_cname=True,
        deployment_name_unverified=False,
    )


def test_azure_domain_service_name_needs_no_cname() -> None:
    got = derive_names(_profile("GraniteFalls.WestUS.CloudApp.Azure.Com", region="WestUS"))
    assert got is not None
    assert got.deployment_name == "GraniteFalls.westus.cloudapp.azure.com"
    assert got.needs_cname is False
    assert got.service_name == "GraniteFalls.WestUS.CloudApp.Azure.Com"


def test_us_government_vmss_is_flagged_unverified() -> None:
    got = derive_names(_profile("GraniteFalls.contoso.us", region="usgovvirginia", env=GOV))
    assert got is not None
    assert got.deployment_name == "GraniteFalls.usgovvirginia.cloudapp.usgovcloudapi.net"
    assert got.key_vault_host == "GraniteFalls.vault.usgovcloudapi.net"
    assert got.storage_blob_host == "granitefalls.blob.core.usgovcloudapi.net"
    assert got.storage_table_host == "granitefalls.table.core.usgovcloudapi.net"
    assert got.deployment_name_unverified is True
    assert names.USGOV_VMSS_SUFFIX_UNVERIFIED is True


@pytest.mark.parametrize(
    ("env", "expected"),
    [(PUB, "GraniteFalls.cloudapp.net"), (GOV, "GraniteFalls.usgovcloudapp.net")],
)
def test_classic_deployment_names(env: AzureEnvironment, expected: str) -> None:
    assert deployment_name("GraniteFalls", "westus", env, CLASSIC) == expected
    got = derive_names(_profile("GraniteFalls.contoso.com", env=env, method=CLASSIC))
    assert got is not None and got.deployment_name == expected
    assert got.deployment_name_unverified is False


def test_region_lowercased_prefix_case_kept() -> None:
    assert deployment_name("MyCmg", " EastUS2 ", PUB, VMSS) == "MyCmg.eastus2.cloudapp.azure.com"


def test_wildcard_uses_admin_prefix() -> None:
    assert prefix_from_service_name("*.contoso.com", "GraniteFalls") == "GraniteFalls"
    assert prefix_from_service_name("*.contoso.com") == ""
    assert effective_service_name("*.contoso.com", "GraniteFalls") == "GraniteFalls.contoso.com"
    got = derive_names(_profile("*.contoso.com", wildcard="GraniteFalls"))
    assert got is not None
    assert got.service_name == "GraniteFalls.contoso.com"
    assert got.storage_account_name == "granitefalls"


def test_wildcard_without_prefix_derives_nothing() -> None:
    assert derive_names(_profile("*.contoso.com")) is None


@pytest.mark.parametrize(
    "missing", [{"service_name": ""}, {"region": ""}, {"environment": None}]
)
def test_missing_inputs_derive_nothing(missing: dict) -> None:
    p = _profile("GraniteFalls.contoso.com")
    if "service_name" in missing:
        p.certificate.service_name = ""
    if "region" in missing:
        p.region = ""
    if "environment" in missing:
        p.environment = None
    assert derive_names(p) is None


def test_prefix_keeps_case_and_strips_trailing_dot() -> None:
    assert prefix_from_service_name(" GraniteFalls.contoso.com. ") == "GraniteFalls"


@pytest.mark.parametrize("good", ["GraniteFalls", "abc", "a" * 24, "cmg2024", "GRANITE"])
def test_valid_prefixes(good: str) -> None:
    assert prefix_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("ab", "2 characters"),
        ("a" * 25, "at most 24"),
        ("granite-falls", "'-'"),
        ("1granite", "start with a letter"),
        ("gran_ite", "'_'"),
        ("", "Enter a service name prefix"),
        ("grané", "'é'"),
    ],
)
def test_invalid_prefixes_say_why(bad: str, words: str) -> None:
    problem = prefix_problem(bad)
    assert problem is not None and words in problem
    assert "\n" not in problem


def test_pattern_is_the_d6_intersection() -> None:
    assert names.PREFIX_PATTERN.pattern == r"^[a-z][a-z0-9]{2,23}$"


@pytest.mark.parametrize(
    ("name", "azure"),
    [
        ("GraniteFalls.WestUS.CloudApp.Azure.Com", True),
        ("GraniteFalls.cloudapp.net", True),
        ("GraniteFalls.usgovcloudapp.net", True),
        ("x.usgovvirginia.cloudapp.usgovcloudapi.net", True),
        ("GraniteFalls.contoso.com", False),
        ("notcloudapp.net", False),
    ],
)
def test_azure_domain_detection(name: str, azure: bool) -> None:
    assert is_azure_domain(name) is azure
    assert needs_cname(name) is (not azure)


def test_needs_cname_false_for_empty() -> None:
    assert needs_cname("") is False


def test_storage_helpers_lowercase() -> None:
    assert storage_account_name("GraniteFalls") == "granitefalls"
    assert storage_blob_host("GraniteFalls", PUB) == "granitefalls.blob.core.windows.net"
    assert storage_table_host("GraniteFalls", GOV) == "granitefalls.table.core.usgovcloudapi.net"
    assert key_vault_host("GraniteFalls", PUB) == "GraniteFalls.vault.azure.net"
