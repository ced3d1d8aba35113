"""The sandbox's deployed CMG, endpoint by endpoint, and cmgtui's reader of it.

Shapes from Azure/azure-rest-api-specs examples (ComputeRP ``stable/2024-07-01``
``virtualMachineScaleSetExamples/VirtualMachineScaleSet_GetInstanceView_MaximumSet_Gen.json``,
``VirtualMachineScaleSetVM_List_MaximumSet_Gen.json``,
``VirtualMachineScaleSetVM_Get_InstanceViewAutoPlacedOnDedicatedHostGroup.json``; network
``stable/2024-05-01/examples/PublicIpAddressGet.json``; keyvault ``stable/2023-07-01/examples/getVault.json``;
storage ``stable/2023-01-01/examples/StorageAccountGetProperties.json``); power and provisioning codes
from MicrosoftDocs/azure-docs ``includes/virtual-machines-common-states-lifecycle.md``.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from typing import Any

import pytest

from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.cmg_health import read_cmg
from cmgtui.sandbox.cmg_routes import deploy, set_health
from cmgtui.sandbox.scenario import ScenarioError, parse_scenario
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION

RG = f"/subscriptions/{OWNER_SUBSCRIPTION}/resourceGroups/cmg-rg"
VMSS = f"{RG}/providers/Microsoft.Compute/virtualMachineScaleSets/GraniteFalls"


def _get(sandbox: SandboxServer, path: str, query: str) -> tuple[int, Any]:
    assert sandbox.ca_path is not None
    request = urllib.request.Request(f"{sandbox.url}{path}?{query}",
                                     headers={"Authorization": f"Bearer {sandbox.state.issue_token()}"})
    context = ssl.create_default_context(cafile=str(sandbox.ca_path))
    try:
        with urllib.request.urlopen(request, context=context) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def _deploy(sandbox: SandboxServer, health: str = "running", instances: int = 2) -> None:
    deploy(sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls", "eastus", instances, health)


def test_the_resource_group_lists_what_a_scale_set_cmg_deploys(sandbox: SandboxServer) -> None:
    _deploy(sandbox)
    status, body = _get(sandbox, f"{RG}/resources", "api-version=2024-03-01")
    assert status == 200
    found = {item["type"]: item["name"] for item in body["value"]}
    assert found == {"Microsoft.Compute/virtualMachineScaleSets": "GraniteFalls",
                     "Microsoft.Network/loadBalancers": "GraniteFalls-lb",
                     "Microsoft.Network/networkSecurityGroups": "GraniteFalls-nsg",
                     "Microsoft.Network/publicIPAddresses": "GraniteFalls",
                     "Microsoft.Network/virtualNetworks": "GraniteFalls-vnet",
                     "Microsoft.KeyVault/vaults": "GraniteFalls",
                     "Microsoft.Storage/storageAccounts": "granitefalls"}
    assert all(set(item) == {"id", "name", "type", "location"} for item in body["value"])


def test_scale_set_and_its_instance_view_in_the_example_shapes(sandbox: SandboxServer) -> None:
    _deploy(sandbox)
    status, body = _get(sandbox, VMSS, "api-version=2024-07-01")
    assert status == 200 and body["properties"]["provisioningState"] == "Succeeded"
    assert body["sku"]["capacity"] == 2 and body["type"] == "Microsoft.Compute/virtualMachineScaleSets"
    status, view = _get(sandbox, f"{VMSS}/instanceView", "api-version=2024-07-01")
    assert status == 200
    assert view["virtualMachine"]["statusesSummary"] == [{"code": "ProvisioningState/succeeded", "count": 2}]
    assert view["statuses"][0]["code"] == "ProvisioningState/succeeded"
    assert view["statuses"][0]["displayStatus"] == "Provisioning succeeded"


def test_instances_carry_power_states_per_rehearsed_health(sandbox: SandboxServer) -> None:
    _deploy(sandbox, "one-stopped")
    status, body = _get(sandbox, f"{VMSS}/virtualMachines", "api-version=2024-07-01&$expand=instanceView")
    assert status == 200
    assert [vm["instanceId"] for vm in body["value"]] == ["0", "1"]
    assert body["value"][0]["id"].endswith("/virtualMachineScaleSets/GraniteFalls/virtualMachines/0")
    powers = [vm["properties"]["instanceView"]["statuses"][1] for vm in body["value"]]
    assert powers[0] == {"code": "PowerState/stopped", "level": "Info", "displayStatus": "VM stopped", "time": None}
    assert powers[1]["code"] == "PowerState/running" and powers[1]["displayStatus"] == "VM running"
    _status, plain = _get(sandbox, f"{VMSS}/virtualMachines", "api-version=2024-07-01")
    assert "instanceView" not in plain["value"][0]["properties"]
    set_health(sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "deallocated")
    status, one = _get(sandbox, f"{VMSS}/virtualMachines/1/instanceView", "api-version=2024-07-01")
    assert status == 200 and one["statuses"][1]["code"] == "PowerState/deallocated"
    assert one["statuses"][1]["displayStatus"] == "VM deallocated"
    status, error = _get(sandbox, f"{VMSS}/virtualMachines/7/instanceView", "api-version=2024-07-01")
    assert status == 404 and error["error"]["code"] == "ResourceNotFound"


def test_failed_provisioning_reads_as_azure_writes_it(sandbox: SandboxServer) -> None:
    _deploy(sandbox, "failed")
    _status, body = _get(sandbox, VMSS, "api-version=2024-07-01")
    assert body["properties"]["provisioningState"] == "Failed"
    _status, one = _get(sandbox, f"{VMSS}/virtualMachines/0/instanceView", "api-version=2024-07-01")
    assert one["statuses"][0]["code"] == "ProvisioningState/failed/InternalOperationError"
    assert one["statuses"][0]["level"] == "Error"
    assert one["statuses"][0]["message"] == "Operation abandoned due to internal error. Please try again later."


def test_public_ip_key_vault_and_storage(sandbox: SandboxServer) -> None:
    _deploy(sandbox)
    status, ip = _get(sandbox, f"{RG}/providers/Microsoft.Network/publicIPAddresses/GraniteFalls",
                      "api-version=2024-05-01")
    assert status == 200 and ip["type"] == "Microsoft.Network/publicIPAddresses"
    assert ip["properties"]["dnsSettings"] == {"domainNameLabel": "granitefalls",
                                               "fqdn": "granitefalls.eastus.cloudapp.azure.com"}
    status, vault = _get(sandbox, f"{RG}/providers/Microsoft.KeyVault/vaults/GraniteFalls", "api-version=2023-07-01")
    assert status == 200 and vault["properties"]["vaultUri"] == "https://granitefalls.vault.azure.net"
    status, storage = _get(sandbox, f"{RG}/providers/Microsoft.Storage/storageAccounts/granitefalls",
                           "api-version=2023-01-01")
    assert status == 200 and storage["sku"]["name"] == "Standard_LRS" and storage["kind"] == "StorageV2"


def test_a_missing_resource_is_arm_s_404_and_versions_are_checked(sandbox: SandboxServer) -> None:
    _deploy(sandbox, "missing")
    status, error = _get(sandbox, f"{RG}/providers/Microsoft.KeyVault/vaults/GraniteFalls", "api-version=2023-07-01")
    assert status == 404 and error["error"]["code"] == "ResourceNotFound"
    assert "Microsoft.KeyVault/vaults/GraniteFalls" in error["error"]["message"]
    status, error = _get(sandbox, VMSS, "api-version=2019-01-01")
    assert status == 400 and error["error"]["code"] == "InvalidApiVersionParameter"
    status, error = _get(sandbox, f"/subscriptions/{OWNER_SUBSCRIPTION}/resourceGroups/nope/resources",
                         "api-version=2024-03-01")
    assert status == 404 and error["error"]["code"] == "ResourceGroupNotFound"


async def test_the_reader_sees_the_deployment(sandbox: SandboxServer, arm: ArmGateway) -> None:
    _deploy(sandbox, "one-stopped", instances=3)
    record = await read_cmg(arm, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls")
    assert record["group_exists"] and len(record["resources"]) == 7
    scale = record["scale_set"]
    assert scale["provisioning_state"] == "Succeeded" and scale["capacity"] == 3
    assert [i["power"] for i in scale["instances"]] == ["PowerState/stopped", "PowerState/running",
                                                        "PowerState/running"]
    assert record["public_ip"]["fqdn"] == "granitefalls.eastus.cloudapp.azure.com"
    assert record["key_vault"]["name"] == "GraniteFalls" and record["storage"]["name"] == "granitefalls"


async def test_the_reader_on_an_empty_or_absent_group(arm: ArmGateway) -> None:
    empty = await read_cmg(arm, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls")
    assert empty["group_exists"] and empty["scale_set"] is None and empty["resources"] == []
    absent = await read_cmg(arm, OWNER_SUBSCRIPTION, "no-such-rg", "GraniteFalls")
    assert not absent["group_exists"]


def test_the_scenario_key_sets_the_deployed_state() -> None:
    assert parse_scenario('[cmg]\nhealth = "deallocated"\n').cmg_health == "deallocated"
    assert parse_scenario("").cmg_health == "running"
    with pytest.raises(ScenarioError, match=r"\[cmg\] health must be one of"):
        parse_scenario('[cmg]\nhealth = "asleep"\n')
    with pytest.raises(ScenarioError, match=r"\[cmg\]: unknown key 'size'"):
        parse_scenario('[cmg]\nsize = 2\n')
