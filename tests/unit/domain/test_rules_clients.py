"""Part 3 and Part 5 rules (V37, V38, V40, V41, V44-V46)."""

from __future__ import annotations

from datetime import timedelta

from cmgtui.domain.rules.results import Status
from cmgtui.model import ClientAuthMethod, ManagementPointMode, TrustedCertificate

from .factories import NOW, complete_profile, result


def test_methods_and_mp_mode() -> None:
    p = complete_profile()
    p.client_auth.methods = []
    assert result(p, "CA-METHODS").status is Status.SKIP
    p.client_auth.management_point_mode = ManagementPointMode.HTTP
    assert result(p, "CA-MP-MODE").status is Status.FAIL
    p.client_auth.management_point_mode = ManagementPointMode.ENHANCED_HTTP
    assert "Enhanced HTTP" in result(p, "CA-MP-MODE").message


def test_trusted_roots() -> None:
    p = complete_profile()
    p.client_auth.trusted_certificates = [TrustedCertificate(subject="CN=Issuing", is_root=False)]
    assert result(p, "CA-TRUSTED-ROOTS").status is Status.FAIL
    p.client_auth.trusted_certificates = [
        TrustedCertificate(subject="CN=Old Root", is_root=True, not_after=NOW - timedelta(days=1))]
    r = result(p, "CA-TRUSTED-ROOTS")
    assert r.status is Status.FAIL and "CN=Old Root" in r.message
    p.client_auth.methods = [ClientAuthMethod.ENTRA]
    assert result(p, "CA-TRUSTED-ROOTS").status is Status.SKIP


def test_crl() -> None:
    p = complete_profile()
    p.client_auth.crl_published = False
    assert result(p, "CA-CRL").status is Status.WARN
    p.gateway.check_client_cert_revocation = False
    assert result(p, "CA-CRL").status is Status.PASS


def test_token_rules() -> None:
    p = complete_profile()
    p.client_auth.methods = [ClientAuthMethod.TOKEN]
    p.client_auth.token_lifetime_minutes = 10_081
    assert result(p, "TOKEN-LIFETIME").status is Status.FAIL
    p.client_auth.token_lifetime_minutes = 10_080
    assert result(p, "TOKEN-LIFETIME").status is Status.PASS
    p.site.site_version = 1910
    assert result(p, "CA-TOKEN-VERSION").status is Status.FAIL


def test_aspnet_for_entra() -> None:
    p = complete_profile()
    p.client_auth.mp_aspnet45_enabled = False
    assert "ASP.NET 4.5" in result(p, "CA-ASPNET").message
    assert result(p, "CA-ASPNET").status is Status.SKIP


def test_client_settings_and_role_id() -> None:
    p = complete_profile()
    p.clients.allow_cloud_dp_setting = False
    r = result(p, "CLIENTS-SETTINGS")
    assert r.status is Status.SKIP and "Allow access to cloud distribution point" in r.message
    p.clients.mp_role_id = "CCM_Proxy_MutualAuth/123"
    assert result(p, "CLIENTS-MP-ROLE-ID").status is Status.FAIL


def test_cmdline_rule_reports_missing_value() -> None:
    p = complete_profile()
    p.entra.client_app.app_id = ""
    r = result(p, "CLIENTS-CMDLINE")
    assert r.status is Status.SKIP and "client app ID" in r.message


def test_cmdline_rule_token_ignores_unstored_token() -> None:
    p = complete_profile()
    p.client_auth.methods = [ClientAuthMethod.TOKEN]
    assert result(p, "CLIENTS-CMDLINE").status is Status.PASS
    p.clients.onprem_mp = ""
    assert "SMSMP" in result(p, "CLIENTS-CMDLINE").message


def test_cmdline_rule_fails_on_intune_length() -> None:
    p = complete_profile()
    p.entra.server_app.app_id_uri = "https://contoso.com/" + "x" * 800
    r = result(p, "CLIENTS-CMDLINE")
    assert r.status is Status.FAIL and "1,024" in r.message
