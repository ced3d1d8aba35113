"""The glossary pane: CMG terms in plain words, filled with this profile's values.

Typing in the filter box narrows the list at once; every word typed must appear in the
term, its meaning or its value.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from cmgtui.domain.display_text import visible
from cmgtui.domain.glossary import GlossaryEntry, glossary
from cmgtui.widgets.base import Pane, PaneTitle
from cmgtui.widgets.fields import TextBox


def render_entries(entries: list[GlossaryEntry]) -> Group | Text:
    """The glossary as rich text: term in bold, meaning, then this plan's value."""
    if not entries:
        return Text("No term matches the filter.", style="dim")
    parts: list[Text] = []
    for entry in entries:
        block = Text()
        block.append(entry.term, style="bold")
        block.append("\n" + entry.meaning)
        block.append("\nIn this plan: ", style="italic")
        block.append(visible(entry.value), style="bold cyan" if "not set yet" not in entry.value else "dim")
        block.append("\n")
        parts.append(block)
    return Group(*parts)


class GlossaryPane(Pane):
    """Filterable list of terms with the admin's own values."""

    ENTRY = "glossary"
    TITLE = "Glossary"

    def compose(self) -> ComposeResult:
        yield PaneTitle("Glossary", classes="pane-title")
        yield TextBox(placeholder="Filter terms (type to narrow)", id="glossary-filter", compact=True)
        yield Static(id="glossary-body")

    def sync(self) -> None:
        query = self.query_one("#glossary-filter", Input).value
        entries = [entry for entry in glossary(self.profile) if entry.matches(query)]
        self.query_one("#glossary-body", Static).update(render_entries(entries))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.sync()

    def look_up(self, term: str) -> None:
        """Show only ``term`` (used by the command palette)."""
        self.query_one("#glossary-filter", Input).value = term
