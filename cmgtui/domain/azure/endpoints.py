"""Internet endpoints and ports each CMG component must reach (domain sheet §7).

Firewall and proxy teams need a precise list: which host, which port, from which
on-premises component, and why. The list depends on the Azure environment, the names
derived from the service name (:mod:`cmgtui.domain.azure.names`) and the VM instance count (the
CMG connection point uses 443 for one VM and one port per VM from 10124 for more).
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.azure.names import CmgNames
from cmgtui.model.enums import AzureEnvironment

#: First port of the CMG connection point channel range when the CMG has two or more VMs.
CMGCP_FIRST_MULTI_VM_PORT = 10124
MAX_VM_INSTANCES = 16

# Component labels, also used by screens to group the list.
SERVICE_CONNECTION_POINT = "Service connection point"
CMG_CONNECTION_POINT = "CMG connection point"
CLIENT = "Client"
CONSOLE = "Console"
ALL_COMPONENTS = "All components"


@dataclass(frozen=True, slots=True)
class CloudEndpoints:
    """Sign-in, Azure Resource Manager and Microsoft Graph base URLs of one Azure cloud."""

    authority_host: str
    arm_endpoint: str
    arm_scope: str
    graph_endpoint: str


_CLOUDS = {
    AzureEnvironment.PUBLIC: CloudEndpoints(
        authority_host="login.microsoftonline.com",
        arm_endpoint="https://management.azure.com",
        arm_scope="https://management.azure.com/.default",
        graph_endpoint="https://graph.microsoft.com",
    ),
    AzureEnvironment.US_GOVERNMENT: CloudEndpoints(
        authority_host="login.microsoftonline.us",
        arm_endpoint="https://management.usgovcloudapi.net",
        arm_scope="https://management.core.usgovcloudapi.net/.default",
        graph_endpoint="https://graph.microsoft.us",
    ),
}


def cloud_endpoints(environment: AzureEnvironment) -> CloudEndpoints:
    """The base URLs the sign-in, ARM and Graph clients use in ``environment``."""
    return _CLOUDS[environment]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One host a component must reach on one port, and why."""

    host: str
    port: int
    purpose: str
    component: str


def cmgcp_ports(vm_count: int) -> list[int]:
    """Ports the CMG connection point uses to reach a VMSS CMG (§7.2).

    One VM: 443. Two or more: 10124 for VM #1 up to 10123+N for VM #N (443 is not used).
    ``vm_count`` is clamped to 1..16, the range Azure allows.
    """
    count = min(max(vm_count, 1), MAX_VM_INSTANCES)
    if count == 1:
        return [443]
    return list(range(CMGCP_FIRST_MULTI_VM_PORT, CMGCP_FIRST_MULTI_VM_PORT + count))


def _host(url: str) -> str:
    """Host part of an ``https://host`` base URL."""
    return url.split("://", 1)[-1].split("/", 1)[0]


def required_endpoints(
    names: CmgNames | None, environment: AzureEnvironment, vm_instances: int
) -> list[Endpoint]:
    """Every (host, port) each component must reach, in a stable order.

    Without ``names`` (no service name or region yet) only the fixed Microsoft endpoints are
    listed; the CMG-specific hosts follow once the names are known.
    """
    cloud = cloud_endpoints(environment)
    login = cloud.authority_host
    out: list[Endpoint] = [
        Endpoint(_host(cloud.arm_endpoint), 443, "Deploy and monitor the CMG (Azure Resource Manager)",
                 SERVICE_CONNECTION_POINT),
        Endpoint(login, 443, "Sign in and get tokens for Azure", SERVICE_CONNECTION_POINT),
        Endpoint(_host(cloud.graph_endpoint), 443, "Microsoft Entra user discovery (Microsoft Graph)",
                 SERVICE_CONNECTION_POINT),
    ]
    if names is not None:
        for port in cmgcp_ports(vm_instances):
            out.append(Endpoint(names.deployment_name, port, "Channel to the CMG VMs",
                                CMG_CONNECTION_POINT))
        out += [
            Endpoint(names.storage_blob_host, 443, "CMG storage (blob)", CMG_CONNECTION_POINT),
            Endpoint(names.storage_table_host, 443, "CMG storage (table)", CMG_CONNECTION_POINT),
            Endpoint(names.key_vault_host, 443, "CMG key vault", CMG_CONNECTION_POINT),
            Endpoint(names.deployment_name, 443, "All client traffic to the CMG", CLIENT),
        ]
        if names.needs_cname:
            out.append(Endpoint(names.service_name, 443,
                                "Service name (CNAME to the deployment name)", CLIENT))
        out.append(Endpoint(names.storage_blob_host, 443, "Content from the CMG storage", CLIENT))
    out.append(Endpoint(login, 443, "Microsoft Entra token for client authentication", CLIENT))
    out.append(Endpoint(login, 443, "Microsoft Entra sign-in from the console", CONSOLE))
    if environment is AzureEnvironment.PUBLIC:
        for cdn in ("aadcdn.msauth.net", "aadcdn.msftauth.net"):
            out.append(Endpoint(cdn, 443, "Sign-in page content", CONSOLE))
    for forwarder in ("aka.ms", "go.microsoft.com"):
        out.append(Endpoint(forwarder, 443, "Microsoft URL forwarder", ALL_COMPONENTS))
    return out
