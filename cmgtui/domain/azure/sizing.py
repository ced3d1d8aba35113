"""How many CMG VM instances and CMG connection points a plan needs (domain sheet §6).

The calculator shows its arithmetic in plain words (``steps``) so the administrator can see
why a number was suggested, not only the number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from cmgtui.domain.validate import int_range_problem
from cmgtui.model.enums import DeploymentMethod, VmSize

MIN_VM_INSTANCES = 1
MAX_VM_INSTANCES = 16
#: One CMG connection point serves up to four CMG VM instances.
VMS_PER_CMGCP = 4
#: Windows' default dynamic port range: one CMGCP holds one TCP connection per client.
CLIENTS_PER_CMGCP = 16_384
#: First version where VMSS is generally available and the VM size can be chosen.
VMSS_GA_VERSION = 2107

PER_VM_CAPACITY: dict[VmSize, int] = {
    VmSize.LAB: 10,
    VmSize.STANDARD: 6_000,
    VmSize.LARGE: 10_000,
}
#: Per-VM capacity of a VMSS CMG on 2010/2103 (pre-release VMSS, A2_v2 only).
EARLY_VMSS_CAPACITY = 2_000
#: Per-VM capacity of a classic (cloud service) CMG.
CLASSIC_CAPACITY = 6_000

SIZE_LABELS: dict[VmSize, str] = {
    VmSize.LAB: "Lab B2s",
    VmSize.STANDARD: "Standard A2_v2",
    VmSize.LARGE: "Large A4_v2",
}


def vm_instances_problem(text: str | int) -> str | None:
    """None for a usable CMG VM instance count (1 to 16, V18), else the one wording of why not.

    The field, GW-VM-INSTANCES, the checklist and the report all show this reason.
    """
    return int_range_problem(str(text), MIN_VM_INSTANCES, MAX_VM_INSTANCES)


#: The largest peak client count the calculator accepts.
MAX_PEAK_CLIENTS = 10_000_000


def peak_clients_problem(text: str | int) -> str | None:
    """None for a usable peak of concurrent internet clients, else the one wording of why not."""
    return int_range_problem(str(text), 1, MAX_PEAK_CLIENTS)


def size_label(vm_size: VmSize) -> str:
    """How the console names a VM size, e.g. ``Standard A2_v2``."""
    return SIZE_LABELS[vm_size]


def per_vm_capacity(
    vm_size: VmSize,
    site_version: int | None = None,
    method: DeploymentMethod = DeploymentMethod.VMSS,
) -> tuple[int, str]:
    """Concurrent clients one VM serves, with the words naming what that figure applies to.

    Site version unknown means a current (2107+) site.
    """
    if method is DeploymentMethod.CLASSIC:
        return CLASSIC_CAPACITY, "classic CMG VM"
    if site_version is not None and site_version < VMSS_GA_VERSION:
        return EARLY_VMSS_CAPACITY, f"VM on a {site_version} site (VM scale set before 2107)"
    return PER_VM_CAPACITY[vm_size], f"{size_label(vm_size)} VM"


@dataclass(frozen=True, slots=True)
class SizingResult:
    """Outcome of the VM-instance calculator and the reasoning behind it."""

    per_vm: int
    needed: int
    recommended: int
    capped: bool
    steps: list[str] = field(default_factory=list)


def _n(value: int) -> str:
    """Thousands separators, as people write client counts."""
    return f"{value:,}"


def _vms(count: int) -> str:
    return f"{count} VM" if count == 1 else f"{count} VMs"


def size_instances(
    peak_clients: int,
    vm_size: VmSize,
    high_availability: bool,
    site_version: int | None = None,
    method: DeploymentMethod = DeploymentMethod.VMSS,
) -> SizingResult:
    """VM instances for ``peak_clients`` concurrent internet clients.

    ``needed`` is the capacity arithmetic alone; ``recommended`` adds the high-availability
    floor and is capped at 16 (``capped`` is then True and the last step says what to do).
    Raises ValueError for a negative client count (callers validate input text first).
    """
    if peak_clients < 0:
        raise ValueError("Peak concurrent clients must be 0 or more.")
    per_vm, what = per_vm_capacity(vm_size, site_version, method)
    needed = math.ceil(peak_clients / per_vm)
    exact = peak_clients / per_vm
    if exact == needed:
        steps = [f"{_n(peak_clients)} peak clients ÷ {_n(per_vm)} per {what} = {_vms(needed)}"]
    else:
        steps = [
            f"{_n(peak_clients)} peak clients ÷ {_n(per_vm)} per {what} = {exact:.2f}, "
            f"rounded up to {_vms(needed)}"
        ]
    recommended = needed
    if recommended < MIN_VM_INSTANCES:
        recommended = MIN_VM_INSTANCES
        steps.append("a CMG always has at least 1 VM")
    if high_availability and recommended < 2:
        recommended = 2
        steps.append("high availability → at least 2 VMs")
    capped = recommended > MAX_VM_INSTANCES
    if capped:
        recommended = MAX_VM_INSTANCES
        advice = "consider a second CMG"
        if vm_size is not VmSize.LARGE and method is DeploymentMethod.VMSS and (
            site_version is None or site_version >= VMSS_GA_VERSION
        ):
            advice = f"consider Large A4_v2 ({_n(PER_VM_CAPACITY[VmSize.LARGE])} per VM) or a second CMG"
        steps.append(f"capped at {MAX_VM_INSTANCES}: {advice}")
    if vm_size is VmSize.LAB and method is DeploymentMethod.VMSS:
        steps.append("Lab B2s is for tests only, not production")
    return SizingResult(per_vm=per_vm, needed=needed, recommended=recommended,
                        capped=capped, steps=steps)


def cmgcp_needed(
    vm_instances: int, high_availability: bool, site_clients: int | None = None
) -> int:
    """CMG connection points a site needs (§6).

    One per four VM instances, at least two for high availability, and one per 16,384
    clients of the site (one TCP port per client on the connection point).
    """
    vms = max(vm_instances, MIN_VM_INSTANCES)
    needed = max(math.ceil(vms / VMS_PER_CMGCP), 2 if high_availability else 1)
    if site_clients:
        needed = max(needed, math.ceil(site_clients / CLIENTS_PER_CMGCP))
    return needed
