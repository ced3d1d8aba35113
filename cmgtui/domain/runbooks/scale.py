"""Runbook ``scale``: a new VM instance count from the sizing calculator, the connection-point rule, and the script.

The count comes from ``cmgtui.domain.azure.sizing`` (peak concurrent clients, VM size, high
availability) or is given; it must be 1-16. One CMG connection point serves up to four VM
instances (at least two for high availability), so more instances may need more connection
points. The change is ``Set-CMCloudManagementGateway -Name … -VMInstanceCount …`` (cmdlet
reference). The VM size has no parameter there, so a size change is a console task: from
version 2107 a VM scale set CMG's size is changed on the Settings tab of its properties, and
Configuration Manager updates the Azure service to new VMs (memdocs cmg/cost.md, "You can
change the VM size after you deploy the CMG", memdocs#2286; the technical preview 2106 notes
give the Settings tab); before 2107 the size is fixed and only a new CMG has another
(cost.md: "To change the VM size, you need to redeploy").

Going from one VM instance to two or more moves the CMG connection point's channel from
HTTPS 443 to HTTPS 10124 for the first VM up to 10123+N for the Nth (memdocs cmg/data-flow.md,
Note 3), so the firewall must allow those ports first; the new instances also need vCPU quota
in the region, in the regional total and in the VM series' quota (azure-docs
virtual-machines/quotas.md). A classic CMG ran on Azure Cloud Services (classic), retired on
31 August 2024; Convert needs a CMG whose status is Ready, so a classic CMG is replaced by a new
virtual machine scale set CMG (modify-cloud-management-gateway.md, "Replace a CMG with a new
service name").
"""

from __future__ import annotations

from cmgtui.domain.hierarchy import connection_points, total_peak_clients
from cmgtui.domain.azure.endpoints import CMGCP_FIRST_MULTI_VM_PORT
from cmgtui.domain.azure.names import derive_names
from cmgtui.domain.azure.sizing import (
    MAX_VM_INSTANCES,
    MIN_VM_INSTANCES,
    VMSS_GA_VERSION,
    cmgcp_needed,
    size_instances,
    size_label,
)
from cmgtui.domain.powershell.prelude import IND
from cmgtui.domain.powershell.quoting import ps_string
from cmgtui.domain.runbooks.common import Runbook, script_head, script_tail
from cmgtui.model.enums import DeploymentMethod, VmSize
from cmgtui.domain.azure import vm_sizes
from cmgtui.domain.azure.vm_sizes import AzureSize
from cmgtui.model.profile import Profile

NAME = "scale"
TITLE = "Scale the CMG (VM instances, VM size)"

def azure_size(profile: Profile, size: VmSize) -> AzureSize:
    """The Azure VM size behind a CMG size on the profile's site version."""
    return vm_sizes.azure_size(size, profile.site.site_version)


def _deployment(profile: Profile) -> str:
    names = derive_names(profile)
    return names.deployment_name if names is not None else "the CMG's deployment name"


def _cmgcp_servers(profile: Profile) -> str:
    servers = [cp.server for cp in connection_points(profile) if cp.server]
    return ", ".join(servers) if servers else "the CMG connection point server(s)"


def _ports(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def channel_port_notes(profile: Profile, current: int | None, new: int) -> list[str]:
    """What a new instance count does to the connection point's channel ports (data-flow.md, Notes 2 and 3)."""
    if current is None or current == new:
        return []
    target, servers = _deployment(profile), _cmgcp_servers(profile)
    first = CMGCP_FIRST_MULTI_VM_PORT
    if current == 1 and new >= 2:
        return [f"Going from 1 to {new} VM instances moves the CMG connection point's channel from HTTPS 443 to "
                f"HTTPS {_ports(first, first + new - 1)}, one port per VM instance. Before you scale, allow outbound "
                f"TCP {_ports(first, first + new - 1)} from {servers} to {target} on the firewall and proxy."]
    if current >= 2 and new > current:
        ports = _ports(first + current, first + new - 1)
        return [f"The new VM instances use the channel port(s) {ports}: before you scale, allow outbound TCP "
                f"{ports} from {servers} to {target}."]
    if new == 1:
        return [f"With one VM instance the CMG connection point's channel moves back to HTTPS 443: allow outbound "
                f"TCP 443 from {servers} to {target}."]
    return []


def vcpu_note(profile: Profile, instances: int, size: VmSize) -> str:
    """The vCPUs the CMG needs against the subscription's two-tier quota in its region."""
    region = profile.region.strip() or "the CMG's region"
    chosen = azure_size(profile, size)
    sku, vcpus, series = chosen.sku, chosen.vcpus, chosen.series
    total = instances * vcpus
    return (f"vCPU quota: {instances} x {size_label(size)} ({sku}, {vcpus} vCPUs each) = {total} vCPUs. The "
            f"subscription needs room for them in {region}, in Total Regional vCPUs and in the {series} vCPUs "
            f"quota, besides what else runs there (az vm list-usage --location {region.replace(' ', '')}); ask "
            "for a quota increase before you scale if not.")


def classic_migration_steps(profile: Profile) -> tuple[str, ...]:
    """A classic CMG is replaced by a new VM scale set CMG (Convert needs a CMG whose status is Ready)."""
    service = profile.certificate.service_name.strip()
    steps = ["Azure retired Cloud Services (classic) on 31 August 2024: this classic CMG no longer runs, and "
             "Convert only works on a CMG whose status is Ready. Replace it with a new CMG as a virtual machine "
             f"scale set (version {VMSS_GA_VERSION} or later, the optional feature turned on)."]
    if service.lower().endswith((".cloudapp.net", ".usgovcloudapp.net")):
        steps.append(f"{service} is in a Microsoft domain where you can't create a CNAME: get a new server "
                     "authentication certificate with a service name in your own domain (Part 1).")
    steps += ["Create the new CMG as a virtual machine scale set (Part 4).",
              "Create a new CMG connection point and link it with the new CMG.",
              "Wait at least one day for internet-based clients to receive policy about the new CMG; longer for "
              "devices that are turned off or offline.",
              "Delete the old CMG and its CMG connection point in the console."]
    return tuple(steps)


def size_change_steps(profile: Profile, new_size: VmSize) -> tuple[str, ...]:
    """Console steps for a VM size change, which no cmdlet parameter covers."""
    current = size_label(profile.gateway.vm_size)
    wanted = size_label(new_size)
    if profile.deployment_method is DeploymentMethod.CLASSIC:
        return classic_migration_steps(profile)
    version = profile.site.site_version
    if version is not None and version < VMSS_GA_VERSION:
        return (f"Version {version} has no VM size choice: the CMG ({current}) keeps its size until it is "
                f"redeployed; update the site to {VMSS_GA_VERSION} or later to choose the size in the console.",
                f"Or create a second CMG with the size {wanted} (and its own connection point), wait at least a "
                "day for clients to refresh policy, then delete the old CMG (Modify a CMG > Redeploy the service).")
    return ("Administration > Cloud Services > Cloud Management Gateway: select the CMG and choose Properties "
            "(Set-CMCloudManagementGateway has no VM size parameter).",
            f"On the Settings tab change the VM size from {current} to {wanted} and select OK: Configuration Manager "
            "updates the Azure service to use new VMs; follow it in CloudMgr.log and the CMG's status (Ready).")


def scale(profile: Profile, instances: int | None = None, peak_clients: int | None = None,
          vm_size: VmSize | None = None) -> Runbook:
    """The runbook for a new instance count (given, or computed from peak clients) and/or VM size."""
    gateway = profile.gateway
    if profile.deployment_method is DeploymentMethod.CLASSIC:
        return Runbook(NAME, TITLE, blockers=(
            "This profile's CMG is a classic cloud service, which Azure retired on 31 August 2024: it can't be "
            "scaled. Plan its replacement by a virtual machine scale set CMG (steps below).",),
            console_steps=classic_migration_steps(profile))
    checks: list[str] = []
    blockers: list[str] = []
    notes: list[str] = []
    peak = peak_clients if peak_clients is not None else total_peak_clients(profile)
    size = vm_size or gateway.vm_size
    # A VM size change alone leaves the instance count as it is.
    if instances is None and peak is not None and (peak_clients is not None or vm_size is None):
        try:
            sizing = size_instances(peak, size, gateway.high_availability, profile.site.site_version,
                                    profile.deployment_method)
        except ValueError as exc:
            blockers.append(str(exc))
        else:
            instances = sizing.recommended
            checks.append("Sizing: " + "; ".join(sizing.steps) + f" → {instances} VM instance(s).")
    if instances is None and vm_size is None:
        blockers.append("Give the new VM instance count, or the peak number of concurrent clients to size it from.")
    elif instances is not None and not MIN_VM_INSTANCES <= instances <= MAX_VM_INSTANCES:
        blockers.append(f"A CMG has {MIN_VM_INSTANCES} to {MAX_VM_INSTANCES} VM instances; {instances} is outside.")
    service = profile.certificate.service_name.strip()
    if not service:
        blockers.append("The profile has no service name (Part 1).")
    for label, value in (("site code", profile.site.site_code), ("site server", profile.site.site_server)):
        if not value.strip():
            blockers.append(f"The profile has no {label} (Checklist / Site).")
    if instances is not None and not blockers:
        needed = cmgcp_needed(instances, gateway.high_availability)
        have = len([cp for cp in connection_points(profile) if cp.server])
        rule = (f"{instances} VM instance(s) need {needed} CMG connection point(s) "
                f"(one per 4 instances{', at least 2 for high availability' if gateway.high_availability else ''})")
        if have >= needed:
            checks.append(f"{rule}; the profile has {have}.")
        else:
            notes.append(f"{rule}; the profile lists {have}. Add {needed - have} more with "
                         "Add-CMCloudManagementGatewayConnectionPoint (Part 4) before clients need the capacity.")
    if instances is not None and not blockers:
        notes[:0] = channel_port_notes(profile, gateway.vm_instances, instances)
        if instances > (gateway.vm_instances or 0) or vm_size not in (None, gateway.vm_size):
            notes.append(vcpu_note(profile, instances, size))
    console = size_change_steps(profile, vm_size) if vm_size is not None and vm_size is not gateway.vm_size else ()
    if blockers:
        return Runbook(NAME, TITLE, tuple(checks), tuple(blockers), console_steps=console)
    script = _scale_script(profile, instances) if instances is not None else None
    if script is None:
        notes.append("No script: only the VM size changes, which is done in the console.")
    return Runbook(NAME, TITLE, tuple(checks), (), script, console, tuple(notes))


def _scale_script(profile: Profile, instances: int) -> str:
    service = profile.certificate.service_name.strip()
    lines = script_head(
        f"Sets the CMG {service} to {instances} VM instance(s).",
        ["Generated by cmgtui (runbook scale). Azure adds or removes VM instances while the",
         "service keeps running; follow the change in CloudMgr.log."],
        [("string", "ServiceName", ps_string(service)), ("int", "VMInstanceCount", str(instances))],
        profile.site.site_code.strip(), profile.site.site_server.strip())
    lines += [
        f"{IND}if ($VMInstanceCount -lt {MIN_VM_INSTANCES} -or $VMInstanceCount -gt {MAX_VM_INSTANCES}) {{",
        f"{IND}{IND}throw 'A CMG has 1 to 16 VM instances.'",
        f"{IND}}}",
        f"{IND}if (-not (Get-CMCloudManagementGateway -Name $ServiceName -DisableWildcardHandling)) {{",
        f"{IND}{IND}throw ('No CMG named {{0}} in this site. Check -ServiceName.' -f $ServiceName)",
        f"{IND}}}",
        f"{IND}if ($PSCmdlet.ShouldProcess($ServiceName, ('Set the VM instance count to {{0}}' -f $VMInstanceCount))) {{",
        f"{IND}{IND}Set-CMCloudManagementGateway -Name $ServiceName -VMInstanceCount $VMInstanceCount",
        f"{IND}{IND}Write-Host -Object ('The CMG {{0}} is being set to {{1}} VM instance(s).' -f $ServiceName, $VMInstanceCount)",
        f"{IND}}}",
        *script_tail(),
    ]
    return "\n".join(lines)
