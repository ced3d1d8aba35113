"""The hand-off package for a Microsoft Entra administrator (domain sheet §4.1-4.2).

When the person planning the CMG cannot create the two app registrations (their account lacks
the Global Administrator role), they give this package to someone who can: a JSON manifest of
both apps in Microsoft Graph ``application`` terms, and the exact portal steps in Markdown,
ending with the values to send back. This module only builds the text; the screen writes it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from cmgtui.domain.display_text import markdown_code, markdown_text
from cmgtui.domain.validate import app_names_problem
from cmgtui.model.profile import Profile

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
#: Well-known Microsoft Graph permission IDs (§4.2; resolve by value in the tenant when in doubt).
DIRECTORY_READ_ALL = "7ab1d382-f21e-4acd-a863-ba3e13f7da61"
USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
SCOPE_VALUE = "user_impersonation"
BROKER_REDIRECT = "ms-appx-web://Microsoft.AAD.BrokerPlugin/{client_app_id}"
SERVER_APP_ID_PLACEHOLDER = "<server app ID>"
CLIENT_APP_ID_PLACEHOLDER = "<client app ID>"
MANIFEST_FILE = "cmg-entra-apps.json"
STEPS_FILE = "cmg-entra-steps.md"
FORMAT = "cmgtui.entra-handoff/1"


@dataclass(frozen=True, slots=True)
class HandoffSpec:
    """What the administrator is asked to create."""

    tenant_id: str
    tenant_name: str
    server_name: str
    client_name: str
    app_id_uri: str
    secret_months: int
    user_discovery: bool
    profile_name: str = ""

    def __post_init__(self) -> None:
        problem = app_names_problem(self.server_name, self.client_name)
        if problem:
            raise ValueError(problem)
        if self.secret_months not in (12, 24):
            raise ValueError("A client secret lasts 12 or 24 months.")

    @property
    def uri(self) -> str:
        """The App ID URI to set: the chosen one, else ``api://{tenantId}/ConfigMgrService``."""
        if self.app_id_uri.strip():
            return self.app_id_uri.strip()
        return f"api://{self.tenant_id.strip() or '<tenant ID>'}/ConfigMgrService"

    @property
    def scope_id(self) -> str:
        """A stable GUID for the ``user_impersonation`` scope (same package, same ID)."""
        seed = f"cmgtui/{self.tenant_id.strip().lower()}/{self.server_name.strip()}/{SCOPE_VALUE}"
        return str(uuid.uuid5(uuid.NAMESPACE_URL, seed))

    @classmethod
    def from_profile(cls, profile: Profile) -> HandoffSpec:
        """The request as the profile's Part 2 describes it (ValueError on unusable names)."""
        entra = profile.entra
        return cls(
            tenant_id=entra.tenant_id.strip(), tenant_name=entra.tenant_name.strip(),
            server_name=entra.server_app.display_name.strip() or "CMG-ServerApp",
            client_name=entra.client_app.display_name.strip() or "CMG-ClientApp",
            app_id_uri=entra.server_app.app_id_uri.strip(), secret_months=int(entra.secret_lifetime.value),
            user_discovery=entra.user_discovery, profile_name=profile.name)


def _server_app(spec: HandoffSpec) -> dict[str, Any]:
    if spec.user_discovery:
        graph_access = [{"id": DIRECTORY_READ_ALL, "type": "Role"}]
    else:
        graph_access = [{"id": USER_READ, "type": "Scope"}]
    name = spec.server_name
    return {
        "displayName": name,
        "signInAudience": "AzureADMyOrg",
        "identifierUris": [spec.uri],
        "web": {"redirectUris": ["http://localhost"],
                "implicitGrantSettings": {"enableIdTokenIssuance": True}},
        "api": {"oauth2PermissionScopes": [{
            "id": spec.scope_id, "value": SCOPE_VALUE, "type": "User", "isEnabled": True,
            "adminConsentDisplayName": f"Access {name}",
            "adminConsentDescription": f"Allow the application to access {name} on behalf of the signed-in user.",
            "userConsentDisplayName": f"Access {name}",
            "userConsentDescription": f"Allow the application to access {name} on your behalf.",
        }]},
        "requiredResourceAccess": [{"resourceAppId": GRAPH_APP_ID, "resourceAccess": graph_access}],
        "passwordCredential": {"lifetimeMonths": spec.secret_months},
    }


def _client_app(spec: HandoffSpec) -> dict[str, Any]:
    return {
        "displayName": spec.client_name,
        "signInAudience": "AzureADMyOrg",
        "isFallbackPublicClient": True,
        "publicClient": {"redirectUris": [BROKER_REDIRECT.format(client_app_id=CLIENT_APP_ID_PLACEHOLDER)]},
        "web": {"implicitGrantSettings": {"enableIdTokenIssuance": True}},
        "requiredResourceAccess": [
            {"resourceAppId": SERVER_APP_ID_PLACEHOLDER,
             "resourceAccess": [{"id": spec.scope_id, "type": "Scope"}]},
            {"resourceAppId": GRAPH_APP_ID, "resourceAccess": [{"id": USER_READ, "type": "Scope"}]},
        ],
    }


def manifest(spec: HandoffSpec) -> dict[str, Any]:
    """Both app registrations, the consent to grant and the values to return, as data."""
    consent = [
        {"client": spec.client_name, "resource": spec.server_name, "consentType": "AllPrincipals",
         "scope": SCOPE_VALUE},
        {"client": spec.client_name, "resource": "Microsoft Graph", "consentType": "AllPrincipals",
         "scope": "User.Read"},
    ]
    if spec.user_discovery:
        consent.append({"principal": spec.server_name, "resource": "Microsoft Graph",
                        "appRole": "Directory.Read.All", "appRoleId": DIRECTORY_READ_ALL})
    return {
        "format": FORMAT,
        "purpose": "Microsoft Entra app registrations for a Configuration Manager cloud management gateway",
        "tenant": {"id": spec.tenant_id or None, "name": spec.tenant_name or None},
        "requiredRole": "Global Administrator",
        "placeholders": {
            SERVER_APP_ID_PLACEHOLDER: "the server app's Application (client) ID, known once it is created",
            CLIENT_APP_ID_PLACEHOLDER: "the client app's Application (client) ID, known once it is created",
        },
        "serverApp": _server_app(spec),
        "clientApp": _client_app(spec),
        "adminConsent": consent,
        "valuesToReturn": ["Tenant ID", "Tenant name", "Server app: Application (client) ID",
                           "Server app: App ID URI", "Server app: client secret value (sent securely)",
                           "Server app: client secret expiry date", "Client app: Application (client) ID"],
    }


def manifest_json(spec: HandoffSpec) -> str:
    """The manifest as indented JSON (ends with a newline)."""
    return json.dumps(manifest(spec), indent=2) + "\n"


def steps_markdown(spec: HandoffSpec) -> str:
    """The exact Microsoft Entra admin center steps, numbered, as Markdown.

    Names (tenant, apps) and the App ID URI come from the tenant or the profile: they enter the
    Markdown escaped (:func:`markdown_text` in prose, :func:`markdown_code` in code spans), so no
    link, HTML or emphasis reaches the administrator's steps.
    """
    tenant = markdown_text(spec.tenant_name or spec.tenant_id or "the organization's tenant")
    tenant_id = markdown_text(spec.tenant_id)
    server, client, months = markdown_text(spec.server_name), markdown_text(spec.client_name), spec.secret_months
    server_code, client_code = markdown_code(spec.server_name), markdown_code(spec.client_name)
    lines = [
        "# Microsoft Entra app registrations for the cloud management gateway",
        "",
        f"Requested for tenant: {tenant}" + (f" ({tenant_id})" if spec.tenant_id and spec.tenant_name else ""),
        "Needs: the Global Administrator role in Microsoft Entra ID (creating the apps and granting "
        "admin consent). The same settings are in the manifest file "
        f"`{MANIFEST_FILE}` in Microsoft Graph terms.",
        "",
        f"## 1. Server app ({server})",
        "",
        "1. Microsoft Entra admin center > Identity > Applications > App registrations > New registration.",
        f"2. Name: {server_code}. Supported account types: Accounts in this organizational directory only "
        "(single tenant).",
        "3. Redirect URI: platform Web, `http://localhost`. Register.",
        f"4. Certificates & secrets > New client secret; expires in {months} months. Copy the secret "
        "Value and the Expires date now: the value can't be read again later.",
        f"5. Expose an API > Application ID URI > Add: {markdown_code(spec.uri)}.",
        f"6. Expose an API > Add a scope: name `{SCOPE_VALUE}`; Who can consent: Admins and users; "
        f"admin consent display name {markdown_code(f'Access {spec.server_name}')}; admin consent description "
        f"{markdown_code(f'Allow the application to access {spec.server_name} on behalf of the signed-in user.')}; "
        "state Enabled.",
    ]
    if spec.user_discovery:
        lines.append("7. API permissions: add Microsoft Graph application permission `Directory.Read.All`, "
                     "remove the delegated `User.Read`, then Grant admin consent.")
    else:
        lines.append("7. API permissions: keep Microsoft Graph delegated `User.Read`.")
    lines += [
        "8. Manifest: set `oauth2AllowIdTokenImplicitFlow` to `true` (Authentication > ID tokens).",
        "9. Conditional Access: exclude this app from policies that apply to all cloud apps.",
        "",
        f"## 2. Client app ({client})",
        "",
        f"1. App registrations > New registration. Name: {client_code}. Single tenant. Leave the redirect URI "
        "blank. Register.",
        "2. Authentication > Add a platform > Mobile and desktop applications; custom redirect URI "
        f"`{BROKER_REDIRECT.format(client_app_id=CLIENT_APP_ID_PLACEHOLDER)}` (with this app's "
        "Application (client) ID).",
        "3. Authentication > Advanced settings: Allow public client flows = Yes.",
        f"4. API permissions: keep Microsoft Graph delegated `User.Read`; add My APIs > {server_code} > "
        f"delegated `{SCOPE_VALUE}`; then Grant admin consent.",
        "5. Manifest: set `oauth2AllowIdTokenImplicitFlow` to `true` (Authentication > ID tokens).",
        "",
        "## 3. Values to send back",
        "",
        "- Tenant ID and tenant name",
        f"- {server_code}: Application (client) ID, App ID URI, the client secret value (through a secure "
        "channel, never by plain email) and its expiry date",
        f"- {client_code}: Application (client) ID",
        "",
        "They are imported in Configuration Manager (Administration > Cloud Services > Azure Services > "
        "Configure Azure Services > Cloud Management > Import).",
        "",
    ]
    return "\n".join(lines)


def package_files(spec: HandoffSpec) -> dict[str, str]:
    """File name -> text for the package: the manifest and the steps."""
    return {MANIFEST_FILE: manifest_json(spec), STEPS_FILE: steps_markdown(spec)}
