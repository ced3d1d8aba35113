"""The ARM template of a CMG deployment, for Resource Manager's validation (a dry run), and its verdict.

A VM scale set CMG creates a scale set, a load balancer, a public IP, a virtual network, a
network security group, a key vault and a storage account in the chosen resource group and
region (domain sheet §5.1). The template declares those types with the names ConfigMgr
derives from the service-name prefix (the scale set, the key vault and the storage account are
documented as the prefix; the network resources are named from it too), the region, and the
tags the administrator enters, so Azure Policy judges what the real deployment would send:
its types, location and tags. Resource Manager's ``validate`` evaluates the template and its
policies without creating anything.

When the resource group does not exist yet, :func:`subscription_template` wraps the same
resources in a subscription-scope template that also declares the group, as the wizard will
create it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUBSCRIPTION_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"
#: The resource types a VM scale set CMG creates (domain sheet §5.1).
CMG_TYPES = ("Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Network/loadBalancers",
             "Microsoft.Network/publicIPAddresses", "Microsoft.Network/virtualNetworks",
             "Microsoft.Network/networkSecurityGroups", "Microsoft.KeyVault/vaults",
             "Microsoft.Storage/storageAccounts")
#: What each type is called on screen.
TYPE_LABELS = {"Microsoft.Compute/virtualMachineScaleSets": "VM scale set",
               "Microsoft.Network/loadBalancers": "load balancer",
               "Microsoft.Network/publicIPAddresses": "public IP address",
               "Microsoft.Network/virtualNetworks": "virtual network",
               "Microsoft.Network/networkSecurityGroups": "network security group",
               "Microsoft.KeyVault/vaults": "key vault", "Microsoft.Storage/storageAccounts": "storage account",
               "Microsoft.Resources/resourceGroups": "resource group"}


#: Azure's limits on a tag: name up to 512 characters, value up to 256, no ``<>%&\\?/`` in the name.
_TAG_NAME_FORBIDDEN = set('<>%&\\?/')


def parse_tags(text: str) -> dict[str, str]:
    """``Name=value, Other=value`` as a dict (items without ``=`` are left out; see :func:`tags_problem`)."""
    out: dict[str, str] = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        if sep and name.strip():
            out[name.strip()] = value.strip()
    return out


def tags_problem(text: str) -> str | None:
    """None when ``text`` is usable tags, else what is wrong and how to write them."""
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            return f"'{item}' isn't a tag; write Name=value, separated by commas."
        if len(name.strip()) > 512 or len(value.strip()) > 256:
            return f"Tag '{name.strip()[:40]}' is too long (name up to 512 characters, value up to 256)."
        if _TAG_NAME_FORBIDDEN & set(name):
            return f"Tag name '{name.strip()}' can't contain < > % & \\ ? /."
    return None


def format_tags(tags: dict[str, str]) -> str:
    """The inverse of :func:`parse_tags`."""
    return ", ".join(f"{k}={v}" for k, v in tags.items())


def deployment_name(prefix: str) -> str:
    """The name of the dry-run deployment (never created: validation only)."""
    return f"cmgtui-dryrun-{prefix.lower()}"[:64]


def cmg_resources(prefix: str, region: str, tags: dict[str, str], vm_sku: str, instances: int,
                  tenant_id: str = "") -> list[dict[str, Any]]:
    """The resources of a CMG deployment, each with its type, name, location and tags."""
    location = region.strip().lower()
    name = prefix.strip()

    def res(rtype: str, api: str, rname: str, **extra: Any) -> dict[str, Any]:
        return {"type": rtype, "apiVersion": api, "name": rname, "location": location, "tags": dict(tags), **extra}

    return [
        res("Microsoft.Storage/storageAccounts", "2023-01-01", name.lower(), sku={"name": "Standard_LRS"},
            kind="StorageV2", properties={"minimumTlsVersion": "TLS1_2"}),
        res("Microsoft.KeyVault/vaults", "2022-07-01", name,
            properties={"tenantId": tenant_id or "[subscription().tenantId]",
                        "sku": {"family": "A", "name": "standard"}, "accessPolicies": []}),
        res("Microsoft.Network/networkSecurityGroups", "2024-05-01", f"{name}-nsg",
            properties={"securityRules": []}),
        res("Microsoft.Network/virtualNetworks", "2024-05-01", f"{name}-vnet",
            properties={"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                        "subnets": [{"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}]}),
        res("Microsoft.Network/publicIPAddresses", "2024-05-01", f"{name}-ip", sku={"name": "Standard"},
            properties={"publicIPAllocationMethod": "Static",
                        "dnsSettings": {"domainNameLabel": name.lower()}}),
        res("Microsoft.Network/loadBalancers", "2024-05-01", f"{name}-lb", sku={"name": "Standard"},
            properties={"frontendIPConfigurations": [{"name": "frontend", "properties": {
                "publicIPAddress": {"id": f"[resourceId('Microsoft.Network/publicIPAddresses', '{name}-ip')]"}}}]}),
        res("Microsoft.Compute/virtualMachineScaleSets", "2024-07-01", name,
            sku={"name": vm_sku, "tier": "Standard", "capacity": instances},
            properties={"upgradePolicy": {"mode": "Automatic"}}),
    ]


def resource_group_template(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """A resource-group-scope template holding ``resources``."""
    return {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}


def subscription_template(group: str, region: str, tags: dict[str, str],
                          resources: list[dict[str, Any]]) -> dict[str, Any]:
    """A subscription-scope template: the resource group, then the CMG's resources inside it."""
    return {"$schema": SUBSCRIPTION_SCHEMA, "contentVersion": "1.0.0.0", "resources": [
        {"type": "Microsoft.Resources/resourceGroups", "apiVersion": "2024-03-01", "name": group,
         "location": region.strip().lower(), "tags": dict(tags)},
        {"type": "Microsoft.Resources/deployments", "apiVersion": "2024-03-01", "name": "cmg-resources",
         "resourceGroup": group, "dependsOn": [f"[resourceId('Microsoft.Resources/resourceGroups', '{group}')]"],
         "properties": {"mode": "Incremental", "template": resource_group_template(resources)}},
    ]}


@dataclass(frozen=True, slots=True)
class PolicyDenial:
    """One resource a policy assignment denies."""

    assignment: str
    effect: str
    resource: str
    definition: str = ""


@dataclass(frozen=True, slots=True)
class DryRunVerdict:
    """What Resource Manager's validation said: the policy denials and every other error."""

    valid: bool
    denials: list[PolicyDenial] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)


def _policy_denial(detail: dict[str, Any]) -> PolicyDenial:
    info: dict[str, Any] = {}
    for extra in detail.get("additionalInfo") or []:
        if isinstance(extra, dict) and extra.get("type") == "PolicyViolation":
            info = extra.get("info") or {}
            break
    assignment = str(info.get("policyAssignmentDisplayName") or info.get("policyAssignmentName") or "a policy")
    return PolicyDenial(assignment, str(info.get("policyDefinitionEffect") or "deny").lower(),
                        str(detail.get("target") or ""), str(info.get("policyDefinitionDisplayName") or ""))


def read_validation_error(error: dict[str, Any]) -> DryRunVerdict:
    """Turn a validation error body's ``error`` into denials and other errors (nested details walked)."""
    denials: list[PolicyDenial] = []
    errors: list[dict[str, str]] = []

    def walk(item: dict[str, Any]) -> None:
        details = [d for d in item.get("details") or [] if isinstance(d, dict)]
        if item.get("code") == "RequestDisallowedByPolicy":
            denials.append(_policy_denial(item))
        elif not details:
            errors.append({"code": str(item.get("code", "")), "message": str(item.get("message", "")),
                           "target": str(item.get("target") or "")})
        for detail in details:
            walk(detail)

    walk(error)
    return DryRunVerdict(False, denials, errors)
