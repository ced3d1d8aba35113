"""The deployed CMG of the sandbox: its resource group's resources, read through ARM as Azure answers.

After a simulated deployment (``cmgtui sandbox deploy``, :func:`deploy`) the resource group holds
what a virtual machine scale set CMG deploys (Microsoft's Configuration Manager blog, "A Deep Dive
look into CMG Cloud Components (Part 2)", 2024: scale set, key vault, load balancer, network
security group, public IP address, virtual network, storage account). The scale set, key vault
and public IP carry the CMG's prefix (domain sheet §5.1; SupportArticles-docs
``support/mem/configmgr/cloud-services/public-ip-creation-error.md``: "Creating Public IP Address
<Name of CMG>"), the storage account the prefix in lower case. ConfigMgr's names for the load
balancer, network security group and virtual network are not published: the sandbox names them
``{prefix}-lb``, ``{prefix}-nsg`` and ``{prefix}-vnet``, and cmgtui finds them by type.

Shapes, from Azure/azure-rest-api-specs examples:

- ``GET .../resourceGroups/{rg}/resources``: ``Resources_ListByResourceGroup`` of
  ``specification/resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json``
  (``value`` of ``{id, name, type, location}``, ``nextLink``);
- ``GET .../virtualMachineScaleSets/{name}``: ``sku`` (``name``, ``tier``, ``capacity``) and
  ``properties.provisioningState`` (ComputeRP ``stable/2024-07-01/examples/virtualMachineScaleSetExamples/
  VirtualMachineScaleSet_Get_WithUserData.json``; that example writes "succeeded" in lower case, so
  cmgtui compares it without case);
- ``GET .../virtualMachineScaleSets/{name}/instanceView``:
  ``virtualMachineScaleSetExamples/VirtualMachineScaleSet_GetInstanceView_MaximumSet_Gen.json``
  (``virtualMachine.statusesSummary`` of ``{code, count}``, ``statuses`` of ``{code, level,
  displayStatus, message, time}``);
- ``GET .../virtualMachineScaleSets/{name}/virtualMachines``:
  ``VirtualMachineScaleSetVM_List_MaximumSet_Gen.json`` (``name``, ``id`` ending
  ``/virtualMachines/0``, ``type`` ``Microsoft.Compute/virtualMachines``, ``instanceId``,
  ``properties.provisioningState``, ``properties.instanceView`` with ``$expand=instanceView``);
- ``GET .../virtualMachines/{instanceId}/instanceView``:
  ``VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json`` (``statuses``
  ``ProvisioningState/succeeded`` "Provisioning succeeded" then ``PowerState/running`` "VM running");
- ``GET .../publicIPAddresses/{name}``: network ``stable/2024-05-01/examples/PublicIpAddressGet.json``
  plus ``ipAddress`` and ``dnsSettings`` (``domainNameLabel``, ``fqdn``) of the same schema;
- ``GET .../vaults/{name}``: keyvault ``stable/2023-07-01/examples/getVault.json``;
- ``GET .../storageAccounts/{name}``: storage ``stable/2023-01-01/examples/StorageAccountGetProperties.json``.

Power and provisioning codes, levels and display texts are those of MicrosoftDocs/azure-docs
``includes/virtual-machines-common-states-lifecycle.md`` (``PowerState/stopped`` "VM stopped",
``PowerState/deallocated`` "VM deallocated", ``ProvisioningState/failed/InternalOperationError``
level ``Error`` "Provisioning failed", "Operation abandoned due to internal error. Please try again
later."). A resource that is not there answers ARM's ``404 ResourceNotFound``.

Health states to rehearse (:data:`HEALTH_STATES`): ``running`` (every instance running),
``one-stopped`` (instance 0 stopped), ``deallocated`` (every instance deallocated), ``failed``
(the scale set's provisioning failed), ``missing`` (the key vault was deleted).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from cmgtui.sandbox.http import Request, Response, Route, arm_error, page, route
from cmgtui.sandbox.scenario import CMG_HEALTH_STATES as HEALTH_STATES
from cmgtui.sandbox.state import TenantState

COMPUTE_API_VERSIONS = ("2023-03-01", "2023-07-01", "2023-09-01", "2024-03-01", "2024-07-01", "2024-11-01")
NETWORK_API_VERSIONS = ("2023-09-01", "2023-11-01", "2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01")
KEYVAULT_API_VERSIONS = ("2022-07-01", "2023-02-01", "2023-07-01", "2024-11-01")
STORAGE_API_VERSIONS = ("2022-09-01", "2023-01-01", "2023-05-01", "2024-01-01", "2025-01-01")
RESOURCES_API_VERSIONS = ("2021-04-01", "2022-09-01", "2023-07-01", "2024-03-01", "2024-11-01", "2025-04-01")

_SUCCEEDED = {"code": "ProvisioningState/succeeded", "level": "Info", "displayStatus": "Provisioning succeeded"}
_FAILED = {"code": "ProvisioningState/failed/InternalOperationError", "level": "Error",
           "displayStatus": "Provisioning failed",
           "message": "Operation abandoned due to internal error. Please try again later."}
_POWER = {"running": {"code": "PowerState/running", "level": "Info", "displayStatus": "VM running"},
          "stopped": {"code": "PowerState/stopped", "level": "Info", "displayStatus": "VM stopped"},
          "deallocated": {"code": "PowerState/deallocated", "level": "Info", "displayStatus": "VM deallocated"}}
_VM_SIZE = "Standard_A2_v2"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000+00:00")


def deploy(state: TenantState, subscription_id: str, resource_group: str, prefix: str, location: str,
           instances: int, health: str | None = None, vm_size: str = _VM_SIZE) -> dict[str, Any]:
    """Simulate ConfigMgr deploying a CMG into ``resource_group`` (created when absent); returns its record.

    The deployment's template registers the four resource providers, as an ARM deployment does.
    ``health`` (one of :data:`HEALTH_STATES`) defaults to the scenario's ``cmg.health``.
    """
    chosen = health or state.scenario.cmg_health
    if chosen not in HEALTH_STATES:
        raise ValueError(f"health must be one of {', '.join(HEALTH_STATES)}, not {chosen!r}.")
    if not 1 <= instances <= 16:
        raise ValueError("A CMG has 1 to 16 VM instances.")
    sub = subscription_id.lower()
    with state.lock:
        if sub not in state.subscriptions:
            raise ValueError(f"The rehearsal tenant has no subscription {subscription_id}.")
        groups = state.resource_groups.setdefault(sub, {})
        existing = next((name for name in groups if name.lower() == resource_group.lower()), None)
        if existing is None:
            groups[resource_group] = {"location": location.lower(), "tags": {}}
            existing = resource_group
        for provider in state.providers.get(sub, {}).values():
            provider.state, provider.polls_left = "Registered", 0
        record = {"resource_group": existing, "prefix": prefix, "location": location.lower(),
                  "instances": instances, "health": chosen, "vm_size": vm_size, "deployed_at": _now()}
        state.cmg_deployments.setdefault(sub, {})[existing.lower()] = record
        state.save()
    return record


def set_health(state: TenantState, subscription_id: str, resource_group: str, health: str) -> None:
    """Put an existing simulated CMG into another health state (KeyError when there is none)."""
    if health not in HEALTH_STATES:
        raise ValueError(f"health must be one of {', '.join(HEALTH_STATES)}, not {health!r}.")
    with state.lock:
        state.cmg_deployments[subscription_id.lower()][resource_group.lower()]["health"] = health
        state.save()


def _deployment(state: TenantState, sub: str, rg: str) -> dict[str, Any] | None:
    return state.cmg_deployments.get(sub.lower(), {}).get(rg.lower())


def _names(cmg: dict[str, Any]) -> dict[str, str]:
    prefix = cmg["prefix"]
    return {"Microsoft.Compute/virtualMachineScaleSets": prefix, "Microsoft.Network/loadBalancers": f"{prefix}-lb",
            "Microsoft.Network/networkSecurityGroups": f"{prefix}-nsg",
            "Microsoft.Network/publicIPAddresses": prefix, "Microsoft.Network/virtualNetworks": f"{prefix}-vnet",
            "Microsoft.KeyVault/vaults": prefix, "Microsoft.Storage/storageAccounts": prefix.lower()}


def _present(cmg: dict[str, Any]) -> dict[str, str]:
    """The resources that exist, type → name (the ``missing`` state has lost its key vault)."""
    names = _names(cmg)
    if cmg["health"] == "missing":
        names.pop("Microsoft.KeyVault/vaults")
    return names


def _rg_id(sub: str, cmg: dict[str, Any]) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{cmg['resource_group']}"


def _version(req: Request, known: tuple[str, ...], kind: str) -> Response | None:
    version = req.query.get("api-version")
    if not version:
        return arm_error(400, "MissingApiVersionParameter",
                         "The api-version query parameter (?api-version=) is required for all requests.")
    if version not in known:
        namespace, _, rtype = kind.partition("/")
        return arm_error(400, "InvalidApiVersionParameter",
                         f"The api-version '{version}' is invalid. The supported versions are "
                         f"'{','.join(reversed(known))}'. Resource type '{rtype}' of namespace '{namespace}'.")
    return None


def _not_found(kind: str, name: str, rg: str) -> Response:
    return arm_error(404, "ResourceNotFound", f"The Resource '{kind}/{name}' under resource group '{rg}' was not "
                     "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def _lookup(state: TenantState, req: Request, match: re.Match[str], kind: str,
            versions: tuple[str, ...]) -> tuple[dict[str, Any], str] | Response:
    """The deployment and the resource's name, or the error ARM gives."""
    if (problem := _version(req, versions, kind)) is not None:
        return problem
    sub, rg, name = match["sub"].lower(), match["rg"], match["name"]
    if sub not in state.subscriptions:
        return arm_error(404, "SubscriptionNotFound", f"The subscription '{match['sub']}' could not be found.")
    if not any(g.lower() == rg.lower() for g in state.resource_groups.get(sub, {})):
        return arm_error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    cmg = _deployment(state, sub, rg)
    present = _present(cmg) if cmg else {}
    if cmg is None or present.get(kind, "").lower() != name.lower():
        return _not_found(kind, name, rg)
    return cmg, present[kind]


def list_resources(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../resourceGroups/{rg}/resources``: every resource in the group, paged."""
    if (problem := _version(req, RESOURCES_API_VERSIONS, "Microsoft.Resources/resources")) is not None:
        return problem
    sub, rg = match["sub"].lower(), match["rg"]
    with state.lock:
        if sub not in state.subscriptions:
            return arm_error(404, "SubscriptionNotFound", f"The subscription '{match['sub']}' could not be found.")
        if not any(g.lower() == rg.lower() for g in state.resource_groups.get(sub, {})):
            return arm_error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
        cmg = _deployment(state, sub, rg)
        items = ([{"id": f"{_rg_id(sub, cmg)}/providers/{kind}/{name}", "name": name, "type": kind,
                   "location": cmg["location"]} for kind, name in _present(cmg).items()] if cmg else [])
    return page(req, items, state.scenario.behaviour.page_size)


def _instance_statuses(cmg: dict[str, Any], index: int) -> list[dict[str, Any]]:
    health = cmg["health"]
    if health == "failed":
        return [dict(_FAILED, time=cmg["deployed_at"])]
    power = {"deallocated": "deallocated", "one-stopped": "stopped" if index == 0 else "running"}.get(health, "running")
    return [dict(_SUCCEEDED, time=cmg["deployed_at"]), dict(_POWER[power], time=None)]


def get_scale_set(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../virtualMachineScaleSets/{name}``."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.Compute/virtualMachineScaleSets", COMPUTE_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, name = found
        sub = match["sub"].lower()
        return Response(200, {
            "name": name, "id": f"{_rg_id(sub, cmg)}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}",
            "type": "Microsoft.Compute/virtualMachineScaleSets", "location": cmg["location"],
            "sku": {"name": cmg["vm_size"], "tier": "Standard", "capacity": cmg["instances"]},
            "properties": {"singlePlacementGroup": True, "upgradePolicy": {"mode": "Manual"},
                           "provisioningState": "Failed" if cmg["health"] == "failed" else "Succeeded",
                           "overprovision": False, "uniqueId": "8042c376-4690-4c47-9fa2-fbdad70e4bb3",
                           "timeCreated": cmg["deployed_at"]}})


def scale_set_instance_view(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../virtualMachineScaleSets/{name}/instanceView``."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.Compute/virtualMachineScaleSets", COMPUTE_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, _name = found
    failed = cmg["health"] == "failed"
    top = dict(_FAILED if failed else _SUCCEEDED, time=cmg["deployed_at"])
    summary = [{"code": top["code"], "count": cmg["instances"]}]
    return Response(200, {"virtualMachine": {"statusesSummary": summary}, "statuses": [top],
                          "orchestrationServices": [{"serviceName": "AutomaticRepairs", "serviceState": "NotRunning"}]})


def _vm(sub: str, cmg: dict[str, Any], name: str, index: int, expand: bool) -> dict[str, Any]:
    statuses = _instance_statuses(cmg, index)
    properties: dict[str, Any] = {"latestModelApplied": True, "modelDefinitionApplied": "VirtualMachineScaleSet",
                                  "vmId": f"0e8b5b3c-2f6d-4c1a-9e7f-00000000000{index % 10}",
                                  "hardwareProfile": {"vmSize": cmg["vm_size"]},
                                  "provisioningState": "Failed" if cmg["health"] == "failed" else "Succeeded"}
    if expand:
        properties["instanceView"] = {"platformUpdateDomain": index, "platformFaultDomain": index % 3,
                                      "statuses": statuses}
    return {"name": f"{name}_{index}",
            "id": f"{_rg_id(sub, cmg)}/providers/Microsoft.Compute/virtualMachineScaleSets/{name}/virtualMachines/{index}",
            "type": "Microsoft.Compute/virtualMachines", "location": cmg["location"], "tags": {},
            "instanceId": str(index), "properties": properties}


def list_instances(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../virtualMachineScaleSets/{name}/virtualMachines`` (``$expand=instanceView`` adds the views)."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.Compute/virtualMachineScaleSets", COMPUTE_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, name = found
    expand = req.query.get("$expand", "").lower() == "instanceview"
    items = [_vm(match["sub"].lower(), cmg, name, i, expand) for i in range(cmg["instances"])]
    return page(req, items, state.scenario.behaviour.page_size)


def instance_view(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../virtualMachineScaleSets/{name}/virtualMachines/{instanceId}/instanceView``."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.Compute/virtualMachineScaleSets", COMPUTE_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, name = found
    index = int(match["instance"]) if match["instance"].isdigit() else -1
    if not 0 <= index < cmg["instances"]:
        return _not_found("Microsoft.Compute/virtualMachineScaleSets/virtualMachines", f"{name}/{match['instance']}",
                          match["rg"])
    return Response(200, {"platformUpdateDomain": index, "platformFaultDomain": index % 3, "rdpThumbPrint": None,
                          "statuses": _instance_statuses(cmg, index)})


def _fqdn(req: Request, cmg: dict[str, Any]) -> str:
    suffix = "cloudapp.usgovcloudapi.net" if req.headers.get("x-sandbox-cloud") == "usgov" else "cloudapp.azure.com"
    return f"{cmg['prefix'].lower()}.{cmg['location']}.{suffix}"


def get_public_ip(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../publicIPAddresses/{name}``."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.Network/publicIPAddresses", NETWORK_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, name = found
    rg_id = _rg_id(match["sub"].lower(), cmg)
    return Response(200, {
        "name": name, "id": f"{rg_id}/providers/Microsoft.Network/publicIPAddresses/{name}",
        "location": cmg["location"], "type": "Microsoft.Network/publicIPAddresses",
        "sku": {"name": "Basic", "tier": "Regional"},
        "properties": {"provisioningState": "Succeeded", "ipAddress": "20.112.52.29", "publicIPAddressVersion": "IPv4",
                       "publicIPAllocationMethod": "Dynamic", "idleTimeoutInMinutes": 4,
                       "dnsSettings": {"domainNameLabel": cmg["prefix"].lower(), "fqdn": _fqdn(req, cmg)},
                       "ipConfiguration": {"id": f"{rg_id}/providers/Microsoft.Network/loadBalancers/"
                                                 f"{cmg['prefix']}-lb/frontendIPConfigurations/LoadBalancerFrontEnd"},
                       "ipTags": []}})


def get_vault(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../Microsoft.KeyVault/vaults/{name}``."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.KeyVault/vaults", KEYVAULT_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, name = found
        tenant = state.tenant_id
    return Response(200, {
        "id": f"{_rg_id(match['sub'].lower(), cmg)}/providers/Microsoft.KeyVault/vaults/{name}", "name": name,
        "type": "Microsoft.KeyVault/vaults", "location": cmg["location"], "tags": {},
        "properties": {"sku": {"family": "A", "name": "standard"}, "tenantId": tenant, "accessPolicies": [],
                       "enabledForDeployment": True, "enabledForDiskEncryption": False,
                       "enabledForTemplateDeployment": True, "vaultUri": f"https://{name.lower()}.vault.azure.net",
                       "provisioningState": "Succeeded", "publicNetworkAccess": "Enabled"}})


def get_storage(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    """``GET .../Microsoft.Storage/storageAccounts/{name}``."""
    with state.lock:
        found = _lookup(state, req, match, "Microsoft.Storage/storageAccounts", STORAGE_API_VERSIONS)
        if isinstance(found, Response):
            return found
        cmg, name = found
    return Response(200, {
        "id": f"{_rg_id(match['sub'].lower(), cmg)}/providers/Microsoft.Storage/storageAccounts/{name}",
        "kind": "StorageV2", "location": cmg["location"], "name": name, "type": "Microsoft.Storage/storageAccounts",
        "sku": {"name": "Standard_LRS", "tier": "Standard"}, "tags": {},
        "properties": {"creationTime": cmg["deployed_at"], "provisioningState": "Succeeded",
                       "primaryLocation": cmg["location"], "statusOfPrimary": "available",
                       "minimumTlsVersion": "TLS1_2",
                       "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/",
                                            "table": f"https://{name}.table.core.windows.net/"}}})


_RG = r"/subscriptions/(?P<sub>[0-9a-fA-F-]{36})/resourcegroups/(?P<rg>[^/]+)"
_VMSS = rf"{_RG}/providers/Microsoft\.Compute/virtualMachineScaleSets/(?P<name>[^/]+)"
ROUTES: list[Route] = [
    route("GET", rf"{_RG}/resources", list_resources),
    route("GET", _VMSS, get_scale_set),
    route("GET", rf"{_VMSS}/instanceView", scale_set_instance_view),
    route("GET", rf"{_VMSS}/virtualMachines", list_instances),
    route("GET", rf"{_VMSS}/virtualMachines/(?P<instance>[^/]+)/instanceView", instance_view),
    route("GET", rf"{_RG}/providers/Microsoft\.Network/publicIPAddresses/(?P<name>[^/]+)", get_public_ip),
    route("GET", rf"{_RG}/providers/Microsoft\.KeyVault/vaults/(?P<name>[^/]+)", get_vault),
    route("GET", rf"{_RG}/providers/Microsoft\.Storage/storageAccounts/(?P<name>[^/]+)", get_storage),
]
