"""A read-only PowerShell check of the CMG as the site sees it, for the site server (``status --site-check``).

From a jump host cmgtui sees Azure and the service name, not what Configuration Manager thinks of
its CMG and connection point. This script, run from a console computer, reads both with two
documented cmdlets and changes nothing (only ``Get-`` cmdlets; the profile's
values reach it only as single-quoted ``param()`` defaults through :func:`ps_string`):

- ``Get-CMCloudManagementGateway -Name`` (MicrosoftDocs/sccm-docs-powershell-ref
  ``sccm-ps/ConfigurationManager/Get-CMCloudManagementGateway.md``) returns ``SMS_AzureService``,
  whose ``State`` and ``StatusDetails`` the SDK reference (memdocs ``develop/reference/core/servers/
  configure/sms_azureservice-server-wmi-class``) documents only as "Current state" and "Current
  status details": no published table maps the numbers to words. The script prints them as they
  are and sends the reader to the console's Status and Status description columns, whose texts
  are documented by example (SupportArticles-docs ``support/mem/configmgr/cloud-services/
  public-ip-creation-error.md``: "Error" with "Failed to perform maintenance", then "Ready").
- ``Get-CMCloudManagementGatewayConnectionPoint -AllSite`` (``Get-CMCloudManagementGatewayConnectionPoint.md``)
  returns the ``SMS_SCI_SysResUse`` role objects (``RoleName``, ``SiteCode``, ``NALPath`` in the SDK
  reference): none means clients can't reach the site through the CMG.

Exit codes of the script: 0 the CMG and at least one connection point exist, 1 one of them is
missing, 2 the console or site drive is not available.
"""

from __future__ import annotations

from cmgtui.domain.azure.names import effective_service_name
from cmgtui.domain.powershell.prelude import IND
from cmgtui.domain.powershell.quoting import ps_comment_text, ps_string
from cmgtui.model.profile import Profile


def site_check_script(profile: Profile) -> str:
    """The script for ``profile`` (placeholders where a value is missing, which the script refuses)."""
    site = profile.site
    service = effective_service_name(profile.certificate.service_name, profile.certificate.wildcard_prefix)

    def value(text: str) -> str:
        try:
            return ps_string(text.strip())
        except ValueError:
            return "''"  # a control character can't be a site code or name; the script asks for it

    lines = [
        "<#",
        ".SYNOPSIS",
        f"{IND}Read-only check of the cloud management gateway as the site sees it (cmgtui status --site-check).",
        ".DESCRIPTION",
        f"{IND}Profile: {ps_comment_text(profile.name)}. Run from a computer with the Configuration Manager console.",
        f"{IND}Reads Get-CMCloudManagementGateway and Get-CMCloudManagementGatewayConnectionPoint; changes nothing.",
        f"{IND}State and StatusDetails of the CMG (SMS_AzureService) are printed as numbers: the SDK reference",
        f"{IND}documents them only as 'Current state' and 'Current status details'. Their text is in the console,",
        f"{IND}Administration > Cloud Services > Cloud Management Gateway, columns Status and Status description:",
        f"{IND}'Ready' is serving; 'Error' says why in Status description (for example 'Failed to perform",
        f"{IND}maintenance'). No connection point means internet clients can't reach the site through the CMG.",
        f"{IND}Exit code: 0 the CMG and a connection point exist, 1 one is missing, 2 no console or site drive.",
        "#>",
        "[CmdletBinding()]",
        "param(",
        f"{IND}[string]$SiteCode = {value(site.site_code)},",
        f"{IND}[string]$SiteServer = {value(site.site_server)},",
        f"{IND}[string]$ServiceName = {value(service)}",
        ")",
        "$ErrorActionPreference = 'Stop'",
        "if (-not $SiteCode -or -not $SiteServer -or -not $ServiceName) {",
        f"{IND}Write-Warning 'Pass -SiteCode, -SiteServer and -ServiceName (the CMG service name).'",
        f"{IND}exit 2",
        "}",
        "try {",
        f"{IND}if (-not (Get-Module -Name ConfigurationManager)) {{",
        f"{IND}{IND}Import-Module -Name (Join-Path -Path $env:SMS_ADMIN_UI_PATH -ChildPath '..\\ConfigurationManager.psd1')",
        f"{IND}}}",
        f"{IND}if (-not (Get-PSDrive -Name $SiteCode -PSProvider CMSite -ErrorAction SilentlyContinue)) {{",
        f"{IND}{IND}New-PSDrive -Name $SiteCode -PSProvider CMSite -Root $SiteServer | Out-Null",
        f"{IND}}}",
        f"{IND}Push-Location -Path ('{{0}}:\\' -f $SiteCode)",
        "} catch {",
        f"{IND}Write-Warning ('The Configuration Manager console or site drive is not available here: {{0}}' -f $_)",
        f"{IND}exit 2",
        "}",
        "$exitCode = 0",
        "try {",
        f"{IND}$cmg = Get-CMCloudManagementGateway -Name $ServiceName -DisableWildcardHandling",
        f"{IND}if (-not $cmg) {{",
        f"{IND}{IND}Write-Host ('CMG {{0}}: not found in site {{1}}. Create it in Part 4, or check the service name.' -f $ServiceName, $SiteCode)",
        f"{IND}{IND}$exitCode = 1",
        f"{IND}}} else {{",
        f"{IND}{IND}foreach ($item in @($cmg)) {{",
        f"{IND}{IND}{IND}Write-Host ('CMG {{0}}: State {{1}}, StatusDetails {{2}}, {{3}} instance(s), region {{4}}, subscription {{5}}.' -f "
        "$item.ServiceCName, $item.State, $item.StatusDetails, $item.NumberOfInstances, $item.Region, $item.SubscriptionID)",
        f"{IND}{IND}}}",
        f"{IND}{IND}Write-Host 'Read State and StatusDetails as text in the console: Cloud Management Gateway node, Status and Status description.'",
        f"{IND}}}",
        f"{IND}$points = @(Get-CMCloudManagementGatewayConnectionPoint -AllSite)",
        f"{IND}if ($points.Count -eq 0) {{",
        f"{IND}{IND}Write-Host 'CMG connection point: none in any site. Add one (Add-CMCloudManagementGatewayConnectionPoint, Part 4).'",
        f"{IND}{IND}$exitCode = 1",
        f"{IND}}}",
        f"{IND}foreach ($point in $points) {{",
        f"{IND}{IND}Write-Host ('CMG connection point: site {{0}}, {{1}} ({{2}}).' -f $point.SiteCode, $point.NALPath, $point.RoleName)",
        f"{IND}}}",
        f"{IND}Write-Host 'The connection point logs to SMS_Cloud_ProxyConnector.log on its server.'",
        "} finally {",
        f"{IND}Pop-Location",
        "}",
        "exit $exitCode",
        "",
    ]
    return "\n".join(lines)
