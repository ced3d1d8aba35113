"""The Graph ``application`` bodies of the CMG's server and client apps (domain sheet §4.1-4.2).

Kept apart from the creation flow so that the shapes can be read against the sheet line by
line. Permission IDs come from the tenant's Microsoft Graph service principal (by value).
"""

from __future__ import annotations

import uuid
from typing import Any

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
SERVER_TAG = "cmgtui:cmg-server-app"
CLIENT_TAG = "cmgtui:cmg-client-app"
SCOPE_VALUE = "user_impersonation"
BROKER_PREFIX = "ms-appx-web://Microsoft.AAD.BrokerPlugin/"
NOTE = "Created by cmgtui for the Configuration Manager cloud management gateway."


def _graph_access(entries: list[tuple[str, str]]) -> Any:
    from msgraph.generated.models.required_resource_access import RequiredResourceAccess
    from msgraph.generated.models.resource_access import ResourceAccess

    return RequiredResourceAccess(resource_app_id=GRAPH_APP_ID, resource_access=[
        ResourceAccess(id=uuid.UUID(i), type=t) for i, t in entries])


def server_app_body(spec: Any, uri: str, scope_id: uuid.UUID, roles: dict[str, str],
                    scopes: dict[str, str]) -> Any:
    """The server (web) app: single tenant, web redirect, ID tokens, URI, user_impersonation.

    Graph permission: delegated ``User.Read`` by default; with Entra user discovery the
    application permission ``Directory.Read.All`` instead (sheet §4.1).
    """
    from msgraph.generated.models.api_application import ApiApplication
    from msgraph.generated.models.application import Application
    from msgraph.generated.models.implicit_grant_settings import ImplicitGrantSettings
    from msgraph.generated.models.permission_scope import PermissionScope
    from msgraph.generated.models.web_application import WebApplication

    name = spec.server_name
    if spec.user_discovery:
        access = _graph_access([(roles["Directory.Read.All"], "Role")])
    else:
        access = _graph_access([(scopes["User.Read"], "Scope")])
    return Application(
        display_name=name,
        sign_in_audience="AzureADMyOrg",
        identifier_uris=[uri],
        notes=NOTE,
        tags=[SERVER_TAG],
        web=WebApplication(redirect_uris=["http://localhost"],
                           implicit_grant_settings=ImplicitGrantSettings(enable_id_token_issuance=True)),
        api=ApiApplication(oauth2_permission_scopes=[PermissionScope(
            id=scope_id, value=SCOPE_VALUE, type="User", is_enabled=True,
            admin_consent_display_name=f"Access {name}",
            admin_consent_description=f"Allow the application to access {name} on behalf of the "
                                      "signed-in user.",
            user_consent_display_name=f"Access {name}",
            user_consent_description=f"Allow the application to access {name} on your behalf.")]),
        required_resource_access=[access],
    )


def client_app_body(spec: Any, server: Any, scope_id: str, scopes: dict[str, str]) -> Any:
    """The client (native) app: public client, ID tokens, server user_impersonation + User.Read."""
    from msgraph.generated.models.application import Application
    from msgraph.generated.models.implicit_grant_settings import ImplicitGrantSettings
    from msgraph.generated.models.required_resource_access import RequiredResourceAccess
    from msgraph.generated.models.resource_access import ResourceAccess
    from msgraph.generated.models.web_application import WebApplication

    return Application(
        display_name=spec.client_name,
        sign_in_audience="AzureADMyOrg",
        is_fallback_public_client=True,
        notes=NOTE,
        tags=[CLIENT_TAG],
        web=WebApplication(implicit_grant_settings=ImplicitGrantSettings(enable_id_token_issuance=True)),
        required_resource_access=[
            RequiredResourceAccess(resource_app_id=str(server.app_id), resource_access=[
                ResourceAccess(id=uuid.UUID(scope_id), type="Scope")]),
            _graph_access([(scopes["User.Read"], "Scope")]),
        ],
    )


def client_redirect_patch(client_app_id: str) -> Any:
    """PATCH body: the broker redirect URI (needs the app ID) and public client flows on."""
    from msgraph.generated.models.application import Application
    from msgraph.generated.models.public_client_application import PublicClientApplication

    return Application(is_fallback_public_client=True, public_client=PublicClientApplication(
        redirect_uris=[f"{BROKER_PREFIX}{client_app_id}"]))
