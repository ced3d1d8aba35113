"""The rule registry: stable IDs, sources, and the complete plan passing."""

from __future__ import annotations

from cmgtui.domain.rules.profile_rules import PART_ORDER, PROFILE_RULES, evaluate_profile, rule_ids
from cmgtui.domain.rules.results import Severity, Status
from cmgtui.domain.rules.rulebook import is_not_applicable
from cmgtui.model import Profile

from .factories import NOW, complete_profile

EXPECTED_IDS = {
    "CHECKLIST-ENVIRONMENT", "CHECKLIST-REGION", "CHECKLIST-VM-INSTANCES", "CHECKLIST-ENTRA-ROLE",
    "CHECKLIST-SUBSCRIPTION-OWNER", "CHECKLIST-CMGCP-SERVER", "CHECKLIST-INTERNET-ACCESS",
    "CHECKLIST-OPTIONAL-FEATURE",
    "NAME-SERVICE", "NAME-WILDCARD", "NAME-PREFIX", "NAME-PREFIX-CASE", "NAME-CLASSIC-DOMAIN",
    "NAME-AZURE-REGION", "NAME-PUBLIC-CA-AZURE", "NAME-KEYVAULT-FREE", "NAME-DNS-FREE",
    "NAME-STORAGE-FREE", "NAME-RENEWAL-CN",
    "ENTRA-GUIDS", "ENTRA-APP-NAMES", "ENTRA-AZURE-SERVICE", "ENTRA-APP-ID-URI", "ENTRA-SECRET-EXPIRY", "ENTRA-GA", "ENTRA-CLIENT-APP",
    "ENTRA-CONSENT", "ENTRA-DISCOVERY", "ENTRA-ID-TOKEN",
    "CA-METHODS", "CA-MP-MODE", "CA-TRUSTED-ROOTS", "CA-CRL", "CA-TOKEN-VERSION", "TOKEN-LIFETIME",
    "CA-ASPNET",
    "GW-SUBSCRIPTION", "GW-REGION", "SITE-CODE", "SITE-VERSION-USGOV", "SITE-VERSION-VMSS",
    "GW-VM-SIZE", "GW-VM-INSTANCES", "GW-HA", "GW-LAB-SIZE", "GW-CAPACITY", "GW-CMGCP-COUNT",
    "GW-PROVIDERS", "GW-RG-NAME", "GW-RG-REGION", "GW-OWNER", "GW-MP-CMG-TRAFFIC",
    "CLIENTS-SETTINGS", "CLIENTS-MP-ROLE-ID", "CLIENTS-CMDLINE",
    # Part 3 decision and V39 (client_auth_advice.py)
    "CA-METHOD-FIT", "CA-CMGCP-CERT",
    # Part 5 live probe of the service name (domain/probe.py)
    "PROBE-DNS", "PROBE-CNAME", "PROBE-TCP", "PROBE-TLS-NAME", "PROBE-TLS-TRUST",
    # Part 4 pre-flight additions (rules_part4.py)
    "GW-SUBSCRIPTION-LIVE", "GW-RG-NEW-EXISTS", "GW-ALERTS", "GW-CERT-LINT", "GW-CONTENT-EARLY-VMSS",
    "GW-SUP-CMG-TRAFFIC", "GW-SCP", "GW-REDEPLOY",
    # what fails a deployment in Azure (rules/deployment.py)
    "GW-VM-SIZE-REGION", "GW-VCPU-FAMILY", "GW-VCPU-REGIONAL", "GW-POLICY", "GW-DRY-RUN", "GW-PUBLIC-IP-2503",
    "GW-CLASSIC-RETIRED",
    # the hierarchy: where the CMG is created, connection points per primary (rules/hierarchy.py)
    "HIER-CMG-SITE", "HIER-CMGCP-PRIMARIES", "HIER-CMGCP-SITE-TYPE",
}


def test_ids_unique_and_expected() -> None:
    ids = rule_ids()
    assert len(ids) == len(set(ids))
    assert set(ids) == EXPECTED_IDS


def test_sources_point_at_domain_sheet() -> None:
    for r in PROFILE_RULES:
        assert r.verdicts.source.startswith("cmg-domain §"), r.rule_id


def test_rules_sorted_by_part() -> None:
    positions = [PART_ORDER.index(r.verdicts.phase) for r in PROFILE_RULES]
    assert positions == sorted(positions)


def test_empty_profile_never_fails_only_asks() -> None:
    for r in evaluate_profile(Profile(name="x"), NOW):
        assert r.status is not Status.FAIL, r
        if r.status is Status.SKIP and not is_not_applicable(r):
            assert r.message and "\n" not in r.message


def test_complete_profile_has_no_fail_warn_or_missing_input() -> None:
    for r in evaluate_profile(complete_profile(), NOW):
        assert r.status is Status.PASS or is_not_applicable(r), (r.rule, r.message)


def test_failures_carry_fix_and_match_severity() -> None:
    p = complete_profile()
    p.site.site_code = "AUTO"
    p.gateway.vm_instances = 1
    results = {r.rule: r for r in evaluate_profile(p, NOW)}
    assert results["SITE-CODE"].status is Status.FAIL and results["SITE-CODE"].fix
    assert results["GW-HA"].status is Status.WARN
    assert results["GW-HA"].severity is Severity.WARNING
