"""The sign-in dialog's tenant field and the device-code dialog's waiting, cancel and failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from textual.app import App

from cmgtui.app import CmgApp
from cmgtui.cloud.credentials import SignInMethod
from cmgtui.widgets.modals import ConfirmModal
from cmgtui.screens.sign_in import DeviceCodeModal, SignInChoice, SignInModal, tenant_problem

from .conftest import ready, until


class _Host(App[None]):
    """A bare app to show one dialog and keep what it returned."""

    def __init__(self, screen) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.dialog = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def test_tenant_problem() -> None:
    assert tenant_problem("") is None and tenant_problem("contoso.onmicrosoft.com") is None
    assert tenant_problem("72f988bf-0000-4000-8000-00000000c0de") is None
    assert "tenant ID" in (tenant_problem("not a tenant!") or "")


async def test_sign_in_dialog_returns_the_method_and_the_tenant() -> None:
    host = _Host(SignInModal("AzurePublicCloud", sandbox=False))
    async with host.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        host.dialog.query_one("#tenant").value = "bad tenant!"
        await pilot.press("enter")
        await pilot.pause()
        assert "tenant ID" in str(host.dialog.query_one("#tenant-error").render()) and host.results == []
        host.dialog.query_one("#tenant").value = "fabrikam.onmicrosoft.com"
        host.dialog.query_one("#methods").focus()
        await pilot.press("down", "enter")
        await pilot.pause()
    assert host.results == [SignInChoice(SignInMethod.AZURE_CLI, "fabrikam.onmicrosoft.com")]


async def test_device_code_dialog_waits_and_escape_cancels_the_sign_in() -> None:
    cancelled: list[bool] = []
    modal = DeviceCodeModal("https://microsoft.com/devicelogin", "ABCD2345X",
                            datetime.now(UTC) + timedelta(minutes=15), on_cancel=lambda: cancelled.append(True))
    host = _Host(modal)
    async with host.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Waiting for you to sign in" in str(modal.query_one("#device-status").render())
        assert "ABCD2345X" in str(modal.query_one("#device-code").render())
        await pilot.press("escape")
        await pilot.pause()
    assert cancelled == [True] and host.results == [None]


async def test_device_code_dialog_explains_a_failure_and_closes_without_cancelling() -> None:
    cancelled: list[bool] = []
    modal = DeviceCodeModal("https://microsoft.com/devicelogin", "ABCD2345X",
                            datetime.now(UTC) + timedelta(minutes=15), on_cancel=lambda: cancelled.append(True))
    host = _Host(modal)
    async with host.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        modal.show_failure("Could not sign in: the device code expired.", "Sign in again and enter the new code.")
        await pilot.pause()
        status = str(modal.query_one("#device-status").render())
        assert "expired" in status and "Sign in again" in status
        assert "ABCD2345X" not in str(modal.query_one("#device-code").render())
        await pilot.press("escape")
        await pilot.pause()
    assert cancelled == [] and host.results == [None]


async def test_declined_device_code_is_explained_in_the_dialog() -> None:
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        state = app.cloud.sandbox.state
        state.device_code_interval = 0
        state.scenario.behaviour.device_code = "decline"
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await until(pilot, lambda: not app.cloud.signed_in)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, SignInModal))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DeviceCodeModal) and app.screen.failed)
        assert "declined" in str(app.screen.query_one("#device-status").render())
        assert not app.cloud.signed_in
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, DeviceCodeModal))


async def test_escape_in_the_device_code_dialog_cancels_the_waiting_sign_in() -> None:
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        state = app.cloud.sandbox.state
        state.scenario.behaviour.device_code_polls = 1000  # the user never finishes on the other device
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await until(pilot, lambda: not app.cloud.signed_in)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, SignInModal))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DeviceCodeModal))
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: app.sign_in_state == "signed out")
        assert not app.cloud.signed_in and not isinstance(app.screen, DeviceCodeModal)
        polls = [r for r in app.cloud.sandbox.requests if r.path.endswith("/oauth2/v2.0/token")]
        assert len(polls) < 10  # it stopped polling; it did not wait for the code to expire
