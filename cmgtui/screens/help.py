"""The help screen: every key binding, where it applies, and its id for key map overrides."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static

from cmgtui import paths
from cmgtui.screens.main import MainScreen
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.widgets.base import Pane
from cmgtui.widgets.modals import ConfirmModal, NameModal

STATUS_LEGEND = "✓ done   … in progress   ✗ problem   · not started   ! warning   – skipped"


def _bindings_of(owner: type, skip: type | None = None) -> list[Binding]:
    """The bindings cmgtui declares on ``owner`` and its cmgtui base classes (not Textual's own,
    such as a scrolling container's arrow keys), leaving out those of ``skip`` and its bases
    (listed once for every pane)."""
    skipped = set(skip.__mro__) if skip is not None else set()
    return [binding for cls in owner.__mro__
            if cls.__module__.startswith("cmgtui.") and "BINDINGS" in vars(cls) and cls not in skipped
            for binding in vars(cls)["BINDINGS"] if isinstance(binding, Binding)]


def key_names(keys: str) -> str:
    """Keys as a user types them: ``?`` and ``]``, not Textual's ``question_mark`` and
    ``right_square_bracket``; named keys (f1, ctrl+q, space, escape) keep their names."""
    shown = []
    for key in keys.split(","):
        character = format_key(key) if "+" not in key else key
        shown.append(character if len(character) == 1 and character.isascii() and not character.isspace() else key)
    return " / ".join(shown)


def binding_rows(keymap: dict[str, str], app_type: type) -> list[tuple[str, str, str, str]]:
    """(where, keys, what, id) for every binding, with key map overrides applied.

    ``app_type`` is the running App's class (passed in: a screen never imports the App).
    Covers the App, the screens, every pane of the registry (under its navigation label; a
    pane's keys work while it is shown) and every dialog, so each id a key map may override
    is listed. Importing the pane classes here is fine: help is opened long after the first frame.
    """
    from cmgtui.screens.entries import entry_by_id
    from cmgtui.screens.registry import PANES, pane_class
    from cmgtui.screens.sign_in import DeviceCodeModal, SignInModal
    from cmgtui.widgets.file_picker import FilePickerModal
    from cmgtui.widgets.password_modal import PasswordModal
    from cmgtui.widgets.secret_modal import SecretModal

    owners: list[tuple[str, type]] = [
        ("Everywhere", app_type),
        ("Main screen", MainScreen),
        ("Every pane", Pane),
        *((entry_by_id(entry).label, pane_class(entry)) for entry in PANES),
        ("Profile picker", ProfilePickerScreen),
        ("Dialogs", ConfirmModal),
        ("Dialogs", NameModal),
        ("Sign-in", SignInModal),
        ("Device code", DeviceCodeModal),
        ("File picker", FilePickerModal),
        ("Password", PasswordModal),
        ("New secret", SecretModal),
        ("Help", HelpScreen),
    ]
    rows = [("Everywhere", "ctrl+p", "Command palette: go to, look up, act", "")]
    seen: set[tuple[str, str]] = set()
    for where, owner in owners:
        skip = Pane if owner is not Pane and issubclass(owner, Pane) else None
        for binding in _bindings_of(owner, skip):
            key = keymap.get(binding.id or "", binding.key)
            if (where, binding.id or binding.key) in seen:
                continue
            seen.add((where, binding.id or binding.key))
            rows.append((where, key_names(key), binding.description or binding.action, binding.id or ""))
    rows += [
        ("Navigation", "up / down", "Show the previous or next entry", ""),
        ("Navigation", "enter", "Go into the entry's pane", ""),
        ("Forms", "tab / shift+tab", "Next or previous field", ""),
        ("Forms", "space", "Tick or untick a checkbox; open a choice list", ""),
    ]
    return rows


def binding_ids(app_type: type) -> set[str]:
    """Every binding id a key map in config.toml may name."""
    return {binding_id for *_rest, binding_id in binding_rows({}, app_type) if binding_id}


def keys_table(rows: list[tuple[str, str, str, str]]) -> Table:
    """Two columns that fit 80 columns: a heading per place, then keys and what they do.

    The binding id goes on its own dim line under the description, so no column is squeezed.
    """
    table = Table(box=None, header_style="bold", expand=True, padding=(0, 1), show_header=True)
    table.add_column("Key", no_wrap=True, style="bold")
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
            yield Static("Keys · Escape closes this help", classes="dialog-title")
            yield Static(keys_table(binding_rows(keymap, type(self.app))))
            yield Static(Text("Status symbols: " + STATUS_LEGEND))
            yield Static(Text(
                f"Change keys in {paths.config_file()} under [keymap], e.g. nav_next = \"ctrl+n\" "
                "(the id is the dim word under each key's description). Keys of a pane work while "
                "no text field is being typed in. Set CMGTUI_HOME to keep profiles and configuration "
                "in another folder."), classes="hint")

    def action_close(self) -> None:
        self.dismiss()
