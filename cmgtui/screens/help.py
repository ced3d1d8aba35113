"""The help screen: every key binding, where it applies, and its id for key map overrides."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cmgtui import paths

STATUS_LEGEND = "✓ done   … in progress   ✗ problem   · not started   ! warning   – skipped"


def _bindings_of(owner: type) -> list[Binding]:
    return [b for b in getattr(owner, "BINDINGS", []) if isinstance(b, Binding)]


def binding_rows(keymap: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(where, keys, what, id) for every binding, with key map overrides applied."""
    from cmgtui.app import CmgApp
    from cmgtui.screens.automation import AutomationPane
    from cmgtui.screens.checklist import ChecklistPane
    from cmgtui.screens.main import MainScreen
    from cmgtui.screens.modals import ConfirmModal, NameModal
    from cmgtui.screens.part4_gateway import GatewayPane
    from cmgtui.screens.picker import ProfilePickerScreen

    owners: list[tuple[str, type]] = [
        ("Everywhere", CmgApp),
        ("Main screen", MainScreen),
        ("Checklist", ChecklistPane),
        ("Part 4", GatewayPane),
        ("Automation", AutomationPane),
        ("Profile picker", ProfilePickerScreen),
        ("Dialogs", ConfirmModal),
        ("Dialogs", NameModal),
        ("Help", HelpScreen),
    ]
    rows = [("Everywhere", "ctrl+p", "Command palette: go to, look up, act", "")]
    seen: set[tuple[str, str]] = set()
    for where, owner in owners:
        for binding in _bindings_of(owner):
            key = keymap.get(binding.id or "", binding.key)
            if (where, binding.id or binding.key) in seen:
                continue
            seen.add((where, binding.id or binding.key))
            rows.append((where, key.replace(",", " / "), binding.description or binding.action, binding.id or ""))
    rows += [
        ("Navigation", "up / down", "Show the previous or next entry", ""),
        ("Navigation", "enter", "Go into the entry's pane", ""),
        ("Forms", "tab / shift+tab", "Next or previous field", ""),
        ("Forms", "space", "Tick or untick a checkbox; open a choice list", ""),
    ]
    return rows


def binding_ids() -> set[str]:
    """Every binding id a key map in config.toml may name."""
    return {binding_id for *_rest, binding_id in binding_rows({}) if binding_id}


def keys_table(rows: list[tuple[str, str, str, str]]) -> Table:
    """Two columns that fit 80 columns: a heading per place, then keys and what they do.

    The binding id goes on its own dim line under the description, so no column is squeezed.
    """
    table = Table(box=None, header_style="bold", expand=True, padding=(0, 1), show_header=True)
    table.add_column("Keys", no_wrap=True, style="bold")
    table.add_column("What it does", ratio=1)
    where_before = ""
    for where, keys, what, binding_id in rows:
        if where != where_before:
            table.add_row(Text(where, style="bold underline"), "")
            where_before = where
        description = Text(what)
        if binding_id:
            description.append(f"\nid: {binding_id}", style="dim")
        table.add_row(Text(keys), description)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every key binding and where key overrides live."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1", "close", "Close help", id="help_close"),
    ]

    def compose(self) -> ComposeResult:
        keymap = dict(getattr(self.app, "_keymap", {}) or {})
        with VerticalScroll(classes="dialog help"):
            yield Static("Keys", classes="dialog-title")
            yield Static(keys_table(binding_rows(keymap)))
            yield Static(Text("Status symbols: " + STATUS_LEGEND))
            yield Static(Text(
                f"Change keys in {paths.config_file()} under [keymap], e.g. nav_next = \"ctrl+n\" "
                "(the id is the dim word under each key's description). Keys of a pane work while "
                "no text field is being typed in. Set CMGTUI_HOME to keep profiles and configuration "
                "in another folder."), classes="hint")

    def action_close(self) -> None:
        self.dismiss()
