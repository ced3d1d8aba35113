"""Small modal dialogs: a yes/no confirmation and a validated name prompt.

Questions and titles name paths, profiles, apps and tenants: they are shown as text, never
read as markup, with control characters made visible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from cmgtui.domain.display_text import visible


def replace_file_modal(path: object) -> ConfirmModal:
    """The question asked before a save replaces an existing file (the script, a runbook, the report)."""
    return ConfirmModal(f"{path} exists. Replace it?", yes_label="Replace")


class ConfirmModal(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True only on an explicit yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "answer(False)", "Cancel", id="modal_cancel"),
        Binding("y", "answer(True)", "Yes", show=False, id="modal_yes"),
        Binding("n", "answer(False)", "No", show=False, id="modal_no"),
    ]
    #: The safe answer has the focus (Textual focuses it as the dialog is shown; a quit as it
    #: opens leaves it unbuilt, and a query for it in ``on_mount`` then raised).
    AUTO_FOCUS = "#no"

    def __init__(self, question: str, yes_label: str = "Yes", danger: bool = False, id: str | None = None,
                 no_label: str = "Cancel") -> None:
        """``no_label`` names what the other button (and Escape) does, when that is more than
        cancelling: e.g. "Close without saving"."""
        super().__init__(id=id)
        self.question = question
        self.yes_label = yes_label
        self.no_label = no_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # a long question scrolls (arrows or PageDown once focused) above buttons that stay on screen
            with VerticalScroll(classes="dialog-scroll", can_focus=True):
                yield Static(Text(visible(self.question, keep_lines=True)), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes_label, id="yes", variant="error" if self.danger else "primary")
                yield Button(self.no_label, id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NameModal(ModalScreen[str | None]):
    """Ask for a name; ``validate`` returns an error message or None when acceptable."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="modal_cancel")]

    def __init__(self, title: str, validate: Callable[[str], str | None], initial: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.validate_name = validate
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(visible(self.title_text)), classes="dialog-title")
            yield Input(value=self.initial, id="name")
            yield Static("", id="name-error", classes="field-error")
            yield Static("Enter to accept, Escape to cancel.", classes="hint")

    def on_input_changed(self, event: Input.Changed) -> None:
        problem = self.validate_name(event.value) if event.value.strip() else None
        self.query_one("#name-error", Static).update(Text(visible(problem or "")))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = self.validate_name(event.value)
        if problem:
            self.query_one("#name-error", Static).update(Text(visible(problem)))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
