"""Microsoft Graph v1.0 endpoints about the tenant and the signed-in user: organization, me, roles.

Shapes follow microsoftgraph/microsoft-graph-docs-contrib (``api-reference/v1.0/api/
user-list-transitivememberof.md``, ``concepts/aad-advanced-queries.md``...). As the real service:

* ``/me/transitiveMemberOf/microsoft.graph.directoryRole`` is an advanced query (400
  ``Request_UnsupportedQuery`` without ``ConsistencyLevel: eventual`` and ``$count=true``) and
  lists active roles only; PIM-eligible ones are in ``roleEligibilityScheduleInstances``;
* ``/me`` needs a delegated token (400 for app-only tokens).
"""

from __future__ import annotations

import uuid

from cmgtui.sandbox.graph_common import V1, graph_page, odata_context
from cmgtui.sandbox.http import Request, Response, Route, graph_error, route
from cmgtui.sandbox.scenario import DIRECTORY_ROLES
from cmgtui.rehearsal_tenant import USER_UPN
from cmgtui.sandbox.state import USER_ID, TenantState


def _app_only(req: Request) -> Response | None:
    """/me needs a signed-in user: an app-only token is refused as Graph refuses it."""
    if req.headers.get("x-sandbox-app-only") == "1":
        return graph_error(400, "BadRequest", "/me request is only valid with delegated "
                                              "authentication flow.")
    return None


def organization(state: TenantState, req: Request, match) -> Response:
    """``GET /organization``: the token's tenant (another directory when the sign-in landed there)."""
    tenant = req.headers.get("x-sandbox-tenant", state.tenant_id)
    if tenant != state.tenant_id:
        return graph_page(state, req, "organization", [{
            "id": tenant, "displayName": "Home tenant of the signed-in account", "tenantType": "AAD",
            "verifiedDomains": [{"capabilities": "Email", "isDefault": True, "isInitial": True,
                                 "name": f"home{tenant[:8]}.onmicrosoft.com", "type": "Managed"}],
        }])
    return graph_page(state, req, "organization", [{
        "id": state.tenant_id, "displayName": state.tenant_name, "tenantType": "AAD",
        "countryLetterCode": "US", "createdDateTime": "2019-06-10T18:35:12Z",
        "verifiedDomains": state.verified_domains(), "assignedPlans": [], "businessPhones": [],
    }])


def me(state: TenantState, req: Request, match) -> Response:
    """``GET /me``."""
    if (problem := _app_only(req)) is not None:
        return problem
    return Response(200, {"@odata.context": odata_context(req, "users/$entity"), "id": USER_ID,
                          "displayName": "Contoso Admin", "givenName": "Contoso",
                          "surname": "Admin", "userPrincipalName": USER_UPN,
                          "mail": "admin@contoso.com", "businessPhones": [],
                          "jobTitle": None, "officeLocation": None, "preferredLanguage": "en-US",
                          "mobilePhone": None})


def my_directory_roles(state: TenantState, req: Request, match) -> Response:
    """``GET /me/transitiveMemberOf/microsoft.graph.directoryRole``: active roles only (an OData
    cast, hence an advanced query needing ``ConsistencyLevel: eventual`` and ``$count=true``)."""
    if (problem := _app_only(req)) is not None:
        return problem
    if (req.headers.get("consistencylevel", "").lower() != "eventual"
            or req.query.get("$count", "").lower() != "true"):
        return graph_error(400, "Request_UnsupportedQuery",
                           "The OData cast is not supported because the required parameters might "
                           "be missing. Try adding $count=true query parameter and "
                           "ConsistencyLevel:eventual header. Refer to "
                           "https://aka.ms/graph-docs/advanced-queries for more information")
    with state.lock:
        roles = list(state.user_roles)
    value = [{"@odata.type": "#microsoft.graph.directoryRole",
              "id": str(uuid.uuid5(uuid.NAMESPACE_OID, name)), "deletedDateTime": None,
              "description": f"Built-in role: {name}.", "displayName": name,
              "roleTemplateId": DIRECTORY_ROLES[name]} for name in roles]
    response = graph_page(state, req, "directoryRoles", value)
    response.body["@odata.count"] = len(value)
    return response


def my_eligible_roles(state: TenantState, req: Request, match) -> Response:
    """``GET /roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')``:
    the user's PIM-eligible (not yet activated) directory roles."""
    if req.headers.get("x-sandbox-app-only") == "1":
        return graph_error(400, "BadRequest", "filterByCurrentUser is only valid with delegated "
                                              "authentication flow.")
    with state.lock:
        roles = list(state.eligible_roles)
    value = [{"id": str(uuid.uuid5(uuid.NAMESPACE_OID, f"eligible/{name}")), "principalId": USER_ID,
              "roleDefinitionId": DIRECTORY_ROLES[name], "directoryScopeId": "/", "appScopeId": None,
              "startDateTime": "2024-03-01T10:00:00Z", "endDateTime": None, "memberType": "Direct",
              "roleEligibilityScheduleId": str(uuid.uuid5(uuid.NAMESPACE_OID, f"schedule/{name}"))}
             for name in roles]
    return graph_page(state, req, "Collection(unifiedRoleEligibilityScheduleInstance)", value)


ROUTES: list[Route] = [
    route("GET", rf"{V1}/organization", organization),
    route("GET", rf"{V1}/me", me),
    route("GET", rf"{V1}/me/transitiveMemberOf/(?:microsoft\.)?graph\.directoryRole", my_directory_roles),
    route("GET", rf"{V1}/roleManagement/directory/roleEligibilityScheduleInstances/"
                 r"filterByCurrentUser\(on='principal'\)", my_eligible_roles),
]
