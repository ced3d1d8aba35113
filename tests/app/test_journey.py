"""The whole journey a new administrator takes, by keyboard only, at 80×24, on the sandbox.

From the profile picker through the checklist, every part and Automation: each value is typed
or picked with the keys a user presses (] to the next part, which puts the focus on its first
field that needs a value; Tab to move, Enter to open a list or press a button, arrows to pick,
space to tick), and each step asserts what the screen then shows. It ends
with the script saved from the Automation pane, which ``cmgtui script`` reproduces byte for
byte, and a report whose verdict and design have no unknown values.

Every part reaches done: each value a part waits for is one a user knows and types (the App ID
URI typed into the console wizard, the app IDs it made, the management point's mode, the
service connection point), and the live checks are run from the panes (Part 4's pre-flight,
its Fix, which runs every cloud check again). Then each part's headline, the navigation's
badges, the "Next:" line and Automation say the same: done, the script complete. The keys
pressed up to the saved report are counted and printed (issue 20 asks for the count).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select

from cmgtui import cli
from cmgtui.app import CmgApp
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION, TENANT_ID
from cmgtui.domain.rules import checklist, checks
from cmgtui.domain.rules.checks import PartState
from cmgtui.domain.rules.results import Phase
from cmgtui.screens.entries import NAV_ENTRIES
from cmgtui.screens.main import MainScreen
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.widgets.fields import FieldRow
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.widgets.password_modal import PasswordModal

from .conftest import current_entry, screen_text, tab_to, until

SIZE = (80, 24)
NAME = "journey"
SERVER_APP_ID = "4b6f5e2a-8c1d-4e3f-9a7b-2d5c6e8f0a11"
CLIENT_APP_ID = "7c9d1e3f-5a2b-4c6d-8e0f-1a3b5c7d9e22"
#: Each part's pane and the Static that holds its headline ("Status: …").
HEADLINES = {"certificate": "#p1-status", "entra": "#p2-status", "client_auth": "#ca-status",
             "gateway": "#gw-status", "clients": "#cl-status"}


class KeyCount:
    """Counts the keys the Pilot presses (every key a user would press, Tab included)."""

    def __init__(self, pilot) -> None:  # type: ignore[no-untyped-def]
        self.keys = 0
        press = pilot.press

        async def counted(*keys: str) -> None:
            self.keys += len(keys)
            await press(*keys)

        pilot.press = counted


def _row_of(widget: Widget | None) -> FieldRow | None:
    node = widget
    while node is not None and not isinstance(node, FieldRow):
        node = node.parent  # type: ignore[assignment]
    return node


def in_row(path: str) -> Callable[[Widget | None], bool]:
    """Matches the editor of the field bound to ``path``."""
    return lambda widget: (row := _row_of(widget)) is not None and row.path == path


def with_id(widget_id: str) -> Callable[[Widget | None], bool]:
    return lambda widget: widget is not None and widget.id == widget_id


def text(app: CmgApp) -> str:
    """The screen's text with the navigation column and line breaks folded away."""
    return " ".join(line.split("▎", 1)[-1].strip(" ▌") for line in screen_text(app).splitlines())


async def type_in(pilot, path: str, value: str) -> None:  # type: ignore[no-untyped-def]
    await tab_to(pilot, in_row(path))
    await pilot.press(*value)
    await pilot.pause()


async def pick(pilot, path: str, value: object) -> None:  # type: ignore[no-untyped-def]
    """Open the field's list with Enter and move to ``value`` with the arrow keys."""
    select = await tab_to(pilot, in_row(path))
    assert isinstance(select, Select)
    values = [v for _label, v in select._options]
    assert value in values, f"{value!r} is not offered for {path}"
    current = values.index(select.value) if select.value in values else 0
    await pilot.press("enter")
    await pilot.pause()
    steps = values.index(value) - current
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
    await until(pilot, lambda: select.value == value)


async def press_button(pilot, button_id: str) -> None:  # type: ignore[no-untyped-def]
    button = await tab_to(pilot, with_id(button_id))
    assert isinstance(button, Button) and not button.disabled, f"{button_id} is disabled"
    await pilot.press("enter")
    await pilot.pause()


async def go(pilot, entry: str) -> None:  # type: ignore[no-untyped-def]
    """] or [ (the shorter way round) to the entry: its pane is shown with the focus in it, on
    the first field that needs a value."""
    app = pilot.app
    ids = [e.id for e in NAV_ENTRIES]
    forward = (ids.index(entry) - ids.index(current_entry(app) or "checklist")) % len(ids)
    key, count = ("]", forward) if forward <= len(ids) // 2 else ("[", len(ids) - forward)
    await pilot.press(*[key] * count)
    await until(pilot, lambda: current_entry(app) == entry and app.focused is not None
                and app.screen.query_one(f"#{entry}") in app.focused.ancestors_with_self)
    await pilot.pause()


async def show(pilot, entry: str, selector: str) -> None:  # type: ignore[no-untyped-def]
    """Scroll the pane so ``selector`` is at the top, as PageDown would, without moving focus."""
    pane = pilot.app.screen.query_one(f"#{entry}")
    pane.scroll_to_widget(pane.query_one(selector), animate=False, top=True)
    await pilot.pause()


def heading(app: CmgApp, item_id: str) -> str:
    return str(app.screen.query_one(f"#heading-{item_id}").render())


async def test_a_fresh_sandbox_profile_reaches_a_script_and_a_report_by_keyboard(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    app = CmgApp(sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        count = KeyCount(pilot)
        # -- the picker: a new profile ---------------------------------------------------------
        await until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen))
        assert "No profiles yet. Press n to make one." in text(app)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        await pilot.press(*NAME, "enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen) and app.profile is not None)
        assert f"cmgtui  {NAME}" in screen_text(app)
        await until(pilot, lambda: "admin@contoso.onmicrosoft.com" in screen_text(app))
        await until(pilot, lambda: "arm.locations" in app.profile.evidence)
        await until(pilot, lambda: "2 of 8 items done" in text(app))  # sign-in read the roles and the Owner


        # -- the checklist ---------------------------------------------------------------------
        await pilot.press("enter")  # from the navigation into the checklist
        from cmgtui.model import AzureEnvironment, CertificateSource, EntraPath, VmSize
        from cmgtui.model.enums import ManagementPointMode

        await pick(pilot, "environment", AzureEnvironment.PUBLIC)
        await until(pilot, lambda: "✓ done" in heading(app, "environment"))
        assert "Azure public cloud" in screen_text(app)
        await pick(pilot, "region", "westus")
        await until(pilot, lambda: "✓ done" in heading(app, "region"))
        assert "Azure public cloud · West US" in screen_text(app)  # the header follows
        await type_in(pilot, "gateway.peak_concurrent_clients", "5000")
        await pick(pilot, "gateway.vm_size", VmSize.STANDARD)
        await press_button(pilot, "use-recommended")
        await until(pilot, lambda: app.profile.gateway.vm_instances == 2)
        assert "Recommended: 2 VM instance(s)." in text(app)
        assert isinstance(app.focused, Button) and app.focused.id == "use-recommended"  # focus stayed
        await until(pilot, lambda: "✓ done" in heading(app, "vm_instances"))
        await until(pilot, lambda: "✓ done" in heading(app, "entra_role"))  # read at sign-in
        assert "✓ done" in heading(app, "subscription_owner")
        await type_in(pilot, "site.cmgcp_servers", "cmgcp01.contoso.com, cmgcp02.contoso.com")
        await until(pilot, lambda: "✓ done" in heading(app, "cmgcp_server"))
        await tab_to(pilot, in_row("checklist.internet_access.confirmed"))
        await pilot.press("space")
        await until(pilot, lambda: "✓ done" in heading(app, "internet_access"))
        await type_in(pilot, "site.site_version", "2403")
        await tab_to(pilot, in_row("optional_feature_enabled"))
        await pilot.press("space")
        await until(pilot, lambda: "✓ done" in heading(app, "optional_feature"))
        done = [e.id for e in checklist.CHECKLIST_ENTRIES if checklist.item_state(app.profile, e.id) == "done"]
        assert len(done) == 8, done
        app.screen.query_one("#checklist").scroll_home(animate=False)
        await pilot.pause()
        assert "8 of 8 items done" in text(app)

        # -- Part 1: a lab certificate -----------------------------------------------------------
        await go(pilot, "certificate")
        await pick(pilot, "certificate.source", CertificateSource.LAB)
        await type_in(pilot, "certificate.service_name", "GraniteFalls.contoso.com")
        await until(pilot, lambda: "GraniteFalls.westus.cloudapp.azure.com" in text(app))  # the derived deployment name
        await tab_to(pilot, with_id("lab-folder"))
        await pilot.press(*str(tmp_path / "lab"))
        await press_button(pilot, "make-lab")
        await until(pilot, lambda: isinstance(app.screen, PasswordModal))
        await pilot.press(*"lab-password-1", "enter", *"lab-password-1", "enter")
        await until(pilot, lambda: bool(app.profile.certificate.pfx_path))
        await show(pilot, "certificate", "#cert-status")
        await until(pilot, lambda: "LAB ONLY: Checked" in text(app))
        assert app.focused is not None and app.focused.id in ("make-lab", "lint")  # focus back on the step

        # -- Part 2: Configuration Manager creates the apps ---------------------------------------
        await go(pilot, "entra")
        await pick(pilot, "entra.path", EntraPath.CONFIGMGR_CREATES)
        await type_in(pilot, "entra.azure_service_name", "Contoso cloud management")
        await type_in(pilot, "entra.tenant_id", TENANT_ID)
        await type_in(pilot, "entra.tenant_name", "contoso.onmicrosoft.com")
        await until(pilot, lambda: TENANT_ID in screen_text(app) or app.profile.entra.tenant_id == TENANT_ID)
        # the App ID URI typed into the console wizard, then the IDs of the apps it made
        await type_in(pilot, "entra.server_app.app_id_uri", f"api://{TENANT_ID}/ConfigMgrService")
        await type_in(pilot, "entra.server_app.app_id", SERVER_APP_ID)
        await type_in(pilot, "entra.client_app.app_id", CLIENT_APP_ID)
        await until(pilot, lambda: app.profile.entra.client_app.app_id == CLIENT_APP_ID)
        await show(pilot, "entra", "#p2-values")
        assert "Contoso cloud management" in text(app) and TENANT_ID in screen_text(app)

        # -- Part 3: the recommendation --------------------------------------------------------
        await go(pilot, "client_auth")
        await pick(pilot, "client_auth.devices_entra_joined", True)
        await pick(pilot, "client_auth.has_client_pki", False)
        await pick(pilot, "client_auth.new_internet_only_devices", False)
        await press_button(pilot, "ca-use-advice")
        await until(pilot, lambda: bool(app.profile.client_auth.methods))
        assert app.focused is not None and (app.focused.id or "").startswith("method-")  # moved to the result
        assert "✓" in str(app.focused.render())
        await pick(pilot, "client_auth.management_point_mode", ManagementPointMode.HTTPS)
        await tab_to(pilot, in_row("client_auth.mp_aspnet45_enabled"))
        await pilot.press("space")
        await until(pilot, lambda: app.profile.client_auth.mp_aspnet45_enabled)

        # -- Part 4: the gateway ---------------------------------------------------------------
        await go(pilot, "gateway")
        await type_in(pilot, "gateway.subscription_id", OWNER_SUBSCRIPTION)
        await type_in(pilot, "gateway.resource_group", "cmg-westus-rg")
        await type_in(pilot, "gateway.traffic_alert.gigabytes", "10000")
        await type_in(pilot, "site.site_code", "ABC")
        await type_in(pilot, "site.site_server", "cm01.contoso.com")
        await type_in(pilot, "site.service_connection_point", "cm01.contoso.com")
        await tab_to(pilot, in_row("site.scp_online"))
        await pilot.press("space")
        await type_in(pilot, "site.management_points", "mp01.contoso.com")
        await tab_to(pilot, in_row("gateway.mp_allows_cmg_traffic"))
        await pilot.press("space")
        await until(pilot, lambda: app.profile.gateway.mp_allows_cmg_traffic)
        assert app.profile.site.cmgcp_servers == ["cmgcp01.contoso.com", "cmgcp02.contoso.com"]  # from the checklist
        await press_button(pilot, "pf-run")
        await until(pilot, lambda: "arm.dry_run" in app.profile.evidence and not any(w.is_running for w in app.workers))
        fix = app.screen.query_one("#pf-fix", Button)
        assert not fix.disabled  # the sandbox leaves Microsoft.KeyVault unregistered: Fix registers it
        await press_button(pilot, "pf-fix")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = " ".join(str(app.screen.query_one(".dialog-text").render()).split())
        assert "register resource provider" in question  # what it will do, and that it checks again
        assert question.endswith("Then every cloud check of the pre-flight runs again.")
        await tab_to(pilot, with_id("yes"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen) and fix.disabled)

        # -- Part 5: the client values ---------------------------------------------------------
        await go(pilot, "clients")
        for setting in ("clients.enable_cmg_setting", "clients.allow_cloud_dp_setting"):
            await tab_to(pilot, in_row(setting))
            await pilot.press("space")
        await type_in(pilot, "clients.mp_role_id", "72186325152220500")
        await type_in(pilot, "clients.onprem_mp", "mp01.contoso.com")
        await until(pilot, lambda: app.profile.clients.onprem_mp == "mp01.contoso.com")
        await show(pilot, "clients", "#cmd-entra")
        # the Entra line carries the client app's ID that the console wizard made
        assert f"AADCLIENTAPPID={CLIENT_APP_ID}" in text(app).replace(" ", "")
        await show(pilot, "clients", "#cmd-cmgfqdns")
        assert "'https://GraniteFalls.contoso.com'" in text(app)

        # -- Automation: save the script and the report -------------------------------------
        await go(pilot, "automation")
        await until(pilot, lambda: "The script is complete" in text(app))
        script_file = tmp_path / "cmg.ps1"
        await press_button(pilot, "save-script")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        editor = app.screen.query_one(Input)
        await pilot.press(*(["backspace"] * len(editor.value)), *str(script_file), "enter")
        await until(pilot, lambda: script_file.exists())
        report_file = tmp_path / "readiness.md"
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await press_button(pilot, "save-report")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        editor = app.screen.query_one(Input)
        await pilot.press(*(["backspace"] * len(editor.value)), *str(report_file), "enter")
        await until(pilot, lambda: report_file.exists())
        pressed = count.keys
        print(f"Keys pressed from the picker to the saved report: {pressed}")

        # -- every part reads done, wherever it is shown -------------------------------------------
        results = checks.evaluate(app.profile)
        for phase in Phase:
            assert checks.part_status(app.profile, phase, results=results).state is PartState.DONE, \
                checks.status_line(app.profile, phase, results)
        for entry, selector in HEADLINES.items():  # each part's own headline, as its pane shows it
            await go(pilot, entry)
            headline = str(app.screen.query_one(selector).render())
            assert headline.startswith("Status: done. Nothing missing"), headline
        nav = app.screen.query_one("#nav", OptionList)
        badges = {option.id: str(option.prompt) for option in nav._options}
        for entry in ("checklist", *HEADLINES):  # the navigation's badge of each part is ✓
            assert badges[entry].rstrip().endswith("✓"), badges[entry]
        assert "Next: Every check passes" in text(app)
        await go(pilot, "automation")
        assert "The script is complete" in text(app)
        app.screen.query_one("#checklist").scroll_home(animate=False)
        await go(pilot, "checklist")
        assert "8 of 8 items done" in text(app)
        await pilot.press("f3")  # signing out says what it stops
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert ("Sign out admin@contoso.onmicrosoft.com? cmgtui forgets this session's tokens and stops any "
                "cloud job still running.") in " ".join(str(app.screen.query_one(".dialog-text").render()).split())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("ctrl+q")

    # -- the command line agrees byte for byte --------------------------------------------------
    again = tmp_path / "again.ps1"
    assert cli.main(["script", "--profile", NAME, "-o", str(again)]) == 0
    assert again.read_bytes() == script_file.read_bytes()
    capsys.readouterr()
    assert cli.main(["report", "--profile", NAME, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["script"] is not None and report["missing_values"] == []
    assert "the setup script is ready" in report["verdict"]
    words = json.dumps(report["design"]).lower()
    assert "unknown" not in words and "not known" not in words and "not set" not in words
    assert "the setup script is ready" in report_file.read_text()
