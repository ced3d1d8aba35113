"""A password prompt that hides what is typed, and a holder that keeps secrets out of sight.

:class:`PasswordModal` returns the password (or None when cancelled) and empties its inputs
before it closes, so the text is gone from the widget tree at once. :class:`Secret` carries
a password into a worker: its ``repr`` never shows the value (worker reprs and error
reports stay clean) and :meth:`Secret.clear` drops the one reference once it was used.
Nothing here writes a password to the profile, the activity log or the App.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class Secret:
    """A password on its way to the one call that needs it; never shown, cleared after use."""

    __slots__ = ("_value",)

    def __init__(self, value: str | None) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "Secret(***)" if self._value else "Secret(empty)"

    __str__ = __repr__

    def as_bytes(self) -> bytes | None:
        """The password as UTF-8 bytes (what the certificate toolkit takes), None when empty."""
        return self._value.encode("utf-8") if self._value else None

    def clear(self) -> None:
        """Forget the password (call as soon as the operation that needed it is over)."""
        self._value = None


class PasswordModal(ModalScreen[str | None]):
    """Ask for a password; with ``confirm`` it must be typed twice and match.

    ``min_length`` refuses short passwords for secrets this tool creates (0 accepts an
    empty answer, e.g. for a key that has no passphrase). ``check`` tests the answer before the
    dialog closes (e.g. that it opens the private key) and returns why not, so a wrong
    passphrase is said at once and can be typed again. When the two entries differ, the
    first stays and only the second is asked again. Enter moves on and accepts; Escape
    cancels and returns None.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="password_cancel")]
    #: Focused by Textual as the dialog is shown (see ``ConfirmModal.AUTO_FOCUS``).
    AUTO_FOCUS = "#password"

    def __init__(self, title: str, explanation: str = "", *, confirm: bool = False, min_length: int = 8,
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.confirm = confirm
        self.min_length = min_length
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog password-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.explanation:
                yield Static(self.explanation, classes="dialog-text")
            yield Input(password=True, id="password", placeholder="Password")
            if self.confirm:
                yield Input(password=True, id="password-again", placeholder="The same password again")
            yield Static("", id="password-error", classes="field-error")
            hint = "Enter to continue, Escape to cancel. The password is not saved anywhere."
            yield Static(hint, classes="hint")

    def _problem(self, first: str, second: str | None) -> str | None:
        if len(first) < self.min_length:
            return f"Use at least {self.min_length} characters."
        if second is not None and first != second:
            return "The two entries differ; type the same password again in the second field."
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.has_focus and event.value:  # typing again clears the message
            self.query_one("#password-error", Static).update("")

    def _say(self, problem: str) -> None:
        self.query_one("#password-error", Static).update(Text(problem))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        first = self.query_one("#password", Input)
        if self.confirm and event.input.id == "password":
            problem = self._problem(first.value, None)
            if problem:
                self._say(problem)
                return
            self.query_one("#password-again", Input).focus()
            return
        second = self.query_one("#password-again", Input) if self.confirm else None
        problem = self._problem(first.value, second.value if second is not None else None)
        if problem is None and self.check is not None:
            problem = self.check(first.value)
            if problem:
                self._wipe()
                first.focus()
                self._say(problem)
                return
        if problem:
            if second is not None and len(first.value) >= self.min_length:
                second.value = ""
                second.focus()
            self._say(problem)
            return
        answer = first.value
        self._wipe()
        self.dismiss(answer)

    def _wipe(self) -> None:
        """Empty every input so the password does not stay in the widget tree."""
        for editor in self.query(Input):
            editor.value = ""

    def action_cancel(self) -> None:
        self._wipe()
        self.dismiss(None)
