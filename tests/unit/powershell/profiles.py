"""Complete example profiles shared by the script and report tests (one per scenario)."""

from __future__ import annotations

from datetime import UTC, datetime

from cmgtui.model import (
    AzureEnvironment,
    BulkToken,
    ChildPrimary,
    CertificateSource,
    ClientAuthMethod,
    EntraPath,
    ManagementPointMode,
    Profile,
    SecondarySite,
    TopLevelSite,
    TrustedCertificate,
    VmSize,
)

TENANT = "0f1e2d3c-4b5a-4697-8877-665544332211"
SERVER_APP = "11111111-2222-4333-8444-555555555555"
CLIENT_APP = "66666666-7777-4888-9999-aaaaaaaaaaaa"
SUBSCRIPTION = "e517b8cb-a969-4d1e-b2ea-ae1e6c052020"
CREATED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def _base(name: str, version: int) -> Profile:
    profile = Profile(name=name, created_at=CREATED, updated_at=CREATED)
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "westus2"
    profile.site.site_code = "ABC"
    profile.site.site_version = version
    profile.site.site_server = "cm01.contoso.com"
    profile.site.cmgcp_servers = ["cmgcp01.contoso.com", "cmgcp02.contoso.com"]
    profile.site.management_points = ["mp01.contoso.com"]
    profile.certificate.source = CertificateSource.PUBLIC_CA
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.certificate.pfx_path = "/home/admin/certs/GraniteFalls.pfx"  # checked on the jump host
    profile.certificate.site_pfx_path = r"C:\certs\GraniteFalls.pfx"  # what the script reads
    profile.certificate.not_after = datetime(2026, 12, 31, tzinfo=UTC)
    profile.entra.path = EntraPath.IMPORT
    profile.entra.tenant_id = TENANT
    profile.entra.tenant_name = "contoso.onmicrosoft.com"
    profile.entra.azure_service_name = "Contoso cloud management"
    profile.entra.server_app.app_id = SERVER_APP
    profile.entra.server_app.app_id_uri = f"api://{TENANT}/ConfigMgrService"
    profile.entra.server_app.secret_expiry = datetime(2027, 1, 9, tzinfo=UTC)
    profile.entra.client_app.app_id = CLIENT_APP
    profile.client_auth.methods = [ClientAuthMethod.ENTRA, ClientAuthMethod.TOKEN]
    profile.client_auth.management_point_mode = ManagementPointMode.ENHANCED_HTTP
    profile.gateway.subscription_id = SUBSCRIPTION
    profile.gateway.resource_group = "cmg-rg"
    profile.gateway.vm_instances = 2
    profile.gateway.peak_concurrent_clients = 9000
    profile.gateway.traffic_alert.gigabytes = 10000
    return profile


def public_entra_2309() -> Profile:
    """Public cloud, imported apps, Entra and token clients, new resource group, 2309."""
    profile = _base("public-entra-2309", 2309)
    profile.clients.mp_role_id = "72186325152220500"
    profile.client_auth.bulk_tokens = [
        BulkToken(tracking_id="9b7a", expires_at=datetime(2026, 1, 20, tzinfo=UTC), note="kiosks"),
    ]
    return profile


def usgov_pki_2207() -> Profile:
    """US Government, imported apps, PKI clients with a CA chain, existing resource group, 2207."""
    profile = _base("usgov-pki-2207", 2207)
    profile.environment = AzureEnvironment.US_GOVERNMENT
    profile.region = "usgovvirginia"
    profile.certificate.source = CertificateSource.ENTERPRISE_PKI
    profile.entra.tenant_name = "contoso.onmicrosoft.us"
    profile.client_auth.methods = [ClientAuthMethod.PKI]
    profile.client_auth.management_point_mode = ManagementPointMode.HTTPS
    profile.client_auth.trusted_certificates = [
        TrustedCertificate(path=r"C:\certs\ContosoRoot.cer", subject="CN=Contoso Root CA",
                           is_root=True, not_after=datetime(2035, 6, 1, tzinfo=UTC)),
        TrustedCertificate(path=r"C:\certs\ContosoIssuing.cer", subject="CN=Contoso Issuing CA",
                           is_root=False, not_after=datetime(2026, 2, 15, tzinfo=UTC)),
    ]
    profile.client_auth.site_ca_folder = r"C:\certs"
    profile.gateway.use_existing_resource_group = True
    profile.gateway.vm_size = VmSize.LARGE
    profile.gateway.check_client_cert_revocation = False
    profile.site.software_update_points = ["sup01.contoso.com"]
    return profile


def public_token_2503_configmgr_creates() -> Profile:
    """Public cloud, apps created by Configuration Manager, token clients only, 2503."""
    profile = _base("token-2503", 2503)
    profile.entra.path = EntraPath.CONFIGMGR_CREATES
    profile.entra.server_app.app_id = ""
    profile.entra.server_app.secret_expiry = None
    profile.entra.client_app.app_id = ""
    profile.client_auth.methods = [ClientAuthMethod.TOKEN]
    profile.gateway.vm_size = VmSize.LAB
    profile.gateway.vm_instances = 1
    profile.gateway.traffic_alert.enabled = False
    profile.gateway.storage_alert.enabled = False
    profile.site.cmgcp_servers = ["cm01.contoso.com"]
    return profile


def public_pki_entra_2503_wildcard() -> Profile:
    """Public cloud, wildcard certificate, PKI and Entra, existing resource group, 2503."""
    profile = _base("wildcard-2503", 2503)
    profile.certificate.service_name = "*.contoso.com"
    profile.certificate.wildcard_prefix = "GraniteFalls"
    profile.client_auth.methods = [ClientAuthMethod.ENTRA, ClientAuthMethod.PKI]
    profile.client_auth.trusted_certificates = [
        TrustedCertificate(path=r"\\pki01\certs\Root CA.cer", is_root=True),
    ]
    profile.client_auth.site_ca_folder = r"\\pki01\certs"
    profile.entra.user_discovery = True
    profile.gateway.use_existing_resource_group = True
    profile.gateway.description = "West US 2 CMG for Contoso"
    profile.gateway.traffic_stop_service = True
    profile.site.software_update_points = ["sup01.contoso.com", "sup02.contoso.com"]
    return profile


def cas_three_primaries_2503() -> Profile:
    """A CAS with three child primaries (one without internet clients) and a secondary site, 2503."""
    profile = _base("cas-three-primaries", 2503)
    profile.site.site_code = "CAS"
    profile.site.site_server = "cas01.contoso.com"
    profile.site.cmgcp_servers = []
    profile.site.management_points = ["mp.sea.contoso.com", "mp.par.contoso.com"]
    profile.hierarchy.top_level = TopLevelSite.CAS
    profile.hierarchy.child_primaries = [
        ChildPrimary(site_code="SEA", peak_clients=9000, cmgcp_server="cmgcp.sea.contoso.com"),
        ChildPrimary(site_code="PAR", peak_clients=4000, cmgcp_server="cmgcp.par.contoso.com"),
        ChildPrimary(site_code="LAB", peak_clients=0),
    ]
    profile.hierarchy.secondaries = [SecondarySite(site_code="LYO", parent="PAR")]
    profile.gateway.vm_instances = 3
    return profile


SCENARIOS = {
    "cas-three-primaries-2503": cas_three_primaries_2503,
    "public-entra-2309": public_entra_2309,
    "usgov-pki-2207": usgov_pki_2207,
    "token-2503-configmgr-creates": public_token_2503_configmgr_creates,
    "wildcard-pki-entra-2503": public_pki_entra_2503_wildcard,
}
