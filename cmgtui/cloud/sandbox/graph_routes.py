"""Microsoft Graph v1.0 endpoints of the sandbox (organization, me, apps, grants).

Request and response shapes follow the samples in microsoftgraph/microsoft-graph-docs-contrib
(``api-reference/v1.0/api/application-post-applications.md``, ``application-addpassword.md``,
``serviceprincipal-post-serviceprincipals.md``, ``oauth2permissiongrant-post.md``,
``serviceprincipal-post-approleassignedto.md``...). Like the real service, a second app with
an identifier URI already in use is refused, and writes need a suitable directory role.
"""

from __future__ import annotations

import copy
import secrets
import uuid

from cmgtui.cloud.sandbox.http import Request, Response, Route, graph_error, parse_odata_filter, route
from cmgtui.cloud.sandbox.state import (
    DIRECTORY_ROLES,
    GRAPH_APP_ID,
    TENANT_NAME,
    USER_ID,
    USER_UPN,
    TenantState,
    now_iso,
)

_V1 = "/v1.0"
_ID = r"(?P<id>[0-9a-fA-F-]{36})"
_APP_WRITERS = {"Global Administrator", "Cloud Application Administrator",
                "Application Administrator", "Application Developer"}
_CONSENT_GRANTERS = {"Global Administrator", "Cloud Application Administrator",
                     "Application Administrator"}


def _ctx(req: Request, what: str) -> str:
    return f"{req.base_url}{_V1}/$metadata#{what}"


def _denied() -> Response:
    return graph_error(403, "Authorization_RequestDenied",
                       "Insufficient privileges to complete the operation.")


def _not_found(object_id: str) -> Response:
    return graph_error(404, "Request_ResourceNotFound",
                       f"Resource '{object_id}' does not exist or one of its queried "
                       "reference-property objects are not present.")


def _filtered(req: Request, items: list[dict], allowed: set[str]) -> list[dict] | Response:
    text = req.query.get("$filter")
    if not text:
        return items
    clauses = parse_odata_filter(text)
    if clauses is None or any(field not in allowed for field, _ in clauses):
        return graph_error(400, "Request_UnsupportedQuery", f"Unsupported query: '{text}'.")
    return [i for i in items if all(str(i.get(f, "")).lower() == v.lower() for f, v in clauses)]


def organization(state: TenantState, req: Request, match) -> Response:
    """``GET /organization``."""
    return Response(200, {"@odata.context": _ctx(req, "organization"), "value": [{
        "id": state.tenant_id, "displayName": TENANT_NAME, "tenantType": "AAD",
        "countryLetterCode": "US", "createdDateTime": "2019-06-10T18:35:12Z",
        "verifiedDomains": state.verified_domains(), "assignedPlans": [], "businessPhones": [],
    }]})


def me(state: TenantState, req: Request, match) -> Response:
    """``GET /me``."""
    return Response(200, {"@odata.context": _ctx(req, "users/$entity"), "id": USER_ID,
                          "displayName": "Contoso Admin", "givenName": "Contoso",
                          "surname": "Admin", "userPrincipalName": USER_UPN,
                          "mail": "admin@contoso.com", "businessPhones": [],
                          "jobTitle": None, "officeLocation": None, "preferredLanguage": "en-US",
                          "mobilePhone": None})


def my_directory_roles(state: TenantState, req: Request, match) -> Response:
    """``GET /me/transitiveMemberOf/microsoft.graph.directoryRole``."""
    with state.lock:
        roles = list(state.user_roles)
    value = [{"@odata.type": "#microsoft.graph.directoryRole",
              "id": str(uuid.uuid5(uuid.NAMESPACE_OID, name)), "deletedDateTime": None,
              "description": f"Built-in role: {name}.", "displayName": name,
              "roleTemplateId": DIRECTORY_ROLES[name]} for name in roles]
    return Response(200, {"@odata.context": _ctx(req, "directoryRoles"), "value": value})


def _may(state: TenantState, allowed: set[str]) -> bool:
    with state.lock:
        return bool(allowed & set(state.user_roles))


def list_applications(state: TenantState, req: Request, match) -> Response:
    """``GET /applications`` with ``$filter`` on displayName or appId."""
    with state.lock:
        items = [copy.deepcopy(a) for a in state.applications.values()]
    result = _filtered(req, items, {"displayName", "appId"})
    if isinstance(result, Response):
        return result
    return Response(200, {"@odata.context": _ctx(req, "applications"), "value": result})


def _new_application(body: dict) -> dict:
    api = {"acceptMappedClaims": None, "knownClientApplications": [], "oauth2PermissionScopes": [],
           "preAuthorizedApplications": [], "requestedAccessTokenVersion": None}
    api.update(body.get("api") or {})
    web = {"homePageUrl": None, "logoutUrl": None, "redirectUris": [], "redirectUriSettings": [],
           "implicitGrantSettings": {"enableAccessTokenIssuance": False,
                                     "enableIdTokenIssuance": False}}
    web.update(body.get("web") or {})
    app = {
        "id": str(uuid.uuid4()), "appId": str(uuid.uuid4()), "deletedDateTime": None,
        "createdDateTime": now_iso(), "description": None, "displayName": body["displayName"],
        "identifierUris": [], "isFallbackPublicClient": None, "notes": None,
        "publisherDomain": "contoso.onmicrosoft.com", "signInAudience": "AzureADMyOrg",
        "tags": [], "appRoles": [], "keyCredentials": [], "passwordCredentials": [],
        "requiredResourceAccess": [], "publicClient": {"redirectUris": []},
        "spa": {"redirectUris": []}, "info": {}, "optionalClaims": None,
    }
    for key, value in body.items():
        if key not in ("api", "web", "id", "appId"):
            app[key] = value
    app["api"], app["web"] = api, web
    return app


def _uri_in_use(state: TenantState, uris: list[str], except_id: str = "") -> str | None:
    for app in state.applications.values():
        if app["id"] != except_id:
            for uri in app.get("identifierUris") or []:
                if uri.lower() in (u.lower() for u in uris):
                    return uri
    return None


def create_application(state: TenantState, req: Request, match) -> Response:
    """``POST /applications``."""
    if not _may(state, _APP_WRITERS):
        return _denied()
    body = req.body or {}
    if not isinstance(body, dict) or not body.get("displayName"):
        return graph_error(400, "Request_BadRequest",
                           "Property 'displayName' is required to create an application.")
    with state.lock:
        if _uri_in_use(state, body.get("identifierUris") or []):
            return graph_error(400, "Request_BadRequest", "Another object with the same value for "
                               "property identifierUris already exists.")
        app = _new_application(body)
        state.applications[app["id"]] = app
        answer = copy.deepcopy(app)
    answer["@odata.context"] = _ctx(req, "applications/$entity")
    return Response(201, answer, {"Location": f"{req.base_url}{_V1}/applications/{app['id']}"})


def get_application(state: TenantState, req: Request, match) -> Response:
    """``GET /applications/{id}``."""
    with state.lock:
        app = copy.deepcopy(state.applications.get(match["id"].lower()))
    if app is None:
        return _not_found(match["id"])
    app["@odata.context"] = _ctx(req, "applications/$entity")
    return Response(200, app)


def update_application(state: TenantState, req: Request, match) -> Response:
    """``PATCH /applications/{id}``: replaces each property given; 204 No Content."""
    if not _may(state, _APP_WRITERS):
        return _denied()
    body = req.body or {}
    with state.lock:
        app = state.applications.get(match["id"].lower())
        if app is None:
            return _not_found(match["id"])
        if _uri_in_use(state, body.get("identifierUris") or [], app["id"]):
            return graph_error(400, "Request_BadRequest", "Another object with the same value for "
                               "property identifierUris already exists.")
        for key, value in body.items():
            if key in ("id", "appId", "@odata.type"):
                continue
            if isinstance(value, dict) and isinstance(app.get(key), dict):
                app[key].update(value)
            else:
                app[key] = value
    return Response(204)


def add_password(state: TenantState, req: Request, match) -> Response:
    """``POST /applications/{id}/addPassword``: the secret text is returned only here."""
    if not _may(state, _APP_WRITERS):
        return _denied()
    credential = (req.body or {}).get("passwordCredential") or {}
    secret = secrets.token_urlsafe(30)[:40]
    entry = {"customKeyIdentifier": None, "displayName": credential.get("displayName"),
             "endDateTime": credential.get("endDateTime") or "2028-01-01T00:00:00Z",
             "hint": secret[:3], "keyId": str(uuid.uuid4()),
             "startDateTime": credential.get("startDateTime") or now_iso()}
    with state.lock:
        app = state.applications.get(match["id"].lower())
        if app is None:
            return _not_found(match["id"])
        app["passwordCredentials"].append(dict(entry, secretText=None))
    return Response(200, dict(entry, secretText=secret, **{
        "@odata.context": _ctx(req, "microsoft.graph.passwordCredential")}))


def remove_password(state: TenantState, req: Request, match) -> Response:
    """``POST /applications/{id}/removePassword`` with ``{"keyId"}``: 204 No Content (Graph docs)."""
    if not _may(state, _APP_WRITERS):
        return _denied()
    key_id = str((req.body or {}).get("keyId") or "").lower()
    with state.lock:
        app = state.applications.get(match["id"].lower())
        if app is None:
            return _not_found(match["id"])
        app["passwordCredentials"] = [p for p in app["passwordCredentials"] if str(p["keyId"]).lower() != key_id]
    return Response(204)


def list_service_principals(state: TenantState, req: Request, match) -> Response:
    """``GET /servicePrincipals`` with ``$filter`` on appId or displayName."""
    with state.lock:
        items = [copy.deepcopy(s) for s in state.service_principals.values()]
    result = _filtered(req, items, {"appId", "displayName"})
    if isinstance(result, Response):
        return result
    return Response(200, {"@odata.context": _ctx(req, "servicePrincipals"), "value": result})


def create_service_principal(state: TenantState, req: Request, match) -> Response:
    """``POST /servicePrincipals`` with ``{"appId"}``."""
    if not _may(state, _APP_WRITERS):
        return _denied()
    app_id = str((req.body or {}).get("appId", "")).lower()
    with state.lock:
        app = next((a for a in state.applications.values() if a["appId"] == app_id), None)
        if app is None:
            return graph_error(400, "Request_BadRequest", "The appId of the service principal "
                               "does not reference a valid application object.")
        if any(s["appId"] == app_id for s in state.service_principals.values()):
            return graph_error(409, "Request_MultipleObjectsWithSameKeyValue",
                               "The service principal cannot be created, updated, or restored "
                               f"because the service principal name {app_id} is already in use.")
        sp = {"id": str(uuid.uuid4()), "appId": app_id, "displayName": app["displayName"],
              "accountEnabled": True, "servicePrincipalType": "Application",
              "appOwnerOrganizationId": state.tenant_id, "tags": [],
              "servicePrincipalNames": [app_id, *(app.get("identifierUris") or [])],
              "appRoles": copy.deepcopy(app.get("appRoles") or []),
              "oauth2PermissionScopes": copy.deepcopy(app["api"]["oauth2PermissionScopes"])}
        state.service_principals[sp["id"]] = sp
        answer = copy.deepcopy(sp)
    answer["@odata.context"] = _ctx(req, "servicePrincipals/$entity")
    return Response(201, answer)


def app_role_assigned_to(state: TenantState, req: Request, match) -> Response:
    """``GET``/``POST /servicePrincipals/{id}/appRoleAssignedTo``."""
    resource_id = match["id"].lower()
    with state.lock:
        resource = state.service_principals.get(resource_id)
        if resource is None:
            return _not_found(match["id"])
        if req.method == "GET":
            value = [a for a in state.app_role_assignments if a["resourceId"] == resource_id]
            return Response(200, {"@odata.context": _ctx(req, "appRoleAssignments"),
                                  "value": copy.deepcopy(value)})
    if not _may(state, {"Global Administrator"} if resource["appId"] == GRAPH_APP_ID
                else _CONSENT_GRANTERS):
        return _denied()
    body = req.body or {}
    principal_id = str(body.get("principalId", "")).lower()
    role_id = str(body.get("appRoleId", "")).lower()
    with state.lock:
        principal = state.service_principals.get(principal_id)
        if principal is None or role_id not in {r["id"] for r in resource.get("appRoles", [])}:
            return graph_error(400, "Request_BadRequest",
                               "Permission being assigned was not found on application.")
        if any(a["principalId"] == principal_id and a["appRoleId"] == role_id
               and a["resourceId"] == resource_id for a in state.app_role_assignments):
            return graph_error(409, "Request_BadRequest",
                               "Permission being assigned already exists on the object")
        entry = {"id": secrets.token_urlsafe(32)[:43], "deletedDateTime": None,
                 "appRoleId": role_id, "createdDateTime": now_iso(),
                 "principalDisplayName": principal["displayName"], "principalId": principal_id,
                 "principalType": "ServicePrincipal", "resourceDisplayName": resource["displayName"],
                 "resourceId": resource_id}
        state.app_role_assignments.append(entry)
    return Response(201, dict(entry, **{"@odata.context": _ctx(req, "appRoleAssignments/$entity")}))


def app_role_assignments(state: TenantState, req: Request, match) -> Response:
    """``GET /servicePrincipals/{id}/appRoleAssignments``: app roles granted to this principal."""
    principal_id = match["id"].lower()
    with state.lock:
        if principal_id not in state.service_principals:
            return _not_found(match["id"])
        value = [copy.deepcopy(a) for a in state.app_role_assignments
                 if a["principalId"] == principal_id]
    return Response(200, {"@odata.context": _ctx(req, "appRoleAssignments"), "value": value})


def list_grants(state: TenantState, req: Request, match) -> Response:
    """``GET /oauth2PermissionGrants`` with ``$filter`` on clientId / resourceId / consentType."""
    with state.lock:
        items = [copy.deepcopy(g) for g in state.grants.values()]
    result = _filtered(req, items, {"clientId", "resourceId", "consentType", "principalId"})
    if isinstance(result, Response):
        return result
    return Response(200, {"@odata.context": _ctx(req, "oauth2PermissionGrants"), "value": result})


def create_grant(state: TenantState, req: Request, match) -> Response:
    """``POST /oauth2PermissionGrants`` (admin consent for delegated scopes)."""
    body = req.body or {}
    with state.lock:
        resource = state.service_principals.get(str(body.get("resourceId", "")).lower())
        client = state.service_principals.get(str(body.get("clientId", "")).lower())
    if resource is None or client is None:
        return graph_error(400, "Request_BadRequest",
                           "clientId and resourceId must reference existing service principals.")
    if not _may(state, {"Global Administrator"} if resource["appId"] == GRAPH_APP_ID
                else _CONSENT_GRANTERS):
        return _denied()
    if body.get("consentType") not in ("AllPrincipals", "Principal"):
        return graph_error(400, "Request_BadRequest", "consentType must be AllPrincipals or Principal.")
    with state.lock:
        if any(g["clientId"] == client["id"] and g["resourceId"] == resource["id"]
               and g["consentType"] == body["consentType"] for g in state.grants.values()):
            return graph_error(409, "Request_MultipleObjectsWithSameKeyValue",
                               "Permission entry already exists.")
        grant = {"id": secrets.token_urlsafe(32)[:43], "clientId": client["id"],
                 "consentType": body["consentType"], "principalId": body.get("principalId"),
                 "resourceId": resource["id"], "scope": str(body.get("scope", ""))}
        state.grants[grant["id"]] = grant
    return Response(201, dict(grant, **{"@odata.context": _ctx(req, "oauth2PermissionGrants/$entity")}))


def update_grant(state: TenantState, req: Request, match) -> Response:
    """``PATCH /oauth2PermissionGrants/{id}``: only ``scope`` can change; 204 No Content."""
    with state.lock:
        grant = state.grants.get(match["id"])
        if grant is None:
            return _not_found(match["id"])
        resource = state.service_principals[grant["resourceId"]]
    if not _may(state, {"Global Administrator"} if resource["appId"] == GRAPH_APP_ID
                else _CONSENT_GRANTERS):
        return _denied()
    with state.lock:
        grant["scope"] = str((req.body or {}).get("scope", grant["scope"]))
    return Response(204)


ROUTES: list[Route] = [
    route("GET", rf"{_V1}/organization", organization),
    route("GET", rf"{_V1}/me", me),
    route("GET", rf"{_V1}/me/transitiveMemberOf/(?:microsoft\.)?graph\.directoryRole", my_directory_roles),
    route("GET", rf"{_V1}/applications", list_applications),
    route("POST", rf"{_V1}/applications", create_application),
    route("GET", rf"{_V1}/applications/{_ID}", get_application),
    route("PATCH", rf"{_V1}/applications/{_ID}", update_application),
    route("POST", rf"{_V1}/applications/{_ID}/addPassword", add_password),
    route("POST", rf"{_V1}/applications/{_ID}/removePassword", remove_password),
    route("GET", rf"{_V1}/servicePrincipals", list_service_principals),
    route("POST", rf"{_V1}/servicePrincipals", create_service_principal),
    route("GET", rf"{_V1}/servicePrincipals/{_ID}/appRoleAssignedTo", app_role_assigned_to),
    route("POST", rf"{_V1}/servicePrincipals/{_ID}/appRoleAssignedTo", app_role_assigned_to),
    route("GET", rf"{_V1}/servicePrincipals/{_ID}/appRoleAssignments", app_role_assignments),
    route("GET", rf"{_V1}/oauth2PermissionGrants", list_grants),
    route("POST", rf"{_V1}/oauth2PermissionGrants", create_grant),
    route("PATCH", rf"{_V1}/oauth2PermissionGrants/(?P<id>[\w-]+)", update_grant),
]
