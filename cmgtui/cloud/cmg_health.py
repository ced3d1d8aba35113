"""Reading the deployed CMG's Azure side through Resource Manager, for ``cmgtui status`` and the Health pane.

What a scale-set CMG deploys sits in its resource group (domain sheet §5.1): the scale set, key
vault and public IP named by the prefix, the storage account by the prefix in lower case, a load
balancer, network security group and virtual network. This module reads them with the session's
ARM pipeline (``ArmGateway.read_json``/``list_json``: no SDK client of the set wraps compute,
network, key vault or storage reads) and returns a plain record that
:mod:`cmgtui.domain.health` judges. Reads only: nothing here changes the tenant.

Record::

    {"subscription_id", "resource_group", "prefix", "group_exists": bool,
     "resources": [{"type", "name"}],
     "scale_set": None | {"name", "provisioning_state", "capacity", "sku", "statuses": [{"code", "level",
                         "display"}], "instances": [{"id", "provisioning", "power", "message"}]},
     "public_ip": None | {"name", "ip_address", "fqdn", "label", "provisioning_state"},
     "key_vault": None | {"name", "provisioning_state"},
     "storage": None | {"name", "provisioning_state"}}
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cmgtui.cloud.arm import KEYVAULT_API, NETWORK_API, STORAGE_API, ArmGateway
from cmgtui.cloud.retry import LogFn, quiet

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.domain.health import HealthReport
    from cmgtui.model.profile import Profile

COMPUTE_API = "2024-07-01"
RESOURCES_API = "2024-03-01"


def _statuses(raw: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    return [{"code": str(s.get("code") or ""), "level": str(s.get("level") or ""),
             "display": str(s.get("displayStatus") or ""), "message": str(s.get("message") or "")}
            for s in raw or []]


def _instance(vm: dict[str, Any]) -> dict[str, str]:
    """One scale-set VM: its provisioning and power codes from its instance view."""
    view = (vm.get("properties") or {}).get("instanceView") or {}
    statuses = _statuses(view.get("statuses"))
    provisioning = next((s for s in statuses if s["code"].startswith("ProvisioningState/")), None)
    power = next((s for s in statuses if s["code"].startswith("PowerState/")), None)
    return {"id": str(vm.get("instanceId") or vm.get("name") or "?"),
            "provisioning": provisioning["code"] if provisioning else "",
            "power": power["code"] if power else "",
            "message": (provisioning or {}).get("message", "")}


async def read_cmg(arm: ArmGateway, subscription_id: str, resource_group: str, prefix: str) -> dict[str, Any]:
    """The CMG's resource group as ARM shows it now (raises CloudError when ARM can't be read)."""
    base = f"/resourceGroups/{resource_group}/providers"
    record: dict[str, Any] = {"subscription_id": subscription_id, "resource_group": resource_group,
                              "prefix": prefix, "group_exists": False, "resources": [], "scale_set": None,
                              "public_ip": None, "key_vault": None, "storage": None}
    if await arm.get_resource_group(subscription_id, resource_group) is None:
        return record
    record["group_exists"] = True
    vmss_path = f"{base}/Microsoft.Compute/virtualMachineScaleSets/{prefix}"
    listing, vmss, view, ip, vault, storage = await asyncio.gather(
        arm.list_json(subscription_id, f"/resourceGroups/{resource_group}/resources", RESOURCES_API,
                      action=f"list the resources of '{resource_group}'"),
        arm.read_json(subscription_id, vmss_path, COMPUTE_API, action="read the CMG's scale set"),
        arm.read_json(subscription_id, f"{vmss_path}/instanceView", COMPUTE_API,
                      action="read the scale set's instance view"),
        arm.read_json(subscription_id, f"{base}/Microsoft.Network/publicIPAddresses/{prefix}", NETWORK_API,
                      action="read the CMG's public IP address"),
        arm.read_json(subscription_id, f"{base}/Microsoft.KeyVault/vaults/{prefix}", KEYVAULT_API,
                      action="read the CMG's key vault"),
        arm.read_json(subscription_id, f"{base}/Microsoft.Storage/storageAccounts/{prefix.lower()}", STORAGE_API,
                      action="read the CMG's storage account"))
    record["resources"] = [{"type": str(r.get("type", "")), "name": str(r.get("name", ""))} for r in listing]
    if vmss is not None:
        vms = await arm.list_json(subscription_id, f"{vmss_path}/virtualMachines", COMPUTE_API,
                                  action="read the scale set's instances", params={"$expand": "instanceView"})
        record["scale_set"] = {
            "name": vmss.get("name", prefix),
            "provisioning_state": str((vmss.get("properties") or {}).get("provisioningState") or ""),
            "capacity": int((vmss.get("sku") or {}).get("capacity") or 0),
            "sku": str((vmss.get("sku") or {}).get("name") or ""),
            "statuses": _statuses((view or {}).get("statuses")),
            "instances": [_instance(vm) for vm in vms]}
    if ip is not None:
        props = ip.get("properties") or {}
        dns = props.get("dnsSettings") or {}
        record["public_ip"] = {"name": ip.get("name", prefix), "ip_address": str(props.get("ipAddress") or ""),
                               "fqdn": str(dns.get("fqdn") or ""), "label": str(dns.get("domainNameLabel") or ""),
                               "provisioning_state": str(props.get("provisioningState") or "")}
    for key, found in (("key_vault", vault), ("storage", storage)):
        if found is not None:
            record[key] = {"name": found.get("name", ""),
                           "provisioning_state": str((found.get("properties") or {}).get("provisioningState") or "")}
    return record


ProbeFn = Callable[[str, "str | None", bool], Awaitable[dict[str, Any]]]


async def live_probe(service_name: str, deployment_name: str | None, cname: bool) -> dict[str, Any]:
    """The service-name probe of Part 5 (:func:`cmgtui.cloud.probe.probe_service`), run now."""
    from cmgtui.cloud.probe import probe_service

    return await probe_service(service_name, deployment_name, needs_cname=cname)


async def check_health(session: CloudSession, profile: Profile, *, log: LogFn = quiet,
                       probe: ProbeFn | None = live_probe) -> HealthReport:
    """Read the CMG's Azure side, probe its service name and judge both with
    :func:`cmgtui.domain.health.assess`: the one check ``cmgtui status`` and the Health pane run.

    On the sandbox the service side is the last probe recorded in Part 5 (the rehearsal CMG has no
    public name to probe); elsewhere ``probe`` runs now. Never raises for a cloud failure: an
    unreadable Azure becomes an ``unknown`` finding.
    """
    from cmgtui.cloud.credentials import SignInMethod
    from cmgtui.cloud.errors import CloudError
    from cmgtui.domain.azure.names import derive_names
    from cmgtui.domain.health import Location, assess, cmg_location
    from cmgtui.domain.rules import probe as probe_rules
    from cmgtui.model.profile import DeployedCmg, Evidence

    now = datetime.now(UTC)
    location = cmg_location(profile)
    record, error = None, ""
    if isinstance(location, Location):
        log(f"Reading resource group {location.resource_group} …")
        try:
            async with ArmGateway(session) as arm:
                record = await read_cmg(arm, location.subscription_id, location.resource_group, location.prefix)
        except CloudError as exc:
            error = f"{exc.message} {exc.what_to_do}".strip()
    if session.method is SignInMethod.SANDBOX:
        probe = None
    judged = profile
    names = derive_names(profile)
    if probe is not None and names is not None:
        log(f"Probing {names.service_name} …")
        data = await probe(names.service_name, names.deployment_name, names.needs_cname)
        judged = profile.model_copy(update={"evidence": {**profile.evidence, probe_rules.EVIDENCE_KEY: Evidence(
            source=probe_rules.EVIDENCE_KEY, summary="health check", data=data)}})
    if judged.gateway.deployed is None:  # the health of a deployed CMG: its probe applies (as once recorded)
        judged = judged.model_copy(update={"gateway": judged.gateway.model_copy(update={"deployed": DeployedCmg()})})
    results = [rule.run(judged, now) for rule in probe_rules.RULES]
    return assess(profile, record, error=error, probe_results=results, live_probe=probe is not None, now=now)
