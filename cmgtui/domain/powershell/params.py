"""The documented parameter sets of every cmdlet the script generator writes.

Configuration Manager cmdlets come from the cmdlet reference, repository
``MicrosoftDocs/sccm-docs-powershell-ref``, folder ``sccm-ps/ConfigurationManager/`` (each
spec names its page), plus the release notes in ``docs-conceptual/`` for parameters that
were added later and are missing from the page. Windows PowerShell cmdlets come from
``MicrosoftDocs/PowerShell-Docs``, ``reference/5.1/``. A test parses every generated script
and checks each command against these sets, so the generator cannot drift from the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Common parameters every cmdlet accepts (about_CommonParameters).
COMMON_PARAMETERS = frozenset({
    "Debug", "ErrorAction", "ErrorVariable", "InformationAction", "InformationVariable",
    "OutVariable", "OutBuffer", "PipelineVariable", "Verbose", "WarningAction", "WarningVariable",
})
#: Parameters of every Configuration Manager cmdlet page, in every set.
_CM_ALWAYS = frozenset({"DisableWildcardHandling", "ForceWildcardHandling"})
_SHOULD_PROCESS = frozenset({"WhatIf", "Confirm"})


@dataclass(frozen=True, slots=True)
class ParameterSet:
    """One parameter set: the parameters it requires and those it also accepts."""

    name: str
    mandatory: frozenset[str]
    optional: frozenset[str]

    @property
    def accepted(self) -> frozenset[str]:
        """Every parameter name valid in this set (common parameters included)."""
        return self.mandatory | self.optional | COMMON_PARAMETERS


@dataclass(frozen=True, slots=True)
class CmdletSpec:
    """A cmdlet, where its reference is, its parameter sets, and when parameters appeared."""

    name: str
    source: str
    sets: tuple[ParameterSet, ...]
    since: dict[str, int] = field(default_factory=dict)

    def matching_set(self, used: set[str]) -> ParameterSet | None:
        """The first set that accepts every used parameter and gets all it requires."""
        for pset in self.sets:
            if used <= pset.accepted and pset.mandatory <= used:
                return pset
        return None


def _cm_set(name: str, mandatory: set[str], optional: set[str], should_process: bool = True) -> ParameterSet:
    extra = _CM_ALWAYS | (_SHOULD_PROCESS if should_process else frozenset())
    return ParameterSet(name, frozenset(mandatory), frozenset(optional) | extra)


def _ps_set(name: str, mandatory: set[str], optional: set[str]) -> ParameterSet:
    return ParameterSet(name, frozenset(mandatory), frozenset(optional))


_REF = "MicrosoftDocs/sccm-docs-powershell-ref sccm-ps/ConfigurationManager/"
_PSREF = "MicrosoftDocs/PowerShell-Docs reference/5.1/"

_CMG_COMMON = {
    "CARootCert", "CheckClientCertRevocation", "Description", "EnableCloudDPFunction",
    "EnableStorageQuota", "EnableTrafficOut", "EnforceProtocol", "EnvironmentSetting", "Force",
    "Region", "ServiceCertPassword", "ServiceName", "StorageCriticalPct", "StorageQuotaGB",
    "StorageWarningPct", "TrafficCriticalPct", "TrafficOutGB", "TrafficOutStopService",
    "TrafficWarningPct", "VMInstanceCount",
    # Added after the page was last revised: TenantId (docs-conceptual/2309-release-notes.md),
    # VMSSVMSize and Version (docs-conceptual/2207-release-notes.md).
    "TenantId", "VMSSVMSize", "Version",
}

CMDLETS: dict[str, CmdletSpec] = {spec.name: spec for spec in [
    CmdletSpec("Import-CMAADServerApplication", _REF + "Import-CMAADServerApplication.md", (
        _cm_set("Default", {"TenantName", "TenantId", "AppName", "ClientId", "SecretKey", "SecretKeyExpiry"},
                {"AppIdUri", "AzureEnvironmentOption"}),
    )),
    CmdletSpec("Import-CMAADClientApplication", _REF + "Import-CMAADClientApplication.md", (
        _cm_set("ByServerApp", {"AppName", "ClientId", "ServerApp"}, set()),
        _cm_set("ById", {"AppName", "ClientId", "TenantId"}, set()),
    )),
    # New-CMAAD*Application have no page in the reference repository; the 2207 release notes
    # (docs-conceptual/2207-release-notes.md) document -AppName and -InputObject. The module's
    # own help adds -AzureEnvironmentOption and -SecretKeyExpiry (OneYear, TwoYears, FiftyYears).
    CmdletSpec("New-CMAADServerApplication", "MicrosoftDocs/sccm-docs-powershell-ref docs-conceptual/2207-release-notes.md", (
        _cm_set("Default", {"AppName"}, {"AzureEnvironmentOption", "SecretKeyExpiry"}),
    ), since={"AppName": 2207}),
    CmdletSpec("New-CMAADClientApplication", "MicrosoftDocs/sccm-docs-powershell-ref docs-conceptual/2207-release-notes.md", (
        _cm_set("Default", {"AppName", "InputObject"}, set()),
    ), since={"AppName": 2207}),
    CmdletSpec("Get-CMAADApplication", _REF + "Get-CMAADApplication.md", (
        _cm_set("Default", set(), {"AppName", "AppType", "ClientId", "TenantId", "TenantName"},
                should_process=False),
    )),
    CmdletSpec("Get-CMAzureService", _REF + "Get-CMAzureService.md", (
        _cm_set("SearchByName", set(), {"Name"}, should_process=False),
        _cm_set("SearchByIdMandatory", {"Id"}, set(), should_process=False),
    )),
    CmdletSpec("New-CMCloudManagementAzureService", _REF + "New-CMCloudManagementAzureService.md", (
        _cm_set("Default", {"Name", "ServerApp", "ClientApp"}, {
            "AddGroupName", "AzureEnvironmentOption", "Description", "EnableGroupDeltaDiscovery",
            "EnableGroupDiscovery", "EnableUserDeltaDiscovery", "EnableUserDiscovery",
            "GroupDeltaDiscoveryMins", "GroupDiscoverySchedule", "UserDeltaDiscoveryMins",
            "UserDiscoverySchedule"}),
    )),
    CmdletSpec("Get-CMCloudManagementGateway", _REF + "Get-CMCloudManagementGateway.md", (
        _cm_set("SearchByName", set(), {"Name"}, should_process=False),
        _cm_set("SearchByIdMandatory", {"Id"}, set(), should_process=False),
    )),
    CmdletSpec("New-CMCloudManagementGateway", _REF + "New-CMCloudManagementGateway.md", (
        # The generator uses only Non-Interactive; Interactive is listed so a test can prove
        # the two are never mixed (-IsUsingExistingGroup exists only there).
        _cm_set("Non-Interactive", {"GroupName", "ServerAppClientId", "ServiceCertPath", "SubscriptionId"},
                _CMG_COMMON),
        _cm_set("Interactive", {"ServiceCertPath"},
                _CMG_COMMON | {"GroupName", "IsUsingExistingGroup", "SubscriptionId"}),
    ), since={"TenantId": 2309, "VMSSVMSize": 2207, "Version": 2207}),
    CmdletSpec("Get-CMCloudManagementGatewayConnectionPoint", _REF + "Get-CMCloudManagementGatewayConnectionPoint.md", (
        _cm_set("SearchByName", set(), {"AllSite", "SiteCode", "SiteSystemServerName"}, should_process=False),
        _cm_set("SearchByValue", {"InputObject"}, {"AllSite"}, should_process=False),
    )),
    CmdletSpec("Add-CMCloudManagementGatewayConnectionPoint", _REF + "Add-CMCloudManagementGatewayConnectionPoint.md", (
        _cm_set("ByValue", {"CloudManagementGatewayName"}, {"InputObject"}),
        _cm_set("ByName", {"CloudManagementGatewayName", "SiteSystemServerName"}, {"SiteCode"}),
    )),
    CmdletSpec("Get-CMManagementPoint", _REF + "Get-CMManagementPoint.md", (
        _cm_set("SearchByName", set(), {"AllSite", "SiteCode", "SiteSystemServerName"}, should_process=False),
        _cm_set("SearchByValue", {"InputObject"}, {"AllSite"}, should_process=False),
    )),
    CmdletSpec("Set-CMManagementPoint", _REF + "Set-CMManagementPoint.md", (
        _cm_set("SetByValue", {"InputObject"}, {
            "AllowDevice", "ClientConnectionType", "DatabaseName", "EnableCloudGateway", "EnableSsl",
            "GenerateAlert", "PassThru", "SqlServerFqdn", "SqlServerInstanceName",
            "UseComputerAccount", "UserName", "UseSiteDatabase"}),
        _cm_set("SetByName", {"SiteSystemServerName"}, {
            "AllowDevice", "ClientConnectionType", "DatabaseName", "EnableCloudGateway", "EnableSsl",
            "GenerateAlert", "PassThru", "SiteCode", "SqlServerFqdn", "SqlServerInstanceName",
            "UseComputerAccount", "UserName", "UseSiteDatabase"}),
    )),
    CmdletSpec("Get-CMSoftwareUpdatePoint", _REF + "Get-CMSoftwareUpdatePoint.md", (
        _cm_set("SearchByName", set(), {"AllSite", "SiteCode", "SiteSystemServerName"}, should_process=False),
        _cm_set("SearchByValue", {"InputObject"}, {"AllSite"}, should_process=False),
    )),
    CmdletSpec("Set-CMSoftwareUpdatePoint", _REF + "Set-CMSoftwareUpdatePoint.md", (
        _cm_set("ByValue", {"InputObject"}, {
            "AnonymousWsusAccess", "ClientConnectionType", "EnableCloudGateway", "EnableSsl",
            "HttpPort", "HttpsPort", "NlbVirtualIP", "PassThru", "PublicVirtualIP", "UseProxy",
            "UseProxyForAutoDeploymentRule", "WsusAccessAccount"}),
        _cm_set("ByName", {"SiteSystemServerName"}, {
            "AnonymousWsusAccess", "ClientConnectionType", "EnableCloudGateway", "EnableSsl",
            "HttpPort", "HttpsPort", "NlbVirtualIP", "PassThru", "PublicVirtualIP", "SiteCode",
            "UseProxy", "UseProxyForAutoDeploymentRule", "WsusAccessAccount"}),
    )),
    CmdletSpec("Get-CMClientSetting", _REF + "Get-CMClientSetting.md", (
        _cm_set("SearchByName", set(), {"Name", "Raw", "Setting", "SettingType"}, should_process=False),
        _cm_set("SearchByIdMandatory", {"Id"}, {"Raw", "Setting", "SettingType"}, should_process=False),
    )),
    CmdletSpec("Set-CMClientSettingCloudService", _REF + "Set-CMClientSettingCloudService.md", (
        _cm_set("SetCustomSettingByName", {"Name"},
                {"AllowCloudDistributionPoint", "AllowCloudManagementGateway", "AutoAzureADJoin", "PassThru"}),
        _cm_set("SetDefaultSetting", {"DefaultSetting"},
                {"AllowCloudDistributionPoint", "AllowCloudManagementGateway", "AutoAzureADJoin", "PassThru"}),
        _cm_set("SetCustomSettingByValue", {"InputObject"},
                {"AllowCloudDistributionPoint", "AllowCloudManagementGateway", "AutoAzureADJoin", "PassThru"}),
    )),
    # Windows PowerShell 5.1 cmdlets used around the Configuration Manager steps.
    CmdletSpec("Import-Module", _PSREF + "Microsoft.PowerShell.Core/Import-Module.md", (
        _ps_set("Name", {"Name"}, {"Global", "Force", "PassThru", "Prefix", "Scope"}),
    )),
    CmdletSpec("Get-Module", _PSREF + "Microsoft.PowerShell.Core/Get-Module.md", (
        _ps_set("Loaded", set(), {"Name", "All", "FullyQualifiedName"}),
    )),
    CmdletSpec("Get-Command", _PSREF + "Microsoft.PowerShell.Core/Get-Command.md", (
        _ps_set("AllCommandSet", set(), {"Name", "Module", "CommandType", "Syntax"}),
    )),
    CmdletSpec("Get-PSDrive", _PSREF + "Microsoft.PowerShell.Management/Get-PSDrive.md", (
        _ps_set("Name", set(), {"Name", "PSProvider", "Scope"}),
    )),
    CmdletSpec("New-PSDrive", _PSREF + "Microsoft.PowerShell.Management/New-PSDrive.md", (
        _ps_set("All", {"Name", "PSProvider", "Root"},
                {"Description", "Scope", "Persist", "Credential", "WhatIf", "Confirm"}),
    )),
    CmdletSpec("Push-Location", _PSREF + "Microsoft.PowerShell.Management/Push-Location.md", (
        _ps_set("Path", set(), {"Path", "PassThru", "StackName"}),
        _ps_set("LiteralPath", {"LiteralPath"}, {"PassThru", "StackName"}),
    )),
    CmdletSpec("Pop-Location", _PSREF + "Microsoft.PowerShell.Management/Pop-Location.md", (
        _ps_set("All", set(), {"PassThru", "StackName"}),
    )),
    CmdletSpec("Test-Path", _PSREF + "Microsoft.PowerShell.Management/Test-Path.md", (
        _ps_set("LiteralPath", {"LiteralPath"}, {"PathType", "IsValid", "Filter", "Include", "Exclude", "Credential"}),
    )),
    CmdletSpec("Join-Path", _PSREF + "Microsoft.PowerShell.Management/Join-Path.md", (
        _ps_set("All", {"Path", "ChildPath"}, {"AdditionalChildPath", "Resolve", "Credential"}),
    )),
    CmdletSpec("Read-Host", _PSREF + "Microsoft.PowerShell.Utility/Read-Host.md", (
        _ps_set("All", set(), {"Prompt", "AsSecureString"}),
    )),
    CmdletSpec("Write-Host", _PSREF + "Microsoft.PowerShell.Utility/Write-Host.md", (
        _ps_set("All", set(), {"Object", "NoNewline", "Separator", "ForegroundColor", "BackgroundColor"}),
    )),
    CmdletSpec("Out-Null", _PSREF + "Microsoft.PowerShell.Core/Out-Null.md", (
        _ps_set("All", set(), {"InputObject"}),
    )),
    CmdletSpec("Where-Object", _PSREF + "Microsoft.PowerShell.Core/Where-Object.md", (
        _ps_set("ScriptBlockSet", set(), {"FilterScript", "InputObject"}),
    )),
    CmdletSpec("ForEach-Object", _PSREF + "Microsoft.PowerShell.Core/ForEach-Object.md", (
        _ps_set("ScriptBlockSet", set(), {"Process", "Begin", "End", "InputObject"}),
    )),
    CmdletSpec("Write-Warning", _PSREF + "Microsoft.PowerShell.Utility/Write-Warning.md", (
        _ps_set("All", set(), {"Message"}),
    )),
]}


def spec_for(cmdlet: str) -> CmdletSpec | None:
    """The spec of ``cmdlet`` (case-insensitive, as PowerShell resolves names)."""
    lowered = cmdlet.lower()
    return next((spec for name, spec in CMDLETS.items() if name.lower() == lowered), None)
