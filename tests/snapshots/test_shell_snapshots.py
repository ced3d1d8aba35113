"""Snapshots of the picker, the checklist and the glossary at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from cmgtui.app import CmgApp
from cmgtui.widgets.base import Pane
from tests.app.conftest import until

from .conftest import contoso_profile, save_profiles, settle

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_profile_picker(snap_compare, size, relative_home) -> None:  # type: ignore[no-untyped-def]
    """The picker shows where profiles are kept: a relative home keeps that line the same."""
    save_profiles(contoso_profile("contoso"), contoso_profile("fabrikam lab"))
    assert snap_compare(CmgApp(), terminal_size=size, run_before=settle)


async def after_a_pause(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """The checklist a moment after it opened: a pause builds the items below the fold (the
    suite builds nothing ahead by itself, so the test asks for it)."""
    await settle(pilot)
    pane = pilot.app.screen.query_one("#checklist", Pane)
    pane.build_rest()
    await until(pilot, lambda: not pane.building_rest)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_checklist(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    save_profiles(contoso_profile())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=after_a_pause)


def test_checklist_at_its_first_frame(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Before the pause: the items below the fold are each a heading line with its status."""
    save_profiles(contoso_profile())
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=(120, 40), run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_glossary(snap_compare, size) -> None:  # type: ignore[no-untyped-def]
    """The whole glossary, unfiltered (``test_glossary_filtered`` types a filter)."""
    profile = contoso_profile()
    profile.last_screen = "glossary"
    save_profiles(profile)
    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=size, run_before=settle)


def test_glossary_filtered(snap_compare) -> None:  # type: ignore[no-untyped-def]
    profile = contoso_profile()
    profile.last_screen = "glossary"
    save_profiles(profile)

    async def filter_terms(pilot: Pilot) -> None:
        await settle(pilot)
        for _ in range(200):  # the glossary pane shows and takes focus a few messages after start
            if pilot.app.focused is not None and pilot.app.focused.id == "glossary-filter":
                break
            if type(pilot.app.screen).__name__ == "MainScreen" and pilot.app.focused is not None \
                    and pilot.app.focused.id == "nav":
                await pilot.press("enter")
            await pilot.pause()
        await pilot.press(*"deployment")
        for _ in range(200):
            if pilot.app.focused is not None and getattr(pilot.app.focused, "value", "") == "deployment":
                break
            await pilot.pause()
        await settle(pilot)

    assert snap_compare(CmgApp(initial_profile="contoso"), terminal_size=(80, 24), run_before=filter_terms)
