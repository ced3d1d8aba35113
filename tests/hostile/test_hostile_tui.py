"""Hostile files and settings at TUI start-up: the picker lists, the app reports, nothing hangs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import OptionList

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.screens.main import MainScreen
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.store import ProfileStore
from tests.app.conftest import ready, until
from tests.hostile.corpus import NAMES_INSIDE, REGULAR, SPECIAL, fingerprint, plant

SIZE = (80, 24)
START_TIMEOUT_S = 30


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    return folder


async def test_picker_lists_every_damaged_profile_with_its_reason(outside: Path) -> None:
    ProfileStore().create("good")
    kinds = [*REGULAR, *SPECIAL]
    for kind in kinds:
        plant(paths.profile_file(f"bad {kind}"), kind, outside)
    before = {kind: fingerprint(paths.profile_file(f"bad {kind}")) for kind in kinds}
    app = CmgApp()

    async def run() -> dict[str, str]:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert isinstance(app.screen, ProfilePickerScreen)
            options = app.screen.query_one("#profiles", OptionList)
            return {
                str(options.get_option_at_index(i).id): str(options.get_option_at_index(i).prompt)
                for i in range(options.option_count)
            }

    listed = await asyncio.wait_for(run(), START_TIMEOUT_S)
    assert "damaged" not in listed["good"]
    for kind in kinds:
        assert "damaged: " in listed[f"bad {kind}"], (kind, listed[f"bad {kind}"])
    assert {kind: fingerprint(paths.profile_file(f"bad {kind}")) for kind in kinds} == before


@pytest.mark.parametrize("kind", ["fifo", "symlink-dev-zero", "nested-5000", "v1-checklist-list", "too-large"])
async def test_starting_on_a_damaged_profile_reports_it_on_the_picker(kind: str, outside: Path) -> None:
    path = paths.profile_file("victim")
    plant(path, kind, outside)
    before = fingerprint(path)
    app = CmgApp(initial_profile="victim")

    async def run() -> list[str]:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert isinstance(app.screen, ProfilePickerScreen)
            return [n.message for n in app._notifications]

    notes = await asyncio.wait_for(run(), START_TIMEOUT_S)
    assert any("quarantined: " in note for note in notes), notes
    assert fingerprint(path) == before


@pytest.mark.parametrize("kind", ["name-escape", "name-other-profile"])
async def test_starting_on_a_misnamed_profile_opens_it_under_its_file_name(kind: str, outside: Path) -> None:
    ProfileStore().create("good")
    good_before = fingerprint(paths.profile_file("good"))
    plant(paths.profile_file("victim"), kind, outside)
    app = CmgApp(initial_profile="victim")

    async def run() -> list[str]:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.profile is not None and app.profile.name == "victim"
            notes = [n.message for n in app._notifications]
            await pilot.press("ctrl+q")
            return notes

    notes = await asyncio.wait_for(run(), START_TIMEOUT_S)
    assert any("the file name decides" in note for note in notes), notes
    assert fingerprint(paths.profile_file("good")) == good_before
    assert paths.activity_log("victim").exists() and not paths.activity_log("good").exists()
    assert NAMES_INSIDE[kind] != paths.profile_file("victim").read_bytes()  # saved under its own name on exit


async def test_a_bad_fault_setting_is_reported_instead_of_starting_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", "errors=lots")
    app = CmgApp(initial_profile="sandbox", sandbox=True)

    async def run() -> tuple[str, list[str]]:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await until(pilot, lambda: any("CMGTUI_SANDBOX_FAULTS" in n.message for n in app._notifications), 300)
            return app.sign_in_state, [n.message for n in app._notifications]

    state, notes = await asyncio.wait_for(run(), START_TIMEOUT_S)
    assert "starting" not in state
    assert any("'errors'" in note and "CMGTUI_SANDBOX_FAULTS" in note for note in notes), notes
