"""One-time display of a new client secret.

Microsoft Entra returns a client secret's text once. :class:`SecretModal` shows it, offers to
copy it to the clipboard or to write it to a new file only the user can read (mode 0600; an
existing file is never overwritten), and when it closes it empties its widgets and drops its
own reference, so nothing of cmgtui keeps the text: it is never stored in the profile, never
logged and never shown again.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from cmgtui.domain.display_text import visible
from cmgtui.domain.validate import PathUse, path_problem
from cmgtui.private_files import write_secret_file
from cmgtui.widgets.token_wrap import TokenWrap

#: The check of the new file a one-time secret is written to (an existing file is refused).
secret_file_problem = partial(path_problem, use=PathUse.CREATE, what="a new file for the secret")


class SecretModal(ModalScreen[None]):
    """Show ``secret`` once with its key ID and expiry; copy it or save it to a 0600 file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="secret_close"),
    ]
    #: Focused by Textual as the window is shown (see ``ConfirmModal.AUTO_FOCUS``).
    AUTO_FOCUS = "#secret-copy"

    def __init__(self, secret: str, key_id: str, expires: str, app_name: str, *,
                 saved_to: Path | None = None) -> None:
        super().__init__()
        self._secret: str | None = secret
        self.key_id = key_id
        self.expires = expires
        self.app_name = app_name
        self.saved_to = saved_to

    @property
    def unsaved(self) -> bool:
        """True while the secret is shown and no file holds it (closing would lose it)."""
        return self._secret is not None and self.saved_to is None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog secret-dialog"):
            yield Label(Text(f"Client secret of {visible(self.app_name)}: shown only now"), classes="dialog-title")
            yield Static(Text(visible(self._secret or "")), id="secret-value", classes="secret-value")
            yield Static(Text(f"Key ID {visible(self.key_id)} · expires {visible(self.expires[:10])}"), classes="hint")
            yield Static("Copy it or save it now, then enter it in Configuration Manager. cmgtui does not "
                         "keep it: after you close this window it can't be shown again.", classes="dialog-text")
            saved = f"Saved to {self.saved_to} (readable by you only)." if self.saved_to else ""
            yield Static(TokenWrap(saved), id="secret-status", classes="hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy", id="secret-copy", variant="primary", compact=True)
                yield Button("Save to file…", id="secret-save", compact=True)
                yield Button("Close", id="secret-done", compact=True)

    def _status(self, text: str) -> None:
        """Say what happened; a path longer than the line breaks after a separator, never inside a name."""
        self.query_one("#secret-status", Static).update(TokenWrap(text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "secret-copy":
            if self._secret:
                self.app.copy_to_clipboard(self._secret)
                self._status("Copied to the clipboard.")
        elif event.button.id == "secret-save":
            self.save_to_file()
        else:
            self.action_close()

    @work
    async def save_to_file(self) -> None:
        """Ask for a new file path and write the secret there with mode 0600."""
        from cmgtui.widgets.modals import NameModal

        answer = await self.app.push_screen_wait(
            NameModal("File for the secret (a new file; only you can read it)", secret_file_problem))
        if not answer or self._secret is None:
            return
        path = Path(answer).expanduser()
        try:
            write_secret_file(path, self._secret)
        except FileExistsError:
            self._status(f"{path} already exists; nothing was written. Name a new file.")
            return
        except OSError as exc:
            self._status(f"Could not write {path}: {exc.strerror or exc}. Choose another place.")
            return
        self.saved_to = path
        self._status(f"Saved to {path} (readable by you only).")

    @work(exclusive=True, group="secret-leave")
    async def action_close(self) -> None:
        """Close, asking first while no file holds the secret (it can't be shown again)."""
        if await self.may_leave():
            self.forget()

    async def may_leave(self) -> bool:
        """True when leaving loses nothing: saved, or the user chose to leave it unsaved.

        While the secret is unsaved the user is asked, and may save it to a file first.
        """
        from cmgtui.widgets.modals import ConfirmModal

        while self.unsaved:
            if await self.app.push_screen_wait(ConfirmModal(
                    "This client secret is not saved in any file and can't be shown again. Save it to a "
                    "file (readable by you only) first? Closing without saving loses it for good.",
                    yes_label="Save to file…", no_label="Close without saving")):
                await self.save_to_file().wait()
                continue
            return True
        return True

    def forget(self) -> None:
        """Forget the secret, empty the display and close."""
        self._secret = None
        self.query_one("#secret-value", Static).update("")
        self.dismiss(None)
