"""Client command lines built from profile values, and their own lint."""

from __future__ import annotations

import pytest

from cmgtui.domain.clients.cmdlint import lint_command_line
from cmgtui.domain.clients.command_lines import (
    build_entra,
    build_intune,
    build_pki,
    build_token,
    bulk_token_tool_command,
    cmg_mp_path,
    cmgfqdns_command,
    verification_command,
)
from cmgtui.domain.rules.results import Status
from cmgtui.model import ManagementPointMode, Profile

from .factories import CLIENT_APP, MP_ROLE_ID, TENANT, complete_profile

PATH = f"granitefalls.contoso.com/CCM_Proxy_MutualAuth/{MP_ROLE_ID}"


def _clean(text: str) -> None:
    results = lint_command_line(text)
    assert results
    assert all(r.status is Status.PASS for r in results), [(r.rule, r.message) for r in results]


def test_entra_line() -> None:
    line = build_entra(complete_profile())
    assert line.ready
    assert line.text == (
        f"ccmsetup.exe /mp:https://{PATH} CCMHOSTNAME={PATH} SMSSITECODE=ABC "
        f"SMSMP=https://mp01.contoso.com AADTENANTID={TENANT} AADCLIENTAPPID={CLIENT_APP} "
        f"AADRESOURCEURI=api://{TENANT}/ConfigMgrService"
    )
    _clean(line.text)


def test_entra_line_ehttp_mp_without_scheme_and_optional_smsmp() -> None:
    p = complete_profile()
    p.client_auth.management_point_mode = ManagementPointMode.ENHANCED_HTTP
    assert "SMSMP=mp01.contoso.com " in build_entra(p).text
    p.clients.onprem_mp = ""
    line = build_entra(p)
    assert line.ready and "SMSMP" not in line.text


def test_pki_line_options() -> None:
    p = complete_profile()
    assert build_pki(p).text == f"ccmsetup.exe /mp:https://{PATH} /UsePKICert CCMHOSTNAME={PATH} SMSSITECODE=ABC"
    p.clients.no_crl_check = True
    p.clients.always_internet = True
    line = build_pki(p)
    assert line.text == (f"ccmsetup.exe /mp:https://{PATH} /UsePKICert /NoCRLCheck "
                         f"CCMHOSTNAME={PATH} SMSSITECODE=ABC CCMALWAYSINF=1")
    _clean(line.text)


def test_token_line_puts_regtoken_among_parameters() -> None:
    line = build_token(complete_profile(), "eyJ0eXAiOiJKV1QifQ.e30.sig")
    assert line.text == (f"ccmsetup.exe /mp:https://{PATH} /regtoken:eyJ0eXAiOiJKV1QifQ.e30.sig "
                         f"CCMHOSTNAME={PATH} SMSSITECODE=ABC SMSMP=https://mp01.contoso.com")
    _clean(line.text)


def test_token_line_without_token_reports_missing() -> None:
    line = build_token(complete_profile())
    assert not line.ready and line.text == ""
    assert any("bulk registration token" in m for m in line.missing)


def test_intune_line() -> None:
    line = build_intune(complete_profile())
    assert line.text.startswith('ccmsetup.msi CCMSETUPCMD="/mp:https://')
    assert line.text.endswith(f'AADRESOURCEURI=api://{TENANT}/ConfigMgrService"')
    _clean(line.text)


def test_missing_values_listed_not_placeholders() -> None:
    line = build_entra(Profile(name="x"))
    assert not line.ready and line.text == ""
    joined = " | ".join(line.missing)
    for words in ("CMG service name", "management point role ID", "site code", "tenant ID",
                  "client app ID", "Application ID URI"):
        assert words in joined


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("site_code", "AUTO", "AUTO"), ("mp_role_id", "abc", "numeric"), ("service", "*.contoso.com", "prefix")],
)
def test_invalid_values_are_refused(field: str, value: str, words: str) -> None:
    p = complete_profile()
    if field == "site_code":
        p.site.site_code = value
    elif field == "mp_role_id":
        p.clients.mp_role_id = value
    else:
        p.certificate.service_name = value
    line = build_pki(p)
    assert not line.ready
    assert any(words in m for m in line.missing)


def test_wildcard_service_uses_prefix() -> None:
    p = complete_profile()
    p.certificate.service_name = "*.contoso.com"
    p.certificate.wildcard_prefix = "GraniteFalls"
    assert cmg_mp_path(p) == f"GraniteFalls.contoso.com/CCM_Proxy_MutualAuth/{MP_ROLE_ID}"


def test_cmgfqdns_and_verify() -> None:
    line = cmgfqdns_command(complete_profile())
    assert "-Name 'CMGFQDNs'" in line.text
    assert "-Value 'https://granitefalls.contoso.com'" in line.text
    assert "HKLM:\\SOFTWARE\\Microsoft\\CCM'" in line.text
    assert line.text.endswith("Restart-Service -Name CcmExec")
    assert not cmgfqdns_command(Profile(name="x")).ready
    verify = verification_command()
    assert "SMS_ActiveMPCandidate" in verify.text and '$_.Type -eq "Internet"' in verify.text


def test_bulk_token_tool() -> None:
    assert bulk_token_tool_command(4320).text == "BulkRegistrationTokenTool.exe /new /lifetime 4320"
    bad = bulk_token_tool_command(20_000)
    assert not bad.ready and "10,080" in bad.missing[0]
