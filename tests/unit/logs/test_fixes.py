"""Fixes name the profile's own values, follow its site version, and read cleanly without a profile."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cmgtui.domain.logs import CATALOGUE, ProfileFacts
from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.signatures import BY_ID

FULL = ProfileFacts(profile="contoso", service_name="GraniteFalls.contoso.com",
                    subscription_id="11111111-2222-3333-4444-555555555555", resource_group="GraniteFalls-rg",
                    region="westus3", tenant_id="aaaa-tenant", server_app_id="99999999-0000-0000-0000-000000000001",
                    server_app_name="CMG-ServerApp", site_code="ABC", site_version=2409)
ENTRY = LogEntry("x.log", 1, "text")


def fix(sig_id: str, facts: ProfileFacts) -> str:
    return BY_ID[sig_id].fix_for(facts, ENTRY)


@pytest.mark.parametrize("facts", [ProfileFacts(), FULL, dataclasses.replace(FULL, server_app_name="")],
                         ids=["no profile", "full profile", "app without name"])
def test_every_fix_is_clean_sentences(facts: ProfileFacts) -> None:
    for signature in CATALOGUE:
        text = signature.fix_for(facts, ENTRY)
        assert text and text[-1] in ".)", (signature.id, text)
        for bad in ("the the", "server app the server app", "  ", "{", "}", " ,", "None"):
            assert bad not in text, (signature.id, bad, text)


def test_fixes_name_the_profile_values() -> None:
    assert "GraniteFalls.contoso.com" in fix("LOG-CLIENT-CERT-CN-INVALID", FULL)
    assert "subscription 11111111-2222-3333-4444-555555555555" in fix("LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED", FULL)
    assert "resource group GraniteFalls-rg" in fix("LOG-CLOUDMGR-AUTHORIZATION-FAILED", FULL)
    assert "CMG-ServerApp (99999999-0000-0000-0000-000000000001)" in fix("LOG-ENTRA-AADSTS", FULL)
    assert "westus3" in fix("LOG-CONSOLE-VM-SIZE-UNAVAILABLE", FULL)
    assert "site ABC" in fix("LOG-CLIENT-CERT-REV-FAILED", FULL)
    assert "SMSSITECODE=ABC" in fix("LOG-CLIENT-INVALID-TOKEN", FULL)


def test_authorization_failed_is_contributor_on_the_resource_group_since_1810() -> None:
    # SupportArticles-docs contributor-role-not-assigned-for-web-app.md: since 1810 Contributor is
    # "limited to resource groups", the web app has "only Read permission at the subscription level".
    text = fix("LOG-CLOUDMGR-AUTHORIZATION-FAILED", FULL)
    assert "Contributor only on resource group GraniteFalls-rg" in text and "Owner" not in text
    old = fix("LOG-CLOUDMGR-AUTHORIZATION-FAILED", dataclasses.replace(FULL, site_version=1806))
    assert "Before 1810" in old and "subscription 11111111" in old


def test_bulk_and_client_token_lifetimes() -> None:
    # memdocs deploy-clients-cmg-token.md: the client token "valid for 90 days", renewed "once a month";
    # the bulk token "three days by default", at most seven.
    text = fix("LOG-CLIENT-INVALID-TOKEN", FULL)
    assert "90 days" in text and "monthly" in text and "3 days" in text and "7 at most" in text
    assert "30 days" not in text


def test_nocrlcheck_is_only_for_the_bootstrap() -> None:
    text = fix("LOG-CLIENT-CERT-REV-FAILED", FULL)
    assert "/NoCRLCheck" in text and "installation (bootstrap)" in text and "ongoing client traffic" in text


def test_aadsts_fix_excludes_the_server_app_from_conditional_access() -> None:
    assert "Conditional Access policies exclude it" in fix("LOG-ENTRA-AADSTS", FULL)


@pytest.mark.parametrize(("version", "expected"), [
    (None, "Set the site version in the profile"),
    (2409, "The 2503 rollup issue can't apply here"),
    (2503, "Microsoft says to ignore it"),
    (2509, "Version 2509 and later include the fix"),
])
def test_2503_maintenance_fix_follows_the_site_version(version: int | None, expected: str) -> None:
    text = fix("LOG-CLOUDMGR-DEPLOYMENT-MAINTENANCE", dataclasses.replace(FULL, site_version=version))
    assert expected in text
    assert "GraniteFalls-rg" in text


@pytest.mark.parametrize(("version", "expected"), [
    (None, "2211 and later aren't affected"), (2207, "KB15152495"), (2203, "KB14244456"), (2111, "KB12896009"),
    (2211, "doesn't occur from 2211"), (2107, "Update to 2211 or later"),
])
def test_console_sign_in_fix_follows_the_site_version(version: int | None, expected: str) -> None:
    assert expected in fix("LOG-CONSOLE-MSAL-UI-REQUIRED", dataclasses.replace(FULL, site_version=version))


def test_client_entra_log_is_ccmaad_from_2107() -> None:
    # memdocs log-files.md: ADALOperationProvider.log "(Replaced by CcmAad.log starting in version 2107)".
    assert "CcmAad.log" in fix("LOG-CCMSETUP-WAM-TOKEN-FAILED", FULL)
    assert re.search(r"Read ADALOperationProvider\.log",
                     fix("LOG-CCMSETUP-WAM-TOKEN-FAILED", dataclasses.replace(FULL, site_version=2103)))


@pytest.mark.parametrize(("version", "expected"), [
    (None, "Set the site version"), (1906, "This is the known issue"), (1910, "early update ring"),
    (2002, "fixed in this version"),
])
def test_content_tls_fix_follows_the_site_version(version: int | None, expected: str) -> None:
    assert expected in fix("LOG-CMGCONTENT-TLS12", dataclasses.replace(FULL, site_version=version))
