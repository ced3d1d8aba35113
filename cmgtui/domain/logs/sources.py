"""The public pages the signature catalogue cites, one constant each (repository and path, or title).

Tests embed the lines these pages show verbatim; a signature names the page in its ``source``.
"""

from __future__ import annotations

_SA = "MicrosoftDocs/SupportArticles-docs support/mem/"
_MD = "MicrosoftDocs/memdocs memdocs/configmgr/"

#: Client to CMG errors: 403 CMGConnector_*, 0x2f8f secure failure, 401 CMGService_Invalid_Token.
CMG_COMMUNICATION = _SA + "configmgr/cloud-services/cmg-communication-error.md"
#: Connection point disconnected (mpfdm inboxes), CRL checks on the connection point, CAPI2 0x80092013.
COMANAGE_BOOTSTRAP = _SA + "intune/comanage-configmgr/troubleshoot-co-management-bootstrap.md"
#: MsalUiRequiredException in SMSAdminUI.log, versions 2111-2207.
CONSOLE_SIGN_IN = _SA + "configmgr/client-management/new-cmg-creation-fails-after-sign-in-configuration-manager.md"
#: The 2503 update rollup's Deployment Maintenance failure (public IP availability zones).
PUBLIC_IP_2503 = _SA + "configmgr/cloud-services/public-ip-creation-error.md"
#: "The VM size Standard_A2_V2 is currently not available in the region ...".
VM_SIZE_REGION = _SA + "configmgr/cloud-services/cmg-creation-unavailable-region.md"
#: Since 1810 the server app gets Contributor on the CMG resource group, Read on the subscription.
CONTRIBUTOR_1810 = _SA + "configmgr/cloud-services/contributor-role-not-assigned-for-web-app.md"

#: Entra authentication workflow: ccmsetup WAM fallback, CMGService, proxy connector and CCM_STS lines.
AZURE_CCMSETUP = _MD + "core/clients/manage/azure-ccmsetup.md"
#: Bulk registration token (3 days by default, 7 at most) and the client token (90 days, renewed monthly).
TOKEN_AUTH = _MD + "core/clients/deploy/deploy-clients-cmg-token.md"
#: The CMG logs, the synced CMGSetup.log and its 10-minute delay.
LOGS_CMG = _MD + "core/plan-design/hierarchy/includes/logs-cmg.md"
#: SMSAdminUI.log TLS 1.2 failure ("The underlying connection was closed ...").
TLS_TROUBLESHOOT = _MD + "core/plan-design/security/enable-tls-1-2-troubleshoot.md"
#: "ADALOperationProvider.log ... (Replaced by CcmAad.log starting in version 2107)".
CLIENT_LOG_FILES = _MD + "core/plan-design/hierarchy/log-files.md"
#: 1906 / 1910 early ring: "Can't download content from a cloud management gateway enabled for TLS 1.2".
RELEASE_NOTES = _MD + "core/servers/deploy/install/release-notes.md"
#: Resource providers a virtual machine scale set CMG needs.
AZURE_AD_SETUP = _MD + "core/clients/manage/cmg/configure-azure-ad.md"

#: Microsoft blog on the WINHTTP_CALLBACK_STATUS_FLAG_* errors ConfigMgr clients log.
BLOG_WINHTTP_FLAGS = ("Microsoft blog, 'Common native mode client -> MP error messages and what to do about them' "
                      "(blogs.msdn.microsoft.com/ameltzer, 2008-04-14); WinHTTP WINHTTP_STATUS_CALLBACK reference")
#: AADSTS codes and their meaning.
ENTRA_ERROR_CODES = "MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md"
#: Resource Manager's own error texts.
ARM_PROVIDER_ERROR = ("MicrosoftDocs/azure-docs articles/azure-resource-manager/troubleshooting/"
                      "error-register-resource-provider.md")
ARM_COMMON_ERRORS = "MicrosoftDocs/azure-docs articles/azure-resource-manager/troubleshooting/common-deployment-errors.md"
#: CloudMgr.log "The vault name 'cmg' is already in use. ..." quoted by an admin.
VAULT_NAME_IN_USE = "MicrosoftDocs/memdocs issue #1883 (CMG server certificate (VMSS) name check), CloudMgr.log quote"
KEY_VAULT_CODES = "MicrosoftDocs/azure-docs articles/key-vault/general/common-error-codes.md"
#: Key Vault's ConflictError for a soft-deleted vault of the same name, quoted from a deployment log.
KEY_VAULT_DELETED = "blog post 'A vault with the same name already exists in deleted state' (2022-11-03)"

#: SMS_Cloud_ProxyConnector "Failed to build Http connection ... with server ...:443" and 0x87d0027e in
#: LocationServices.log, from a public blog post.
BLOG_CMG_CONNECTED = "Matt Atkinson, 'Cloud Management Gateway - Finally connected' (blog post, 2017-06-22)"
#: "ignore the errors like Failed to build Http connection ... for approx. 10 minutes".
LAB_CMG_WORKSHOP = ("Microsoft 'WorkshopPLUS - System Center Configuration Manager: Advanced Concepts and Cloud "
                    "Services (1906)' lab guide, Module 1 (public lab text)")
#: SMS_Cloud_ProxyConnector.log "missing role certificate. reload in next cycle", every 60 s, connection point
#: disconnected.
ROLE_CERTIFICATE = "MicrosoftDocs/SCCMdocs issue #2267 (Requirements for cmg connection point role?)"
#: CcmMessaging.log CCM_CcmHttp_Status with HRESULT 0x87d0027e beside StatusCode = 500.
BLOG_0X87D0027E = "Adam Cook, 'ConfigMgr Management Point 500.19 CcmMessaging.log 0x87d00231' (blog post, 2019-07-22)"
