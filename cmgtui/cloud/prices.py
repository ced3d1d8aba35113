"""List prices for a CMG from the Azure Retail Prices API, kept with their date for use offline.

The API needs no sign-in (``GET https://prices.azure.com/api/retail/prices`` with an OData
``$filter``; pages follow ``NextPageLink``). cmgtui asks for the three things a CMG is billed
for that have a meter: the Windows VM of each CMG size, internet egress (product
"Rtn Preference: MGN", meter "Standard Data Transfer Out", graduated by ``tierMinimumUnits``)
and hot LRS blob storage. Spot and low-priority meters share the VM's ``armSkuName`` and are
left out. What was read is written to ``prices/<region>-<currency>.json`` under cmgtui's data
folder; without a network the copy is used and its date is shown with every figure.
"""

from __future__ import annotations

import json
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cmgtui import paths
from cmgtui.domain.azure.cost import DEFAULT_CURRENCY, PriceSheet
from cmgtui.private_files import ensure_private_dir, write_atomic

PUBLIC_URL = "https://prices.azure.com"
LIVE = "Azure Retail Prices API"
CACHED = "cached copy of the Azure Retail Prices API"
MAX_PAGES = 20
MAX_BYTES = 8 * 1024 * 1024


class PricesUnavailable(Exception):
    """No prices could be read and none are cached; the message says why and what to do."""


def _cache_file(region: str, currency: str) -> Path:
    return paths.home() / "prices" / f"{region}-{currency}.json"


def _get_items(base_url: str, filter_text: str, currency: str, context: ssl.SSLContext | None) -> list[dict[str, Any]]:
    """Every item of one filtered query, following ``NextPageLink`` (bounded)."""
    query = urllib.parse.urlencode({"currencyCode": currency, "$filter": filter_text}, safe="$'")
    url: str | None = f"{base_url}/api/retail/prices?{query}"
    items: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        if not url:
            return items
        with urllib.request.urlopen(url, context=context, timeout=20) as response:
            body = json.loads(response.read(MAX_BYTES + 1)[:MAX_BYTES])
        items.extend(item for item in body.get("Items", []) if isinstance(item, dict))
        url = body.get("NextPageLink") or None
    return items


def _why(exc: BaseException, base_url: str) -> str:
    """A failure to read the price list, in the user's terms."""
    host = urllib.parse.urlsplit(base_url).hostname or base_url
    reason = exc.reason if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError) \
        else exc
    if isinstance(reason, socket.gaierror):
        return f"the name {host} cannot be resolved (no DNS, or no network here)"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection"
    if isinstance(reason, ssl.SSLError):
        return f"the TLS connection to {host} failed (a proxy that inspects TLS would cause this)"
    if isinstance(reason, TimeoutError):
        return f"{host} did not answer in time"
    if isinstance(exc, urllib.error.HTTPError):
        return f"{host} answered HTTP {exc.code}"
    if isinstance(exc, (ValueError, KeyError, TypeError)):
        return f"{host} answered something that is not a price list"
    return f"{host} could not be reached ({getattr(reason, 'strerror', None) or 'network error'})"


def _consumption(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pay-as-you-go meters only: no Spot, low priority, reservation or Dev/Test prices."""
    return [item for item in items if item.get("type") == "Consumption"
            and not any(word in str(item.get("meterName", "")) for word in ("Spot", "Low Priority"))]


def read_prices(region: str, currency: str, vm_skus: Iterable[str], *, base_url: str = PUBLIC_URL,
                ca_path: Path | None = None) -> PriceSheet:
    """Read the CMG's meters for ``region`` live, save them, and return them (raises OSError, ValueError)."""
    context = ssl.create_default_context(cafile=str(ca_path)) if ca_path is not None else None
    where = f"armRegionName eq '{region}'"
    vm_hourly: dict[str, float] = {}
    for sku in vm_skus:
        items = _consumption(_get_items(base_url, f"serviceName eq 'Virtual Machines' and {where} and "
                                        f"armSkuName eq '{sku}'", currency, context))
        windows = [item for item in items if str(item.get("productName", "")).endswith("Windows")]
        if windows:
            vm_hourly[sku] = float(windows[0]["retailPrice"])
    egress = _consumption(_get_items(base_url, f"serviceName eq 'Bandwidth' and {where} and productName eq "
                                     f"'Rtn Preference: MGN' and meterName eq 'Standard Data Transfer Out'",
                                     currency, context))
    storage = _consumption(_get_items(base_url, f"serviceName eq 'Storage' and {where} and skuName eq 'Hot LRS' "
                                      f"and meterName eq 'Hot LRS Data Stored'", currency, context))
    sheet = PriceSheet(region, currency, datetime.now(UTC), LIVE, vm_hourly,
                       tuple(sorted((float(i["tierMinimumUnits"]), float(i["retailPrice"])) for i in egress)),
                       float(storage[0]["retailPrice"]) if storage else None)
    _save(sheet)
    return sheet


def _save(sheet: PriceSheet) -> None:
    target = _cache_file(sheet.region, sheet.currency)
    ensure_private_dir(target.parent)
    data = {"region": sheet.region, "currency": sheet.currency, "read_at": sheet.read_at.isoformat(),
            "vm_hourly": sheet.vm_hourly, "egress_tiers": [list(t) for t in sheet.egress_tiers],
            "storage_gb_month": sheet.storage_gb_month}
    write_atomic(target, json.dumps(data, indent=2).encode())


def cached_prices(region: str, currency: str) -> PriceSheet | None:
    """The prices last read for ``region`` and ``currency``, or None (also for a damaged copy)."""
    try:
        data = json.loads(_cache_file(region, currency).read_text(encoding="utf-8"))
        return PriceSheet(region, currency, datetime.fromisoformat(data["read_at"]), CACHED,
                          {str(k): float(v) for k, v in data["vm_hourly"].items()},
                          tuple((float(a), float(b)) for a, b in data["egress_tiers"]),
                          None if data["storage_gb_month"] is None else float(data["storage_gb_month"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def cached_for_region(region: str, currency: str = DEFAULT_CURRENCY) -> PriceSheet | None:
    """The cached prices of a profile's region (None without a region or a copy): what Part 4 and
    the report show until prices are fetched again."""
    region = region.strip().lower()
    return cached_prices(region, currency) if region else None


def prices_for(region: str, currency: str, vm_skus: Iterable[str], *, offline: bool = False,
               base_url: str = PUBLIC_URL, ca_path: Path | None = None) -> tuple[PriceSheet, str | None]:
    """Live prices, else the cached copy with why the live ones were not read (None when offline
    was asked for or the prices are live); raises PricesUnavailable when there are neither."""
    problem = "offline was asked for"
    if not offline:
        try:
            return read_prices(region, currency, list(vm_skus), base_url=base_url, ca_path=ca_path), None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problem = f"the Azure Retail Prices API could not be read: {_why(exc, base_url)}"
    cached = cached_prices(region, currency)
    if cached is None:
        raise PricesUnavailable(f"No prices for {region} in {currency}: {problem}, and none were read before. "
                                "Run it once with a connection to the internet (or --sandbox to rehearse).")
    return cached, None if offline else problem
