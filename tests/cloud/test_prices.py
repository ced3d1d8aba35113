"""The sandbox's Azure Retail Prices API and cmgtui's price reader on it.

Shape: the API's public reference (learn.microsoft.com ``rest/api/cost-management/retail-prices/
azure-retail-prices``): an envelope ``BillingCurrency``, ``CustomerEntityId``, ``CustomerEntityType``,
``Items``, ``NextPageLink``, ``Count``; the item fields of its example response. No sign-in is needed.
"""

from __future__ import annotations

import json
import ssl
import urllib.parse
import urllib.request

from cmgtui.cloud.prices import CACHED, LIVE, cached_prices, prices_for
from cmgtui.sandbox.server import SandboxServer

ENVELOPE = {"BillingCurrency", "CustomerEntityId", "CustomerEntityType", "Items", "NextPageLink", "Count"}
ITEM = {"currencyCode", "tierMinimumUnits", "retailPrice", "unitPrice", "armRegionName", "location",
        "effectiveStartDate", "meterId", "meterName", "productId", "skuId", "productName", "skuName",
        "serviceName", "serviceId", "serviceFamily", "unitOfMeasure", "type", "isPrimaryMeterRegion", "armSkuName"}


def _get(sandbox: SandboxServer, query: dict[str, str]) -> dict:  # type: ignore[type-arg]
    assert sandbox.ca_path is not None
    url = f"{sandbox.url}/api/retail/prices?{urllib.parse.urlencode(query, safe='$')}"
    with urllib.request.urlopen(url, context=ssl.create_default_context(cafile=str(sandbox.ca_path))) as answer:
        return json.load(answer)  # type: ignore[no-any-return]


def test_the_answer_has_the_documented_shape_and_needs_no_sign_in(sandbox: SandboxServer) -> None:
    body = _get(sandbox, {"$filter": "serviceName eq 'Virtual Machines' and armRegionName eq 'westus' "
                                     "and armSkuName eq 'Standard_A2_v2'"})
    assert set(body) == ENVELOPE
    assert body["CustomerEntityId"] == "Default" and body["CustomerEntityType"] == "Retail"
    assert body["Count"] == len(body["Items"]) == 2 and body["NextPageLink"] is None
    assert all(set(item) == ITEM for item in body["Items"])
    assert {item["meterName"] for item in body["Items"]} == {"A2 v2", "A2 v2 Spot"}
    assert all(item["unitOfMeasure"] == "1 Hour" and item["armRegionName"] == "westus" for item in body["Items"])


def test_pages_follow_next_page_link_and_currency_is_chosen(sandbox: SandboxServer) -> None:
    first = _get(sandbox, {"$filter": "serviceName eq 'Virtual Machines'", "currencyCode": "EUR"})
    assert first["BillingCurrency"] == "EUR" and first["Count"] == 100
    assert first["NextPageLink"] and "$skip=100" in first["NextPageLink"]
    assert all(item["currencyCode"] == "EUR" for item in first["Items"])


def test_filter_values_are_case_sensitive(sandbox: SandboxServer) -> None:
    assert _get(sandbox, {"$filter": "serviceName eq 'virtual machines'"})["Items"] == []


def test_the_reader_keeps_pay_as_you_go_windows_prices_and_caches_them(sandbox: SandboxServer) -> None:
    sheet, problem = prices_for("westus", "USD", ["Standard_A2_v2", "Standard_D4ads_v6"],
                                base_url=sandbox.url, ca_path=sandbox.ca_path)
    assert problem is None and sheet.origin == LIVE
    assert sheet.vm_hourly == {"Standard_A2_v2": 0.133, "Standard_D4ads_v6": 0.39}  # the Spot meters are left out
    assert sheet.egress_tiers == ((0.0, 0.087), (10240.0, 0.083), (51200.0, 0.07))
    assert sheet.storage_gb_month == 0.0208
    cached = cached_prices("westus", "USD")
    assert cached is not None and cached.origin == CACHED and cached.vm_hourly == sheet.vm_hourly
    offline, problem = prices_for("westus", "USD", ["Standard_A2_v2"], offline=True)
    assert offline.read_at == sheet.read_at and problem is None
