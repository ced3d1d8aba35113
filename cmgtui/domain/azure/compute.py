"""The CMG's virtual machines in Azure's terms: SKU names, vCPUs, quota families, and the quota sum.

ConfigMgr offers three VM sizes from 2107 (Lab ``Standard_B2s``, Standard ``Standard_A2_v2``,
Large ``Standard_A4_v2``) and only ``Standard_A2_v2`` before (domain sheet §0.2, §5.5;
SupportArticles-docs ``support/mem/configmgr/cloud-services/cmg-creation-unavailable-region.md``
lists the three SKUs); from 2609 the same three sizes run on ``Standard_D2ads_v6``,
``D4ads_v6`` and ``D8ads_v6`` (:mod:`cmgtui.domain.azure.vm_sizes`). A scale set of N instances
needs N × vCPUs of the size from two quotas of ``Microsoft.Compute/locations/{location}/usages``:
the size's family (``standardBSFamily``, ``standardAv2Family``, ``standardDADSv6Family``) and the
regional total (``cores``). :func:`vcpu_quota_checks` is the one
place that does this sum; the pre-flight rules and the scale runbook both call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.azure.locations import ARM_LOCATIONS
from cmgtui.domain.azure.sizing import VMSS_GA_VERSION
from cmgtui.domain.azure.vm_sizes import azure_size
from cmgtui.model.enums import DeploymentMethod, VmSize
from cmgtui.model.profile import Profile

def sku_name(vm_size: VmSize, site_version: int | None) -> str:
    """The Azure SKU of the size ConfigMgr deploys for ``vm_size`` on ``site_version``."""
    return azure_size(deployed_size(vm_size, site_version), site_version).sku


def cmg_skus(site_version: int | None) -> list[str]:
    """The SKUs of every size the wizard offers on ``site_version``."""
    return [sku_name(size, site_version) for size in offered_sizes(site_version)]


#: The usage name of the regional vCPU total ("Total Regional vCPUs").
REGIONAL_QUOTA = "cores"
#: How the portal's Quotas blade names each quota.
QUOTA_LABELS = {"standardBSFamily": "Standard BS Family vCPUs", "standardAv2Family": "Standard Av2 Family vCPUs",
                "standardDADSv6Family": "Standard DADSv6 Family vCPUs", REGIONAL_QUOTA: "Total Regional vCPUs"}


def deployed_size(vm_size: VmSize, site_version: int | None) -> VmSize:
    """The size ConfigMgr really deploys: Standard A2_v2 before 2107, whatever was chosen after."""
    if site_version is not None and site_version < VMSS_GA_VERSION:
        return VmSize.STANDARD
    return vm_size


def offered_sizes(site_version: int | None) -> list[VmSize]:
    """The sizes the CMG wizard offers on this site version (unknown means current)."""
    if site_version is not None and site_version < VMSS_GA_VERSION:
        return [VmSize.STANDARD]
    return [VmSize.LAB, VmSize.STANDARD, VmSize.LARGE]


def nearby_regions(region: str, candidates: list[str], count: int = 3) -> list[str]:
    """Up to ``count`` of ``candidates`` nearest ``region`` in the built-in region lists' order
    (which keeps each geography together), nearest first."""
    order = [name for name, _ in ARM_LOCATIONS]
    wanted = region.strip().lower()
    if wanted not in order:
        return sorted(candidates)[:count]
    home = order.index(wanted)
    known = [c for c in candidates if c in order and c != wanted]
    return sorted(known, key=lambda c: (abs(order.index(c) - home), order.index(c)))[:count]


def regions_without_size(profile: Profile) -> tuple[str, set[str]]:
    """The SKU the plan deploys and the regions the pre-flight read (``arm.skus``, for the plan's
    subscription) that don't offer it to the subscription (empty when not read)."""
    sku = sku_name(profile.gateway.vm_size, profile.site.site_version)
    found = profile.evidence.get("arm.skus")
    if found is None or profile.deployment_method is not DeploymentMethod.VMSS:
        return sku, set()
    data = found.data
    wanted = profile.gateway.subscription_id.strip().lower()
    if "error" in data or (wanted and str(data.get("subscription_id", "")).lower() != wanted):
        return sku, set()
    if sku not in (data.get("offered") or {}):
        return sku, set()
    offered = {str(r) for r in data["offered"][sku]}
    return sku, {str(r) for r in data.get("regions") or [] if str(r) not in offered}


@dataclass(frozen=True, slots=True)
class QuotaCheck:
    """One quota against what the CMG needs: ``needed`` vCPUs more than ``used`` of ``limit``."""

    name: str
    label: str
    limit: int
    used: int
    needed: int

    @property
    def free(self) -> int:
        """vCPUs still free under this quota."""
        return max(self.limit - self.used, 0)

    @property
    def shortfall(self) -> int:
        """vCPUs missing (0 when the quota suffices)."""
        return max(self.needed - self.free, 0)

    @property
    def new_limit(self) -> int:
        """The limit to ask for in a quota request so the CMG fits."""
        return self.used + self.needed

    def numbers(self) -> dict[str, int]:
        """``{"limit", "used", "needed"}`` for JSON outputs."""
        return {"limit": self.limit, "used": self.used, "needed": self.needed}


def vcpus_needed(instances: int, vm_size: VmSize, site_version: int | None = None) -> int:
    """vCPUs a CMG of ``instances`` VMs of ``vm_size`` takes (the size really deployed)."""
    return instances * azure_size(deployed_size(vm_size, site_version), site_version).vcpus


def vcpu_quota_checks(instances: int, vm_size: VmSize, usages: dict[str, dict[str, int]],
                      site_version: int | None = None, already_deployed: int = 0) -> list[QuotaCheck]:
    """The family quota and the regional total against ``instances`` × vCPUs of the size.

    ``usages`` maps a usage name to ``{"limit", "used"}`` (the usages API's ``limit`` and
    ``currentValue``); a quota it lacks is left out. ``already_deployed`` vCPUs are counted
    in ``used`` already (a running CMG being scaled), so only the difference is needed.
    """
    needed = max(vcpus_needed(instances, vm_size, site_version) - already_deployed, 0)
    family = azure_size(deployed_size(vm_size, site_version), site_version).quota_family
    out = []
    for name in (family, REGIONAL_QUOTA):
        found = usages.get(name)
        if found is None:
            continue
        out.append(QuotaCheck(name, QUOTA_LABELS.get(name, name), int(found.get("limit", 0)),
                              int(found.get("used", 0)), needed))
    return out
