"""Reading the list prices of a profile's region: Part 4's Cost section and ``cmgtui cost``.

Prices come from the Azure Retail Prices API (no sign-in), or from the sandbox's price list while
rehearsing; when they can't be read the cached copy is used and the result says why. Reading
blocks on the network: the TUI runs it in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cmgtui.cloud.prices import PUBLIC_URL, PricesUnavailable, prices_for
from cmgtui.domain.azure.cost import PriceSheet


@dataclass(frozen=True, slots=True)
class PriceRead:
    """The prices to use (None: none at all) and why they are not live ('' when they are)."""

    region: str
    sheet: PriceSheet | None
    problem: str = ""


def read_prices(region: str, currency: str, vm_skus: list[str], *, offline: bool = False,
                endpoint: tuple[str, Path | None] | None = None) -> PriceRead:
    """Live prices for ``region``, else the cached copy; ``endpoint`` is the sandbox's (URL, CA)."""
    base_url, ca_path = endpoint if endpoint is not None else (PUBLIC_URL, None)
    region = region.strip().lower()
    try:
        sheet, problem = prices_for(region, currency, vm_skus, offline=offline, base_url=base_url, ca_path=ca_path)
    except PricesUnavailable as exc:
        return PriceRead(region, None, str(exc))
    return PriceRead(region, sheet, problem or "")
