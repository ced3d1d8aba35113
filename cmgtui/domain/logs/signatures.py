"""The catalogue of known CMG log signatures: what a line means and how to fix it.

Every signature matches only texts or error names that a public source shows (the source is
named on each one); where a source gives only an error name, the signature matches that
name. A signature is tied to the logs it appears in (by base name); which log an entry belongs to
is decided by the component that wrote it (:mod:`cmgtui.domain.logs.components`), so an entry of
a log that is not about the CMG gets no signature at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.facts import ProfileFacts


class Severity(StrEnum):
    """How bad a finding is; ``fail`` makes ``cmgtui logs triage`` exit 1."""

    FAIL = "fail"
    WARN = "warn"
    INFO = "info"


SA = "MicrosoftDocs/SupportArticles-docs support/mem/configmgr/client-management/"
SA_COMM = SA + "cmg-communication-error.md"
SA_SIGNIN = SA + "new-cmg-creation-fails-after-sign-in-configuration-manager.md"
SA_COMANAGE = ("MicrosoftDocs/SupportArticles-docs, 'Troubleshoot co-management: Bootstrap with modern "
               "provisioning' (CMG connection point shows as disconnected; error 403)")
MEMDOCS = "MicrosoftDocs/memdocs memdocs/configmgr/"
LOGS_CMG = MEMDOCS + "core/plan-design/hierarchy/includes/logs-cmg.md"
SHEET = "cmg-domain.md §10"


@dataclass(frozen=True, slots=True)
class Signature:
    """One known log signature."""

    id: str
    logs: tuple[str, ...]
    severity: Severity
    title: str
    meaning: str
    fix: Callable[[ProfileFacts], str]
    source: str
    patterns: tuple[re.Pattern[str], ...] = field(default=())
    error_entries_only: bool = False
    #: A timeline marker: matches the first entry of each file of its logs, nothing else.
    first_entry_only: bool = False
    #: What the matched entry itself names (e.g. the provider), said before the fix.
    detail: Callable[[LogEntry], str] | None = None

    def fix_for(self, facts: ProfileFacts, entry: LogEntry) -> str:
        """The fix for this entry, filled from the profile and from the entry."""
        lead = self.detail(entry) if self.detail is not None else ""
        return f"{lead} {self.fix(facts)}" if lead else self.fix(facts)

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` shows this signature (first-entry markers are matched by triage)."""
        if self.first_entry_only:
            return False
        if self.error_entries_only and entry.entry_type != 3:
            return False
        if not self.patterns:
            return self.error_entries_only
        return any(p.search(entry.message) for p in self.patterns)


def _re(*texts: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(t, re.IGNORECASE) for t in texts)


def _certificate_cn(f: ProfileFacts) -> str:
    return (f"Make the certificate clients see have the CN {f.cmg}: open "
            f"https://{f.named(f.service_name, '<CMG FQDN>')}/CCM_Proxy_MutualAuth/ServiceMetadata in a browser "
            "and check the certificate it presents (a TLS-inspecting proxy that replaces it breaks clients).")


_NAMESPACE = re.compile(r"namespace '([A-Za-z0-9.]+)'")


def _named_provider(entry: LogEntry) -> str:
    found = _NAMESPACE.search(entry.message)
    return f"This entry names {found.group(1)}." if found else ""


def _sign_in_fix(f: ProfileFacts) -> str:
    version = f.site_version
    base = ("Install the fix for your version: 2207 hotfix rollup KB15152495; 2203 and 2111 the limited "
            "release hotfix KB15986968; 2211 and later aren't affected.")
    if version is not None and version >= 2211:
        return (f"This site is version {version}, where this known issue is fixed: sign in again in the "
                "wizard and check SMSAdminUI.log for the Entra error that follows the exception.")
    if version is not None:
        return f"This site is version {version}. " + base
    return base


CATALOGUE: tuple[Signature, ...] = (
    Signature(
        id="LOG-CP-CLIENTCERT-REQUIRED",
        logs=("LocationServices", "SMS_Cloud_ProxyConnector"),
        severity=Severity.FAIL,
        title="403 CMGConnector_Clientcertificaterequired",
        meaning="The CMG connection point has no valid client authentication certificate to forward "
                "client requests to the HTTPS management point (or can't check its revocation).",
        fix=lambda f: ("Give the CMG connection point server a client authentication certificate from your PKI "
                       "(unique subject per computer), then check 'Filtered cert count with client auth' in "
                       "SMS_Cloud_ProxyConnector.log with VerboseLogging=1 under "
                       "HKLM\\SOFTWARE\\MICROSOFT\\SMS\\SMS_CLOUD_PROXYCONNECTOR. If it has one, make its CRL "
                       "reachable from that server."),
        source=SA_COMM,
        patterns=_re(r"CMGConnector_Clientcertificaterequired"),
    ),
    Signature(
        id="LOG-CP-NO-CLIENT-AUTH-CERT",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.FAIL,
        title="No client authentication certificate on the connection point",
        meaning="Verbose logging shows that none of the connection point server's certificates "
                "qualifies for client authentication.",
        fix=lambda f: ("Enroll a client authentication certificate (with private key, from a root CA the site "
                       "trusts) in the computer store of the CMG connection point server, then restart "
                       "SMS_EXECUTIVE."),
        source=SA_COMM,
        patterns=_re(r"Filtered cert count with client auth:\s*0\b"),
    ),
    Signature(
        id="LOG-CP-CRL-OFFLINE",
        logs=("SMS_Cloud_ProxyConnector",),
        severity=Severity.WARN,
        title="Connection point can't check certificate revocation",
        meaning="Building the chain of the connection point's client certificate failed because the "
                "revocation server was offline.",
        fix=lambda f: "Make the CRL distribution points of that certificate reachable from the CMG connection point server.",
        source=SA_COMANAGE,
        patterns=_re(r"Chain \d+ status:\s*(OfflineRevocation|RevocationStatusUnknown)"),
    ),
    Signature(
        id="LOG-CP-FORBIDDEN",
        logs=("LocationServices", "SMS_Cloud_ProxyConnector"),
        severity=Severity.FAIL,
        title="403 CMGConnector_Forbidden",
        meaning="The IIS 443 binding of the management point doesn't match its mode (e.g. left over from "
                "HTTPS after a move to enhanced HTTP, or an expired or revoked certificate).",
        fix=lambda f: ("On the management point, open IIS Manager > Default Web Site > Bindings, edit the 443 "
                       "binding and choose the SMS Role SSL certificate (enhanced HTTP) or a valid PKI server "
                       "authentication certificate (HTTPS)."),
        source=SA_COMM,
        patterns=_re(r"CMGConnector_Forbidden"),
    ),
    Signature(
        id="LOG-CP-INBOX-ACCESS",
        logs=("mpfdm",),
        severity=Severity.WARN,
        title="Connection point shows as disconnected: MP can't reach the site inboxes",
        meaning="The remote site system that hosts the connection point can't move its traffic state "
                "messages into the primary site's inboxes.",
        fix=lambda f: (f"Add the computer account of the remote site system to the local Administrators group "
                       f"on the primary site server{' of site ' + f.site_code if f.site_code else ''}."),
        source=SA_COMANAGE,
        patterns=_re(r"Cannot connect to the inbox source"),
    ),
    Signature(
        id="LOG-CLIENT-WINHTTP-SECURE-FAILURE",
        logs=("LocationServices", "ccmsetup", "ClientLocation", "CcmMessaging"),
        severity=Severity.FAIL,
        title="WinHTTP 12175 (0x2f8f) secure failure",
        meaning="The client couldn't validate the CMG's server certificate (missing root CA, wrong "
                "certificate presented, or CRL not reachable).",
        fix=lambda f: (_certificate_cn(f) + " Make sure clients trust its root CA, and add /NoCRLCheck to "
                       "ccmsetup (or clear 'Clients check the CRL for site systems') when the CRL isn't "
                       "published on the internet."),
        source=SA_COMM,
        patterns=_re(r"Code=12175\b", r"ERROR_WINHTTP_SECURE_FAILURE", r"\b0x2f8f\b"),
    ),
    Signature(
        id="LOG-CLIENT-CERT-REV-FAILED",
        logs=("LocationServices", "ccmsetup", "ClientLocation", "CcmMessaging"),
        severity=Severity.WARN,
        title="Client can't check the CMG certificate's revocation",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED: the CRL isn't published on the internet and "
                "the client is made to check it.",
        fix=lambda f: ("Add /NoCRLCheck to the ccmsetup command line, or in Administration > Site "
                       f"Configuration > Sites > {f.named(f.site_code, 'the primary site')} > Properties > "
                       "Communication Security clear 'Clients check the certificate revocation list (CRL) for "
                       "site systems'."),
        source=SA_COMM,
        patterns=_re(r"WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED"),
    ),
    Signature(
        id="LOG-CLIENT-INVALID-CA",
        logs=("LocationServices", "ccmsetup", "ClientLocation", "CcmMessaging"),
        severity=Severity.FAIL,
        title="Client doesn't trust the CMG certificate's root CA",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA: the root CA of the CMG server authentication "
                "certificate is missing from the client's Trusted Root Certification Authorities store.",
        fix=lambda f: (f"Deploy the root CA of the server certificate for {f.cmg} to the client's "
                       "Trusted Root Certification Authorities store (needed even with Entra or token "
                       "authentication)."),
        source=SA_COMM,
        patterns=_re(r"WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA"),
    ),
    Signature(
        id="LOG-CLIENT-CERT-CN-INVALID",
        logs=("LocationServices", "ccmsetup", "ClientLocation", "CcmMessaging"),
        severity=Severity.FAIL,
        title="CMG certificate name doesn't match",
        meaning="WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID: the host name in the certificate common name "
                "is not the name the client connected to.",
        fix=_certificate_cn,
        source=SA_COMM,
        patterns=_re(r"WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID"),
    ),
    Signature(
        id="LOG-CLIENT-INVALID-TOKEN",
        logs=("ccmsetup", "LocationServices", "ClientLocation", "CcmMessaging", "CMGService"),
        severity=Severity.FAIL,
        title="401 CMGService_Invalid_Token",
        meaning="The client's token expired or wasn't added: it hasn't talked to the site for more than "
                "30 days, or ccmsetup used an expired /regtoken.",
        fix=lambda f: ("Connect the client to an internal management point once, or reinstall it with a new "
                       "bulk registration token (BulkRegistrationTokenTool.exe /new) passed with /regtoken."),
        source=SA_COMM,
        patterns=_re(r"CMGService_Invalid_Token"),
    ),
    Signature(
        id="LOG-STS-TOKEN-EXPIRED",
        logs=("CCM_STS",),
        severity=Severity.FAIL,
        title="Pre-auth token expired (IDX10223)",
        meaning="The management point refused the client's token because its lifetime ended.",
        fix=lambda f: "Issue a new bulk registration token and reinstall the client with /regtoken, or connect it to an internal MP.",
        source=SA_COMM,
        patterns=_re(r"IDX10223", r"PreAuth token validation failed"),
    ),
    Signature(
        id="LOG-CCMSETUP-87D0027E",
        logs=("ccmsetup", "LocationServices"),
        severity=Severity.WARN,
        title="0x87d0027e from ccmsetup or location services",
        meaning="A request to the CMG failed; with /regtoken ccmsetup reports 0x87d0027e when /mp can't be "
                "used, and location services reports it when the site signing certificate can't be "
                "refreshed (often a CRL check).",
        fix=lambda f: (f"With a bulk token, run ccmsetup again without /mp (keep CCMHOSTNAME="
                       f"{f.named(f.service_name, '<CMG>')}/CCM_Proxy_MutualAuth/<MP ID>, "
                       f"SMSSITECODE={f.named(f.site_code, '<site code>')}, SMSMP and /regtoken); otherwise "
                       "check certificate revocation on the CMG connection point."),
        source=MEMDOCS + "core/clients/deploy/deploy-clients-cmg-token.md; " + SA_COMANAGE,
        patterns=_re(r"\b0x87d0027e\b"),
    ),
    Signature(
        id="LOG-CONSOLE-MSAL-UI-REQUIRED",
        logs=("SMSAdminUI",),
        severity=Severity.FAIL,
        title="Console sign-in fails: MsalUiRequiredException",
        meaning="The console couldn't get a Microsoft Graph token while creating the CMG and closed after "
                "sign-in (known issue in versions 2111-2207).",
        fix=_sign_in_fix,
        source=SA_SIGNIN,
        patterns=_re(r"MsalUiRequiredException"),
    ),
    Signature(
        id="LOG-ENTRA-AADSTS",
        logs=("SMSAdminUI", "CloudMgr", "ADALOperationProvider"),
        severity=Severity.WARN,
        title="Microsoft Entra sign-in error (AADSTS)",
        meaning="Entra ID refused a sign-in or token request; the AADSTS number names the reason.",
        fix=lambda f: (f"Look the AADSTS code up in the Entra error-code reference; check the server app "
                       f"{f.server_app} in tenant {f.named(f.tenant_id, '<tenant ID>')}: secret not expired, "
                       "admin consent granted."),
        source="learn.microsoft.com/entra/identity-platform/reference-error-codes",
        patterns=_re(r"\bAADSTS\d{5,7}\b"),
    ),
    Signature(
        id="LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="Azure resource provider not registered",
        meaning="Azure Resource Manager refused the deployment because the subscription isn't registered "
                "for a resource provider the CMG needs.",
        fix=lambda f: (f"Register the provider named in the entry (Microsoft.Compute, Microsoft.Network, "
                       f"Microsoft.Storage, Microsoft.KeyVault for a VM scale set CMG) in "
                       f"{f.subscription}: Azure portal > Subscriptions > Resource providers > Register, or "
                       "run 'cmgtui check' for the provider check; then redeploy."),
        source=(MEMDOCS + "core/clients/manage/cmg/configure-azure-ad.md (Configure Azure resource providers); "
                "learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider"),
        patterns=_re(r"MissingSubscriptionRegistration", r"NoRegisteredProviderFound",
                     r"is not registered to use namespace"),
        detail=_named_provider,
    ),
    Signature(
        id="LOG-CLOUDMGR-NAME-IN-USE",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="A CMG resource name is already taken in Azure",
        meaning="The key vault or storage account name derived from the service name exists already "
                "(possibly soft-deleted) in Azure.",
        fix=lambda f: (f"Choose another service name than {f.named(f.service_name, 'the current one')}, or purge the soft-deleted key vault "
                       "of that name, then redeploy; 'cmgtui check' runs the name availability checks."),
        source=("learn.microsoft.com/azure/key-vault/general/common-error-codes (VaultAlreadyExists); "
                + SHEET + " (Key Vault name already in use)"),
        patterns=_re(r"VaultAlreadyExists", r"StorageAccountAlreadyTaken",
                     r"vault name .{0,120}is already in use"),
    ),
    Signature(
        id="LOG-CLOUDMGR-AUTHORIZATION-FAILED",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="The server app isn't allowed to deploy in the subscription",
        meaning="Azure Resource Manager answered AuthorizationFailed: the identity the site deploys with "
                "lacks access at the deployment scope.",
        fix=lambda f: (f"Give {f.server_app} the role the CMG needs on "
                       f"{f.subscription} (the account creating the CMG needs Owner), then redeploy."),
        source="learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors (AuthorizationFailed)",
        patterns=_re(r"\bAuthorizationFailed\b"),
    ),
    Signature(
        id="LOG-CLOUDMGR-SUBSCRIPTION-NOT-FOUND",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="Azure subscription not found",
        meaning="Azure Resource Manager doesn't find the subscription the CMG is deployed to (wrong ID, "
                "other tenant, or disabled).",
        fix=lambda f: (f"Check that {f.subscription} exists, is enabled and belongs to tenant "
                       f"{f.named(f.tenant_id, 'of the server app')}."),
        source="learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors (SubscriptionNotFound)",
        patterns=_re(r"\bSubscriptionNotFound\b"),
    ),
    Signature(
        id="LOG-CLOUDMGR-CERT-EXPIRED",
        logs=("CloudMgr",),
        severity=Severity.FAIL,
        title="A certificate of the cloud service expired (status 9425)",
        meaning="Cloud services manager found a certificate in expired state (expiry written in UTC).",
        fix=lambda f: (f"Renew the server authentication certificate with the same CN, letter case included "
                       f"({f.cmg}), and update the CMG: 'cmgtui script --runbook renew-certificate'."),
        source=MEMDOCS + "core/plan-design/hierarchy/security-and-privacy-for-content-management.md (status 9425)",
        patterns=_re(r"is in expired state"),
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
        source=LOGS_CMG,
        first_entry_only=True,
    ),
    Signature(
        id="LOG-CMGSETUP-ERROR",
        logs=("CMGSetup",),
        severity=Severity.WARN,
        title="Error in the in-Azure (second) deployment phase",
        meaning="CMGSetup.log records the second phase of the deployment, on the CMG VMs in Azure; an "
                "error entry there means the service didn't finish setting itself up.",
        fix=lambda f: (f"Read the error and the entries before it; check that the server certificate for {f.cmg} "
                       "is valid and its PFX complete, then redeploy from the console. Synced logs arrive up to "
                       "10 minutes late."),
        source=LOGS_CMG,
        error_entries_only=True,
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
        source=LOGS_CMG,
        error_entries_only=True,
    ),
)

#: Catch-all signatures (any error entry of their log, no pattern): reported only when no specific
#: signature matched the same entry, and never above warn (an error entry alone proves no failure).
GENERIC_IDS = frozenset(s.id for s in CATALOGUE if s.error_entries_only and not s.patterns and not s.first_entry_only)

BY_ID: dict[str, Signature] = {s.id: s for s in CATALOGUE}
KNOWN_LOGS: frozenset[str] = frozenset(name.lower() for s in CATALOGUE for name in s.logs)
