"""Snapshots of Part 4 (set up the CMG) at 80x24 and 120x40: as opened, and after an offline pre-flight."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from cmgtui.app import CmgApp

from .conftest import contoso_profile, save_profiles, settle

SIZES = [(80, 24), (120, 40)]


def _gateway_profile() -> None:
    profile = contoso_profile()
    profile.last_screen = "gateway"
    profile.gateway.subscription_id = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
    profile.gateway.resource_group = "cmg-rg"
    save_profiles(profile)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_gateway_initial(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    _gateway_profile()
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_gateway_after_offline_preflight(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    _gateway_profile()

    async def preflight(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("right_square_bracket", "left_square_bracket", "p")  # back into Part 4, its key
        await settle(pilot)
        await pilot.pause()

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=preflight)
