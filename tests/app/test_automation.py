"""The automation pane: missing values first, then the script; saving script and report."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from cmgtui.app import CmgApp
from cmgtui.panes.automation import AutomationPane
from cmgtui.store import ProfileStore
from cmgtui.widgets.modals import NameModal

from ..unit.powershell.profiles import public_entra_2309
from .conftest import ready, until


async def test_incomplete_profile_lists_what_the_script_needs() -> None:
    store = ProfileStore()
    profile = store.create("empty")
    profile.last_screen = "automation"
    store.save(profile)
    app = CmgApp(initial_profile="empty")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(AutomationPane)
        status = pane.query_one("#automation-status")
        await until(pilot, lambda: "The script needs these values first" in str(status.render()))
        assert "Site: site code" in str(status.render())
        assert str(pane.query_one("#script-preview").render()).strip() == ""
        assert pane.query_one("#save-script").disabled


async def test_complete_profile_shows_and_saves_the_script_with_a_bom(tmp_path: Path) -> None:
    profile = public_entra_2309()
    profile.name = "complete"
    profile.last_screen = "automation"
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="complete")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(AutomationPane)
        await until(pilot, lambda: "The script is complete" in str(pane.query_one("#automation-status").render()))
        await pilot.press("enter")  # into the pane
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        editor = app.screen.query_one(Input)
        target = tmp_path / "cmg.ps1"
        editor.value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: target.exists())
        data = target.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
        assert "Import-CMAADServerApplication" in text and "[CmdletBinding(SupportsShouldProcess" in text
        await until(pilot, lambda: not isinstance(app.screen, NameModal))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        report = tmp_path / "readiness.html"
        app.screen.query_one(Input).value = str(report)
        await pilot.press("enter")
        await until(pilot, lambda: report.exists())
        assert "<html" in report.read_text().lower()
