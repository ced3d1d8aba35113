"""Part 4's Cost section: the monthly estimate with each line's source, the assumptions the admin
changes, where the prices come from and when they were read, and the suggested outbound alert.

The figures are :func:`cmgtui.domain.azure.cost.planned_cost`, the one evaluation ``cmgtui cost``,
the report and the script use. Prices are the cached copy of the Azure Retail Prices API for the
profile's region (read from disk, its date shown); they are fetched again only when the admin asks
(``r``), as a cloud job of the App's bridge, from the sandbox's price list while rehearsing,
through :func:`cmgtui.services.prices.read_prices` (what ``cmgtui cost`` reads with).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Static

from cmgtui.domain import validate
from cmgtui.domain.azure import cost_text
from cmgtui.domain.azure.cost import DEFAULT_CURRENCY, PlannedCost, PriceSheet, planned_cost, price_source, vm_sku
from cmgtui.messages import FieldEdited
from cmgtui.model import Profile
from cmgtui.widgets.base import AppAccess, show_if_changed
from cmgtui.widgets.fields import IntField

if TYPE_CHECKING:
    from cmgtui.cloud.jobs import LogFn
    from cmgtui.services.prices import PriceRead

FETCH = "Read list prices"


def _mb_per_client(text: str) -> str | None:
    return validate.int_range_problem(text, 1, 10_000)


def _gigabytes(text: str) -> str | None:
    return validate.int_range_problem(text, 0, 1_000_000)


def estimate_text(profile: Profile, planned: PlannedCost | None) -> Group:
    """The estimate as the section shows it: the prices' origin and date, a row per element
    (amount, then what and its source, wrapped beside the amount), the total, the notes, the
    assumptions and the suggested alert."""
    if planned is None:
        return Group(Text(cost_text.NO_CLIENTS))
    parts: list[RenderableType] = []
    result = planned.estimate
    if result is None:
        parts.append(Text(cost_text.NO_PRICES))
    else:
        parts.append(Text(cost_text.prices_text(result.prices), style="italic"))
        rows = Table.grid(padding=(0, 1))
        rows.add_column(justify="right", no_wrap=True)
        rows.add_column(ratio=1)
        for line in result.lines:
            # the price's origin and date are on the first line: each line keeps the rest of its source
            source = line.source.replace(f"; price: {price_source(result.prices)}", "; price as above")
            what = Text(f"{line.item}: {line.quantity}\n")
            what.append(f"Source: {source}", style="dim")
            rows.add_row(Text(cost_text.amount(line.monthly, result.currency), style="bold"), what)
        rows.add_row(Text(cost_text.amount(result.total, result.currency), style="bold"),
                     Text("a month in all (the priced lines)", style="bold"))
        parts.append(rows)
        parts += [Text(f"Note: {note}", style="dim") for note in result.notes]
    parts.append(Text("Assumes " + cost_text.assumptions_text(planned)))
    alert = Text(cost_text.alert_text(planned))
    threshold = profile.gateway.traffic_alert
    if threshold.enabled and threshold.gigabytes is None:
        alert.append("\nThe script sets it while the threshold above is empty.")
    elif threshold.enabled and threshold.gigabytes != planned.alert_gb:
        alert.append(f"\nThe threshold above is {threshold.gigabytes:,} GB.")
    parts.append(alert)
    return Group(*parts)


class PricesRead(Message):
    """The list prices of a region were read, or why they could not be (posted to the Cost section)."""

    def __init__(self, result: PriceRead) -> None:
        super().__init__()
        self.result = result


class CostSection(Vertical, AppAccess):
    """The Cost section's fields, estimate and buttons."""

    DEFAULT_CSS = """
    CostSection { height: auto; }
    CostSection #gw-cost-estimate { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._prices: PriceSheet | None = None
        self._prices_region: str | None = None  # the region the prices shown were read or looked up for

    def compose(self) -> ComposeResult:
        yield Static("Cost", classes="section-title", id="gw-cost-title")
        yield Static("A monthly estimate from list prices and the usage figures of cmg/cost.md. "
                     "r reads the latest list prices (Azure Retail Prices API, no sign-in).", classes="hint")
        yield IntField("Outbound MB per client a month (cost.md: 100 default, 300 aggressive client settings)",
                       "gateway.cost.mb_per_client", validator=_mb_per_client, placeholder="100")
        yield IntField("Content stored on the CMG, GB", "gateway.cost.content_stored_gb", validator=_gigabytes,
                       id="gw-cost-stored")
        yield IntField("Content clients download from the CMG a month, GB", "gateway.cost.content_downloads_gb",
                       validator=_gigabytes, id="gw-cost-downloads")
        yield Static(id="gw-cost-estimate", classes="gw-text")
        yield Button(f"{FETCH} (r)", id="gw-cost-fetch", compact=True)
        yield Button("Use the suggested threshold", id="gw-use-threshold", compact=True)

    def _cached(self, profile: Profile) -> PriceSheet | None:
        """The prices for the profile's region: those read this session, else the cached copy."""
        from cmgtui.cloud.prices import cached_for_region

        region = profile.region.strip().lower()
        if region != self._prices_region:
            self._prices, self._prices_region = cached_for_region(region), region
        return self._prices

    def sync(self, profile: Profile) -> None:
        """Redraw the estimate from the profile and the prices at hand."""
        planned = planned_cost(profile, self._cached(profile))
        for field_id in ("#gw-cost-stored", "#gw-cost-downloads"):
            self.query_one(field_id).display = profile.gateway.content_enabled
        show_if_changed(self.query_one("#gw-cost-estimate", Static), estimate_text(profile, planned))
        use = self.query_one("#gw-use-threshold", Button)
        use.disabled = planned is None or profile.gateway.traffic_alert.gigabytes == planned.alert_gb
        use.label = ("Use the suggested threshold" if planned is None
                     else f"Use {planned.alert_gb:,} GB as the outbound threshold")

    def fetch(self) -> None:
        """Read the list prices for the profile's region now (a cloud job; the cached copy stays
        shown, with its date, when they can't be read)."""
        profile = self.cmg.profile
        if profile is None:
            return
        region = profile.region.strip().lower()
        if not region:
            self.notify("Choose the region first (Settings, above): prices are per region.", title=FETCH,
                        severity="warning")
            return
        sku = vm_sku(profile.gateway.vm_size, profile.site.site_version)
        endpoint = self.cmg.cloud.sandbox_endpoint()

        async def job(log: LogFn) -> Message:
            import asyncio

            from cmgtui.services.prices import read_prices

            log(f"Reading list prices for {region} ({DEFAULT_CURRENCY}) …")
            return PricesRead(await asyncio.to_thread(read_prices, region, DEFAULT_CURRENCY, [sku],
                                                      endpoint=endpoint))

        self.cmg.cloud.run_local_posting(self, FETCH, job)

    def on_prices_read(self, message: PricesRead) -> None:
        """Show the estimate with the prices read (or the cached ones, saying why)."""
        message.stop()
        result = message.result
        sheet = result.sheet
        if sheet is not None:
            self._prices, self._prices_region = sheet, result.region
        if result.problem:
            shown = f" The cached prices of {sheet.read_at:%Y-%m-%d} stay in use." if sheet else ""
            self.notify(f"{result.problem}.{shown}", title=FETCH, severity="warning", timeout=15)
        else:
            self.notify(f"List prices for {result.region} read from the {sheet.origin if sheet else ''}.", title=FETCH)
        if self.cmg.profile is not None:
            self.sync(self.cmg.profile)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "gw-cost-fetch":
            event.stop()
            self.fetch()
        elif event.button.id == "gw-use-threshold":
            event.stop()
            profile = self.cmg.profile
            planned = planned_cost(profile, None) if profile is not None else None
            if planned is not None:
                self.post_message(FieldEdited("gateway.traffic_alert.gigabytes", planned.alert_gb,
                                              str(planned.alert_gb)))
