"""The Logs pane at 80×24: open a Logs folder, findings in order, detail, raw lines, filters."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Select

from cmgtui.app import CmgApp
from cmgtui.panes.logs import LogsPane
from cmgtui.store import ProfileStore
from cmgtui.widgets.file_picker import FilePickerModal

from ..unit.logs.logbuilder import cm_line, log_text, sms_line
from .conftest import ready, screen_text, until


def _logs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "CloudMgr.log").write_text(log_text(
        sms_line("Starting deployment", stamp="10-28-2020 12:00:00.000+480"),
        sms_line("ERROR: Code: MissingSubscriptionRegistration, Message: The subscription is not registered "
                 "to use namespace 'Microsoft.KeyVault'.", stamp="10-28-2020 12:01:00.000+480")))
    (folder / "LocationServices.log").write_text(log_text(
        cm_line("before"), cm_line("[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set",
                                   time="11:59:00.000+480"), cm_line("after")), encoding="utf-16")
    return folder


async def test_logs_pane_triages_a_folder_and_jumps_to_raw_lines(tmp_path: Path) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.last_screen = "logs"
    store.save(profile)
    folder = _logs(tmp_path / "Logs")
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(LogsPane)
        await until(pilot, lambda: pane.built)
        await pilot.press("enter")  # into the pane
        await pilot.press("f")
        # the picker has listed its first folder (it writes the path line when it has)
        await until(pilot, lambda: isinstance(app.screen, FilePickerModal)
                    and bool(app.screen.query_one("#picker-path", Input).value))
        await pilot.press("slash")
        app.screen.query_one("#picker-path", Input).value = str(folder)
        await pilot.press("enter")
        await until(pilot, lambda: str(folder) in app.screen.query_one("#picker-path", Input).value)
        await pilot.press("enter")  # "Use this folder"
        await until(pilot, lambda: pane.result is not None)
        await until(pilot, lambda: "2 fail" in screen_text(app))
        findings = pane.query_one("#logs-findings", OptionList)
        assert findings.option_count == 2
        text = screen_text(app)
        # In the order they happened: the client error (19:59 UTC) before the CloudMgr one (20:01 UTC).
        assert text.index("LOG-CLIENT-CERT-CN-INVALID") < text.index("LOG-CLOUDMGR-PROVIDER")
        detail = str(pane.query_one("#logs-detail").render())
        assert "GraniteFalls.contoso.com" in detail and "LocationServices.log:2" in detail
        findings.focus()
        await pilot.press("r")
        await until(pilot, lambda: pane.raw_mode)
        raw = str(pane.query_one("#logs-detail").render())
        assert "lines 1-3" in raw and "CERT_CN_INVALID" in raw and "▶" in raw
        await pilot.press("escape")
        await until(pilot, lambda: not pane.raw_mode)
        await pilot.press("down")
        await until(pilot, lambda: "MissingSubscriptionRegistration" in str(pane.query_one("#logs-detail").render()))
        # Filter by component: only the CloudMgr finding stays.
        pane.query_one("#logs-component", Select).value = "SMS_CLOUD_SERVICES_MANAGER"
        await until(pilot, lambda: findings.option_count == 1)
        assert "LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED" in screen_text(app)
        pane.query_one("#logs-component", Select).clear()
        pane.query_one("#logs-severity", Select).value = "warn"
        await until(pilot, lambda: findings.option_count == 0)
        assert "No finding matches the filters." in str(pane.query_one("#logs-detail").render())


async def test_logs_pane_reports_unreadable_input(tmp_path: Path) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.last_screen = "logs"
    store.save(profile)
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(LogsPane)
        await until(pilot, lambda: pane.built)
        await pane.start_triage([str(tmp_path / "missing.log")])
        await until(pilot, lambda: pane.result is not None)
        await until(pilot, lambda: "No input could be read" in screen_text(app))
        # the message names the file: where its lines break depends on the test folder's length
        pane_lines = [line.split("▎", 1)[-1].strip(" ▌▊") for line in screen_text(app).splitlines()]
        assert "no such file" in " ".join(pane_lines)


async def test_files_added_one_by_one_are_triaged_together(tmp_path: Path) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.last_screen = "logs"
    store.save(profile)
    folder = _logs(tmp_path / "Logs")
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(LogsPane)
        await until(pilot, lambda: pane.built)
        for name in ("CloudMgr.log", "LocationServices.log"):
            pane.query_one("#logs-open-file").press()
            await until(pilot, lambda: isinstance(app.screen, FilePickerModal))
            await pilot.press("slash")
            app.screen.query_one("#picker-path", Input).value = str(folder / name)
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, FilePickerModal))
            await until(pilot, lambda: pane.result is not None and str(folder / name) in pane.paths)  # noqa: B023 - awaited within the iteration
            await until(pilot, lambda: len(pane.result.inputs) == len(pane.paths))
        assert pane.paths == [str(folder / "CloudMgr.log"), str(folder / "LocationServices.log")]
        await until(pilot, lambda: "2 log(s)" in screen_text(app) and "2 fail" in screen_text(app))


async def test_both_day_two_panes_build_when_first_shown_from_the_navigation() -> None:
    from cmgtui.panes.day_two import DayTwoPane

    ProfileStore().create("ops")
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        # neither pane exists at start-up (panes are built when first shown)
        assert not app.screen.query(LogsPane) and not app.screen.query(DayTwoPane)
        nav = app.screen.query_one("#nav", OptionList)
        nav.focus()
        while "Logs" not in str(nav.get_option_at_index(nav.highlighted or 0).prompt):
            await pilot.press("down")
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.screen.query(LogsPane)) and app.screen.query_one(LogsPane).built
                    and "Add file (o)" in screen_text(app))
        assert not app.screen.query(DayTwoPane)
        await pilot.press("escape")
        nav.focus()
        await pilot.press("down", "enter")
        await until(pilot, lambda: bool(app.screen.query(DayTwoPane)) and app.screen.query_one(DayTwoPane).built
                    and "Renew cert (1)" in screen_text(app))
        assert "Nothing in this profile has an" in screen_text(app)
