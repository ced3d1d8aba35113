"""A complete, consistent CMG plan that every rule accepts, for tests to break one thing at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmgtui.model import (
    AzureEnvironment,
    CertificateSource,
    ClientAuthMethod,
    EntraPath,
    EntraRole,
    Evidence,
    ManagementPointMode,
    Profile,
    TrustedCertificate,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SERVER_APP = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
CLIENT_APP = "11111111-2222-3333-4444-555555555555"
SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
MP_ROLE_ID = "72186325152220500"


def evidence(profile: Profile, key: str, **data) -> None:
    """Store evidence ``key`` with ``data`` on the profile."""
    profile.evidence[key] = Evidence(source=key, data=data, observed_at=NOW)


def complete_profile() -> Profile:
    """GraniteFalls.contoso.com in westus, imported apps, Entra + PKI clients, all confirmed."""
    p = Profile(name="complete", environment=AzureEnvironment.PUBLIC, region="westus",
                optional_feature_enabled=True)
    p.site.site_code = "ABC"
    p.site.site_version = 2309
    p.site.cmgcp_servers = ["cmgcp01.contoso.com", "cmgcp02.contoso.com"]
    p.site.service_connection_point = "cm01.contoso.com"
    p.site.scp_online = True
    p.certificate.source = CertificateSource.PUBLIC_CA
    p.certificate.service_name = "granitefalls.contoso.com"
    e = p.entra
    e.path = EntraPath.IMPORT
    e.azure_service_name = "Contoso cloud management"
    e.tenant_id = TENANT
    e.server_app.app_id = SERVER_APP
    e.server_app.app_id_uri = f"api://{TENANT}/ConfigMgrService"
    e.server_app.secret_expiry = NOW + timedelta(days=300)
    e.client_app.app_id = CLIENT_APP
    e.app_registrar_role = EntraRole.GLOBAL_ADMINISTRATOR
    ca = p.client_auth
    ca.methods = [ClientAuthMethod.ENTRA, ClientAuthMethod.PKI]
    ca.devices_entra_joined = True
    ca.has_client_pki = True
    ca.new_internet_only_devices = False
    ca.cmgcp_client_cert_confirmed = True
    ca.management_point_mode = ManagementPointMode.HTTPS
    ca.mp_aspnet45_enabled = True
    ca.crl_published = True
    ca.trusted_certificates = [TrustedCertificate(subject="CN=Contoso Root", is_root=True,
                                                  not_after=NOW + timedelta(days=3650))]
    g = p.gateway
    g.subscription_id = SUBSCRIPTION
    g.resource_group = "cmg-rg"
    g.use_existing_resource_group = True
    g.vm_instances = 2
    g.peak_concurrent_clients = 9_000
    g.mp_allows_cmg_traffic = True
    c = p.clients
    c.enable_cmg_setting = True
    c.allow_cloud_dp_setting = True
    c.mp_role_id = MP_ROLE_ID
    c.onprem_mp = "mp01.contoso.com"
    for item in ("vm_instances", "entra_role", "subscription_owner", "internet_access", "optional_feature"):
        getattr(p.checklist, item).confirmed = True
    evidence(p, "cert.lint", results=[
        {"rule": "CERT-EKU", "phase": "certificate", "status": "pass", "severity": "error",
         "message": "Server Authentication EKU present.", "fix": ""},
    ])
    evidence(p, "arm.names", dns=True, keyvault=True, storage=True, prefix="granitefalls")
    evidence(p, "arm.providers", **{ns: "Registered" for ns in (
        "Microsoft.KeyVault", "Microsoft.Storage", "Microsoft.Network", "Microsoft.Compute")})
    evidence(p, "arm.resource_group", exists=True, location="westus", name="cmg-rg")
    evidence(p, "arm.owner", is_owner=True)
    evidence(p, "arm.skus", subscription_id=SUBSCRIPTION, region="westus",
             offered={"Standard_B2s": ["westus"], "Standard_A2_v2": ["westus"], "Standard_A4_v2": ["westus"]},
             restricted={})
    evidence(p, "arm.usages", subscription_id=SUBSCRIPTION, region="westus",
             usages={"standardAv2Family": {"limit": 20, "used": 0}, "cores": {"limit": 20, "used": 4}})
    evidence(p, "arm.dry_run", subscription_id=SUBSCRIPTION, region="westus", resource_group="cmg-rg",
             prefix="granitefalls", tags={}, valid=True, denials=[], errors=[],
             resource_types={"granitefalls": ["Microsoft.KeyVault/vaults"]})
    deployment = "granitefalls.westus.cloudapp.azure.com"
    evidence(p, "probe.service", service_name="granitefalls.contoso.com", expected_target=deployment,
             needs_cname=True, target_addresses=["20.1.2.3"],
             dns={"ok": True, "canonical": deployment, "aliases": ["granitefalls.contoso.com"],
                  "addresses": ["20.1.2.3"], "error": ""},
             tcp={"ok": True, "host": "20.1.2.3", "port": 443, "error": ""},
             tls={"ok": True, "error": "", "common_name": "granitefalls.contoso.com", "sans": [],
                  "trusted": True, "trust_error": "", "not_after": "2027-01-01T00:00:00+00:00"})
    evidence(p, "graph.roles", roles=["Global Administrator"])
    evidence(p, "graph.apps",
             server={"id_token_issuance": True, "scopes": ["user_impersonation"], "app_roles_granted": []},
             client={"id_token_issuance": True, "is_fallback_public_client": True,
                     "public_client_redirect_uris": [f"ms-appx-web://Microsoft.AAD.BrokerPlugin/{CLIENT_APP}"],
                     "consented_scopes": ["user_impersonation"]})
    return p


def result(profile: Profile, rule_id: str, now: datetime = NOW):
    """The one result of profile rule ``rule_id``."""
    from cmgtui.domain.rules.profile_rules import evaluate_profile

    found = [r for r in evaluate_profile(profile, now) if r.rule == rule_id]
    assert len(found) == 1, f"{rule_id}: {len(found)} results"
    return found[0]
