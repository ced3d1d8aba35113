"""Quitting at the instant a dialog opens ends the App quietly.

While the App shuts down Textual mounts nothing more, so a dialog pushed just before the quit
runs its mount with no widgets inside. Each dialog that focused or filled one of its widgets
there ended the App with a ``NoMatches`` traceback (seen under load: the one-time secret
window appearing as the test's App closed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from textual.app import App
from textual.containers import Vertical
from textual.screen import Screen

from cmgtui.screens.sign_in import DeviceCodeModal, SignInModal
from cmgtui.widgets.base import ChoiceSelect
from cmgtui.widgets.file_picker import FilePickerModal
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.widgets.password_modal import PasswordModal
from cmgtui.widgets.secret_modal import SecretModal

DIALOGS: dict[str, Callable[[], Screen[object]]] = {
    "confirm": lambda: ConfirmModal("Delete the profile?"),
    "name": lambda: NameModal("Profile name", lambda text: None),
    "password": lambda: PasswordModal("PFX password", confirm=True),
    "secret": lambda: SecretModal("s3cret~value", "0f0f0f0f-1111-4222-8333-444455556666",
                                  "2027-01-01T00:00:00Z", "CMG-Server"),
    "file picker": lambda: FilePickerModal("Pick a file", "."),
    "sign-in": lambda: SignInModal("AzurePublicCloud", sandbox=True),
    "device code": lambda: DeviceCodeModal("https://microsoft.com/devicelogin", "ABCD-EFGH",
                                           datetime(2030, 1, 1, tzinfo=UTC)),
}


class Host(App[None]):
    """A bare App: the dialogs need nothing of cmgtui's App to mount."""


@pytest.mark.parametrize("name", sorted(DIALOGS))
async def test_quit_as_the_dialog_opens_raises_nothing(name: str) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)):
        app.push_screen(DIALOGS[name]())
        # leaving the block now shuts the App down before the dialog has mounted its widgets
    assert app._exception is None, f"the {name} dialog failed while the App closed: {app._exception!r}"


@pytest.mark.parametrize("name", sorted(DIALOGS))
async def test_the_dialog_still_focuses_its_first_control(name: str) -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = DIALOGS[name]()
        app.push_screen(dialog)
        await pilot.pause()
        assert app.screen is dialog and dialog.focused is not None, f"the {name} dialog has no focus"


async def test_quit_as_a_choice_list_mounts_raises_nothing() -> None:
    """Textual's Select looks up its own option list when it mounts; one mounted as the App quits
    (a checklist item below the fold, a pane built ahead) has none. cmgtui's ``ChoiceSelect``
    skips that mount; Textual's own Select, in the same place, raises ``NoMatches``."""
    app = Host()
    async with app.run_test(size=(80, 24)):
        app.screen.mount(Vertical(ChoiceSelect([("Azure public cloud", "AzurePublicCloud")])))
    assert app._exception is None, f"the choice list failed while the App closed: {app._exception!r}"
