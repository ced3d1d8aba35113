"""Microsoft Graph v1.0 endpoints for service principals and what is granted to them.

Service principals, app role assignments (application permissions) and OAuth2 permission
grants (admin consent for delegated scopes). Request and response shapes follow the samples in
microsoftgraph/microsoft-graph-docs-contrib (``api-reference/v1.0/api/
serviceprincipal-post-serviceprincipals.md``, ``serviceprincipal-post-approleassignedto.md``,
``oauth2permissiongrant-post.md``...). As the real service:

* creating a service principal for an application that has not replicated yet is a 400 "does
  not reference a valid application object";
* granting needs a consent-granting directory role, and granting an app role of Microsoft
  Graph itself needs Global or Privileged Role Administrator.
"""

from __future__ import annotations

import copy
import secrets
import uuid

from cmgtui.sandbox.graph_common import (
    APP_WRITERS,
    ID,
    V1,
    denied,
    filtered,
    graph_page,
    may,
    not_found,
    odata_context,
    visible,
)
from cmgtui.sandbox.http import Request, Response, Route, graph_error, route
from cmgtui.sandbox.state import GRAPH_APP_ID, TenantState, now_iso

_CONSENT_GRANTERS = {"Global Administrator", "Privileged Role Administrator",
                     "Cloud Application Administrator", "Application Administrator"}
#: Granting an application permission (app role) of Microsoft Graph (domain sheet §4.2 step 5).
_GRAPH_ROLE_GRANTERS = {"Global Administrator", "Privileged Role Administrator"}


def list_service_principals(state: TenantState, req: Request, match) -> Response:
    """``GET /servicePrincipals`` with ``$filter`` on appId or displayName."""
    with state.lock:
        items = [copy.deepcopy(s) for s in visible(state, list(state.service_principals.values()))]
    result = filtered(req, items, {"appId", "displayName"})
    if isinstance(result, Response):
        return result
    return graph_page(state, req, "servicePrincipals", result)


def create_service_principal(state: TenantState, req: Request, match) -> Response:
    """``POST /servicePrincipals`` with ``{"appId"}``."""
    if not may(state, APP_WRITERS):
        return denied()
    app_id = str((req.body or {}).get("appId", "")).lower()
    with state.lock:
        app = next((a for a in state.applications.values() if a["appId"] == app_id), None)
        if app is None or not state.visible(app["id"]):
            return graph_error(400, "Request_BadRequest", f"The appId '{app_id}' of the service "
                               "principal does not reference a valid application object.")
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
        state.created(sp["id"])
        state.save()
        answer = copy.deepcopy(sp)
    answer["@odata.context"] = odata_context(req, "servicePrincipals/$entity")
    return Response(201, answer)


def app_role_assigned_to(state: TenantState, req: Request, match) -> Response:
    """``GET``/``POST /servicePrincipals/{id}/appRoleAssignedTo``."""
    resource_id = match["id"].lower()
    with state.lock:
        resource = state.service_principals.get(resource_id)
        if resource is None or not state.visible(resource_id):
            return not_found(match["id"])
        if req.method == "GET":
            value = [a for a in visible(state, state.app_role_assignments)
                     if a["resourceId"] == resource_id]
            return graph_page(state, req, "appRoleAssignments", copy.deepcopy(value))
    if not may(state, _GRAPH_ROLE_GRANTERS if resource["appId"] == GRAPH_APP_ID
                else _CONSENT_GRANTERS):
        return denied()
    body = req.body or {}
    principal_id = str(body.get("principalId", "")).lower()
    role_id = str(body.get("appRoleId", "")).lower()
    with state.lock:
        principal = state.service_principals.get(principal_id)
        if principal is not None and not state.visible(principal_id):
            return not_found(principal_id)
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
        state.created(entry["id"])
        state.save()
    context = odata_context(req, "appRoleAssignments/$entity")
    return Response(201, dict(entry, **{"@odata.context": context}))


def app_role_assignments(state: TenantState, req: Request, match) -> Response:
    """``GET /servicePrincipals/{id}/appRoleAssignments``: app roles granted to this principal."""
    principal_id = match["id"].lower()
    with state.lock:
        if principal_id not in state.service_principals or not state.visible(principal_id):
            return not_found(match["id"])
        value = [copy.deepcopy(a) for a in visible(state, state.app_role_assignments)
                 if a["principalId"] == principal_id]
    return graph_page(state, req, "appRoleAssignments", value)


def list_grants(state: TenantState, req: Request, match) -> Response:
    """``GET /oauth2PermissionGrants`` with ``$filter`` on clientId / resourceId / consentType."""
    with state.lock:
        items = [copy.deepcopy(g) for g in visible(state, list(state.grants.values()))]
    result = filtered(req, items, {"clientId", "resourceId", "consentType", "principalId"})
    if isinstance(result, Response):
        return result
    return graph_page(state, req, "oauth2PermissionGrants", result)


def create_grant(state: TenantState, req: Request, match) -> Response:
    """``POST /oauth2PermissionGrants`` (admin consent for delegated scopes)."""
    body = req.body or {}
    with state.lock:
        resource = state.service_principals.get(str(body.get("resourceId", "")).lower())
        client = state.service_principals.get(str(body.get("clientId", "")).lower())
        for sp in (resource, client):
            if sp is not None and not state.visible(sp["id"]):
                return not_found(sp["id"])
    if resource is None or client is None:
        return graph_error(400, "Request_BadRequest",
                           "clientId and resourceId must reference existing service principals.")
    if not may(state, _CONSENT_GRANTERS):
        return denied()
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
        state.created(grant["id"])
        state.save()
    context = odata_context(req, "oauth2PermissionGrants/$entity")
    return Response(201, dict(grant, **{"@odata.context": context}))


def update_grant(state: TenantState, req: Request, match) -> Response:
    """``PATCH /oauth2PermissionGrants/{id}``: only ``scope`` can change; 204 No Content."""
    with state.lock:
        grant = state.grants.get(match["id"])
        if grant is None or not state.visible(grant["id"]):
            return not_found(match["id"])
    if not may(state, _CONSENT_GRANTERS):
        return denied()
    with state.lock:
        grant["scope"] = str((req.body or {}).get("scope", grant["scope"]))
        state.save()
    return Response(204)


ROUTES: list[Route] = [
    route("GET", rf"{V1}/servicePrincipals", list_service_principals),
    route("POST", rf"{V1}/servicePrincipals", create_service_principal),
    route("GET", rf"{V1}/servicePrincipals/{ID}/appRoleAssignedTo", app_role_assigned_to),
    route("POST", rf"{V1}/servicePrincipals/{ID}/appRoleAssignedTo", app_role_assigned_to),
    route("GET", rf"{V1}/servicePrincipals/{ID}/appRoleAssignments", app_role_assignments),
    route("GET", rf"{V1}/oauth2PermissionGrants", list_grants),
    route("POST", rf"{V1}/oauth2PermissionGrants", create_grant),
    route("PATCH", rf"{V1}/oauth2PermissionGrants/(?P<id>[\w-]+)", update_grant),
]
