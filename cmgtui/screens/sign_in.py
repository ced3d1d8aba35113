"""Sign-in dialogs: choose how to sign in, and show a device code to enter elsewhere.

Device code is the default over SSH: the code and URL are shown here, and the admin signs in
on any device with a browser. The code can be copied with the terminal's clipboard (OSC 52).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.cloud.credentials import SignInMethod

METHOD_CHOICES: tuple[tuple[SignInMethod, str], ...] = (
    (SignInMethod.DEVICE_CODE, "Device code — sign in on any device with a browser (best over SSH)"),
    (SignInMethod.AZURE_CLI, "Azure CLI — reuse 'az login' on this machine"),
    (SignInMethod.SERVICE_PRINCIPAL, "Service principal — from AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET"),
)


class SignInModal(ModalScreen[SignInMethod | None]):
    """Choose a sign-in method; dismisses with the method or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="modal_cancel")]

    def __init__(self, environment: str, sandbox: bool) -> None:
        super().__init__()
        self.environment = environment
        self.sandbox = sandbox

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Sign in to Microsoft Entra ID", classes="dialog-title")
            where = "the sandbox tenant" if self.sandbox else self.environment
            yield Static(f"Cloud: {where}. Choose how to sign in, then press Enter.", classes="hint")
            yield OptionList(*(Option(label, id=method.value) for method, label in METHOD_CHOICES), id="methods")

    def on_mount(self) -> None:
        self.query_one("#methods", OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(SignInMethod(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DeviceCodeModal(ModalScreen[None]):
    """Shows the device-code URL and code; closes itself when sign-in completes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy code", id="device_code_copy"),
        Binding("escape", "hide", "Hide", id="modal_cancel"),
    ]

    def __init__(self, url: str, code: str, expires: datetime) -> None:
        super().__init__()
        self.url = url
        self.code = code
        self.expires = expires

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Sign in with a device code", classes="dialog-title")
            yield Static(f"1. On any device, open:\n   {self.url}")
            yield Static(f"2. Enter the code:\n   [b]{self.code}[/b]", id="device-code")
            yield Static(f"The code expires at {self.expires.astimezone().strftime('%H:%M')}. This window "
                         "closes by itself once you have signed in.", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy code (c)", id="copy", variant="primary")
                yield Button("Hide", id="hide")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.action_hide()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.code)
        self.notify("Code copied (through the terminal's clipboard).")

    def action_hide(self) -> None:
        self.dismiss()
