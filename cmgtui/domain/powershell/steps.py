"""Steps 1-8 of the generated script, in the seed article's order.

Each step looks for the object it would create and skips it when present, and wraps every
change in ``$PSCmdlet.ShouldProcess`` so ``-WhatIf`` previews the run. Secrets are read with
``Read-Host -AsSecureString`` inside the step that needs them, so -WhatIf never asks.
"""

from __future__ import annotations

from cmgtui.domain.azure.sizing import VMSS_GA_VERSION
from cmgtui.domain.powershell.plan import TENANT_ID_VERSION, VMSS_VM_SIZE_VERSION, ScriptInputs
from cmgtui.domain.powershell.prelude import IND, command
from cmgtui.domain.powershell.quoting import ps_bool
from cmgtui.model.enums import AzureEnvironment, ClientAuthMethod

_CERT_STORE = "[Microsoft.ConfigurationManagement.AdminConsole.AzureServices.CertificateStore]"
#: New-CMAADServerApplication -SecretKeyExpiry values for the plan's secret lifetime.
_SECRET_PERIOD = {12: "OneYear", 24: "TwoYears"}


def skip(indent: str, what: str) -> str:
    """A ``Write-Host`` line saying a step found its object and did nothing."""
    return f"{indent}Write-Host -Object ({what})"


def apps(x: ScriptInputs) -> list[str]:
    """Steps 1-3: the server and client apps, imported or created, then read back."""
    env = x.environment.value
    if x.imports_apps:
        server_find = "Get-CMAADApplication -TenantId $TenantId -AppType ServerApplication -ClientId $ServerAppClientId"
        client_find = "Get-CMAADApplication -TenantId $TenantId -AppType ClientApplication -ClientId $ClientAppClientId"
        server_make = [
            f"{IND}{IND}$secretKey = Read-Host -Prompt 'Server app client secret (value, not the ID)' -AsSecureString",
            *command(IND * 2, "$serverApp = ", "Import-CMAADServerApplication", [
                ("TenantName", "$TenantName"), ("TenantId", "$TenantId"), ("AppName", "$ServerAppName"),
                ("ClientId", "$ServerAppClientId"), ("SecretKey", "$secretKey"),
                ("SecretKeyExpiry", "$ServerAppSecretExpiry"), ("AppIdUri", "$ServerAppIdUri"),
                ("AzureEnvironmentOption", env)]),
        ]
        client_make = command(IND * 2, "$clientApp = ", "Import-CMAADClientApplication", [
            ("ServerApp", "$serverApp"), ("AppName", "$ClientAppName"), ("ClientId", "$ClientAppClientId")])
        intro1 = ["# Step 1: import the server (web) app that an Azure administrator registered in",
                  "# Microsoft Entra ID. Its secret is asked for here and stored encrypted by the site;",
                  "# the site does not warn before an imported secret expires, so track the date."]
        intro2 = ["# Step 2: import the client (native) app, linked to the server app's tenant."]
        verb1, verb2 = "Import the server app", "Import the client app"
    else:
        server_find = "Get-CMAADApplication -TenantId $TenantId -AppType ServerApplication -AppName $ServerAppName"
        client_find = "Get-CMAADApplication -TenantId $TenantId -AppType ClientApplication -AppName $ClientAppName"
        period = _SECRET_PERIOD.get(x.secret_lifetime_months, "OneYear")
        server_make = command(IND * 2, "$serverApp = ", "New-CMAADServerApplication", [
            ("AppName", "$ServerAppName"), ("AzureEnvironmentOption", env), ("SecretKeyExpiry", period)])
        client_make = command(IND * 2, "$clientApp = ", "New-CMAADClientApplication", [
            ("AppName", "$ClientAppName"), ("InputObject", "$serverApp")])
        intro1 = ["# Step 1: Configuration Manager registers the server (web) app in Microsoft Entra ID",
                  "# and keeps its secret (it warns in the console before the secret expires). A",
                  "# sign-in window opens: sign in as a Global Administrator of the tenant."]
        intro2 = ["# Step 2: Configuration Manager registers the client (native) app for the server app."]
        verb1, verb2 = "Create the server app in Microsoft Entra ID", "Create the client app in Microsoft Entra ID"
    return [
        *intro1,
        f"$serverApp = {server_find}",
        "if ($serverApp) {",
        skip(IND, "'Step 1 skipped: the server app {0} is already in the site.' -f $ServerAppName"),
        f"}} elseif ($PSCmdlet.ShouldProcess($ServerAppName, '{verb1}')) {{",
        *[line[len(IND):] for line in server_make],
        "}",
        "",
        *intro2,
        f"$clientApp = {client_find}",
        "if ($clientApp) {",
        skip(IND, "'Step 2 skipped: the client app {0} is already in the site.' -f $ClientAppName"),
        f"}} elseif ($PSCmdlet.ShouldProcess($ClientAppName, '{verb2}')) {{",
        *[line[len(IND):] for line in client_make],
        "}",
        "",
        "# Step 3: read both apps back as the site stored them; the Azure service needs them.",
        f"$serverApp = {server_find}",
        f"$clientApp = {client_find}",
        "if ((-not $serverApp -or -not $clientApp) -and -not $WhatIfPreference) {",
        f"{IND}throw 'The site does not list both Microsoft Entra apps; see the messages above.'",
        "}",
    ]


def azure_service(x: ScriptInputs) -> list[str]:
    """Step 4: the Cloud Management Azure service that binds tenant and apps."""
    args: list[tuple[str, str | None]] = [
        ("Name", "$AzureServiceName"), ("ServerApp", "$serverApp"), ("ClientApp", "$clientApp"),
        ("AzureEnvironmentOption", x.environment.value)]
    if x.user_discovery:
        args.append(("EnableUserDiscovery", "$true"))
    comment = ("# Microsoft Entra user discovery is turned on (hybrid identities need it)."
               if x.user_discovery else "# Microsoft Entra user discovery stays off (not chosen in the plan).")
    return [
        "# Step 4: create the Azure service for Cloud Management that ties the tenant and apps",
        "# to the site (Administration > Cloud Services > Azure Services).",
        comment,
        "if (Get-CMAzureService -Name $AzureServiceName -DisableWildcardHandling) {",
        skip(IND, "'Step 4 skipped: the Azure service {0} exists.' -f $AzureServiceName"),
        "} elseif ($PSCmdlet.ShouldProcess($AzureServiceName, 'Create the Cloud Management Azure service')) {",
        *command(IND, "", "New-CMCloudManagementAzureService", args),
        "}",
    ]


def _gateway_comments(x: ScriptInputs) -> list[str]:
    rg = ("# The resource group exists already; it must be in the same region as the CMG."
          if x.use_existing_resource_group else
          "# The resource group does not exist yet; the site creates it in the CMG's region.")
    lines = [
        "# Step 5: create the CMG in Azure. This uses the Non-Interactive parameter set: the site",
        "# deploys with the server app (-ServerAppClientId) instead of an interactive sign-in,",
        "# so -IsUsingExistingGroup (Interactive set only) is not used.",
        rg,
    ]
    if x.environment is AzureEnvironment.US_GOVERNMENT:
        lines.append("# Azure US Government: a VM scale set CMG there needs version 2111 or later.")
    if x.site_version >= TENANT_ID_VERSION:
        lines.append("# -TenantId (2309 and later) names the tenant of the server app.")
    else:
        lines.append(f"# Version {x.site_version} predates -TenantId (2309), so it is not passed.")
    if x.site_version < VMSS_GA_VERSION:
        lines.append(f"# Version {x.site_version} has no VM size choice (2107): the CMG gets Standard (A2_v2).")
    elif x.site_version < VMSS_VM_SIZE_VERSION:
        lines.append(f"# Version {x.site_version} has no -VMSSVMSize (2207): the CMG gets the default size;")
        lines.append("# change it afterwards on the Settings tab of the CMG properties if the plan needs another.")
    if x.traffic_enabled and x.traffic_suggested:
        lines.append(f"# -TrafficOutGB {x.traffic_gb}: cmgtui's suggested 14-day outbound data threshold for "
                     f"{x.traffic_clients:,} clients")
        lines.append("# (Part 4's Cost usage at no less than cmg/cost.md's 300 MB a client a month, over 14 days).")
    if x.uses_pki:
        lines.append("# PKI clients: the trusted root and intermediate CAs of their certificates are uploaded.")
    else:
        lines.append("# No client uses PKI certificates, so no trusted CA certificates are uploaded.")
    return lines


def gateway(x: ScriptInputs) -> list[str]:
    """Step 5: New-CMCloudManagementGateway with the profile's settings."""
    args: list[tuple[str, str | None]] = [
        ("ServiceCertPath", "$ServiceCertPath"), ("ServiceCertPassword", "$pfxPassword"),
        ("ServiceName", "$ServiceName"), ("EnvironmentSetting", x.environment.value),
    ]
    if x.site_version >= TENANT_ID_VERSION:
        args.append(("TenantId", "$TenantId"))
    args += [
        ("SubscriptionId", "$SubscriptionId"), ("ServerAppClientId", "$cmgServerAppId"),
        ("GroupName", "$ResourceGroupName"), ("Region", "$regionValue"),
        ("VMInstanceCount", "$VMInstanceCount"),
    ]
    if x.description:
        args.append(("Description", "$Description"))
    if x.uses_pki:
        args += [("CARootCert", "$trustedCertificates"), ("CheckClientCertRevocation", ps_bool(x.check_revocation))]
    args += [("EnforceProtocol", ps_bool(x.enforce_tls12)), ("EnableCloudDPFunction", ps_bool(x.content_enabled)),
             ("EnableTrafficOut", ps_bool(x.traffic_enabled))]
    if x.traffic_enabled and x.traffic_gb is not None:
        args += [("TrafficOutGB", str(x.traffic_gb)), ("TrafficWarningPct", str(x.traffic_warning)),
                 ("TrafficCriticalPct", str(x.traffic_critical)),
                 ("TrafficOutStopService", ps_bool(x.traffic_stop))]
    args.append(("EnableStorageQuota", ps_bool(x.storage_enabled)))
    if x.storage_enabled and x.storage_gb is not None:
        args += [("StorageQuotaGB", str(x.storage_gb)), ("StorageWarningPct", str(x.storage_warning)),
                 ("StorageCriticalPct", str(x.storage_critical))]
    call = command(IND, "", "New-CMCloudManagementGateway", args)
    if x.site_version >= VMSS_VM_SIZE_VERSION:
        call[-1] += " `"
        call.append(f"{IND}{IND}@vmSizeParameter")
    client_id = ("$cmgServerAppId = $ServerAppClientId" if x.imports_apps
                 else "$cmgServerAppId = if ($serverApp) { $serverApp.ClientID } else { '' }")
    lines = [*_gateway_comments(x), client_id]
    if x.uses_pki:
        lines += [
            "$trustedCertificates = @{}",
            f"foreach ($certPath in $TrustedRootCertPaths) {{ $trustedCertificates[$certPath] = {_CERT_STORE}::RootCA }}",
            f"foreach ($certPath in $TrustedIntermediateCertPaths) {{ $trustedCertificates[$certPath] = {_CERT_STORE}::IntermediateCA }}",
        ]
    lines += [
        "if ($cmgExists) {",
        skip(IND, "'Step 5 skipped: the CMG {0} exists.' -f $ServiceName"),
        "} elseif ($PSCmdlet.ShouldProcess($ServiceName, 'Create the cloud management gateway in Azure')) {",
        f"{IND}$pfxPassword = Read-Host -Prompt ('Password of {{0}}' -f $ServiceCertPath) -AsSecureString",
        *call,
        f"{IND}Write-Host -Object 'Provisioning runs in the background: watch the Status column and CloudMgr.log.'",
        "}",
    ]
    return lines


def connection_points(x: ScriptInputs) -> list[str]:
    """Step 6: one CMG connection point per listed server (ByName set); below a CAS, at the
    primary site each server belongs to (plan-hierarchy-design.md: "If that's a CAS, then
    create CMG connection points at child primary sites")."""
    if x.connection_point_sites:
        return _primary_connection_points()
    return [
        "# Step 6: add the CMG connection point role on each listed site system server. Plan one",
        "# per four VM instances and at least two for high availability.",
        "foreach ($server in $ConnectionPointServers) {",
        f"{IND}if (Get-CMCloudManagementGatewayConnectionPoint -SiteSystemServerName $server -SiteCode $SiteCode -DisableWildcardHandling) {{",
        skip(IND * 2, "'Step 6 skipped: {0} already has the CMG connection point role.' -f $server"),
        f"{IND}}} elseif ($PSCmdlet.ShouldProcess($server, 'Add the CMG connection point role')) {{",
        *command(IND * 2, "", "Add-CMCloudManagementGatewayConnectionPoint", [
            ("CloudManagementGatewayName", "$ServiceName"), ("SiteSystemServerName", "$server"),
            ("SiteCode", "$SiteCode")]),
        f"{IND}}}",
        "}",
    ]


def _primary_connection_points() -> list[str]:
    """Step 6 in a hierarchy: the connection point of each primary site, on its own server."""
    return [
        "# Step 6: add the CMG connection point role at each primary site whose clients use the",
        "# CMG, on the server named for that site. The CMG forwards a client's requests to the",
        "# connection point of the primary site the client is assigned to.",
        "for ($index = 0; $index -lt @($ConnectionPointServers).Count; $index++) {",
        f"{IND}$server = @($ConnectionPointServers)[$index]",
        f"{IND}$primarySite = @($ConnectionPointSites)[$index]",
        f"{IND}if (Get-CMCloudManagementGatewayConnectionPoint -SiteSystemServerName $server -SiteCode $primarySite -DisableWildcardHandling) {{",
        skip(IND * 2, "'Step 6 skipped: {0} already has the CMG connection point role of site {1}.' -f $server, $primarySite"),
        f"{IND}}} elseif ($PSCmdlet.ShouldProcess(('{{0}} (site {{1}})' -f $server, $primarySite), 'Add the CMG connection point role')) {{",
        *command(IND * 2, "", "Add-CMCloudManagementGatewayConnectionPoint", [
            ("CloudManagementGatewayName", "$ServiceName"), ("SiteSystemServerName", "$server"),
            ("SiteCode", "$primarySite")]),
        f"{IND}}}",
        "}",
    ]


def roles(x: ScriptInputs) -> list[str]:
    """Step 7: allow CMG traffic on the management points and software update points.

    Below a CAS they belong to the primary sites, so they are looked up in every site.
    """
    where = "-AllSite" if x.connection_point_sites else "-SiteCode $SiteCode"
    site = "any site" if x.connection_point_sites else "site {1}"
    return [
        "# Step 7: allow CMG traffic on the management points and software update points that",
        "# serve internet clients (Client Connections: 'Allow Configuration Manager cloud",
        "# management gateway traffic'). Setting it again leaves it on, so this step is safe to repeat.",
        "foreach ($server in $ManagementPoints) {",
        f"{IND}$managementPoint = Get-CMManagementPoint -SiteSystemServerName $server {where} -DisableWildcardHandling",
        f"{IND}if (-not $managementPoint) {{",
        f"{IND}{IND}Write-Warning -Message ('Step 7: {{0}} is not a management point of {site}; skipped.' -f $server, $SiteCode)",
        f"{IND}}} elseif ($PSCmdlet.ShouldProcess($server, 'Allow CMG traffic on the management point')) {{",
        f"{IND}{IND}Set-CMManagementPoint -InputObject $managementPoint -EnableCloudGateway $true",
        f"{IND}}}",
        "}",
        "foreach ($server in $SoftwareUpdatePoints) {",
        f"{IND}$updatePoint = Get-CMSoftwareUpdatePoint -SiteSystemServerName $server {where} -DisableWildcardHandling",
        f"{IND}if (-not $updatePoint) {{",
        f"{IND}{IND}Write-Warning -Message ('Step 7: {{0}} is not a software update point of {site}; skipped.' -f $server, $SiteCode)",
        f"{IND}}} elseif ($PSCmdlet.ShouldProcess($server, 'Allow CMG traffic on the software update point')) {{",
        f"{IND}{IND}Set-CMSoftwareUpdatePoint -InputObject $updatePoint -EnableCloudGateway $true",
        f"{IND}}}",
        "}",
    ]


def client_settings(x: ScriptInputs) -> list[str]:
    """Step 8 (optional): the Cloud Services client settings, only when asked for."""
    args: list[tuple[str, str | None]] = [
        ("AllowCloudManagementGateway", "$true"), ("AllowCloudDistributionPoint", "$true")]
    if ClientAuthMethod.ENTRA in x.methods:
        args.append(("AutoAzureADJoin", "$true"))
    named = command(IND * 2, "", "Set-CMClientSettingCloudService", [("Name", "$ClientSettingName"), *args])
    default = command(IND, "", "Set-CMClientSettingCloudService", [("DefaultSetting", None), *args])
    return [
        "# Step 8 (optional): client settings, Cloud Services group: 'Enable clients to use a cloud",
        "# management gateway' and 'Allow access to cloud distribution point'"
        + (", plus automatic" if ClientAuthMethod.ENTRA in x.methods else "."),
        *(["# registration of domain-joined devices with Microsoft Entra ID (hybrid join)."]
          if ClientAuthMethod.ENTRA in x.methods else []),
        "# Pass -ClientSettingName for a custom device setting (deploy it to a device collection),",
        "# or -UpdateDefaultClientSettings to change the default settings for every device.",
        "if ($ClientSettingName) {",
        f"{IND}if (-not (Get-CMClientSetting -Name $ClientSettingName -DisableWildcardHandling)) {{",
        f"{IND}{IND}Write-Warning -Message ('Step 8: there are no client settings named {{0}}; skipped.' -f $ClientSettingName)",
        f"{IND}}} elseif ($PSCmdlet.ShouldProcess($ClientSettingName, 'Turn on the CMG client settings')) {{",
        *named,
        f"{IND}}}",
        "} elseif ($UpdateDefaultClientSettings) {",
        f"{IND}if ($PSCmdlet.ShouldProcess('Default Client Settings', 'Turn on the CMG client settings')) {{",
        *[IND + line for line in default],
        f"{IND}}}",
        "} else {",
        skip(IND, "'Step 8 skipped: no client settings named (use -ClientSettingName or -UpdateDefaultClientSettings).'"),
        "}",
    ]
