"""What the script needs from a profile: the required values, and the checked inputs.

:func:`missing_values` lists, in the administrator's words, every value the script cannot
be written without (and every value that is present but unusable, such as a tenant ID that
is not a GUID). :func:`build_inputs` turns a complete profile into :class:`ScriptInputs`, the
only thing the section writers read, so no section can reach a value that was not checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cmgtui.domain.azure.cost import planned_cost
from cmgtui.domain.azure.names import derive_names, is_wildcard
from cmgtui.domain.hierarchy import connection_points, is_cas, total_peak_clients
from cmgtui.domain.powershell.quoting import has_control_characters
from cmgtui.domain.rules.clients import rejected_trusted_certificates
from cmgtui.domain.validate import (
    GUID_PATTERN,
    app_name_clash,
    site_code_problem,
    site_server_file,
    site_server_folder_problem,
    site_server_path_problem,
)
from cmgtui.model.enums import AzureEnvironment, ClientAuthMethod, DeploymentMethod, EntraPath
from cmgtui.model.profile import Profile, TrustedCertificate

#: The CMG cmdlets took their current form (Non-Interactive set, -CARootCert) in 2010.
MIN_SCRIPT_VERSION = 2010
#: New-CMAADServerApplication / New-CMAADClientApplication and -VMSSVMSize appeared in 2207.
NEW_AAD_CMDLETS_VERSION = 2207
VMSS_VM_SIZE_VERSION = 2207
#: New-CMCloudManagementGateway -TenantId appeared in 2309.
TENANT_ID_VERSION = 2309



class ScriptIncomplete(ValueError):
    """The profile lacks values the script needs; ``missing`` lists them in plain words."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("The script needs: " + "; ".join(missing))
        self.missing = missing


@dataclass(frozen=True, slots=True)
class ScriptInputs:
    """Every value one generated script uses, already checked."""

    profile_name: str
    site_code: str
    site_server: str
    site_version: int
    environment: AzureEnvironment
    region: str
    service_name: str
    #: The PFX's Windows path on the site server (``certificate.site_pfx_path``).
    pfx_path: str
    entra_path: EntraPath
    tenant_id: str
    tenant_name: str
    azure_service_name: str
    server_app_name: str
    server_app_id: str
    server_app_id_uri: str
    server_secret_expiry: datetime | None
    secret_lifetime_months: int
    client_app_name: str
    client_app_id: str
    user_discovery: bool
    methods: tuple[ClientAuthMethod, ...]
    roots: tuple[str, ...]
    intermediates: tuple[str, ...]
    subscription_id: str
    resource_group: str
    use_existing_resource_group: bool
    description: str
    vm_size: str
    vm_instances: int
    check_revocation: bool
    enforce_tls12: bool
    content_enabled: bool
    traffic_enabled: bool
    traffic_gb: int | None
    traffic_warning: int
    traffic_critical: int
    traffic_stop: bool
    storage_enabled: bool
    storage_gb: int | None
    storage_warning: int
    storage_critical: int
    cmgcp_servers: tuple[str, ...]
    #: Below a CAS, the primary site of each entry of ``cmgcp_servers``; empty for a standalone primary.
    connection_point_sites: tuple[str, ...]
    management_points: tuple[str, ...]
    software_update_points: tuple[str, ...]
    #: True when ``traffic_gb`` is cmgtui's suggestion (Part 4 left the threshold empty).
    traffic_suggested: bool = False
    traffic_clients: int | None = None

    @property
    def imports_apps(self) -> bool:
        """True when the apps exist in Entra already and are imported into the site."""
        return self.entra_path is not EntraPath.CONFIGMGR_CREATES

    @property
    def uses_pki(self) -> bool:
        """True when PKI client certificates are among the client authentication methods."""
        return ClientAuthMethod.PKI in self.methods


def _text_problems(label: str, value: str, out: list[str]) -> bool:
    """Append a problem for an empty or control-character value; True when it is usable."""
    if not value.strip():
        out.append(label)
        return False
    if has_control_characters(value):
        out.append(f"{label} (contains a line break or control character)")
        return False
    return True


def _guid(label: str, value: str, out: list[str]) -> None:
    if _text_problems(label, value, out) and not GUID_PATTERN.match(value.strip()):
        out.append(f"{label} (not a GUID such as 00000000-0000-0000-0000-000000000000)")


def _trusted_paths(certs: list[TrustedCertificate], folder: str, rejected: dict[str, str], out: list[str]) -> None:
    """The trusted CA files and the site server's folder that holds them (a Windows path)."""
    if not certs:
        out.append("Part 3: trusted root certificate files (.cer) for PKI clients")
        return
    if not any(c.is_root for c in certs):
        out.append("Part 3: a trusted root certificate (only intermediates are listed)")
    label = "Part 3: folder of the trusted CA certificate files on the site server (a Windows path)"
    if _text_problems(label, folder, out) and (problem := site_server_folder_problem(folder)):
        out.append(f"{label}: {problem}")
    for index, cert in enumerate(certs, start=1):
        kind = "root" if cert.is_root else "intermediate"
        _text_problems(f"Part 3: file of trusted {kind} certificate {index}", cert.path, out)
        problem = rejected.get(cert.thumbprint.strip().lower())
        if problem:
            out.append(f"Part 3: trusted certificate {index} ({cert.subject or cert.path}) fails {problem} "
                       "Remove it; it is not uploaded as -CARootCert")


def _server_list(label: str, values: list[str], out: list[str], required: bool) -> None:
    if required and not values:
        out.append(label)
    for index, value in enumerate(values, start=1):
        _text_problems(f"{label}, entry {index}", value, out)


def missing_values(profile: Profile) -> list[str]:
    """Every value the script needs that the profile lacks or holds in an unusable form."""
    out: list[str] = []
    site = profile.site
    if _text_problems("Site: site code", site.site_code, out) and site_code_problem(site.site_code) is not None:
        out.append("Site: site code (three letters or digits, e.g. ABC)")
    _text_problems("Site: site server FQDN (where the SMS Provider runs)", site.site_server, out)
    if site.site_version is None:
        out.append("Site: Configuration Manager version (e.g. 2309)")
    elif site.site_version < MIN_SCRIPT_VERSION:
        out.append(f"Site: version {site.site_version} is too old; the script needs {MIN_SCRIPT_VERSION} or later")
    if profile.environment is None:
        out.append("Checklist: Azure environment (public or US Government)")
    _text_problems("Checklist: Azure region", profile.region, out)
    if profile.deployment_method is not DeploymentMethod.VMSS:
        out.append("Part 4: deployment method must be virtual machine scale set (classic can't be created)")

    cert = profile.certificate
    _text_problems("Part 1: service name (certificate common name)", cert.service_name, out)
    if is_wildcard(cert.service_name):
        _text_problems("Part 1: service name prefix replacing '*' of the wildcard certificate",
                       cert.wildcard_prefix, out)
    label = "Part 1: path of the server certificate PFX file on the site server (a Windows path)"
    if _text_problems(label, cert.site_pfx_path, out) and (problem := site_server_path_problem(cert.site_pfx_path)):
        out.append(f"{label}: {problem}")

    entra = profile.entra
    if entra.path is None:
        out.append("Part 2: how the Microsoft Entra apps are made (import, create here, or Configuration Manager creates them)")
    _guid("Part 2: tenant ID", entra.tenant_id, out)
    _text_problems("Part 2: Azure service name in Configuration Manager", entra.azure_service_name, out)
    _text_problems("Part 2: server app name", entra.server_app.display_name, out)
    _text_problems("Part 2: client app name", entra.client_app.display_name, out)
    if app_name_clash(entra.server_app.display_name, entra.client_app.display_name):
        out.append("Part 2: server app name (it must differ from the client app's name)")
    if entra.path is EntraPath.CONFIGMGR_CREATES:
        if site.site_version is not None and site.site_version < NEW_AAD_CMDLETS_VERSION:
            out.append(f"Part 2: Configuration Manager creates the apps from PowerShell only on "
                       f"{NEW_AAD_CMDLETS_VERSION} or later; import the apps instead")
    elif entra.path is not None:
        _text_problems("Part 2: tenant name (e.g. contoso.onmicrosoft.com)", entra.tenant_name, out)
        _guid("Part 2: server app client ID", entra.server_app.app_id, out)
        _text_problems("Part 2: server app ID URI", entra.server_app.app_id_uri, out)
        if entra.server_app.secret_expiry is None:
            out.append("Part 2: server app secret expiry date")
        _guid("Part 2: client app client ID", entra.client_app.app_id, out)

    auth = profile.client_auth
    if not auth.methods:
        out.append("Part 3: client authentication method (Microsoft Entra ID, PKI or token)")
    if ClientAuthMethod.PKI in auth.methods:
        _trusted_paths(auth.trusted_certificates, auth.site_ca_folder, rejected_trusted_certificates(profile), out)

    gw = profile.gateway
    _guid("Part 4: Azure subscription ID", gw.subscription_id, out)
    _text_problems("Part 4: resource group name", gw.resource_group, out)
    if gw.vm_instances is None or not 1 <= gw.vm_instances <= 16:
        out.append("Part 4: VM instance count (1 to 16)")
    if gw.traffic_alert.enabled and gw.traffic_alert.gigabytes is None and planned_cost(profile, None) is None:
        out.append("Part 4: 14-day outbound data transfer alert threshold (GB), or the peak concurrent clients "
                   "to suggest it from")
    if gw.storage_alert.enabled and gw.storage_alert.gigabytes is None:
        out.append("Part 4: storage alert threshold (GB)")
    if has_control_characters(gw.description):
        out.append("Part 4: description of the CMG (contains a line break or control character)")
    if is_cas(profile):
        planned = connection_points(profile)
        if not planned:
            out.append("Part 4: primary sites below the CAS whose clients use the CMG, each with its "
                       "connection point server")
        for cp in planned:
            if site_code_problem(cp.site_code) is not None:
                out.append("Part 4: primary sites below the CAS (a site code is not three letters or digits)")
                continue
            _text_problems(f"Part 4: CMG connection point server of primary site {cp.site_code}", cp.server, out)
    else:
        _server_list("Part 4: CMG connection point servers", site.cmgcp_servers, out, required=True)
    _server_list("Part 4: management points that allow CMG traffic", site.management_points, out, required=True)
    _server_list("Part 4: software update points", site.software_update_points, out, required=False)
    if derive_names(profile) is None and not any(m.startswith("Part 1: service name") for m in out):
        out.append("Part 1: service name the CMG names can be derived from")
    return out


def build_inputs(profile: Profile) -> ScriptInputs:
    """The checked inputs of a complete profile; raises :class:`ScriptIncomplete` otherwise."""
    missing = missing_values(profile)
    names = derive_names(profile)
    site, entra, auth, gw = profile.site, profile.entra, profile.client_auth, profile.gateway
    if (missing or names is None or site.site_version is None or profile.environment is None
            or entra.path is None or gw.vm_instances is None):
        raise ScriptIncomplete(missing or ["Part 1: service name"])
    planned = planned_cost(profile, None)
    suggested = gw.traffic_alert.gigabytes is None and planned is not None
    return ScriptInputs(
        profile_name=profile.name,
        site_code=site.site_code.strip().upper(),
        site_server=site.site_server.strip(),
        site_version=site.site_version,
        environment=profile.environment,
        region=profile.region.strip().lower(),
        service_name=names.service_name,
        pfx_path=profile.certificate.site_pfx_path.strip(),
        entra_path=entra.path,
        tenant_id=entra.tenant_id.strip(),
        tenant_name=entra.tenant_name.strip(),
        azure_service_name=entra.azure_service_name.strip(),
        server_app_name=entra.server_app.display_name.strip(),
        server_app_id=entra.server_app.app_id.strip(),
        server_app_id_uri=entra.server_app.app_id_uri.strip(),
        server_secret_expiry=entra.server_app.secret_expiry,
        secret_lifetime_months=int(entra.secret_lifetime.value),
        client_app_name=entra.client_app.display_name.strip(),
        client_app_id=entra.client_app.app_id.strip(),
        user_discovery=entra.user_discovery,
        methods=tuple(dict.fromkeys(auth.methods)),
        roots=tuple(site_server_file(auth.site_ca_folder, c.path) for c in auth.trusted_certificates if c.is_root),
        intermediates=tuple(site_server_file(auth.site_ca_folder, c.path)
                            for c in auth.trusted_certificates if not c.is_root),
        subscription_id=gw.subscription_id.strip(),
        resource_group=gw.resource_group.strip(),
        use_existing_resource_group=gw.use_existing_resource_group,
        description=gw.description.strip(),
        vm_size=gw.vm_size.value,
        vm_instances=gw.vm_instances,
        check_revocation=gw.check_client_cert_revocation,
        enforce_tls12=gw.enforce_tls12,
        content_enabled=gw.content_enabled,
        traffic_enabled=gw.traffic_alert.enabled,
        traffic_gb=planned.alert_gb if suggested and planned is not None else gw.traffic_alert.gigabytes,
        traffic_warning=gw.traffic_alert.warning_percent,
        traffic_critical=gw.traffic_alert.critical_percent,
        traffic_stop=gw.traffic_stop_service,
        storage_enabled=gw.storage_alert.enabled,
        storage_gb=gw.storage_alert.gigabytes,
        storage_warning=gw.storage_alert.warning_percent,
        storage_critical=gw.storage_alert.critical_percent,
        cmgcp_servers=tuple(cp.server for cp in connection_points(profile)),
        connection_point_sites=tuple(cp.site_code for cp in connection_points(profile)) if is_cas(profile) else (),
        management_points=tuple(s.strip() for s in site.management_points),
        software_update_points=tuple(s.strip() for s in site.software_update_points),
        traffic_suggested=suggested,
        traffic_clients=total_peak_clients(profile),
    )
