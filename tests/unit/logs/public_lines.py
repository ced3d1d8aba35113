"""Log lines exactly as public sources show them, with the source each one comes from.

Markdown escapes of the source (``\\<message ID>``) are rendered (``<message ID>``); nothing else
is changed. Tests embed these texts in logs of the right format; the catalogue cites the same pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.logs import sources


@dataclass(frozen=True)
class PublicLine:
    """A verbatim text, the log it was shown in, the format that log is written in, and its source."""

    log: str
    fmt: str  # "cm" (CMTrace), "sms" (site-server $$<…>), "text" (plain lines)
    text: str
    source: str
    component: str = ""


P = PublicLine

# support/mem/configmgr/cloud-services/public-ip-creation-error.md, CloudMgr.log
TASK_FAILED_2503 = P(
    "CloudMgr", "sms",
    "ERROR: TaskManager: Task [Deployment Maintenance for service <Name of CMG>] has failed. Exception "
    "Azure.RequestFailedException, At least one resource deployment operation failed. Please list deployment "
    "operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.~~Status: 200 "
    "(OK)~~ErrorCode: DeploymentFailed~~~~Service request succeeded. Response content and headers are not "
    "included to avoid logging sensitive data.~~.~~",
    sources.PUBLIC_IP_2503, "SMS_CLOUD_SERVICES_MANAGER")
EXCEPTION_2503 = P(
    "CloudMgr", "sms",
    "ERROR: Exception occured for service <Name of CMG> : System.AggregateException: One or more errors occurred.\n"
    "---> Azure.RequestFailedException: At least one resource deployment operation failed. Please list deployment "
    "operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.~~Status: 200 "
    "(OK)~~ErrorCode: DeploymentFailed~~~~Service request succeeded. Response content and headers are not "
    "included to avoid logging sensitive data.~~~~\n"
    "at Azure.Core.OperationInternal`1.GetResponseFromState(OperationState`1 state)~~",
    sources.PUBLIC_IP_2503, "SMS_CLOUD_SERVICES_MANAGER")
CREATING_PUBLIC_IP = P(
    "CloudMgr", "sms",
    "Resource Manager - Creating Public IP Address <Name of CMG> with deployment "
    "CreatePublicIPAddressXXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX~~",
    sources.PUBLIC_IP_2503, "SMS_CLOUD_SERVICES_MANAGER")
RETRY_2503 = P(
    "CloudMgr", "sms",
    "TaskManager: Scheduling task [Deployment Maintenance for service <Name of CMG>] for retry.~~",
    sources.PUBLIC_IP_2503, "SMS_CLOUD_SERVICES_MANAGER")

# Azure texts (azure-docs error-register-resource-provider.md), key vault texts
PROVIDER_NOT_REGISTERED = P(
    "CloudMgr", "sms",
    "Code: MissingSubscriptionRegistration\nMessage: The subscription is not registered to use namespace "
    "{resource-provider-namespace}",
    sources.ARM_PROVIDER_ERROR, "SMS_CLOUD_SERVICES_MANAGER")
AUTHORIZATION_FAILED = P(
    "CloudMgr", "sms",
    "Code: AuthorizationFailed\nMessage: The client '<identifier>' with object id '<identifier>' does not have "
    "authorization to perform\naction 'Microsoft.Compute/virtualMachines/read' over scope ...",
    sources.ARM_PROVIDER_ERROR, "SMS_CLOUD_SERVICES_MANAGER")
VAULT_DELETED = P(
    "CloudMgr", "sms",
    "A vault with the same name already exists in deleted state. You need to either recover or purge existing "
    "key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft "
    "delete.",
    sources.KEY_VAULT_DELETED, "SMS_CLOUD_SERVICES_MANAGER")
# MicrosoftDocs/memdocs issue #1883: an admin's CloudMgr.log quote.
VAULT_NAME_IN_USE = P(
    "CloudMgr", "sms",
    "The vault name 'cmg' is already in use. Vault names are globaly unique so it is possible that the name is "
    "already taken. If you are sure that the vault name was not taken then it is possible that a vault with the "
    "same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in "
    "a recoverable state then the vault will need to be purged before reusing the name",
    sources.VAULT_NAME_IN_USE, "SMS_CLOUD_SERVICES_MANAGER")
VAULT_EXISTS = P("CloudMgr", "sms", "VaultAlreadyExists", sources.KEY_VAULT_CODES, "SMS_CLOUD_SERVICES_MANAGER")
SUBSCRIPTION_NOT_FOUND = P("CloudMgr", "sms", "SubscriptionNotFound", sources.ARM_COMMON_ERRORS,
                           "SMS_CLOUD_SERVICES_MANAGER")

# SMS_Cloud_ProxyConnector.log
BUILD_CONNECTION = P(
    "SMS_Cloud_ProxyConnector", "sms",
    "ERROR: Failed to build Http connection bc3945e0-708c-403d-881a-03469c4cc4a8 with server xxx.CLOUDAPP.NET:443. "
    "Exception: System.Net.WebException: The remote server returned an error: (990) BGB Session Ended.~~ at "
    "System.Net.HttpWebRequest.GetResponse()~~ at Microsoft.ConfigurationManager.CloudConnection.ProxyConnector."
    "HttpConnection.Send(Boolean isProxyData, Byte[] data, Int32& statusCode, Byte[]& payload)~~ at "
    "Microsoft.ConfigurationManager.CloudConnection.ProxyConnector.ConnectionBase.Start()~~ at "
    "Microsoft.ConfigurationManager.CloudConnection.ProxyConnector.ConnectionManager.MaintainConnections()",
    sources.BLOG_CMG_CONNECTED, "SMS_CLOUD_PROXYCONNECTOR")
PROXY_403 = P(
    "SMS_Cloud_ProxyConnector", "sms",
    "MessageID: <ID> RequestURI: https://<FQDN>/SMS_MP/.sms_aut?SITESIGNCERT EndpointName: SMS_MP ResponseHeader: "
    "HTTP/1.1 403 CMGConnector_Clientcertificaterequired~~ ResponseBodySize: 5274 ElapsedTime: 44 ms",
    sources.COMANAGE_BOOTSTRAP, "SMS_CLOUD_PROXYCONNECTOR")
# MicrosoftDocs/SCCMdocs issue #2267: "The log file sms_cloud_proxyconnector.log showed: ..."
MISSING_ROLE_CERT = P("SMS_Cloud_ProxyConnector", "sms", "missing role certificate. reload in next cycle",
                      sources.ROLE_CERTIFICATE, "SMS_CLOUD_PROXYCONNECTOR")
NO_CLIENT_AUTH = P("SMS_Cloud_ProxyConnector", "sms", "Filtered cert count with client auth: 0",
                   sources.CMG_COMMUNICATION, "SMS_CLOUD_PROXYCONNECTOR")
MAINTAINING = P("SMS_Cloud_ProxyConnector", "sms", "Maintaining connections...", sources.CMG_COMMUNICATION,
                "SMS_CLOUD_PROXYCONNECTOR")
CHAIN_OFFLINE = P("SMS_Cloud_ProxyConnector", "sms", "Chain 1 status: OfflineRevocation", sources.COMANAGE_BOOTSTRAP,
                  "SMS_CLOUD_PROXYCONNECTOR")
CHAIN_UNKNOWN = P("SMS_Cloud_ProxyConnector", "sms", "Chain 0 status: RevocationStatusUnknown",
                  sources.COMANAGE_BOOTSTRAP, "SMS_CLOUD_PROXYCONNECTOR")
PROXY_200 = P(
    "SMS_Cloud_ProxyConnector", "sms",
    "MessageID: 3087bd34-b82c-4950-b972-e82bb0fb8385 RequestURI: https://MP.MYCORP.COM/CCM_STS EndpointName: "
    "CCM_STS ResponseHeader: HTTP/1.1 200 OK ~~ ResponseBodySize: 0 ElapsedTime: 2 ms",
    sources.AZURE_CCMSETUP, "SMS_CLOUD_PROXYCONNECTOR")
TRAFFIC_REPORT = P(
    "SMS_Cloud_ProxyConnector", "sms",
    'ReportTrafficData - state message to send: ~~<ProxyTrafficStateDetails ServerName="PS1DP.CONTOSO.COM" '
    'StartTime="Date1 Time1" EndTime="Date2 Time2" MaxConcurrentRequests="2">  <EndPoints>~~    <EndPoint '
    'Name="BGB" ProxyServer="DOMAINCMG.CLOUDAPP.NET" TargetHost="ps.contoso.com" TotalRequests="2" '
    'TotalRequestsWithBearerToken="0" MaxConcurrentRequests="2" TotalRequestBytes="2594" TotalResponseBytes="716" '
    'FailedRequests="0"/>~~  </EndPoints>~~</ProxyTrafficStateDetails>~~~~',
    sources.COMANAGE_BOOTSTRAP, "SMS_CLOUD_PROXYCONNECTOR")

# mpfdm.log (support/mem/intune/comanage-configmgr/troubleshoot-co-management-bootstrap.md)
INBOX = P("mpfdm", "sms", "~**ERROR: Cannot connect to the inbox source, sleep 30 seconds and try again.",
          sources.COMANAGE_BOOTSTRAP, "SMS_MP_FILE_DISPATCH_MANAGER")
MOVED_SMX = P("mpfdm", "sms",
              r"~Moved file C:\SMS\MP\OUTBOXES\statemsg.box\___CMUp5onztqe.SMX to "
              r"\\PS.contoso.com\SMS_PS1\inboxes\auth\statesys.box\incoming\___CMUp5onztqe.SMX",
              sources.COMANAGE_BOOTSTRAP, "SMS_MP_FILE_DISPATCH_MANAGER")

# CAPI2 event (exported as text)
CAPI2_OFFLINE = P("CAPI2", "text",
                  "The revocation function was unable to check revocation because the revocation server was offline."
                  "  80092013", sources.COMANAGE_BOOTSTRAP)

# CMGService.log, synced (memdocs azure-ccmsetup.md shows the raw line with its trailer)
CMGSERVICE_RAW = ("RequestUri: /CCM_PROXY_SERVERAUTH/72057594037937981/CCM_STS  RequestCount: 1  RequestSize: 1974 "
                  "Bytes  ResponseCount: 1  ResponseSize: 1566 Bytes  AverageElapsedTime: 218 ms~~  "
                  "$$<CMGService><06-24-2020 15:31:46.376+00><thread=4992 (0x1380)>")

# CMGContentService.log, synced (memdocs release-notes.md, 1906 / 1910 early ring, TLS 1.2)
CONTENT_TLS = P("CMGContentService", "sms",
                "ERROR: Exception processing request. Microsoft.WindowsAzure.Storage.StorageException: The underlying "
                "connection was closed: An unexpected error occurred on a receive. ---> System.Net.WebException: The "
                "underlying connection was closed: An unexpected error occurred on a receive. ---> "
                "System.ComponentModel.Win32Exception: The client and server cannot communicate, because they do not "
                "possess a common algorithm...", sources.RELEASE_NOTES, "CMGContentService")

# Console
VM_SIZE = P("ConsoleMessage", "text",
            "---------------------------\nSettings\n---------------------------\nThe VM size Standard_A2_V2 is "
            "currently not available in the region West US 3 for this subscription. Please deploy the service in "
            "other regions or choose a different VM size. \n---------------------------\nOK   \n"
            "---------------------------", sources.VM_SIZE_REGION)
TLS_ADMINUI = P("SMSAdminUI", "text",
                "Microsoft.ConfigurationManager.CloudBase.AAD.AADAuthenticationException\n"
                "Service returned error. Check InnerException for more details\n"
                "at Microsoft.ConfigurationManager.CloudBase.AAD.AADAuthenticationContext.GetAADAuthResultObject\n"
                "...\n"
                "Microsoft.IdentityModel.Clients.ActiveDirectory.AdalServiceException\n"
                "Service returned error. Check InnerException for more details\n"
                "at Microsoft.IdentityModel.Clients.ActiveDirectory.AuthenticationContext.RunAsyncTask\n"
                "...\n"
                "System.Net.WebException\n"
                "The underlying connection was closed: An unexpected error occurred on a receive.\n"
                "at System.Net.HttpWebRequest.GetResponse", sources.TLS_TROUBLESHOOT)
MSAL_UI = P("SMSAdminUI", "text", "Microsoft.Identity.Client.MsalUiRequiredException", sources.CONSOLE_SIGN_IN)
# The code alone: the Entra reference lists codes, no public ConfigMgr log line shows one.
AADSTS = P("SMSAdminUI", "text", "AADSTS7000222", sources.ENTRA_ERROR_CODES)

# Client logs (CMTrace)
CLIENTCERT_403 = P("LocationServices", "cm",
                   "[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_Clientcertificaterequired",
                   sources.CMG_COMMUNICATION, "LocationServices")
FORBIDDEN_403 = P("LocationServices", "cm", "[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_Forbidden",
                  sources.CMG_COMMUNICATION, "LocationServices")
BAD_STATUS = P("LocationServices", "cm",
               "[CCMHTTP] ERROR: URL=https://cmgsccm.contoso.com/CCM_PROXY_MUTUALAUTH/3456/SMS_MP/.sms_aut?SITESIGNCERT, "
               "Port=443, Options=31, Code=0, Text=CCM_E_BAD_HTTP_STATUS_CODE", sources.CMG_COMMUNICATION,
               "LocationServices")
SECURE_FAILURE = P("LocationServices", "cm",
                   "[CCMHTTP] ERROR: URL=https://CMG.CONTOSO.COM/CCM_Proxy_ServerAuth/72057594037928017/CCM_STS, "
                   "Port=443, Options=63, Code=12175, Text=ERROR_WINHTTP_SECURE_FAILURE",
                   sources.CMG_COMMUNICATION, "LocationServices")
ASYNC_CALLBACK = P("LocationServices", "cm", "[CCMHTTP] AsyncCallback():", sources.CMG_COMMUNICATION,
                   "LocationServices")
REV_FAILED = P("LocationServices", "cm", "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_REV_FAILED is set",
               sources.CMG_COMMUNICATION, "LocationServices")
INVALID_CA = P("LocationServices", "cm", "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_INVALID_CA is set",
               sources.CMG_COMMUNICATION, "LocationServices")
CN_INVALID = P("LocationServices", "cm", "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set",
               sources.CMG_COMMUNICATION, "LocationServices")
# The flag name only (WinHTTP reference; Microsoft blog on client WINHTTP_CALLBACK_STATUS_FLAG_* errors).
DATE_INVALID = P("CcmMessaging", "cm", "WINHTTP_CALLBACK_STATUS_FLAG_CERT_DATE_INVALID", sources.BLOG_WINHTTP_FLAGS,
                 "CcmMessaging")
INVALID_TOKEN = P("ccmsetup", "cm", "[CCMHTTP] ERROR INFO: StatusCode=401 StatusText=CMGService_Invalid_Token",
                  sources.CMG_COMMUNICATION, "ccmsetup")
STS_EXPIRED = P("CCM_STS", "cm",
                "Return code: 401, Description: PreAuth token validation failed, "
                "System.IdentityModel.Tokens.SecurityTokenExpiredException:\n"
                "IDX10223: Lifetime validation failed. The token is expired.\n"
                "ValidTo: '10/01/2020 22:03:24'\n"
                "Current time: '10/28/2020 13:05:05'.\n"
                "   at System.IdentityModel.Tokens.Validators.ValidateLifetime....", sources.CMG_COMMUNICATION, "CCM_STS")
SITE_SIGNING_0X87D0027E = P("LocationServices", "cm",
                            "Failed to refresh Site Signing Certificate over HTTP with error 0x87d0027e.",
                            sources.BLOG_CMG_CONNECTED, "LocationServices")
CCMHTTP_STATUS_0X87D0027E = P(
    "CcmMessaging", "cm",
    'Raising event: instance of CCM_CcmHttp_Status {ClientID = "GUID:A5FB49C2-955B-43EC-AE78-2BBB289FFD0F";'
    'DateTime = "20190722130543.131000+000";HostName = "SCCM.acc.local";HRESULT = "0x87d0027e";ProcessID = 4496;'
    'StatusCode = 500;ThreadID = 1340; };', sources.BLOG_0X87D0027E, "CcmMessaging")
WAM_FAILED = P("ccmsetup", "cm", "WAM token request failed. Status 5, Details 'AAD WAM extension error'",
               sources.AZURE_CCMSETUP, "ccmsetup")
WAM_API_ERROR = P("ccmsetup", "cm", "Failed to get AAD token for 'S-1-5-18' from WAM API. Error 0xd0090016",
                  sources.AZURE_CCMSETUP, "ccmsetup")
AAD_USER_TOKEN = P("ccmsetup", "cm", "Retrieved AAD token for AAD user 'e8838041-db7a-42d5-b9ae-78813910e4cc'",
                   sources.AZURE_CCMSETUP, "ccmsetup")
AAD_INFO = P("ccmsetup", "cm", "Getting AAD info from CMG 'CMG.CLOUDAPP.NET'", sources.AZURE_CCMSETUP, "ccmsetup")
ISSUED_TOKEN = P("CCM_STS", "cm", "Issued token", sources.AZURE_CCMSETUP, "CCM_STS")
PROCESS_REQUEST = P("CCM_STS", "cm", "ProcessRequest - Start", sources.AZURE_CCMSETUP, "CCM_STS")
REGISTERED = P("ClientIDManagerStartup", "cm",
               "[RegTask] - Client is registered. Server assigned ClientID is "
               "GUID:C66EE0FD-08E7-4B38-B282-7E6954B71139. Approval status 3", sources.AZURE_CCMSETUP,
               "ClientIDManagerStartup")
ROTATING_MP = P("ClientLocation", "cm",
                "Rotating internet management point, new management point [1] is: "
                "https://CONTOSO.CLOUDAPP.NET/CCM_Proxy_MutualAuth/72186325152220500 (0) with capabilities: "
                '<Capabilities SchemaVersion ="1.0"><Property Name="SSL" Version="1" /></Capabilities>',
                sources.TOKEN_AUTH, "ClientLocation")
TOKEN_HEADER = P("CcmMessaging", "cm", "Appending CCM Token to the header.", sources.AZURE_CCMSETUP, "CcmMessaging")
DTS_SCHEME = P("DataTransferService", "cm",
               "Target URL scheme is HTTPS: https://<CMGname>.cloudapp.net:443/downloadrestservice.svc/"
               "getcontentxmlsecure?pid=XXX00052&cid=XXX00052&tid=GUID:<GUID>&iss=<MPserver>.Internal.fqdn"
               "&alg=1.2.840.113549.1.1.11&st=2018-12-28T22:06:39&et=2018-12-29T06:06:39",
               "MicrosoftDocs/SupportArticles-docs support/mem/configmgr/client-management/cannot-download-content-from-cmg.md",
               "DataTransferService")
AAD_USER_TOKEN_REQUEST = P("CcmAad", "cm",
                           "Getting AAD (user) token with: ClientId = 0b7c8ab3-9ea1-4ffa-b2b9-8ffdd944bd8, "
                           "ResourceUrl = https://ConfigMgrService, AccountId = 9756a359-f76a-47d5-8662-9a837012fc35",
                           sources.AZURE_CCMSETUP, "CcmAad")
#: An error entry from another ConfigMgr component (Adam Cook's blog, MP_Status.log), unrelated to the CMG.
UNRELATED_ERROR = "CMPDBConnection::Init(): IDBInitialize::Initialize() failed with 0x80004005"
