"""The cost figures in words: the same sentences in Part 4's Cost section and the report.

Each sentence says where its figure came from: the usage assumptions (memdocs ``cmg/cost.md``),
the prices (the Azure Retail Prices API, live or the cached copy with its date) and the suggested
14-day outbound data alert (cost.md's upper per-client figure over the 14 days the console's
alert measures, memdocs ``cmg/monitor-clients-cloud-management-gateway.md``).
"""

from __future__ import annotations

from cmgtui.domain.azure.cost import ALERT_SOURCE, COST_SOURCE, MB_PER_CLIENT_AGGRESSIVE, PlannedCost, PriceSheet

NO_CLIENTS = "The estimate needs the peak concurrent internet clients (Part 4, Settings)."
NO_PRICES = ("No list prices read yet: fetch them in Part 4's Cost section (or run 'cmgtui cost') "
             "once with a connection to the internet; they are kept for use offline.")


def amount(value: float | None, currency: str) -> str:
    """A monthly amount with its currency, or what an item without a meter cmgtui reads shows."""
    return "not priced" if value is None else f"{value:,.2f} {currency}"


def assumptions_text(planned: PlannedCost) -> str:
    """The usage the estimate assumes, and where the per-client figure comes from."""
    usage = planned.usage
    text = (f"{usage.clients:,} internet clients × {usage.mb_per_client} MB each a month ({COST_SOURCE}: "
            f"100 default, {MB_PER_CLIENT_AGGRESSIVE} aggressive client settings)")
    if usage.content_stored_gb or usage.content_downloads_gb:
        text += (f"; content {usage.content_stored_gb:,.0f} GB stored, {usage.content_downloads_gb:,.0f} GB "
                 "downloaded a month")
    return text + "."


def prices_text(prices: PriceSheet) -> str:
    """Where the prices come from and when they were read."""
    return (f"Prices: {prices.origin}, {prices.region}, {prices.currency}, read {prices.read_at:%Y-%m-%d %H:%M} UTC.")


def alert_text(planned: PlannedCost) -> str:
    """The suggested 14-day outbound data alert, how it is reached and its sources."""
    return (f"Suggested 14-day outbound data alert: {planned.alert_gb:,} GB, the usage at no less than "
            f"{MB_PER_CLIENT_AGGRESSIVE} MB a client a month, plus content downloads, over the 14 days the alert "
            f"measures. Sources: {COST_SOURCE} and {ALERT_SOURCE}")
