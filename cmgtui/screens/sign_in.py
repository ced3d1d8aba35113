"""Sign-in dialogs: choose how (and to which tenant) to sign in, and show a device code.

Device code is the default over SSH: the code and URL are shown here, and the admin signs in
on any device with a browser. The code can be copied with the terminal's clipboard (OSC 52).
The tenant field matters for guests and multi-tenant administrators: without it a device-code
sign-in lands in the account's home tenant, and apps would be created in the wrong directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.cloud.credentials import SignInMethod
from cmgtui.domain.display_text import markup_text, visible
from cmgtui.domain.validate import tenant_problem
from cmgtui.widgets.clipboard import copy_through_terminal
from cmgtui.widgets.base import app_is_closing

METHOD_CHOICES: tuple[tuple[SignInMethod, str], ...] = (
    (SignInMethod.DEVICE_CODE, "Device code — sign in on any device with a browser (best over SSH)"),
    (SignInMethod.AZURE_CLI, "Azure CLI — reuse 'az login' on this machine"),
    (SignInMethod.SERVICE_PRINCIPAL, "Service principal — from AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET"),
)
@dataclass(frozen=True, slots=True)
class SignInChoice:
    """What the sign-in dialog returns: the method and the tenant ("" = home tenant)."""

    method: SignInMethod
    tenant: str = ""


class SignInModal(ModalScreen[SignInChoice | None]):
    """Choose a sign-in method and, optionally, the tenant; dismisses with the choice or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="modal_cancel")]

    def __init__(self, environment: str, sandbox: bool, tenant: str = "") -> None:
        super().__init__()
        self.environment = environment
        self.sandbox = sandbox
        self.tenant = tenant

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Sign in to Microsoft Entra ID", classes="dialog-title")
            where = "the sandbox tenant" if self.sandbox else self.environment
            yield Static(f"Cloud: {where}. Choose how to sign in, then press Enter.", classes="hint")
            yield OptionList(*(Option(label, id=method.value) for method, label in METHOD_CHOICES), id="methods")
            yield Input(self.tenant, id="tenant", placeholder="Tenant ID or domain (empty: your home tenant)")
            yield Static("", id="tenant-error", classes="field-error")

    def on_mount(self) -> None:
        if not app_is_closing(self):  # a quit as the dialog opened leaves its widgets unbuilt
            self.query_one("#methods", OptionList).highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#tenant-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        methods = self.query_one("#methods", OptionList)
        option = methods.get_option_at_index(methods.highlighted or 0)
        self._choose(SignInMethod(option.id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(SignInMethod(event.option.id))

    def _choose(self, method: SignInMethod) -> None:
        tenant = self.query_one("#tenant", Input).value.strip()
        problem = tenant_problem(tenant)
        if problem is not None:
            self.query_one("#tenant-error", Static).update(Text(visible(problem)))
            self.query_one("#tenant", Input).focus()
            return
        self.dismiss(SignInChoice(method, tenant))

    def action_cancel(self) -> None:
        self.dismiss(None)


class DeviceCodeModal(ModalScreen[None]):
    """Shows the device-code URL and code while sign-in waits; escape cancels the sign-in.

    It closes itself when sign-in completes. When the code expires or the sign-in is declined,
    :meth:`show_failure` replaces the code with what happened and what to do.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy code", id="device_code_copy"),
        Binding("escape", "cancel", "Cancel sign-in", id="modal_cancel"),
    ]

    def __init__(self, url: str, code: str, expires: datetime,
                 on_cancel: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.url = url
        self.code = code
        self.expires = expires
        self.on_cancel = on_cancel
        self.failed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Sign in with a device code", classes="dialog-title")
            yield Static(f"1. On any device, open:\n   {markup_text(self.url)}", id="device-url")
            yield Static(f"2. Enter the code:\n   [b]{markup_text(self.code)}[/b]", id="device-code")
            yield Static(self._waiting_text(), id="device-status", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy code (c)", id="copy", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")

    def _waiting_text(self) -> str:
        return (f"Waiting for you to sign in… The code expires at "
                f"{self.expires.astimezone().strftime('%H:%M')}. This window closes by itself once "
                "you have signed in; Esc cancels.")

    def show_failure(self, message: str, what_to_do: str) -> None:
        """The sign-in ended without a token: say why and what to do instead of the code."""
        self.failed = True
        self.query_one("#device-code", Static).update("")
        self.query_one("#device-status", Static).update(
            Text(visible(f"{message}\n{what_to_do}", keep_lines=True) + "\nPress Esc to close."))
        self.query_one("#copy", Button).display = False
        self.query_one("#cancel", Button).label = "Close (Esc)"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.action_cancel()

    def action_copy(self) -> None:
        if self.failed:
            return
        copy_through_terminal(self.app, self.code, "The code")

    def action_cancel(self) -> None:
        if not self.failed and self.on_cancel is not None:
            self.on_cancel()
        self.dismiss()
