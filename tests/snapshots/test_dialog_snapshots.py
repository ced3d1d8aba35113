"""Every dialog at 80×24, as the user meets it (issue 20: "a snapshot of each dialog at 80×24").

Each dialog is opened the way the product opens it, with the product's own text: a key where one
opens it (delete a profile, sign in, save the report, close an unsaved secret), else the same
constructor and text function the product calls. A dialog whose text or buttons are cut is a
failing snapshot; :mod:`tests.app.test_dialogs_fit` checks the buttons' place in numbers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button

from cmgtui.app import CmgApp, quit_unsaved_modal
from cmgtui.domain.rules.part4 import Fixes
from cmgtui.model import EntraPath
from cmgtui.panes.day_two import remove_old_secret_modal
from cmgtui.panes.gateway.preflight import fix_modal
from cmgtui.panes.entra.text import confirm_text
from cmgtui.screens.sign_in import DeviceCodeModal
from cmgtui.widgets.modals import ConfirmModal, replace_file_modal
from cmgtui.widgets.password_modal import PasswordModal
from cmgtui.widgets.secret_modal import SecretModal

from .conftest import contoso_profile, save_profiles, settle

SIZE = (80, 24)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
KEY_ID = "5b5b5b5b-1111-4222-8333-444444444444"


async def _until(pilot: Pilot, done: Callable[[], bool]) -> None:
    for _ in range(500):
        if done():
            break
        await pilot.pause()
    assert done(), "the dialog never opened"
    await settle(pilot)


def _on_main(push: Callable[[CmgApp], Screen[object]]) -> Callable[[Pilot], Awaitable[None]]:
    """Open the contoso plan, then push the dialog ``push`` builds."""
    async def run(pilot: Pilot) -> None:
        app = pilot.app
        assert isinstance(app, CmgApp)
        await _until(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        dialog = push(app)
        app.push_screen(dialog)
        await _until(pilot, lambda: app.screen is dialog)
    return run


def _snap(snap_compare, run: Callable[[Pilot], Awaitable[None]], app: CmgApp | None = None) -> bool:  # type: ignore[no-untyped-def]
    if app is None:
        save_profiles(contoso_profile())
        app = CmgApp(initial_profile="contoso")
    return bool(snap_compare(app, terminal_size=SIZE, run_before=run))


def test_create_apps_confirmation(snap_compare) -> None:  # type: ignore[no-untyped-def]
    question = confirm_text(TENANT, "contoso.onmicrosoft.com", "CMG-ServerApp", "CMG-ClientApp",
                            f"api://{TENANT}/ConfigMgrService", 24, True)
    assert _snap(snap_compare, _on_main(lambda app: ConfirmModal(question, yes_label="Create in the tenant")))


def test_create_apps_again_confirmation_promises_no_new_secret(snap_compare) -> None:  # type: ignore[no-untyped-def]
    question = confirm_text(TENANT, "contoso.onmicrosoft.com", "CMG-ServerApp", "CMG-ClientApp",
                            f"api://{TENANT}/ConfigMgrService", 12, False, kept_secret_key=KEY_ID)
    assert _snap(snap_compare, _on_main(lambda app: ConfirmModal(question, yes_label="Create in the tenant")))


def test_one_time_secret(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, _on_main(lambda app: SecretModal(
        "Qx7~abcDEFghiJKLmnoPQRstuVWXyz0123456789", KEY_ID, "2027-12-07", "CMG-ServerApp")))


def test_closing_an_unsaved_secret_asks_first(snap_compare) -> None:  # type: ignore[no-untyped-def]
    opened = _on_main(lambda app: SecretModal("Qx7~abcDEFghiJKLmnoPQRstuVWXyz0123456789", KEY_ID,
                                              "2027-12-07", "CMG-ServerApp"))

    async def run(pilot: Pilot) -> None:
        await opened(pilot)
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))

    assert _snap(snap_compare, run)


def test_pfx_password(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, _on_main(lambda app: PasswordModal(
        "Password of the new PFX", "Used once to read the file; not saved.", min_length=0)))


def test_device_code_sign_in(snap_compare) -> None:  # type: ignore[no-untyped-def]
    expires = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert _snap(snap_compare, _on_main(lambda app: DeviceCodeModal(
        "https://microsoft.com/devicelogin", "FJ4KQ9XLM", expires)))


def test_sign_in_methods(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        await pilot.press("f3")
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "SignInModal")

    assert _snap(snap_compare, run)


def test_save_the_report_to(snap_compare, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir("/")  # the suggestion is in the working folder: the same one in every run
    profile = contoso_profile()
    profile.last_screen = "automation"
    save_profiles(profile)

    async def run(pilot: Pilot) -> None:
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        if pilot.app.focused is not None and pilot.app.focused.id == "nav":
            await pilot.press("enter")  # from the navigation into the pane, whose key r then acts
        await pilot.press("r")
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "NameModal")

    assert _snap(snap_compare, run, CmgApp(initial_profile="contoso"))


def test_delete_a_profile(snap_compare, relative_home) -> None:  # type: ignore[no-untyped-def]
    save_profiles(contoso_profile("contoso"), contoso_profile("fabrikam lab"))

    async def run(pilot: Pilot) -> None:
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "ProfilePickerScreen")
        await pilot.press("x")
        await _until(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))

    assert _snap(snap_compare, run, CmgApp())


def test_hand_off_package_folder(snap_compare) -> None:  # type: ignore[no-untyped-def]
    profile = contoso_profile()
    profile.last_screen = "entra"
    profile.entra.path = EntraPath.CREATE_HERE
    save_profiles(profile)

    async def run(pilot: Pilot) -> None:
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        await _until(pilot, lambda: bool(pilot.app.screen.query("#p2-handoff")))
        pilot.app.screen.query_one("#p2-handoff", Button).press()
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "NameModal")

    assert _snap(snap_compare, run, CmgApp(initial_profile="contoso"))


def test_help(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot) -> None:
        await _until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        await pilot.press("f1")
        await _until(pilot, lambda: type(pilot.app.screen).__name__ != "MainScreen")

    assert _snap(snap_compare, run)


def test_fix_registers_and_creates_then_checks_again(snap_compare) -> None:  # type: ignore[no-untyped-def]
    fixes = Fixes(providers=["Microsoft.KeyVault", "Microsoft.Storage"], create_group="cmg-westus-rg",
                  region="westus")
    assert _snap(snap_compare, _on_main(lambda app: fix_modal("11111111-2222-4333-8444-555555555555", fixes)))


def test_quit_after_a_failed_save(snap_compare) -> None:  # type: ignore[no-untyped-def]
    failure = "[Errno 28] No space left on device: 'cmgtui-home/profiles/contoso.json.tmp'"
    assert _snap(snap_compare, _on_main(lambda app: quit_unsaved_modal(failure)))


def test_replace_an_existing_file(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, _on_main(lambda app: replace_file_modal("/home/admin/cmg/cmg-setup.ps1")))


def test_remove_the_old_secret(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert _snap(snap_compare, _on_main(lambda app: remove_old_secret_modal(
        KEY_ID, "0a0a0a0a-9999-4888-8777-666666666666")))
