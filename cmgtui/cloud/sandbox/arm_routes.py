"""Azure Resource Manager endpoints of the sandbox, in the shapes of the public REST examples.

Shapes follow the ``examples/`` folders of Azure/azure-rest-api-specs (subscriptions,
locations, resource groups, providers, Microsoft.Authorization permissions and role
assignments, storage and key vault ``checkNameAvailability``, the network
``CheckDnsNameAvailability``). Writes in a subscription where the user is only Reader fail
with ``AuthorizationFailed`` as ARM does.
"""

from __future__ import annotations

import re

from cmgtui.cloud.sandbox.http import Request, Response, Route, arm_error, route
from cmgtui.cloud.sandbox.state import (
    LOCATIONS,
    OWNER_ROLE,
    USER_ID,
    Provider,
    TenantState,
)

_SUB = r"/subscriptions/(?P<sub>[0-9a-fA-F-]{36})"
_RG_NAME = re.compile(r"^[-\w._()]{1,89}[-\w_()]$")


def _need_api_version(req: Request) -> Response | None:
    if "api-version" not in req.query:
        return arm_error(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) is required for all requests.")
    return None


def _subscription(state: TenantState, sub: str) -> Response | None:
    if sub.lower() not in state.subscriptions:
        return arm_error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
    return None


def _is_owner(state: TenantState, sub: str) -> bool:
    """Owner at subscription scope (an Owner assignment on one resource group does not count)."""
    return any(a["properties"]["roleDefinitionId"].endswith(OWNER_ROLE)
               and a["properties"]["scope"].lower() == f"/subscriptions/{sub}"
               for a in state.role_assignments.get(sub, []))


def _forbidden(action: str, scope: str) -> Response:
    return arm_error(403, "AuthorizationFailed",
                     f"The client '{USER_ID}' with object id '{USER_ID}' does not have authorization "
                     f"to perform action '{action}' over scope '{scope}' or the scope is invalid. If "
                     "access was recently granted, please refresh your credentials.")


def _checks(state: TenantState, req: Request, sub: str) -> Response | None:
    return _need_api_version(req) or _subscription(state, sub)


def _sub_body(state: TenantState, sub: str) -> dict:
    data = state.subscriptions[sub]
    return {
        "id": f"/subscriptions/{sub}", "authorizationSource": "RoleBased", "managedByTenants": [],
        "subscriptionId": sub, "tenantId": state.tenant_id, "displayName": data["displayName"],
        "state": data["state"],
        "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01",
                                 "quotaId": "EnterpriseAgreement_2014-09-01", "spendingLimit": "Off"},
    }


def list_subscriptions(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions``."""
    if (problem := _need_api_version(req)) is not None:
        return problem
    with state.lock:
        return Response(200, {"value": [_sub_body(state, s) for s in state.subscriptions],
                              "count": {"type": "Total", "value": len(state.subscriptions)}})


def get_subscription(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}``."""
    sub = match["sub"].lower()
    with state.lock:
        return _checks(state, req, sub) or Response(200, _sub_body(state, sub))


def list_locations(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/locations``."""
    sub = match["sub"].lower()
    if (problem := _checks(state, req, sub)) is not None:
        return problem
    value = [{
        "id": f"/subscriptions/{sub}/locations/{name}", "name": name, "type": "Region",
        "displayName": display, "regionalDisplayName": regional,
        "metadata": {"regionType": "Physical", "regionCategory": "Recommended",
                     "geographyGroup": geo, "physicalLocation": place},
    } for name, display, regional, geo, place in LOCATIONS]
    return Response(200, {"value": value})


def _rg_body(sub: str, name: str, data: dict) -> dict:
    return {"id": f"/subscriptions/{sub}/resourceGroups/{name}", "name": name,
            "type": "Microsoft.Resources/resourceGroups", "location": data["location"],
            "tags": data.get("tags", {}), "properties": {"provisioningState": "Succeeded"}}


def _find_rg(state: TenantState, sub: str, name: str) -> tuple[str, dict] | None:
    for existing, data in state.resource_groups.get(sub, {}).items():
        if existing.lower() == name.lower():
            return existing, data
    return None


def list_resource_groups(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/resourcegroups``."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        groups = state.resource_groups.get(sub, {})
        return Response(200, {"value": [_rg_body(sub, n, d) for n, d in groups.items()]})


def resource_group(state: TenantState, req: Request, match) -> Response:
    """``GET``/``HEAD``/``PUT /subscriptions/{sub}/resourcegroups/{rg}``."""
    sub, name = match["sub"].lower(), match["rg"]
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        found = _find_rg(state, sub, name)
        if req.method in ("GET", "HEAD"):
            if found is None:
                if req.method == "HEAD":
                    return Response(404)
                return arm_error(404, "ResourceGroupNotFound",
                                 f"Resource group '{name}' could not be found.")
            return Response(204) if req.method == "HEAD" else Response(200, _rg_body(sub, *found))
        if not _is_owner(state, sub):
            return _forbidden("Microsoft.Resources/subscriptions/resourcegroups/write",
                              f"/subscriptions/{sub}/resourcegroups/{name}")
        if not _RG_NAME.match(name):
            return arm_error(400, "InvalidResourceGroup", "The provided resource group name "
                             f"'{name}' has these invalid characters or is too long.")
        location = str((req.body or {}).get("location", "")).lower().replace(" ", "")
        if not location:
            return arm_error(400, "LocationRequired", "The location property is required for "
                             "this definition.")
        if found is not None:
            if found[1]["location"] != location:
                return arm_error(409, "InvalidResourceGroupLocation",
                                 f"Invalid resource group location '{location}'. The Resource group "
                                 f"already exists in location '{found[1]['location']}'.")
            found[1]["tags"] = (req.body or {}).get("tags") or {}
            return Response(200, _rg_body(sub, *found))
        data = {"location": location, "tags": (req.body or {}).get("tags") or {}}
        state.resource_groups.setdefault(sub, {})[name] = data
        return Response(201, _rg_body(sub, name, data))


def _provider_body(sub: str, provider: Provider) -> dict:
    return {"id": f"/subscriptions/{sub}/providers/{provider.namespace}",
            "namespace": provider.namespace, "registrationState": provider.state,
            "registrationPolicy": "RegistrationRequired", "resourceTypes": []}


def _provider(state: TenantState, sub: str, namespace: str) -> Provider | None:
    for name, provider in state.providers.get(sub, {}).items():
        if name.lower() == namespace.lower():
            return provider
    return None


def get_provider(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/providers/{ns}``; a registering provider advances per poll."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        provider = _provider(state, sub, match["ns"])
        if provider is None:
            return arm_error(404, "InvalidResourceNamespace",
                             f"The resource namespace '{match['ns']}' is invalid.")
        if provider.state == "Registering":
            provider.polls_left -= 1
            if provider.polls_left <= 0:
                provider.state = "Registered"
        return Response(200, _provider_body(sub, provider))


def register_provider(state: TenantState, req: Request, match) -> Response:
    """``POST /subscriptions/{sub}/providers/{ns}/register``."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        provider = _provider(state, sub, match["ns"])
        if provider is None:
            return arm_error(404, "InvalidResourceNamespace",
                             f"The resource namespace '{match['ns']}' is invalid.")
        if not _is_owner(state, sub):
            return _forbidden(f"{provider.namespace}/register/action", f"/subscriptions/{sub}")
        if provider.state != "Registered":
            provider.state = "Registering"
            provider.polls_left = state.register_polls
        return Response(200, _provider_body(sub, provider))


def permissions(state: TenantState, req: Request, match) -> Response:
    """``GET .../providers/Microsoft.Authorization/permissions`` (subscription or group scope)."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        actions = ["*"] if _is_owner(state, sub) else ["*/read"]
    return Response(200, {"value": [{"actions": actions, "notActions": [], "dataActions": [],
                                     "notDataActions": []}]})


def role_assignments(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments``.

    Supports ``$filter=assignedTo('{id}')``, ``principalId eq '{id}'`` and ``atScope()``.
    """
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        assignments = list(state.role_assignments.get(sub, []))
    flt = req.query.get("$filter", "").strip()
    if flt:
        wanted = re.fullmatch(r"(?:assignedTo\('([^']+)'\)|principalId eq '([^']+)')", flt)
        if wanted:
            principal = (wanted.group(1) or wanted.group(2)).lower()
            assignments = [a for a in assignments if a["properties"]["principalId"] == principal]
        elif flt != "atScope()":
            return arm_error(400, "UnsupportedQuery", f"The filter '{flt}' is not supported.")
    return Response(200, {"value": assignments})


def storage_name(state: TenantState, req: Request, match) -> Response:
    """``POST .../providers/Microsoft.Storage/checkNameAvailability``."""
    if (problem := _checks(state, req, match["sub"].lower())) is not None:
        return problem
    body = req.body or {}
    name = str(body.get("name", ""))
    if body.get("type") != "Microsoft.Storage/storageAccounts":
        return arm_error(400, "InvalidResourceType", "The resource type is not valid; use "
                         "'Microsoft.Storage/storageAccounts'.")
    if not re.fullmatch(r"[a-z0-9]{3,24}", name):
        return Response(200, {"nameAvailable": False, "reason": "AccountNameInvalid",
                              "message": f"{name} is not a valid storage account name. Storage "
                              "account name must be between 3 and 24 characters in length and use "
                              "numbers and lower-case letters only."})
    with state.lock:
        taken = name in state.taken_storage
    if taken:
        return Response(200, {"nameAvailable": False, "reason": "AlreadyExists",
                              "message": f"The storage account named {name} is already taken."})
    return Response(200, {"nameAvailable": True})


def vault_name(state: TenantState, req: Request, match) -> Response:
    """``POST .../providers/Microsoft.KeyVault/checkNameAvailability``."""
    if (problem := _checks(state, req, match["sub"].lower())) is not None:
        return problem
    body = req.body or {}
    name = str(body.get("name", ""))
    if body.get("type") != "Microsoft.KeyVault/vaults":
        return arm_error(400, "InvalidResourceType", "The resource type is not valid; use "
                         "'Microsoft.KeyVault/vaults'.")
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]", name) or "--" in name:
        return Response(200, {"nameAvailable": False, "reason": "AccountNameInvalid",
                              "message": f"Vault name '{name}' is invalid. A vault's name must be "
                              "between 3-24 alphanumeric characters. The name must begin with a "
                              "letter, end with a letter or digit, and not contain consecutive "
                              "hyphens."})
    with state.lock:
        taken = name.lower() in state.taken_vaults
    if taken:
        return Response(200, {"nameAvailable": False, "reason": "AlreadyExists",
                              "message": f"The vault name '{name}' is already in use. Vault names "
                              "are globally unique so it is possible that the name is already "
                              "taken. If you are sure that the vault name was not taken then it "
                              "is possible that a vault with the same name was recently deleted "
                              "but not purged after being placed in a recoverable state."})
    return Response(200, {"nameAvailable": True})


def dns_label(state: TenantState, req: Request, match) -> Response:
    """``GET .../providers/Microsoft.Network/locations/{loc}/CheckDnsNameAvailability``."""
    if (problem := _checks(state, req, match["sub"].lower())) is not None:
        return problem
    label = req.query.get("domainNameLabel", "")
    location = match["loc"].lower()
    if location not in {loc[0] for loc in LOCATIONS}:
        return arm_error(400, "LocationNotAvailableForResourceType",
                         f"The provided location '{location}' is not available for resource type "
                         "'Microsoft.Network/locations/CheckDnsNameAvailability'.")
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,61}[a-z0-9]", label):
        return arm_error(400, "InvalidDomainNameLabel",
                         f"The domain name label {label} is invalid. It must conform to the "
                         "following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.")
    with state.lock:
        taken = label in state.taken_dns.get(location, set())
    return Response(200, {"available": not taken})


_PROVIDERS = rf"{_SUB}/providers"
ROUTES: list[Route] = [
    route("GET", r"/subscriptions", list_subscriptions),
    route("GET", _SUB, get_subscription),
    route("GET", rf"{_SUB}/locations", list_locations),
    route("GET", rf"{_SUB}/resourcegroups", list_resource_groups),
    route("GET", rf"{_SUB}/resourcegroups/(?P<rg>[^/]+)", resource_group),
    route("HEAD", rf"{_SUB}/resourcegroups/(?P<rg>[^/]+)", resource_group),
    route("PUT", rf"{_SUB}/resourcegroups/(?P<rg>[^/]+)", resource_group),
    route("GET", rf"{_PROVIDERS}/Microsoft\.Authorization/permissions", permissions),
    route("GET", rf"{_SUB}/resourcegroups/[^/]+/providers/Microsoft\.Authorization/permissions",
          permissions),
    route("GET", rf"{_PROVIDERS}/Microsoft\.Authorization/roleAssignments", role_assignments),
    route("POST", rf"{_PROVIDERS}/Microsoft\.Storage/checkNameAvailability", storage_name),
    route("POST", rf"{_PROVIDERS}/Microsoft\.KeyVault/checkNameAvailability", vault_name),
    route("GET", rf"{_PROVIDERS}/Microsoft\.Network/locations/(?P<loc>[^/]+)/CheckDnsNameAvailability",
          dns_label),
    route("GET", rf"{_PROVIDERS}/(?P<ns>[\w.]+)", get_provider),
    route("POST", rf"{_PROVIDERS}/(?P<ns>[\w.]+)/register", register_provider),
]
