"""What a CMG will cost a month, from list prices and the documented usage figures, each line sourced.

The elements are those of memdocs ``cmg/cost.md``: compute (the VM size × instances × hours),
outbound data transfer ("approximately 100-300 MB per client per month for internet-based
clients", the lower for a default client configuration, the upper for an aggressive one),
storage for content on a content-enabled CMG (locally redundant storage), and the items the
page lists without a meter cmgtui reads (one dynamic IP address per CMG, Key Vault at far fewer
than 10,000 operations a month, the certificate). Prices come from the Azure Retail Prices API
(:class:`PriceSheet`); the hours in a month are Azure's pricing convention of 730.

The VM behind each console size depends on the site version (:mod:`cmgtui.domain.azure.vm_sizes`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from cmgtui.domain.azure.vm_sizes import azure_size
from cmgtui.domain.hierarchy import total_peak_clients
from cmgtui.model.enums import VmSize
from cmgtui.model.profile import Profile

HOURS_PER_MONTH = 730
#: cost.md: "expect approximately 100-300 MB per client per month for internet-based clients".
MB_PER_CLIENT_DEFAULT = 100
MB_PER_CLIENT_AGGRESSIVE = 300
COST_SOURCE = "memdocs cmg/cost.md"
SIZES_SOURCE = "memdocs whats-new-in-version-2609.md"
ALERT_SOURCE = "memdocs cmg/monitor-clients-cloud-management-gateway.md"
#: The currency cmgtui prices in unless ``cmgtui cost --currency`` asks for another.
DEFAULT_CURRENCY = "USD"

def vm_sku(size: VmSize, site_version: int | None) -> str:
    """The Azure VM size (``armSkuName``) behind a console size at ``site_version`` (current when unknown)."""
    return azure_size(size, site_version).sku


@dataclass(frozen=True)
class PriceSheet:
    """List prices for one region and currency, with when and where they were read."""

    region: str
    currency: str
    read_at: datetime
    origin: str  # "Azure Retail Prices API" or "cached copy of the Azure Retail Prices API"
    vm_hourly: dict[str, float] = field(default_factory=dict)  # armSkuName -> price per hour
    egress_tiers: tuple[tuple[float, float], ...] = ()  # (from GB, price per GB), ascending
    storage_gb_month: float | None = None


@dataclass(frozen=True)
class Usage:
    """What the admin expects: internet clients, MB each a month, content stored and downloaded."""

    clients: int
    mb_per_client: int = MB_PER_CLIENT_DEFAULT
    content_stored_gb: float = 0.0
    content_downloads_gb: float = 0.0


@dataclass(frozen=True)
class CostLine:
    """One element of the estimate: what, how much of it, the monthly amount (None: not priced), why."""

    item: str
    quantity: str
    monthly: float | None
    source: str


@dataclass(frozen=True)
class CostEstimate:
    """The monthly estimate: its lines, their total, and the notes the admin should read with it."""

    currency: str
    lines: list[CostLine]
    notes: list[str]
    prices: PriceSheet

    @property
    def total(self) -> float:
        """The sum of the priced lines."""
        return round(sum(line.monthly for line in self.lines if line.monthly is not None), 2)


def tiered_cost(gigabytes: float, tiers: tuple[tuple[float, float], ...]) -> float:
    """The price of ``gigabytes`` under graduated tiers: each tier's rate for the part that falls in it."""
    total = 0.0
    ordered = sorted(tiers)
    for index, (start, rate) in enumerate(ordered):
        end = ordered[index + 1][0] if index + 1 < len(ordered) else math.inf
        if gigabytes > start:
            total += (min(gigabytes, end) - start) * rate
    return total


def monthly_egress_gb(usage: Usage) -> float:
    """Outbound data a month: the clients' traffic (cost.md's per-client figure) plus content downloads."""
    return usage.clients * usage.mb_per_client / 1024 + usage.content_downloads_gb


def recommended_outbound_alert_gb(usage: Usage) -> int:
    """The 14-day outbound threshold cmgtui suggests: the aggressive client figure over 14 days, at least 1 GB.

    Traffic above what cost.md's upper estimate (300 MB per client a month) gives for the same
    clients in 14 days means something other than normal client traffic (content, a
    misconfigured revocation check), which is what the alert is for.
    """
    per_client = max(usage.mb_per_client, MB_PER_CLIENT_AGGRESSIVE)
    gigabytes = usage.clients * per_client / 1024 * 14 / 30 + usage.content_downloads_gb * 14 / 30
    return max(1, math.ceil(gigabytes))


def price_source(prices: PriceSheet) -> str:
    """Where a priced line's price comes from: the API (or its cached copy), the region, the date."""
    return f"{prices.origin}, {prices.region}, read {prices.read_at:%Y-%m-%d}"


def estimate(size: VmSize, instances: int, site_version: int | None, usage: Usage, prices: PriceSheet,
             content_enabled: bool) -> CostEstimate:
    """The monthly estimate for a CMG of ``instances`` × ``size`` serving ``usage``, priced by ``prices``."""
    sku = vm_sku(size, site_version)
    read = price_source(prices)
    lines: list[CostLine] = []
    hourly = prices.vm_hourly.get(sku)
    lines.append(CostLine(
        f"Compute: {instances} × {sku}", f"{instances * HOURS_PER_MONTH:,} VM hours",
        None if hourly is None else round(hourly * instances * HOURS_PER_MONTH, 2),
        f"{COST_SOURCE}; size by version: {SIZES_SOURCE}; price: {read}"
        if hourly is not None else f"{COST_SOURCE}; no list price for {sku} in {prices.region}"))
    egress = monthly_egress_gb(usage)
    lines.append(CostLine(
        "Outbound data transfer", f"{egress:,.1f} GB ({usage.clients:,} clients × {usage.mb_per_client} MB"
        + (f" + {usage.content_downloads_gb:,.1f} GB content" if usage.content_downloads_gb else "") + ")",
        round(tiered_cost(egress, prices.egress_tiers), 2) if prices.egress_tiers else None,
        f"{COST_SOURCE} (100-300 MB per client a month); price: {read}"))
    if content_enabled:
        lines.append(CostLine(
            "Content storage (LRS)", f"{usage.content_stored_gb:,.1f} GB",
            None if prices.storage_gb_month is None else round(usage.content_stored_gb * prices.storage_gb_month, 2),
            f"{COST_SOURCE} (locally redundant storage); price: {read}"))
    lines.append(CostLine("Public IP address", "1 per CMG, whatever the instances", None,
                          f"{COST_SOURCE} (one dynamic IP address per CMG); see Azure's IP address pricing"))
    lines.append(CostLine("Key Vault", "far fewer than 10,000 operations a month", None,
                          f"{COST_SOURCE}; see Azure Key Vault pricing"))
    notes = [f"Estimate only: {COST_SOURCE} says other variables can change the cost; ingress is free.",
             "Microsoft update content comes from Windows Update at no charge: don't put it on the CMG."]
    if size is VmSize.LAB:
        notes.append("The Lab size is for lab tests and proofs of concept, not production (cost.md).")
    if usage.mb_per_client < MB_PER_CLIENT_AGGRESSIVE:
        aggressive = Usage(usage.clients, MB_PER_CLIENT_AGGRESSIVE, usage.content_stored_gb,
                           usage.content_downloads_gb)
        high = tiered_cost(monthly_egress_gb(aggressive), prices.egress_tiers) if prices.egress_tiers else None
        if high is not None:
            notes.append(f"With aggressive client settings (300 MB a client) outbound data is about "
                         f"{high:,.2f} {prices.currency} a month.")
    return CostEstimate(prices.currency, lines, notes, prices)


@dataclass(frozen=True)
class PlannedCost:
    """The profile's cost figures: the usage assumed, the suggested 14-day outbound alert, and the
    monthly estimate (None until prices were read)."""

    usage: Usage
    alert_gb: int
    estimate: CostEstimate | None
    sku: str


def profile_usage(profile: Profile, *, clients: int | None = None, mb_per_client: int | None = None,
                  content_stored_gb: float | None = None, content_downloads_gb: float | None = None) -> Usage | None:
    """The usage Part 4 plans (every primary site's peak concurrent clients, the Cost section's
    assumptions), each value replaced by the argument given; None while the client count is unknown."""
    gateway = profile.gateway
    count = total_peak_clients(profile) if clients is None else clients
    if count is None:
        return None
    assumed = gateway.cost
    content = gateway.content_enabled
    return Usage(count, assumed.mb_per_client if mb_per_client is None else mb_per_client,
                 (assumed.content_stored_gb if content else 0) if content_stored_gb is None else content_stored_gb,
                 (assumed.content_downloads_gb if content else 0) if content_downloads_gb is None
                 else content_downloads_gb)


def planned_cost(profile: Profile, prices: PriceSheet | None, usage: Usage | None = None) -> PlannedCost | None:
    """The cost figures of ``profile`` for ``usage`` (default: :func:`profile_usage`): the one
    evaluation ``cmgtui cost``, Part 4's Cost section, the report and the script show.
    None while the client count is unknown."""
    usage = usage if usage is not None else profile_usage(profile)
    if usage is None:
        return None
    gateway = profile.gateway
    site_version = profile.site.site_version
    result = None if prices is None else estimate(gateway.vm_size, gateway.vm_instances or 1, site_version, usage,
                                                  prices, gateway.content_enabled)
    return PlannedCost(usage, recommended_outbound_alert_gb(usage), result, vm_sku(gateway.vm_size, site_version))
