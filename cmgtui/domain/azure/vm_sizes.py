"""The Azure VM behind each CMG size, by site version: its name, vCPUs, series and vCPU quota family.

The console offers Lab, Standard and Large (memdocs ``cmg/cost.md``: B2s, A2_v2, A4_v2 from
2107). From 2609 the scale set uses new sizes and existing CMGs move to them with the update
(memdocs "What's new in version 2609 of Configuration Manager current branch", *New cloud
management gateway virtual machine sizes*: Standard_D2ads_v6, D4ads_v6 and D8ads_v6 with 2, 4
and 8 vCPUs). vCPUs of the earlier sizes: azure-docs ``sizes-b-series-burstable.md`` and
``av2-series.md``. The quota families are the names the Compute usages API reports
(``standardBSFamily``, ``standardAv2Family``, ``standardDADSv6Family``). A site whose version is
not known is taken to be current, so the newer (and larger) sizes are assumed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.model.enums import VmSize

NEW_SIZES_VERSION = 2609


@dataclass(frozen=True)
class AzureSize:
    """One Azure VM size as a CMG uses it."""

    sku: str
    vcpus: int
    series: str
    quota_family: str


_BEFORE_2609 = {
    VmSize.LAB: AzureSize("Standard_B2s", 2, "B-series", "standardBSFamily"),
    VmSize.STANDARD: AzureSize("Standard_A2_v2", 2, "Av2-series", "standardAv2Family"),
    VmSize.LARGE: AzureSize("Standard_A4_v2", 4, "Av2-series", "standardAv2Family"),
}
_FROM_2609 = {
    VmSize.LAB: AzureSize("Standard_D2ads_v6", 2, "Dadsv6-series", "standardDADSv6Family"),
    VmSize.STANDARD: AzureSize("Standard_D4ads_v6", 4, "Dadsv6-series", "standardDADSv6Family"),
    VmSize.LARGE: AzureSize("Standard_D8ads_v6", 8, "Dadsv6-series", "standardDADSv6Family"),
}


def azure_size(size: VmSize, site_version: int | None) -> AzureSize:
    """The Azure VM size behind ``size`` on a site at ``site_version`` (current sizes when unknown)."""
    if site_version is not None and site_version < NEW_SIZES_VERSION:
        return _BEFORE_2609[size]
    return _FROM_2609[size]
