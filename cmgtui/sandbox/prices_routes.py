"""The Azure Retail Prices API of the sandbox: ``GET /api/retail/prices``, no sign-in, as Azure serves it.

Shape from the API's public reference (learn.microsoft.com, "Azure Retail Prices overview",
``rest/api/cost-management/retail-prices/azure-retail-prices``): an envelope with
``BillingCurrency``, ``CustomerEntityId`` "Default", ``CustomerEntityType`` "Retail", ``Items``,
``NextPageLink`` (null on the last page) and ``Count``; items with ``currencyCode``,
``tierMinimumUnits``, ``retailPrice``, ``unitPrice``, ``armRegionName``, ``location``,
``effectiveStartDate``, ``meterId``, ``meterName``, ``productId``, ``skuId``, ``productName``,
``skuName``, ``serviceName``, ``serviceId``, ``serviceFamily``, ``unitOfMeasure``, ``type``,
``isPrimaryMeterRegion`` and ``armSkuName``. ``$filter`` takes ``eq`` clauses joined by ``and``
(values case-sensitive, as in API versions from 2023-01-01-preview); ``currencyCode`` chooses
the currency; pages continue with ``$skip`` in ``NextPageLink``.

The meters are those a CMG uses: Windows VMs of the CMG sizes (Av2 and B before 2609; Dadsv6
from 2609, memdocs "What's new in version 2609"), with a Spot meter beside each to be left out,
internet egress tiers (product "Rtn Preference: MGN", meter "Standard Data Transfer Out", tiers
at 0, 10,240 and 51,200 GB as public pricing code shows them) and hot LRS blob storage. The
amounts are rehearsal figures of the right order, not Azure's price list: a real estimate reads
the real API.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from cmgtui.sandbox.http import Request, Response, Route, parse_odata_filter, route
from cmgtui.sandbox.state import LOCATIONS, USGOV_LOCATIONS, TenantState

PAGE_SIZE = 100
#: Rehearsal exchange rates from USD, for ``currencyCode``.
RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "JPY": 150.0, "AUD": 1.52, "CAD": 1.37, "CHF": 0.88, "INR": 84.0}
FILTER_FIELDS = {"serviceName", "armRegionName", "armSkuName", "productName", "meterName", "skuName",
                 "priceType", "type", "serviceFamily", "currencyCode", "location", "meterId"}

#: armSkuName → (product, sku/meter name, USD per hour) of the Windows VM meters.
VM_METERS: dict[str, tuple[str, str, float]] = {
    "Standard_B2s": ("Virtual Machines BS Series Windows", "B2s", 0.0496),
    "Standard_A2_v2": ("Virtual Machines Av2 Series Windows", "A2 v2", 0.1330),
    "Standard_A4_v2": ("Virtual Machines Av2 Series Windows", "A4 v2", 0.2810),
    "Standard_D2ads_v6": ("Virtual Machines Dadsv6 Series Windows", "D2ads v6", 0.1950),
    "Standard_D4ads_v6": ("Virtual Machines Dadsv6 Series Windows", "D4ads v6", 0.3900),
    "Standard_D8ads_v6": ("Virtual Machines Dadsv6 Series Windows", "D8ads v6", 0.7800),
}
EGRESS_TIERS: tuple[tuple[float, float], ...] = ((0.0, 0.087), (10240.0, 0.083), (51200.0, 0.07))
HOT_LRS_PER_GB_MONTH = 0.0208


def _item(region: str, location: str, *, service: str, family: str, product: str, sku: str, meter: str,
          unit: str, usd: float, arm_sku: str = "", tier: float = 0.0, kind: str = "Consumption") -> dict[str, Any]:
    meter_id = f"{region}-{product}-{meter}-{tier:g}-{kind}".lower().replace(" ", "-")
    return {"currencyCode": "USD", "tierMinimumUnits": tier, "retailPrice": usd, "unitPrice": usd,
            "armRegionName": region, "location": location, "effectiveStartDate": "2026-01-01T00:00:00Z",
            "meterId": meter_id, "meterName": meter, "productId": product.upper().replace(" ", "")[:12],
            "skuId": f"{product.upper().replace(' ', '')[:12]}/{sku.replace(' ', '')}", "productName": product,
            "skuName": sku, "serviceName": service, "serviceId": service.upper().replace(" ", "")[:12],
            "serviceFamily": family, "unitOfMeasure": unit, "type": kind, "isPrimaryMeterRegion": True,
            "armSkuName": arm_sku}


def catalogue() -> list[dict[str, Any]]:
    """Every meter the sandbox prices, in USD."""
    items: list[dict[str, Any]] = []
    for region, display, *_ in [*LOCATIONS, *USGOV_LOCATIONS]:
        factor = 1.25 if region.startswith(("usgov", "usdod")) else 1.0
        for arm_sku, (product, name, usd) in VM_METERS.items():
            items.append(_item(region, display, service="Virtual Machines", family="Compute", product=product,
                               sku=name, meter=name, unit="1 Hour", usd=round(usd * factor, 4), arm_sku=arm_sku))
            items.append(_item(region, display, service="Virtual Machines", family="Compute", product=product,
                               sku=f"{name} Spot", meter=f"{name} Spot", unit="1 Hour",
                               usd=round(usd * factor * 0.2, 4), arm_sku=arm_sku))
        for tier, usd in EGRESS_TIERS:
            items.append(_item(region, display, service="Bandwidth", family="Networking",
                               product="Rtn Preference: MGN", sku="Standard", meter="Standard Data Transfer Out",
                               unit="1 GB", usd=usd, tier=tier))
        items.append(_item(region, display, service="Storage", family="Storage", product="Blob Storage",
                           sku="Hot LRS", meter="Hot LRS Data Stored", unit="1 GB/Month", usd=HOT_LRS_PER_GB_MONTH))
    return items


_CATALOGUE = catalogue()


def _prices(state: TenantState, req: Request, match: re.Match[str]) -> Response:
    currency = req.query.get("currencyCode", "USD").strip("'\"").upper()
    if currency not in RATES:
        return Response(400, {"Error": {"Code": "InvalidCurrencyCode",
                                        "Message": f"Currency code {currency} is not supported."}})
    clauses = parse_odata_filter(req.query["$filter"]) if req.query.get("$filter") else []
    if clauses is None or any(name not in FILTER_FIELDS for name, _ in clauses):
        return Response(400, {"Error": {"Code": "InvalidFilter", "Message": "The $filter is not valid."}})
    wanted = [("type" if name == "priceType" else name, value) for name, value in clauses]
    found = [item for item in _CATALOGUE if all(str(item.get(name)) == value for name, value in wanted)]
    try:
        skip = max(int(req.query.get("$skip", "0")), 0)
    except ValueError:
        skip = 0
    rate = RATES[currency]
    items = [{**item, "currencyCode": currency, "retailPrice": round(item["retailPrice"] * rate, 6),
              "unitPrice": round(item["unitPrice"] * rate, 6)} for item in found[skip:skip + PAGE_SIZE]]
    link = None
    if skip + PAGE_SIZE < len(found):
        query = {**req.query, "$skip": str(skip + PAGE_SIZE)}
        link = f"{req.base_url}{req.path}?{urlencode(query, safe='$')}"
    return Response(200, {"BillingCurrency": currency, "CustomerEntityId": "Default", "CustomerEntityType": "Retail",
                          "Items": items, "NextPageLink": link, "Count": len(items)})


ROUTES: list[Route] = [route("GET", r"/api/retail/prices", _prices, needs_token=False)]
