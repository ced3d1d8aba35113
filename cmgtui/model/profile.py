"""The pydantic model of one cmgtui profile: everything an administrator decides or confirms.

The model holds data and structural validation only. A value the user typed that does not
pass a domain rule is still kept (in :attr:`Profile.drafts` when it cannot be typed at all),
so an unfinished plan can always be saved. Whether an item or a part is done is computed by
``cmgtui.domain`` from these values; no status is stored here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cmgtui.model.enums import (
    AzureEnvironment,
    CertificateSource,
    ClientAuthMethod,
    DeploymentMethod,
    EntraPath,
    EntraRole,
    ManagementPointMode,
    SecretLifetime,
    TopLevelSite,
    VmSize,
)

SCHEMA_VERSION = 3


def utc_now() -> datetime:
    """Current time in UTC, the only time zone a profile stores."""
    return datetime.now(UTC)


class _Model(BaseModel):
    """Base for every profile section: unknown keys are kept, assignments are validated."""

    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True)


class Evidence(_Model):
    """Something observed (by a probe, a cloud call or a file check) that a rule can read."""

    source: str = Field(description="What produced it, e.g. 'arm.providers' or 'cert.lint'.")
    summary: str = ""
    observed_at: datetime = Field(default_factory=utc_now)
    data: dict[str, Any] = Field(default_factory=dict)


class ChecklistItem(_Model):
    """The administrator's own word on one checklist item, with a free-text note."""

    confirmed: bool = False
    note: str = ""


class Checklist(_Model):
    """The eight items of the seed article's pre-setup checklist.

    The values each item is about live in the part they belong to (environment and region
    on the profile, VM sizing in Part 4, and so on); these records hold only the manual
    confirmation and the note.
    """

    environment: ChecklistItem = Field(default_factory=ChecklistItem)
    region: ChecklistItem = Field(default_factory=ChecklistItem)
    vm_instances: ChecklistItem = Field(default_factory=ChecklistItem)
    entra_role: ChecklistItem = Field(default_factory=ChecklistItem)
    subscription_owner: ChecklistItem = Field(default_factory=ChecklistItem)
    cmgcp_server: ChecklistItem = Field(default_factory=ChecklistItem)
    internet_access: ChecklistItem = Field(default_factory=ChecklistItem)
    optional_feature: ChecklistItem = Field(default_factory=ChecklistItem)


class Site(_Model):
    """The Configuration Manager site the CMG belongs to."""

    site_code: str = ""
    site_version: int | None = Field(default=None, description="Current-branch version, e.g. 2309.")
    site_server: str = ""
    cmgcp_servers: list[str] = Field(default_factory=list)
    management_points: list[str] = Field(default_factory=list)
    software_update_points: list[str] = Field(default_factory=list)
    service_connection_point: str = Field(default="", description="FQDN of the service connection point server.")
    scp_online: bool = Field(default=False, description="The service connection point is in online mode (V42).")


class ChildPrimary(_Model):
    """A primary site below a central administration site, with the clients it serves."""

    site_code: str = ""
    peak_clients: int | None = Field(
        default=None, description="Peak concurrent internet clients assigned to this site (0: none use the CMG).")
    cmgcp_server: str = Field(default="", description="FQDN of the server for this site's CMG connection point.")


class SecondarySite(_Model):
    """A secondary site: listed so the plan says where it sits; it hosts no CMG connection point."""

    site_code: str = ""
    parent: str = Field(default="", description="Site code of its parent primary site.")
    site_server: str = ""


class Hierarchy(_Model):
    """The sites around the CMG. :attr:`Profile.site` is the top-level site, where the CMG is created.

    A standalone primary is the one primary site: its clients and connection points are the
    profile's own (Part 4). Below a central administration site (CAS), each child primary
    brings its clients and its CMG connection point.
    """

    top_level: TopLevelSite = TopLevelSite.STANDALONE_PRIMARY
    child_primaries: list[ChildPrimary] = Field(default_factory=list)
    secondaries: list[SecondarySite] = Field(default_factory=list)


class CertificatePart(_Model):
    """Part 1: the CMG server authentication certificate."""

    source: CertificateSource | None = None
    service_name: str = Field(default="", description="The certificate CN, e.g. GraniteFalls.contoso.com.")
    wildcard_prefix: str = Field(default="", description="Replaces '*' when the CN is a wildcard.")
    pfx_path: str = Field(default="", description="The PFX on the machine cmgtui runs on (checked here).")
    site_pfx_path: str = Field(default="", description="Where the PFX is on the site server: the Windows path "
                               "the script reads (never a path of the machine cmgtui runs on).")
    csr_path: str = ""
    key_path: str = ""
    thumbprint: str = ""
    subject: str = ""
    not_after: datetime | None = None
    previous_service_name: str = Field(default="", description="CN of the certificate being renewed.")


class AppRegistration(_Model):
    """One Entra app registration as Configuration Manager needs to know it."""

    display_name: str = ""
    app_id: str = ""
    object_id: str = ""
    app_id_uri: str = ""
    secret_key_id: str = ""
    secret_expiry: datetime | None = None


class EntraPart(_Model):
    """Part 2: Microsoft Entra tenant and the server and client app registrations."""

    path: EntraPath | None = None
    tenant_id: str = ""
    tenant_name: str = ""
    azure_service_name: str = Field(default="", description="Name of the Azure service in ConfigMgr.")
    server_app: AppRegistration = Field(
        default_factory=lambda: AppRegistration(display_name="CMG-ServerApp")
    )
    client_app: AppRegistration = Field(
        default_factory=lambda: AppRegistration(display_name="CMG-ClientApp")
    )
    secret_lifetime: SecretLifetime = SecretLifetime.MONTHS_12
    user_discovery: bool = False
    app_registrar_role: EntraRole | None = None


class TrustedCertificate(_Model):
    """A root or intermediate CA certificate to upload to the CMG for PKI clients."""

    path: str = ""
    subject: str = ""
    thumbprint: str = ""
    is_root: bool = True
    not_after: datetime | None = None


class BulkToken(_Model):
    """A bulk registration token that was issued (the token itself is never stored)."""

    tracking_id: str = ""
    expires_at: datetime | None = None
    note: str = ""


class ClientAuthPart(_Model):
    """Part 3: how internet clients authenticate to the CMG."""

    devices_entra_joined: bool | None = None
    has_client_pki: bool | None = None
    new_internet_only_devices: bool | None = None
    methods: list[ClientAuthMethod] = Field(default_factory=list)
    trusted_certificates: list[TrustedCertificate] = Field(default_factory=list)
    site_ca_folder: str = Field(default="", description="The Windows folder on the site server that holds the "
                                "trusted CA files (.cer) the script uploads (never a folder of the machine "
                                "cmgtui runs on).")
    crl_published: bool | None = None
    management_point_mode: ManagementPointMode | None = None
    mp_aspnet45_enabled: bool = Field(
        default=False, description="ASP.NET 4.5 is on for the MP (needed for Entra clients, V41)."
    )
    cmgcp_client_cert_confirmed: bool = Field(
        default=False,
        description="The CMG connection point server has a client auth certificate (PKI + HTTPS MP, V39).",
    )
    token_lifetime_minutes: int = 4320
    bulk_tokens: list[BulkToken] = Field(default_factory=list)


class AlertThreshold(_Model):
    """A CMG alert threshold: a size in GB with warning and critical percentages."""

    enabled: bool = True
    gigabytes: int | None = None
    warning_percent: int = 50
    critical_percent: int = 90


class CostAssumptions(_Model):
    """What Part 4's cost estimate assumes: outbound MB per client a month (memdocs cmg/cost.md:
    100 for a default client configuration, 300 for an aggressive one) and the content served."""

    mb_per_client: int = 100
    content_stored_gb: int = 0
    content_downloads_gb: int = Field(default=0, description="Content clients download from the CMG a month, GB.")


class DeployedCmg(_Model):
    """The settings a CMG was created with; changing any of them needs a redeploy (V49)."""

    subscription_id: str = ""
    region: str = ""
    resource_group: str = ""
    service_name: str = ""
    recorded_at: datetime = Field(default_factory=utc_now)


class GatewayPart(_Model):
    """Part 4: the CMG in Azure, its sizing, and the CMG connection point."""

    subscription_id: str = ""
    resource_group: str = ""
    use_existing_resource_group: bool = False
    description: str = ""
    tags: dict[str, str] = Field(default_factory=dict,
                                 description="Tags for the CMG's Azure resources (when a policy requires them).")
    vm_size: VmSize = VmSize.STANDARD
    vm_instances: int | None = 1
    peak_concurrent_clients: int | None = None
    high_availability: bool = True
    check_client_cert_revocation: bool = True
    enforce_tls12: bool = True
    content_enabled: bool = True
    traffic_alert: AlertThreshold = Field(default_factory=AlertThreshold)
    traffic_stop_service: bool = False
    storage_alert: AlertThreshold = Field(default_factory=lambda: AlertThreshold(gigabytes=2))
    mp_allows_cmg_traffic: bool = False
    sup_allows_cmg_traffic: bool = False
    deployed: DeployedCmg | None = Field(default=None, description="Set once the CMG exists in Azure.")
    cost: CostAssumptions = Field(default_factory=CostAssumptions)


class ClientsPart(_Model):
    """Part 5: client settings and the values client command lines are built from."""

    enable_cmg_setting: bool = False
    allow_cloud_dp_setting: bool = False
    auto_register_entra_setting: bool = False
    user_policy_setting: bool = False
    mp_role_id: str = Field(default="", description="The number in CCM_Proxy_MutualAuth/<id>.")
    onprem_mp: str = ""
    no_crl_check: bool = False
    always_internet: bool = False


class Profile(_Model):
    """One saved CMG plan: a name, the checklist, the five parts and what was observed."""

    schema_version: int = SCHEMA_VERSION
    name: str
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    last_screen: str = Field(default="checklist", description="Navigation entry to reopen on.")

    environment: AzureEnvironment | None = None
    region: str = Field(default="", description="ARM location name, e.g. westus.")
    deployment_method: DeploymentMethod = DeploymentMethod.VMSS
    optional_feature_enabled: bool = False

    site: Site = Field(default_factory=Site)
    hierarchy: Hierarchy = Field(default_factory=Hierarchy)
    checklist: Checklist = Field(default_factory=Checklist)
    certificate: CertificatePart = Field(default_factory=CertificatePart)
    entra: EntraPart = Field(default_factory=EntraPart)
    client_auth: ClientAuthPart = Field(default_factory=ClientAuthPart)
    gateway: GatewayPart = Field(default_factory=GatewayPart)
    clients: ClientsPart = Field(default_factory=ClientsPart)

    drafts: dict[str, str] = Field(
        default_factory=dict,
        description="Raw text the user typed for a field that could not hold it, by field path.",
    )
    evidence: dict[str, Evidence] = Field(
        default_factory=dict, description="Latest observation per check, keyed by source."
    )
