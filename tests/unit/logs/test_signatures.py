"""One test per catalogue signature, on an entry shaped like the one its public source shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmgtui.domain.logs import CATALOGUE, ProfileFacts, triage
from cmgtui.domain.logs.names import base_log_name
from cmgtui.domain.logs.signatures import Severity
from tests.unit.logs.logbuilder import cm_line, log_text, sms_line

# id -> (file name, entry text, entry type); texts follow the sources named on each signature.
SAMPLES: dict[str, tuple[str, str, int]] = {
    "LOG-CP-CLIENTCERT-REQUIRED": ("LocationServices.log",
                                   "[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_Clientcertificaterequired", 3),
    "LOG-CP-NO-CLIENT-AUTH-CERT": ("SMS_Cloud_ProxyConnector.log", "Filtered cert count with client auth: 0", 1),
    "LOG-CP-CRL-OFFLINE": ("SMS_Cloud_ProxyConnector.log", "Chain 1 status: OfflineRevocation", 1),
    "LOG-CP-FORBIDDEN": ("LocationServices.log", "[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_Forbidden", 3),
    "LOG-CP-INBOX-ACCESS": ("mpfdm.log", "~**ERROR: Cannot connect to the inbox source, sleep 30 seconds and try again.", 3),
    "LOG-CLIENT-WINHTTP-SECURE-FAILURE": ("LocationServices.log",
        "[CCMHTTP] ERROR: URL=https://CMG.CONTOSO.COM/CCM_Proxy_ServerAuth/72057594037928017/CCM_STS, Port=443, "
        "Options=63, Code=12175, Text=ERROR_WINHTTP_SECURE_FAILURE", 3),
    "LOG-CLIENT-CERT-REV-FAILED": ("LocationServices.log", "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED is set", 1),
    "LOG-CLIENT-INVALID-CA": ("LocationServices.log", "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA is set", 1),
    "LOG-CLIENT-CERT-CN-INVALID": ("LocationServices.log", "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set", 1),
    "LOG-CLIENT-INVALID-TOKEN": ("ccmsetup.log", "[CCMHTTP] ERROR INFO: StatusCode=401 StatusText=CMGService_Invalid_Token", 3),
    "LOG-STS-TOKEN-EXPIRED": ("CCM_STS.log",
        "Return code: 401, Description: PreAuth token validation failed, "
        "System.IdentityModel.Tokens.SecurityTokenExpiredException:\nIDX10223: Lifetime validation failed. The token is expired.", 3),
    "LOG-CCMSETUP-87D0027E": ("ccmsetup.log", "Failed to refresh Site Signing Certificate over HTTP with error 0x87d0027e.", 3),
    "LOG-CONSOLE-MSAL-UI-REQUIRED": ("SMSAdminUI.log", "Microsoft.Identity.Client.MsalUiRequiredException: No account or login hint was passed", 3),
    "LOG-ENTRA-AADSTS": ("SMSAdminUI.log", "AADSTS7000222: The provided client secret keys are expired.", 3),
    "LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED": ("CloudMgr.log",
        "ERROR: Code: MissingSubscriptionRegistration, Message: The subscription is not registered to use namespace 'Microsoft.KeyVault'.", 0),
    "LOG-CLOUDMGR-NAME-IN-USE": ("CloudMgr.log", "ERROR: VaultAlreadyExists", 0),
    "LOG-CLOUDMGR-AUTHORIZATION-FAILED": ("CloudMgr.log", "ERROR: Code: AuthorizationFailed", 0),
    "LOG-CLOUDMGR-SUBSCRIPTION-NOT-FOUND": ("CloudMgr.log", "ERROR: Code: SubscriptionNotFound", 0),
    "LOG-CLOUDMGR-CERT-EXPIRED": ("CloudMgr.log", "Certificate GraniteFalls.contoso.com is in expired state", 0),
    "LOG-CMGSETUP-ERROR": ("CMG-GraniteFalls-ProxyService_IN_0-CMGSetup.log", "Setup failed", 3),
    "LOG-CMGSETUP-PHASE2": ("CMG-GraniteFalls-ProxyService_IN_0-CMGSetup.log", "", 1),
    "LOG-CLOUDMGR-ERROR": ("CloudMgr.log", "Deployment of the service failed", 3),
}

FACTS = ProfileFacts(profile="contoso", service_name="GraniteFalls.contoso.com",
                     subscription_id="11111111-2222-3333-4444-555555555555", tenant_id="aaaa-tenant",
                     server_app_id="99999999-0000-0000-0000-000000000001", server_app_name="CMG-ServerApp",
                     site_code="ABC", site_version=2207)


def test_every_signature_has_a_sample_and_a_source() -> None:
    assert set(SAMPLES) == {s.id for s in CATALOGUE}
    assert all(s.source and s.meaning and s.logs for s in CATALOGUE)


def _write(tmp_path: Path, name: str, text: str, entry_type: int) -> Path:
    path = tmp_path / name
    if name == "CloudMgr.log" and entry_type == 0:
        path.write_text(log_text(sms_line("starting"), sms_line(text)))
    else:
        path.write_text(log_text(cm_line("starting", component="x"),
                                 cm_line(text, entry_type=entry_type, component=base_log_name(name))),
                        encoding="utf-8")
    return path


MARKERS = {"LOG-CMGSETUP-PHASE2"}


@pytest.mark.parametrize("sig_id", sorted(set(SAMPLES) - MARKERS))
def test_signature_matches_its_sample_on_line_two(sig_id: str, tmp_path: Path) -> None:
    name, text, entry_type = SAMPLES[sig_id]
    result = triage([_write(tmp_path, name, text, entry_type)], FACTS)
    found = [f for f in result.findings if f.signature.id not in MARKERS]
    assert [f.signature.id for f in found] == [sig_id]
    finding = found[0]
    assert finding.entry.line == 2
    assert finding.to_json()["message"] == text.replace("\r\n", "\n")


def test_cmgsetup_first_entry_marks_the_second_phase_in_the_timeline(tmp_path: Path) -> None:
    name = "CMG-GraniteFalls-ProxyService_IN_0-CMGSetup.log"
    path = _write(tmp_path, name, "Setup failed", 3)
    findings = triage([path], FACTS).findings
    assert [(f.signature.id, f.entry.line, f.signature.severity.value) for f in findings] == [
        ("LOG-CMGSETUP-PHASE2", 1, "info"), ("LOG-CMGSETUP-ERROR", 2, "warn")]
    # Only CMGSetup logs get the marker, not a file of unknown name.
    other = tmp_path / "notes.txt"
    other.write_text("first line\n")
    assert triage([other]).findings == []


def test_signatures_stay_in_their_logs(tmp_path: Path) -> None:
    # A CloudMgr signature text in a client log is not a CloudMgr problem.
    path = tmp_path / "LocationServices.log"
    path.write_text(log_text(cm_line("Code: MissingSubscriptionRegistration")))
    assert triage([path]).findings == []


def test_unknown_log_name_is_checked_against_everything(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text("StatusText= CMGConnector_Forbidden\n\nVaultAlreadyExists\n")
    assert [(f.signature.id, f.entry.line) for f in triage([path]).findings] == [
        ("LOG-CP-FORBIDDEN", 1), ("LOG-CLOUDMGR-NAME-IN-USE", 3)]


def test_fixes_name_the_profile_values() -> None:
    by_id = {s.id: s for s in CATALOGUE}
    assert "GraniteFalls.contoso.com" in by_id["LOG-CLIENT-CERT-CN-INVALID"].fix(FACTS)
    assert "subscription 11111111-2222-3333-4444-555555555555" in by_id["LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED"].fix(FACTS)
    assert "CMG-ServerApp (99999999-0000-0000-0000-000000000001)" in by_id["LOG-CLOUDMGR-AUTHORIZATION-FAILED"].fix(FACTS)
    assert "version 2207" in by_id["LOG-CONSOLE-MSAL-UI-REQUIRED"].fix(FACTS)
    assert "SMSSITECODE=ABC" in by_id["LOG-CCMSETUP-87D0027E"].fix(FACTS)
    # Without a profile the fix still says which value to look up.
    assert "the CMG service name" in by_id["LOG-CLIENT-CERT-CN-INVALID"].fix(ProfileFacts())


def test_generic_error_only_when_nothing_specific(tmp_path: Path) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(cm_line("ERROR: AuthorizationFailed", entry_type=3, component="CloudMgr")))
    assert [f.signature.id for f in triage([path]).findings] == ["LOG-CLOUDMGR-AUTHORIZATION-FAILED"]


def test_severities_are_the_three_the_json_counts() -> None:
    assert {s.severity for s in CATALOGUE} <= {Severity.FAIL, Severity.WARN, Severity.INFO}
