"""Switching a plan to Azure US Government: the region is revalidated and the lists follow."""

from __future__ import annotations

from textual.widgets import Select

from cmgtui.app import CmgApp
from cmgtui.domain.rules.checklist import item_reason, item_result, item_state
from cmgtui.model import AzureEnvironment, Evidence, Profile
from cmgtui.panes.checklist import ChecklistPane
from cmgtui.store import ProfileStore
from cmgtui.widgets.header import AppHeader
from cmgtui.widgets.region import EnvironmentField, RegionField

from .conftest import read_through, ready, screen_text, until


def _public_plan() -> Profile:
    """A public-cloud plan whose subscription's region list was read (the sandbox's names)."""
    profile = Profile(name="gov", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.evidence["arm.locations"] = Evidence(
        source="arm.locations", summary="3 regions offered",
        data={"locations": ["eastus", "westus", "westus2"], "subscription_id": "s",
              "display_names": {"eastus": "East US", "westus": "West US", "westus2": "West US 2"},
              "environment": "AzurePublicCloud"})
    return profile


async def test_switching_to_us_government_clears_a_public_region_and_offers_usgov_regions() -> None:
    ProfileStore().save(_public_plan())
    app = CmgApp(initial_profile="gov")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        header = app.screen.query_one(AppHeader)
        assert "Azure public cloud · West US" in str(header.render())
        pane = app.screen.query_one(ChecklistPane)
        select = pane.query_one(EnvironmentField).query_one(Select)
        select.focus()
        await pilot.press("enter", "down", "enter")  # the second choice: Azure US Government
        await until(pilot, lambda: app.profile.environment is AzureEnvironment.US_GOVERNMENT)
        await pilot.pause()
        profile = app.profile
        assert profile.region == ""
        assert "region" not in profile.drafts
        notes = [n.message for n in app._notifications]
        assert any("West US (westus) is a region of Azure public cloud, not of Azure US Government" in m
                   for m in notes), notes
        assert item_state(profile, "region") == "todo"
        assert "None" not in item_reason(item_result(profile, "region"))
        await read_through(pilot)
        region = pane.query_one(RegionField)
        await until(pilot, lambda: ("USGov Virginia (usgovvirginia)", "usgovvirginia") in region.options)
        assert all(not name.startswith(("west", "east")) for _label, name in region.options)
        region.query_one(Select).focus()
        await pilot.press("enter", "down", "enter")  # below the prompt: the first US Government region
        await until(pilot, lambda: app.profile.region == "usgovvirginia")
        await pilot.pause()
        assert "Azure US Government · USGov Virginia" in screen_text(app)
        assert "'None'" not in screen_text(app)
        assert item_state(app.profile, "region") == "done"
