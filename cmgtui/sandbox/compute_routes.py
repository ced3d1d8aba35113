"""Microsoft.Compute endpoints of the sandbox: resource SKUs and vCPU usages, as the public examples show.

* ``GET /subscriptions/{sub}/providers/Microsoft.Compute/skus`` (``$filter=location eq '…'``
  optional): the shape of azure-rest-api-specs
  ``specification/compute/resource-manager/Microsoft.Compute/Skus/stable/2021-07-01/examples/skus/ListAvailableResourceSkusForARegion.json``
  (one entry per size and region, ``capabilities`` with ``vCPUs``, ``locationInfo`` with zones),
  and ``restrictions`` as ``skus.json`` of the same folder defines them (``type`` Location,
  ``values``, ``restrictionInfo.locations``, ``reasonCode`` ``NotAvailableForSubscription``).
  Only the three sizes a CMG uses are listed; a scenario's ``unavailable_sizes`` restricts them.
* ``GET /subscriptions/{sub}/providers/Microsoft.Compute/locations/{location}/usages``: the shape of
  ``specification/compute/resource-manager/Microsoft.Compute/ComputeRP/stable/2023-07-01/examples/computeRPCommonExamples/Usage_List_MaximumSet_Gen.json``
  (``unit``, ``currentValue``, ``limit``, ``name.value``/``name.localizedValue``); the names and
  labels (``cores`` "Total Regional vCPUs", "Standard Av2 Family vCPUs") are those ``az vm
  list-usage`` prints in the Azure docs' quota article. Limits come from the scenario's ``quota``.

Both answer ``409 MissingSubscriptionRegistration`` while Microsoft.Compute is not registered.
"""

from __future__ import annotations

import re

from cmgtui.sandbox.arm_routes import arm_checks
from cmgtui.sandbox.http import Request, Response, Route, arm_error, page, route
from cmgtui.sandbox.scenario import DEFAULT_QUOTA
from cmgtui.sandbox.state import LOCATIONS, USGOV_LOCATIONS, TenantState

_SUB = r"/subscriptions/(?P<sub>[0-9a-fA-F-]{36})/providers/Microsoft\.Compute"

#: (name, size, family, vCPUs, memory GB) of the sizes a CMG uses.
CMG_SIZES = [("Standard_B2s", "B2s", "standardBSFamily", "2", "4"),
             ("Standard_A2_v2", "A2_v2", "standardAv2Family", "2", "4"),
             ("Standard_A4_v2", "A4_v2", "standardAv2Family", "4", "8"),
             # From ConfigMgr 2609 (memdocs "What's new in version 2609": new CMG VM sizes).
             ("Standard_D2ads_v6", "D2ads_v6", "standardDADSv6Family", "2", "8"),
             ("Standard_D4ads_v6", "D4ads_v6", "standardDADSv6Family", "4", "16"),
             ("Standard_D8ads_v6", "D8ads_v6", "standardDADSv6Family", "8", "32")]
#: The labels ``az vm list-usage`` shows for each usage name.
USAGE_LABELS = {"cores": "Total Regional vCPUs", "virtualMachines": "Virtual Machines",
                "virtualMachineScaleSets": "Virtual Machine Scale Sets",
                "standardBSFamily": "Standard BS Family vCPUs", "standardAv2Family": "Standard Av2 Family vCPUs",
                "standardDADSv6Family": "Standard DADSv6 Family vCPUs"}


def _regions(req: Request) -> list[str]:
    return [r[0] for r in (USGOV_LOCATIONS if req.headers.get("x-sandbox-cloud") == "usgov" else LOCATIONS)]


def _sku(name: str, size: str, family: str, vcpus: str, memory: str, region: str,
         restricted: bool) -> dict:
    restrictions = [{"type": "Location", "values": [region], "restrictionInfo": {"locations": [region]},
                     "reasonCode": "NotAvailableForSubscription"}] if restricted else []
    return {
        "resourceType": "virtualMachines", "locations": [region],
        "capabilities": [{"name": "vCPUs", "value": vcpus}, {"name": "MemoryGB", "value": memory},
                         {"name": "vCPUsAvailable", "value": vcpus}, {"name": "HyperVGenerations", "value": "V1,V2"}],
        "locationInfo": [{"location": region, "zones": [] if restricted else ["1", "2", "3"]}],
        "name": name, "tier": "Standard", "size": size, "family": family, "restrictions": restrictions,
    }


def list_skus(state: TenantState, req: Request, match) -> Response:
    """``GET …/providers/Microsoft.Compute/skus``: the CMG sizes per region, restricted as the scenario says."""
    sub = match["sub"].lower()
    if (problem := arm_checks(state, req, sub, "skus", "Microsoft.Compute")) is not None:
        return problem
    regions = _regions(req)
    wanted = req.query.get("$filter", "").strip()
    if wanted:
        found = re.fullmatch(r"location\s+eq\s+'([^']*)'", wanted, re.IGNORECASE)
        if not found:
            return arm_error(400, "InvalidFilter", f"The filter '{wanted}' is not supported; use location eq "
                             "'<location>'.")
        regions = [r for r in regions if r == found.group(1).lower().replace(" ", "")]
    with state.lock:
        spec = next(s for s in state.scenario.subscriptions if s.id == sub)
        unavailable = {r: set(sizes) for r, sizes in spec.unavailable_sizes.items()}
    items = [_sku(*size, region, size[0] in unavailable.get(region, set()))
             for size in CMG_SIZES for region in regions]
    return page(req, items, state.scenario.behaviour.page_size)


def list_usages(state: TenantState, req: Request, match) -> Response:
    """``GET …/providers/Microsoft.Compute/locations/{location}/usages``: the scenario's quotas."""
    sub = match["sub"].lower()
    if (problem := arm_checks(state, req, sub, "usages", "Microsoft.Compute")) is not None:
        return problem
    location = match["loc"].lower()
    if location not in _regions(req):
        return arm_error(400, "LocationNotAvailableForResourceType",
                         f"The provided location '{location}' is not available for resource type "
                         "'Microsoft.Compute/locations/usages'.")
    with state.lock:
        spec = next(s for s in state.scenario.subscriptions if s.id == sub)
        quota = {**DEFAULT_QUOTA, **spec.quota}
    counts = {"virtualMachines": {"limit": 25000, "used": 0}, "virtualMachineScaleSets": {"limit": 2500, "used": 0}}
    items = [{"unit": "Count", "currentValue": q["used"], "limit": q["limit"],
              "name": {"value": name, "localizedValue": USAGE_LABELS[name]}}
             for name, q in {**quota, **counts}.items()]
    return page(req, items, state.scenario.behaviour.page_size)


ROUTES: list[Route] = [
    route("GET", rf"{_SUB}/skus", list_skus),
    route("GET", rf"{_SUB}/locations/(?P<loc>[^/]+)/usages", list_usages),
]
