"""Field validators: None for good input, a one-line reason with the fix for bad input."""

from __future__ import annotations

import pytest

from cmgtui.domain.rules.results import Severity
from cmgtui.domain.validate import (
    ARM_LOCATIONS,
    app_id_uri_check,
    app_id_uri_problem,
    fqdn_problem,
    guid_problem,
    int_range_problem,
    locations_for,
    region_problem,
    resource_group_problem,
    site_code_problem,
    site_version_problem,
)
from cmgtui.model import AzureEnvironment

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _one_line(problem: str | None) -> str:
    assert problem is not None
    assert "\n" not in problem
    return problem


@pytest.mark.parametrize("good", ["GraniteFalls.contoso.com", "a.b", "mp01.corp.contoso.com."])
def test_fqdn_ok(good: str) -> None:
    assert fqdn_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("", "Enter a fully qualified"),
        ("https://cmg.contoso.com", "without https://"),
        ("cmg.contoso.com/path", "path or port"),
        ("server01", "single label"),
        ("a..b", "empty label"),
        ("-a.contoso.com", "hyphen"),
        ("cm g.contoso.com", "letters, digits and hyphens"),
        ("10.0.0.1", "IP address"),
        ("*.contoso.com", "wildcard"),
        ("x" * 64 + ".com", "63"),
    ],
)
def test_fqdn_bad(bad: str, words: str) -> None:
    assert words in _one_line(fqdn_problem(bad))


def test_fqdn_wildcard_allowed_when_asked() -> None:
    assert fqdn_problem("*.contoso.com", allow_wildcard=True) is None
    assert "too broad" in _one_line(fqdn_problem("*.com", allow_wildcard=True))


def test_guid() -> None:
    assert guid_problem(TENANT) is None
    assert guid_problem(TENANT.upper()) is None
    assert guid_problem("{" + TENANT + "}") is None
    assert "not a GUID" in _one_line(guid_problem("72f988bf-86f1-41af-91ab"))
    assert "Enter a GUID" in _one_line(guid_problem(" "))


@pytest.mark.parametrize("good", ["ABC", "p01", "X9Z"])
def test_site_code_ok(good: str) -> None:
    assert site_code_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [("AUTO", "AUTO"), ("auto", "AUTO"), ("AB", "exactly three"), ("AB-", "exactly three"),
     ("SMS", "reserved"), ("", "Enter the three")],
)
def test_site_code_bad(bad: str, words: str) -> None:
    assert words in _one_line(site_code_problem(bad))


@pytest.mark.parametrize("good", ["1902", "2010", "2103", "2107", "2309", "2503", "2611"])
def test_site_version_ok(good: str) -> None:
    assert site_version_problem(good) is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [("1810", "older than 1902"), ("2313", "month"), ("2300", "month"), ("23.09", "four-digit"),
     ("v2309", "four-digit"), ("", "four digits")],
)
def test_site_version_bad(bad: str, words: str) -> None:
    assert words in _one_line(site_version_problem(bad))


def test_int_range() -> None:
    assert int_range_problem("16", 1, 16) is None
    assert int_range_problem("12,000", 0, 1_000_000) is None
    assert "from 1 to 16" in _one_line(int_range_problem("17", 1, 16))
    assert "whole number" in _one_line(int_range_problem("two", 1, 16))
    assert "whole number" in _one_line(int_range_problem("1.5", 1, 16))
    assert "Enter a whole number" in _one_line(int_range_problem("", 1, 16))


@pytest.mark.parametrize("good", ["cmg-rg", "CMG_RG(prod).1", "a"])
def test_resource_group_ok_on_current(good: str) -> None:
    assert resource_group_problem(good, 2309) is None
    assert resource_group_problem(good, None) is None


@pytest.mark.parametrize(
    ("bad", "words"),
    [("rg.", "end with a period"), ("rg name", "Use only"), ("x" * 91, "at most 90"),
     ("rg/1", "Use only"), ("", "Enter a resource")],
)
def test_resource_group_bad(bad: str, words: str) -> None:
    assert words in _one_line(resource_group_problem(bad, 2309))


@pytest.mark.parametrize("version", [2010, 2103])
def test_resource_group_early_vmss_lowercase(version: int) -> None:
    assert resource_group_problem("cmg-rg-01", version) is None
    assert "lowercase" in _one_line(resource_group_problem("CMG-RG", version))
    assert "lowercase" in _one_line(resource_group_problem("cmg_rg", version))
    assert resource_group_problem("CMG_RG", 2107) is None


def test_app_id_uri_recommended_forms_pass() -> None:
    assert app_id_uri_problem(f"api://{TENANT}/ConfigMgrService", TENANT) is None
    assert app_id_uri_problem(f"api://{TENANT}", TENANT) is None
    assert app_id_uri_problem("https://contoso.com/cmg", TENANT, ["contoso.com"]) is None
    assert app_id_uri_problem("https://contoso.onmicrosoft.com/cmg", TENANT, ["contoso.com"]) is None


def test_app_id_uri_configmgr_default_is_warning() -> None:
    sev, msg = app_id_uri_check("https://ConfigMgrService", TENANT)
    assert sev is Severity.WARNING
    assert f"api://{TENANT}/ConfigMgrService" in msg


def test_app_id_uri_other_tenant_and_unverified_domain_warn() -> None:
    other = "11111111-2222-3333-4444-555555555555"
    sev, msg = app_id_uri_check(f"api://{other}/ConfigMgrService", TENANT)
    assert sev is Severity.WARNING and "tenant ID" in msg
    sev, msg = app_id_uri_check("https://fabrikam.com/cmg", TENANT, ["contoso.com"])
    assert sev is Severity.WARNING and "fabrikam.com" in msg


def test_app_id_uri_errors() -> None:
    assert app_id_uri_check("", TENANT)[0] is Severity.ERROR
    assert app_id_uri_check("ConfigMgrService", TENANT)[0] is Severity.ERROR
    assert app_id_uri_check("api://a b", TENANT)[0] is Severity.ERROR


def test_region_problem() -> None:
    known = [n for n, _ in locations_for(AzureEnvironment.PUBLIC)]
    assert region_problem("westus2", known) is None
    assert "'westus'" in _one_line(region_problem("West US", known))
    assert "Did you mean 'westus2'" in _one_line(region_problem("westus22", known))
    assert "Choose the Azure region" in _one_line(region_problem("", known))
    assert region_problem("anything", []) is None
    assert "location name" in _one_line(region_problem("west-us", known))


def test_locations_lists() -> None:
    public = dict(locations_for(AzureEnvironment.PUBLIC))
    gov = dict(locations_for(AzureEnvironment.US_GOVERNMENT))
    assert len(public) >= 40
    for name in ("eastus", "westus", "westus2", "westeurope", "northeurope", "uksouth"):
        assert name in public
    assert set(gov) == {"usgovvirginia", "usgovarizona", "usgovtexas", "usdodeast", "usdodcentral"}
    assert not set(gov) & set(public)
    assert len(ARM_LOCATIONS) == len(public) + len(gov)
    assert all(n == n.lower() and " " not in n for n, _ in ARM_LOCATIONS)
