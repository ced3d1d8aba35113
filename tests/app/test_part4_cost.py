"""Part 4's Cost section, reached by keys as a user does: ``]`` to Part 4, ``c`` to the section.

The figures are the hand-computed example of ``tests/unit/domain/test_cost.py`` (memdocs
``memdocs/configmgr/core/clients/manage/cmg/cost.md``: "expect approximately 100-300 MB per client
per month for internet-based clients"): a Standard CMG of 2 instances on 2509 (Standard_A2_v2 at
0.133 USD an hour, egress 0.087 USD a GB) for 5,000 clients; the sandbox's price list has the same
prices (``tests/cli/test_cost_cli.py``).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console
from textual.widgets import Input, Static

from cmgtui.app import CmgApp
from cmgtui.cloud import prices
from cmgtui.domain.azure.cost import PriceSheet
from cmgtui.sandbox.server import SandboxServer
from cmgtui.store import ProfileStore

from .conftest import current_entry, quiet, ready, until
from .test_part4_gateway import pane_text


def shown(app: CmgApp, selector: str) -> str:
    """The plain text of a Static holding Rich renderables (the estimate's table), words joined."""
    console = Console(width=400, record=True, file=io.StringIO())
    console.print(app.screen.query_one(selector, Static).content)
    return " ".join(console.export_text().split())


def _profile(name: str) -> None:
    store = ProfileStore()
    profile = store.create(name)
    profile.region = "westus"
    profile.site.site_version = 2509
    profile.gateway.vm_instances = 2
    profile.gateway.peak_concurrent_clients = 5_000
    profile.gateway.content_enabled = False
    store.save(profile)


async def _to_cost_by_keys(app: CmgApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await ready(pilot)
    assert current_entry(app) == "checklist"
    await pilot.press(*"]" * 5)
    await until(pilot, lambda: current_entry(app) == "gateway")
    await quiet(pilot)
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.focused, Input)
                and app.screen.query_one("#gw-cost") in app.focused.ancestors)
    await quiet(pilot)


async def test_the_cost_section_offline_with_cached_prices_and_a_changed_assumption() -> None:
    _profile("cost")
    prices._save(PriceSheet("westus", "USD", datetime(2026, 12, 1, tzinfo=UTC), prices.LIVE,
                            {"Standard_A2_v2": 0.133}, ((0.0, 0.087), (10_240.0, 0.083)), 0.0208))
    app = CmgApp(initial_profile="cost")
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_cost_by_keys(app, pilot)
        screen = pane_text(app)
        assert "Cost A monthly estimate from list prices" in screen
        # on screen at 80x24 right under the first assumption (the scroll bar sits between the two lines)
        assert "Prices: cached copy of the Azure Retail Prices" in screen
        assert "API, westus, USD, read 2026-12-01 00:00 UTC." in screen
        estimate = shown(app, "#gw-cost-estimate")
        # 2 × 0.133 × 730 = 194.18; 5,000 × 100 MB = 488.28 GB × 0.087 = 42.48; 236.66 in all.
        assert "194.18 USD Compute: 2 × Standard_A2_v2: 1,460 VM hours" in estimate
        assert "42.48 USD Outbound data transfer: 488.3 GB (5,000 clients × 100 MB)" in estimate
        assert "236.66 USD a month in all" in estimate and "Source: memdocs cmg/cost.md" in estimate
        assert "Suggested 14-day outbound data alert: 684 GB" in estimate

        await pilot.press("end", "backspace", "backspace", "backspace", *"300")  # cost.md's aggressive figure
        await until(pilot, lambda: app.profile is not None and app.profile.gateway.cost.mb_per_client == 300)
        await quiet(pilot)
        estimate = shown(app, "#gw-cost-estimate")
        # 5,000 × 300 MB = 1,464.84 GB × 0.087 = 127.44; with compute 321.62.
        assert "127.44 USD Outbound data transfer: 1,464.8 GB (5,000 clients × 300 MB)" in estimate
        assert "321.62 USD a month in all" in estimate
        assert app.cloud.running() == []  # nothing was fetched: the cached copy was enough


async def test_r_reads_the_sandbox_price_list_and_the_threshold_button_sets_the_suggestion(
        lent_sandbox: SandboxServer) -> None:
    _profile("rehearse")
    app = CmgApp(initial_profile="rehearse", sandbox=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.cloud.signed_in)
        await _to_cost_by_keys(app, pilot)
        assert "No list prices read yet" in shown(app, "#gw-cost-estimate")
        assert not [r for r in lent_sandbox.requests if "/retail/prices" in r.path]  # never on startup
        await pilot.press("tab")  # from the assumption to "Read list prices (r)"
        await until(pilot, lambda: app.focused is not None and app.focused.id == "gw-cost-fetch")
        await pilot.press("r")
        await until(pilot, lambda: "Prices: Azure Retail Prices API, westus" in shown(app, "#gw-cost-estimate"))
        assert "236.66 USD a month in all" in shown(app, "#gw-cost-estimate")
        assert prices.cached_prices("westus", "USD") is not None  # kept for use offline
        await pilot.press("tab", "enter")  # "Use 684 GB as the outbound threshold"
        await until(pilot, lambda: app.profile is not None and app.profile.gateway.traffic_alert.gigabytes == 684)
