"""Signatures of the site-server side: cloud services manager, the connection point, the CMG VMs, the console.

CloudMgr.log, SMS_Cloud_ProxyConnector.log and the synced CMG logs are written in the site-server
format (``text $$<Component><stamp><thread=…>``); SMSAdminUI.log is the console's log. Each
signature quotes, in its test, the line its ``source`` shows.
"""

from __future__ import annotations

import re

from cmgtui.domain.logs import fixes, sources
from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.signature import Area, Evidence, Severity, Signature, patterns

_NAMESPACE = re.compile(r"namespace '?([A-Za-z][A-Za-z0-9]*\.[A-Za-z0-9.]+)")
_HTTP_STATUS = re.compile(r"error: \((\d{3})\) ([^.~\r\n]+)")


def _named_provider(entry: LogEntry) -> str:
    found = _NAMESPACE.search(entry.message)
    return f"This entry names {found.group(1).rstrip('.')}." if found else ""


def _http_status(entry: LogEntry) -> str:
    found = _HTTP_STATUS.search(entry.message)
    return f"The CMG answered ({found.group(1)}) {found.group(2).strip()}." if found else ""


def _connection_point_channel(f: ProfileFacts) -> str:
    return (f"Normal for about 10 minutes after the CMG is provisioned or the connection point is added. If it "
            f"goes on: check that the connection point server reaches {fixes.cmg_fqdn(f)} on TCP 443 (one VM "
            "instance) or 10124 and up (one port per instance from two instances), that no proxy or TLS "
            "inspection sits on that path, and that the CMG shows Ready in the console.")


SERVER_SIGNATURES: tuple[Signature, ...] = (
    Signature(
        id="LOG-CLOUDMGR-DEPLOYMENT-MAINTENANCE",
        logs=("CloudMgr",),
        severity=Severity.WARN,
        title="Deployment Maintenance task failed (DeploymentFailed)",
        meaning="Cloud services manager's maintenance of the CMG's Azure resources failed with Resource "
                "Manager's DeploymentFailed; since the 2503 rollup CloudMgr.log leaves out the inner error. "
                "After the 2503 update rollup it is usually the public IP's availability zone.",
        fix=fixes.public_ip_2503,
        source=sources.PUBLIC_IP_2503,
        patterns=patterns(r"Task \[Deployment Maintenance for service [^\]]*\] has failed[\s\S]*DeploymentFailed"),
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CLOUDMGR-ARM-EXCEPTION",
        logs=("CloudMgr",),
        severity=Severity.INFO,
        title="Resource Manager deployment exception (detail of a failed task)",
        meaning="The exception behind a failed CMG task: a Resource Manager deployment (here one that "
                "creates or updates a resource) failed; the task's own failure entry follows.",
        fix=lambda f: ("The 'has failed' entry of the task says what to do; the inner error is in the "
                       f"deployment operations of {fixes.resource_group(f)} in the Azure portal."),
        source=sources.PUBLIC_IP_2503,
        patterns=patterns(r"Exception occured for service [\s\S]*ErrorCode: DeploymentFailed"),
    ),
    Signature(
        id="LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="Azure resource provider not registered",
        meaning="Azure Resource Manager refused the deployment because the subscription isn't registered "
                "for a resource provider the CMG needs.",
        fix=lambda f: (f"Register the provider named in the entry (a scale set CMG needs Microsoft.Compute, "
                       f"Microsoft.Network, Microsoft.Storage and Microsoft.KeyVault) in {f.subscription}: Azure "
                       "portal > Subscriptions > Resource providers > Register, or run 'cmgtui check'; then "
                       "redeploy."),
        source=sources.AZURE_AD_SETUP + "; " + sources.ARM_PROVIDER_ERROR,
        patterns=patterns(r"MissingSubscriptionRegistration", r"NoRegisteredProviderFound",
                          r"is not registered to use namespace"),
        detail=_named_provider,
        evidence=Evidence.AZURE_MESSAGE,
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CLOUDMGR-VAULT-SOFT-DELETED",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="A soft-deleted key vault of the same name blocks the deployment",
        meaning="A CMG of this name was deleted and recreated: its key vault still exists in deleted state "
                "(soft delete) and keeps the name.",
        fix=lambda f: (f"Purge the deleted key vault named after {f.named(f.service_name, 'the CMG service name')} (Azure portal > Key vaults > Manage "
                       "deleted vaults > Purge, or 'az keyvault purge --name <vault>'), or recover it, then "
                       "redeploy. If purge protection is on, wait for the retention period or use another "
                       "service name."),
        source=sources.KEY_VAULT_DELETED + "; " + sources.KEY_VAULT_CODES,
        patterns=patterns(r"already exists in deleted state"),
        evidence=Evidence.AZURE_MESSAGE,
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CLOUDMGR-NAME-IN-USE",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="A CMG resource name is already taken in Azure",
        meaning="The key vault named after the CMG service is in use by another vault, or by one recently "
                "deleted and not purged (vault names are global).",
        fix=lambda f: (f"Choose another service name than {f.named(f.service_name, 'the current one')}, or purge "
                       "the soft-deleted key vault of that name, then redeploy; 'cmgtui check' runs the name "
                       "availability checks."),
        source=sources.VAULT_NAME_IN_USE + "; " + sources.KEY_VAULT_CODES,
        patterns=patterns(r"The vault name '[^']*' is already in use", r"\bVaultAlreadyExists\b"),
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CLOUDMGR-AUTHORIZATION-FAILED",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="The server app may not deploy in the CMG's resource group",
        meaning="Azure Resource Manager answered AuthorizationFailed: the server app the site deploys with "
                "lacks the role the deployment needs at that scope.",
        fix=fixes.contributor_on_group,
        source=sources.CONTRIBUTOR_1810 + "; " + sources.ARM_PROVIDER_ERROR,
        patterns=patterns(r"\bAuthorizationFailed\b"),
        evidence=Evidence.AZURE_MESSAGE,
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CLOUDMGR-SUBSCRIPTION-NOT-FOUND",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="Azure subscription not found",
        meaning="Azure Resource Manager doesn't find the subscription the CMG is deployed to (wrong ID, "
                "other tenant, or disabled).",
        fix=lambda f: (f"Check that {f.subscription} exists, is enabled and belongs to tenant "
                       f"{f.named(f.tenant_id, '<tenant ID of the server app>')}."),
        source=sources.ARM_COMMON_ERRORS,
        patterns=patterns(r"\bSubscriptionNotFound\b"),
        evidence=Evidence.ERROR_CODE,
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CP-BUILD-CONNECTION-FAILED",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.WARN,
        title="Connection point can't build its connection to the CMG",
        meaning="The connection point's channel to the CMG service wasn't set up. For about 10 minutes after "
                "provisioning this is expected; after that, clients can't reach the site through the CMG.",
        fix=_connection_point_channel,
        source=sources.BLOG_CMG_CONNECTED + "; " + sources.LAB_CMG_WORKSHOP,
        patterns=patterns(r"Failed to build Http connection \S+ with server \S+:\d+"),
        detail=_http_status,
        area=Area.CONNECTION_POINT,
        settles_within=10,
    ),
    Signature(
        id="LOG-CP-MISSING-ROLE-CERT",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.WARN,
        title="Connection point has no role certificate yet",
        meaning="The connection point hasn't got its 'Cloud Proxy Connector' certificate from the site (SMS "
                "certificate store) and retries every minute; until it has one it stays disconnected.",
        fix=lambda f: ("Check that the site system is healthy and receives its certificates from "
                       f"{fixes.site(f)} (the 'Cloud Proxy Connector' certificate appears under SMS > Certificates "
                       "on the server); an admin saw it arrive only after a management point role was installed "
                       "on the same server."),
        source=sources.ROLE_CERTIFICATE,
        patterns=patterns(r"missing role certificate\. reload in next cycle"),
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CP-CLIENTCERT-REQUIRED",
        logs=("LocationServices", "SMS_Cloud_ProxyConnector"),
        severity=Severity.FAIL,
        title="403 CMGConnector_Clientcertificaterequired",
        meaning="The management point (HTTPS) wants a client authentication certificate from the connection "
                "point, which has none it can use (missing, invalid, or its CRL can't be checked).",
        fix=lambda f: ("Give the CMG connection point server a client authentication certificate from your PKI "
                       "(unique subject per computer), then check 'Filtered cert count with client auth' in "
                       "SMS_Cloud_ProxyConnector.log with VerboseLogging=1 under "
                       "HKLM\\SOFTWARE\\MICROSOFT\\SMS\\SMS_CLOUD_PROXYCONNECTOR. If it has one, make its CRL "
                       "reachable from that server."),
        source=sources.CMG_COMMUNICATION + "; " + sources.COMANAGE_BOOTSTRAP,
        patterns=patterns(r"CMGConnector_Clientcertificaterequired"),
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CP-NO-CLIENT-AUTH-CERT",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.FAIL,
        title="No client authentication certificate on the connection point",
        meaning="Verbose logging shows that none of the connection point server's certificates qualifies "
                "for client authentication.",
        fix=lambda f: ("Enroll a client authentication certificate (with private key, from a root CA the site "
                       "trusts) in the computer store of the CMG connection point server, then restart "
                       "SMS_EXECUTIVE."),
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"Filtered cert count with client auth:\s*0\b"),
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CP-CRL-OFFLINE",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.WARN,
        title="Connection point can't check certificate revocation",
        meaning="Building the chain of the connection point's client certificate failed because the "
                "revocation server was offline.",
        fix=lambda f: ("Make the CRL distribution points of that certificate reachable from the CMG connection "
                       "point server; only if that can't work, disable CRL checking for CMG connection points."),
        source=sources.COMANAGE_BOOTSTRAP,
        patterns=patterns(r"Chain \d+ status:\s*OfflineRevocation"),
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CAPI2-REVOCATION-OFFLINE",
        logs=("CAPI2",),
        severity=Severity.WARN,
        title="Revocation server offline (0x80092013)",
        meaning="Windows couldn't check a certificate's revocation; on the connection point server this "
                "makes its client certificate unusable (403 CMGConnector_Clientcertificaterequired).",
        fix=lambda f: ("Make the CRL distribution point of the certificate reachable from that server (proxy, "
                       "firewall, DNS), then restart SMS_EXECUTIVE."),
        source=sources.COMANAGE_BOOTSTRAP,
        patterns=patterns(r"unable to check revocation because the revocation server was offline",
                          r"\b(?:0x)?80092013\b"),
        evidence=Evidence.EVENT_TEXT,
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CP-FORBIDDEN",
        logs=("LocationServices", "SMS_Cloud_ProxyConnector"),
        severity=Severity.FAIL,
        title="403 CMGConnector_Forbidden",
        meaning="The IIS 443 binding of the management point doesn't match its mode (left over from HTTPS "
                "after a move to enhanced HTTP, or an expired or revoked certificate).",
        fix=lambda f: ("On the management point, open IIS Manager > Default Web Site > Bindings, edit the 443 "
                       "binding and choose the SMS Role SSL certificate (enhanced HTTP) or a valid PKI server "
                       "authentication certificate (HTTPS)."),
        source=sources.CMG_COMMUNICATION,
        patterns=patterns(r"CMGConnector_Forbidden"),
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CP-INBOX-ACCESS",
        logs=("mpfdm",),
        severity=Severity.WARN,
        title="Connection point shows as disconnected: MP can't reach the site inboxes",
        meaning="The remote site system that hosts the connection point can't move its traffic state "
                "messages into the primary site's inboxes.",
        fix=lambda f: ("Add the computer account of the remote site system to the local Administrators group "
                       f"on the site server of {fixes.site(f)}."),
        source=sources.COMANAGE_BOOTSTRAP,
        patterns=patterns(r"Cannot connect to the inbox source"),
        area=Area.CONNECTION_POINT,
    ),
    Signature(
        id="LOG-CMGCONTENT-TLS12",
        logs=("CMGContentService",),
        severity=Severity.FAIL,
        title="Content-enabled CMG can't read its storage over TLS 1.2",
        meaning="The CMG's content service and Azure storage found no common TLS algorithm, so clients' content "
                "downloads from the CMG fail (DataTransferService.log: 'Error retrieving manifest (0x87d0027e)').",
        fix=fixes.content_tls12,
        source=sources.RELEASE_NOTES,
        patterns=patterns(r"cannot communicate, because they do not possess a common algorithm"),
        area=Area.SERVICE,
    ),
    Signature(
        id="LOG-CONSOLE-VM-SIZE-UNAVAILABLE",
        logs=("SMSAdminUI", "ConsoleMessage"),
        severity=Severity.FAIL,
        title="The VM size isn't available in the chosen region",
        meaning="The console refused to create the CMG: the selected VM size (Standard_B2s, Standard_A2_v2 "
                "or Standard_A4_v2) isn't offered to this subscription in that region.",
        fix=lambda f: (f"Choose another region than {f.named(f.region, 'the one in the message')} or another VM "
                       f"size; 'cmgtui check' lists where the sizes are offered to {f.subscription} (Compute "
                       "resource SKUs, restriction NotAvailableForSubscription)."),
        source=sources.VM_SIZE_REGION,
        patterns=patterns(r"The VM size \S+ is currently not available in the region"),
        evidence=Evidence.CONSOLE_MESSAGE,
        area=Area.DEPLOYMENT,
    ),
    Signature(
        id="LOG-CONSOLE-MSAL-UI-REQUIRED",
        logs=("SMSAdminUI",),
        severity=Severity.FAIL,
        title="Console sign-in fails: MsalUiRequiredException",
        meaning="The console couldn't get a Microsoft Graph token while creating the CMG and closed after "
                "sign-in (known issue in versions 2111, 2203 and 2207).",
        fix=fixes.console_sign_in,
        source=sources.CONSOLE_SIGN_IN,
        patterns=patterns(r"MsalUiRequiredException"),
        evidence=Evidence.ERROR_CODE,
        area=Area.SIGN_IN,
    ),
    Signature(
        id="LOG-CONSOLE-TLS12",
        logs=("SMSAdminUI",),
        severity=Severity.FAIL,
        title="Console can't reach Azure: TLS 1.2",
        meaning="The console's connection to Entra ID or Azure was closed during the TLS handshake: the "
                "computer running the console doesn't use TLS 1.2 in the .NET Framework.",
        fix=lambda f: ("On the computer running the console, update the .NET Framework and enable strong "
                       "cryptography (SchUseStrongCrypto and SystemDefaultTlsVersions), restart it, then sign in "
                       "again."),
        source=sources.TLS_TROUBLESHOOT,
        patterns=patterns(r"The underlying connection was closed: An unexpected error occurred on a receive"),
        area=Area.SIGN_IN,
    ),
    Signature(
        id="LOG-ENTRA-AADSTS",
        logs=("SMSAdminUI", "CloudMgr", "CcmAad", "ADALOperationProvider"),
        severity=Severity.WARN,
        title="Microsoft Entra sign-in error (AADSTS)",
        meaning="Entra ID refused a sign-in or token request; the AADSTS number names the reason.",
        fix=fixes.entra_sign_in,
        source=sources.ENTRA_ERROR_CODES,
        patterns=patterns(r"\bAADSTS\d{5,7}\b"),
        evidence=Evidence.ERROR_CODE,
        area=Area.SIGN_IN,
    ),
    Signature(
        id="LOG-CMGSETUP-PHASE2",
        logs=("CMGSetup",),
        severity=Severity.INFO,
        title="Second deployment phase (in Azure) starts",
        meaning="The first entry of a CMGSetup.log: the CMG VM (role instance in the file name) begins the "
                "second phase of the deployment, after CloudMgr.log's Azure deployment.",
        fix=lambda f: ("Nothing to fix: a timeline marker. Synced CMG logs reach the site server's Logs folder "
                       "up to 10 minutes late, so the last entries may still be missing."),
        source=sources.LOGS_CMG,
        first_entry_only=True,
    ),
    Signature(
        id="LOG-CMGSETUP-ERROR",
        logs=("CMGSetup",),
        severity=Severity.WARN,
        title="Error entry in CMGSetup.log (in-Azure deployment phase)",
        meaning="CMGSetup.log records the second phase of the deployment, on the CMG VMs in Azure; an error "
                "entry there that no specific signature explains.",
        fix=lambda f: ("Read the entry with the ones before it. Synced logs arrive up to 10 minutes late; raise "
                       "the CMG's trace level to Verbose for more detail."),
        source=sources.LOGS_CMG,
        error_entries_only=True,
        evidence=Evidence.CATCH_ALL,
        area=Area.SERVICE,
    ),
    Signature(
        id="LOG-CLOUDMGR-ERROR",
        logs=("CloudMgr",),
        severity=Severity.WARN,
        title="Error entry in CloudMgr.log",
        meaning="Cloud services manager logged an error while deploying or monitoring the CMG that no more "
                "specific signature explains.",
        fix=lambda f: ("Read the entry with the ones around it; raise 'Logging level' under "
                       "HKLM\\SOFTWARE\\Microsoft\\SMS\\COMPONENTS\\SMS_CLOUD_SERVICES_MANAGER for more detail."),
        source=sources.LOGS_CMG,
        error_entries_only=True,
        evidence=Evidence.CATCH_ALL,
        area=Area.DEPLOYMENT,
    ),
)
