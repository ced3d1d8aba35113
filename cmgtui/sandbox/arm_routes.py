"""Azure Resource Manager endpoints of the sandbox, in the shapes of the public REST examples.

Shapes follow the ``examples/`` folders of Azure/azure-rest-api-specs (subscriptions,
locations, resource groups, providers, Microsoft.Authorization permissions and role
assignments, storage and key vault ``checkNameAvailability``, the network
``CheckDnsNameAvailability``). As ARM does: writes without Owner or Contributor fail with
``AuthorizationFailed`` and writes in a disabled subscription with ``ReadOnlyDisabledSubscription``;
calls under ``/providers/{namespace}/`` answer ``409 MissingSubscriptionRegistration`` (with the
``target`` detail) while that namespace is not registered; a registration stays ``Registering``
for ``registration_reads`` reads; ``permissions`` has one entry per role with the built-in
``actions``/``notActions``; an api-version that does not exist for the resource type answers
``InvalidApiVersionParameter``; every list is paged with ``nextLink``.
"""

from __future__ import annotations

import re

from cmgtui.sandbox.http import Request, Response, Route, arm_error, page, route
from cmgtui.sandbox.state import (
    LOCATIONS,
    USER_ID,
    USGOV_LOCATIONS,
    Provider,
    TenantState,
)

_SUB = r"/subscriptions/(?P<sub>[0-9a-fA-F-]{36})"
_RG_NAME = re.compile(r"^[-\w._()]{1,89}[-\w_()]$")

#: api-versions that exist per resource type (the stable folders of azure-rest-api-specs);
#: any other answers 400 InvalidApiVersionParameter as ARM does.
API_VERSIONS: dict[str, tuple[str, ...]] = {
    "subscriptions": ("2016-06-01", "2018-06-01", "2019-06-01", "2019-11-01", "2020-01-01",
                      "2021-01-01", "2022-12-01"),
    "resources": ("2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01", "2021-04-01", "2022-09-01",
                  "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01"),
    "authorization": ("2015-07-01", "2018-01-01-preview", "2020-04-01-preview", "2022-04-01",
                      "2022-05-01-preview"),
    "storage": ("2021-09-01", "2022-05-01", "2022-09-01", "2023-01-01", "2023-04-01", "2023-05-01",
                "2024-01-01", "2025-01-01"),
    "keyvault": ("2019-09-01", "2021-10-01", "2022-07-01", "2023-02-01", "2023-07-01", "2024-11-01"),
    "network": ("2023-04-01", "2023-05-01", "2023-06-01", "2023-09-01", "2023-11-01", "2024-01-01",
                "2024-03-01", "2024-05-01", "2024-07-01", "2024-10-01", "2025-01-01", "2025-03-01",
                "2025-05-01", "2025-07-01"),
    "skus": ("2017-09-01", "2019-04-01", "2021-07-01"),
    "usages": ("2023-03-01", "2023-07-01", "2023-09-01", "2024-03-01", "2024-07-01", "2024-11-01"),
    "policy": ("2021-06-01", "2022-06-01", "2023-04-01"),
}
_RESOURCE_TYPE = {"subscriptions": "subscriptions", "resources": "resourceGroups",
                  "authorization": "permissions", "storage": "checkNameAvailability",
                  "keyvault": "checkNameAvailability", "network": "locations/CheckDnsNameAvailability",
                  "skus": "skus", "usages": "locations/usages", "policy": "policyAssignments"}
_NAMESPACE = {"subscriptions": "Microsoft.Resources", "resources": "Microsoft.Resources",
              "authorization": "Microsoft.Authorization", "storage": "Microsoft.Storage",
              "keyvault": "Microsoft.KeyVault", "network": "Microsoft.Network", "skus": "Microsoft.Compute",
              "usages": "Microsoft.Compute", "policy": "Microsoft.Authorization"}

#: Built-in role definitions' permissions (Azure built-in roles reference), one entry per role.
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "Owner": {"actions": ["*"], "notActions": []},
    "Contributor": {"actions": ["*"], "notActions": [
        "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
        "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
        "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"]},
    "Reader": {"actions": ["*/read"], "notActions": []},
    "User Access Administrator": {"actions": ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
                                  "notActions": []},
}
_WRITERS = {"Owner", "Contributor"}


def _api_version(req: Request, family: str) -> Response | None:
    version = req.query.get("api-version")
    if not version:
        return arm_error(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) is required for all requests.")
    known = API_VERSIONS[family]
    if version not in known:
        return arm_error(400, "InvalidApiVersionParameter",
                         f"The api-version '{version}' is invalid. The supported versions are "
                         f"'{','.join(reversed(known))}'. Resource type '{_RESOURCE_TYPE[family]}' of "
                         f"namespace '{_NAMESPACE[family]}'.")
    return None


def _subscription(state: TenantState, sub: str) -> Response | None:
    if sub.lower() not in state.subscriptions:
        return arm_error(404, "SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
    return None


def _can_write(state: TenantState, sub: str) -> bool:
    """Owner or Contributor at subscription scope (the roles with resource write rights)."""
    with state.lock:
        return bool(_WRITERS & set(state.subscription_roles.get(sub, [])))


def _forbidden(action: str, scope: str) -> Response:
    return arm_error(403, "AuthorizationFailed",
                     f"The client '{USER_ID}' with object id '{USER_ID}' does not have authorization "
                     f"to perform action '{action}' over scope '{scope}' or the scope is invalid. If "
                     "access was recently granted, please refresh your credentials.")


def _read_only(state: TenantState, sub: str) -> Response | None:
    """409 ReadOnlyDisabledSubscription for a write in a disabled subscription."""
    if state.subscriptions[sub]["state"] == "Disabled":
        return arm_error(409, "ReadOnlyDisabledSubscription",
                         f"The subscription '{sub}' is disabled and therefore marked as read only. "
                         "You cannot perform any write actions on this subscription until it is "
                         "re-enabled.")
    return None


def _unregistered(state: TenantState, sub: str, namespace: str) -> Response | None:
    """409 MissingSubscriptionRegistration while ``namespace`` is not registered in ``sub``."""
    provider = _provider(state, sub, namespace)
    if provider is None or provider.state == "Registered":
        return None
    message = (f"The subscription is not registered to use namespace '{provider.namespace}'. See "
               "https://aka.ms/rps-not-found for how to register subscriptions.")
    response = arm_error(409, "MissingSubscriptionRegistration", message)
    response.body["error"]["details"] = [{"code": "MissingSubscriptionRegistration",
                                          "target": provider.namespace, "message": message}]
    return response


def _checks(state: TenantState, req: Request, sub: str, family: str = "resources") -> Response | None:
    return _api_version(req, family) or _subscription(state, sub)


def arm_checks(state: TenantState, req: Request, sub: str, family: str = "resources",
               namespace: str = "") -> Response | None:
    """What every ARM route checks first, for the other ARM route modules: the api-version of
    ``family``, the subscription, and (when ``namespace`` is given) its provider registration."""
    return _checks(state, req, sub, family) or (_unregistered(state, sub, namespace) if namespace else None)


def writer_checks(state: TenantState, sub: str, action: str, scope: str) -> Response | None:
    """403 AuthorizationFailed without Owner or Contributor, 409 in a disabled subscription."""
    if not _can_write(state, sub):
        return _forbidden(action, scope)
    return _read_only(state, sub)


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
    if (problem := _api_version(req, "subscriptions")) is not None:
        return problem
    with state.lock:
        items = ([_sub_body(state, s) for s in state.subscriptions]
                 if req.headers.get("x-sandbox-tenant", state.tenant_id) == state.tenant_id else [])
    return page(req, items, state.scenario.behaviour.page_size,
                extra={"count": {"type": "Total", "value": len(items)}})


def get_subscription(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}``."""
    sub = match["sub"].lower()
    with state.lock:
        return _checks(state, req, sub, "subscriptions") or Response(200, _sub_body(state, sub))


def list_locations(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/locations``: the regions of the token's cloud, paged."""
    sub = match["sub"].lower()
    if (problem := _checks(state, req, sub, "subscriptions")) is not None:
        return problem
    regions = USGOV_LOCATIONS if req.headers.get("x-sandbox-cloud") == "usgov" else LOCATIONS
    value = [{
        "id": f"/subscriptions/{sub}/locations/{name}", "name": name, "type": "Region",
        "displayName": display, "regionalDisplayName": regional,
        "metadata": {"regionType": "Physical", "regionCategory": "Recommended",
                     "geographyGroup": geo, "physicalLocation": place},
    } for name, display, regional, geo, place in regions]
    return page(req, value, state.scenario.behaviour.page_size)


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
        items = [_rg_body(sub, n, d) for n, d in groups.items()]
    return page(req, items, state.scenario.behaviour.page_size)


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
        if not _can_write(state, sub):
            return _forbidden("Microsoft.Resources/subscriptions/resourcegroups/write",
                              f"/subscriptions/{sub}/resourcegroups/{name}")
        if (problem := _read_only(state, sub)) is not None:
            return problem
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
        state.save()
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
    """``GET /subscriptions/{sub}/providers/{ns}``; a registering provider stays Registering for
    ``registration_reads`` reads, then is Registered."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub)) is not None:
            return problem
        provider = _provider(state, sub, match["ns"])
        if provider is None:
            return arm_error(404, "InvalidResourceNamespace",
                             f"The resource namespace '{match['ns']}' is invalid.")
        body = _provider_body(sub, provider)
        if provider.state == "Registering":
            provider.polls_left -= 1
            if provider.polls_left < 0:
                provider.state = "Registered"
                body = _provider_body(sub, provider)
                state.save()
        return Response(200, body)


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
        if not _can_write(state, sub):
            return _forbidden(f"{provider.namespace}/register/action", f"/subscriptions/{sub}")
        if (problem := _read_only(state, sub)) is not None:
            return problem
        if provider.state != "Registered":
            provider.state = "Registering"
            provider.polls_left = state.scenario.behaviour.registration_reads
            state.save()
        return Response(200, _provider_body(sub, provider))


def permissions(state: TenantState, req: Request, match) -> Response:
    """``GET .../providers/Microsoft.Authorization/permissions``: one entry per role that applies."""
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub, "authorization")) is not None:
            return problem
        roles = list(state.subscription_roles.get(sub, []))
    entries = [{"actions": list(ROLE_PERMISSIONS[r]["actions"]),
                "notActions": list(ROLE_PERMISSIONS[r]["notActions"]), "dataActions": [],
                "notDataActions": []} for r in roles]
    return page(req, entries, state.scenario.behaviour.page_size)


def role_assignments(state: TenantState, req: Request, match) -> Response:
    """``GET /subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments``.

    Supports ``$filter=assignedTo('{id}')``, ``principalId eq '{id}'`` and ``atScope()``.
    """
    sub = match["sub"].lower()
    with state.lock:
        if (problem := _checks(state, req, sub, "authorization")) is not None:
            return problem
    assignments = state.role_assignments(sub)
    flt = req.query.get("$filter", "").strip()
    if flt:
        wanted = re.fullmatch(r"(?:assignedTo\('([^']+)'\)|principalId eq '([^']+)')", flt)
        if wanted:
            principal = (wanted.group(1) or wanted.group(2)).lower()
            assignments = [a for a in assignments if a["properties"]["principalId"] == principal]
        elif flt != "atScope()":
            return arm_error(400, "UnsupportedQuery", f"The filter '{flt}' is not supported.")
    return page(req, assignments, state.scenario.behaviour.page_size)


def storage_name(state: TenantState, req: Request, match) -> Response:
    """``POST .../providers/Microsoft.Storage/checkNameAvailability``."""
    sub = match["sub"].lower()
    if (problem := _checks(state, req, sub, "storage") or _unregistered(state, sub, "Microsoft.Storage")):
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
        taken = name in state.taken_names
    if taken:
        return Response(200, {"nameAvailable": False, "reason": "AlreadyExists",
                              "message": f"The storage account named {name} is already taken."})
    return Response(200, {"nameAvailable": True})


def vault_name(state: TenantState, req: Request, match) -> Response:
    """``POST .../providers/Microsoft.KeyVault/checkNameAvailability``."""
    sub = match["sub"].lower()
    if (problem := _checks(state, req, sub, "keyvault") or _unregistered(state, sub, "Microsoft.KeyVault")):
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
        taken = name.lower() in state.taken_names
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
    sub = match["sub"].lower()
    if (problem := _checks(state, req, sub, "network") or _unregistered(state, sub, "Microsoft.Network")):
        return problem
    label = req.query.get("domainNameLabel", "")
    location = match["loc"].lower()
    if location not in {loc[0] for loc in [*LOCATIONS, *USGOV_LOCATIONS]}:
        return arm_error(400, "LocationNotAvailableForResourceType",
                         f"The provided location '{location}' is not available for resource type "
                         "'Microsoft.Network/locations/CheckDnsNameAvailability'.")
    if not re.fullmatch(r"[a-z][a-z0-9-]{1,61}[a-z0-9]", label):
        return arm_error(400, "InvalidDomainNameLabel",
                         f"The domain name label {label} is invalid. It must conform to the "
                         "following regular expression: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$.")
    with state.lock:
        taken = label in state.taken_names
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
