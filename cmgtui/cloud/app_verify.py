"""Verify imported (or created) CMG app registrations property by property (rules V31-V36).

Each finding is a :class:`~cmgtui.domain.rules.RuleResult` in the Entra phase, so the screens,
``cmgtui check`` and the readiness report show the same verdicts.
"""

from __future__ import annotations

import re
from typing import Any

from cmgtui.cloud.app_shapes import BROKER_PREFIX, SCOPE_VALUE
from cmgtui.cloud.graph import GraphGateway
from cmgtui.domain.rules import Phase, RuleResult, Severity, Status

_SRC = "cmg-domain.md §4.1, §9"


def _result(rule: str, ok: bool, severity: Severity, message_ok: str, message_bad: str, fix: str,
            evidence: str, status_bad: Status = Status.FAIL) -> RuleResult:
    if ok:
        return RuleResult(rule, Phase.ENTRA, Status.PASS, severity, message_ok, "", evidence, _SRC)
    return RuleResult(rule, Phase.ENTRA, status_bad, severity, message_bad, fix, evidence, _SRC)


def _id_tokens(app: Any) -> bool:
    web = app.web
    settings = web.implicit_grant_settings if web is not None else None
    return bool(settings is not None and settings.enable_id_token_issuance)


def _uri_result(server: Any, tenant_id: str, domains: tuple[str, ...]) -> RuleResult:
    uris = list(server.identifier_uris or [])
    if not uris:
        return RuleResult("V31", Phase.ENTRA, Status.FAIL, Severity.ERROR,
                          "The server app has no Application ID URI.",
                          "Set one under Expose an API, e.g. api://{tenantId}/ConfigMgrService.",
                          "identifierUris: []", _SRC)
    uri = uris[0]
    good = uri.lower().startswith(f"api://{tenant_id.lower()}/") or any(
        re.match(rf"^https://{re.escape(d)}/", uri, re.IGNORECASE) for d in domains)
    return _result("V31", good, Severity.WARNING, f"The Application ID URI {uri} includes the "
                   "tenant ID or a verified domain.", f"The Application ID URI {uri} does not "
                   "include the tenant ID or a verified domain; tenants that restrict URIs reject it.",
                   f"Use api://{tenant_id}/ConfigMgrService.", f"identifierUris: {uris}", Status.WARN)


async def verify_apps(graph: GraphGateway, server_app_id: str, client_app_id: str, *,
                      user_discovery: bool = False) -> list[RuleResult]:
    """Read both apps and their service principals and check what the CMG needs."""
    org = await graph.organization()
    servers = await graph.find_apps_raw(app_id=server_app_id)
    clients = await graph.find_apps_raw(app_id=client_app_id)
    missing = []
    if not servers:
        missing.append(("server", server_app_id))
    if not clients:
        missing.append(("client", client_app_id))
    if missing:
        return [RuleResult("V30", Phase.ENTRA, Status.FAIL, Severity.ERROR,
                           f"No {kind} app with app ID {app_id} in tenant {org.tenant_id}.",
                           "Check the client ID you entered and that you signed in to the right tenant.",
                           f"appId {app_id}: not found", _SRC) for kind, app_id in missing]
    server, client = servers[0], clients[0]
    results = [_uri_result(server, org.tenant_id, org.verified_domains)]

    broker = f"{BROKER_PREFIX}{client.app_id}"
    redirects = list(client.public_client.redirect_uris or []) if client.public_client else []
    public = bool(client.is_fallback_public_client)
    results.append(_result(
        "V33", public and broker in redirects, Severity.ERROR,
        "The client app is a public client with the broker redirect URI.",
        "The client app isn't configured as a public client with the broker redirect URI.",
        f"Enable 'Allow public client flows' and add the mobile/desktop redirect URI {broker}.",
        f"isFallbackPublicClient={public}; publicClient.redirectUris={redirects}"))

    scopes = {s.value: str(s.id) for s in (server.api.oauth2_permission_scopes if server.api else None)
              or [] if s.is_enabled}
    scope_id = scopes.get(SCOPE_VALUE)
    requested = any(str(r.resource_app_id) == str(server.app_id) and any(
        str(a.id) == scope_id and a.type == "Scope" for a in r.resource_access or [])
        for r in client.required_resource_access or []) if scope_id else False
    consented = False
    server_sp = await graph.find_service_principal(str(server.app_id))
    client_sp = await graph.find_service_principal(str(client.app_id))
    if requested and server_sp is not None and client_sp is not None:
        consented = await _has_grant(graph, client_sp.id, server_sp.id, SCOPE_VALUE)
    results.append(_result(
        "V34", bool(scope_id) and requested and consented, Severity.ERROR,
        "The client app has consented user_impersonation on the server app.",
        "Client app lacks consented 'user_impersonation' on the server app.",
        "Expose user_impersonation on the server app, add it to the client app's API permissions "
        "and grant admin consent.",
        f"scope exposed={bool(scope_id)}; requested={requested}; admin consent={consented}"))

    if user_discovery:
        granted = server_sp is not None and await _has_directory_read(graph, server_sp.id)
        results.append(_result(
            "V35", granted, Severity.ERROR,
            "The server app has consented Directory.Read.All (application).",
            "Entra user discovery needs Directory.Read.All (application) with admin consent.",
            "Add Microsoft Graph application permission Directory.Read.All and grant admin consent.",
            f"Directory.Read.All granted={granted}"))
    else:
        results.append(RuleResult("V35", Phase.ENTRA, Status.SKIP, Severity.ERROR,
                                  "Entra user discovery is off; Directory.Read.All is not needed.",
                                  "", "", _SRC))

    server_ok, client_ok = _id_tokens(server), _id_tokens(client)
    bad = [n for n, ok in (("server", server_ok), ("client", client_ok)) if not ok]
    results.append(_result(
        "V36", not bad, Severity.WARNING, "ID token issuance is on for both apps.",
        f"ID token issuance (implicit flow) is off on the {' and '.join(bad)} app.",
        "Enable ID tokens under Authentication > Implicit grant and hybrid flows.",
        f"server={server_ok}; client={client_ok}", Status.WARN))
    return results


async def _has_grant(graph: GraphGateway, client_sp: str, resource_sp: str, scope: str) -> bool:
    from kiota_abstractions.base_request_configuration import RequestConfiguration
    from msgraph.generated.oauth2_permission_grants.oauth2_permission_grants_request_builder import (
        Oauth2PermissionGrantsRequestBuilder,
    )

    params = Oauth2PermissionGrantsRequestBuilder.Oauth2PermissionGrantsRequestBuilderGetQueryParameters(
        filter=f"clientId eq '{client_sp}' and resourceId eq '{resource_sp}'")
    found = await graph.call(lambda: graph.client.oauth2_permission_grants.get(
        request_configuration=RequestConfiguration(query_parameters=params)), "read consent grants")
    return any(g.consent_type == "AllPrincipals" and scope in (g.scope or "").split()
               for g in (found.value if found is not None else None) or [])


async def _has_directory_read(graph: GraphGateway, server_sp: str) -> bool:
    graph_sp, roles, _ = await graph.graph_permission_ids()
    role_id = roles.get("Directory.Read.All")
    found = await graph.call(lambda: graph.client.service_principals.by_service_principal_id(
        server_sp).app_role_assignments.get(), "read the server app's permissions")
    return any(str(a.app_role_id) == role_id and str(a.resource_id) == graph_sp
               for a in (found.value if found is not None else None) or [])
