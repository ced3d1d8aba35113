"""A keyboard file browser in a modal: pick a file (or a folder) without leaving the TUI.

It opens in the folder of the current path (or the working folder). Enter opens a folder or
chooses a file, Backspace goes up one folder, ``/`` jumps to the path line where a path can
be typed (relative to the folder shown, ``~`` allowed), Escape cancels. The modal returns
the chosen path as text, or None. Unreadable folders give a one-line message, not an error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.domain.display_text import visible
from cmgtui.widgets.fields import ControlPictures
from cmgtui.widgets.base import app_is_closing

MAX_ENTRIES = 2000
USE_FOLDER = "."
UP = ".."


def start_folder(current: str) -> tuple[Path, str | None]:
    """Where to open for ``current``: its folder (and the file name to highlight), else cwd."""
    text = current.strip()
    if text:
        path = Path(text).expanduser()
        if path.is_dir():
            return path.resolve(), None
        if path.parent.is_dir():
            return path.parent.resolve(), path.name
    return Path.cwd(), None


def list_folder(folder: Path) -> tuple[list[str], list[str]]:
    """Sub-folder and file names of ``folder``, each sorted case-insensitively.

    Raises OSError when the folder cannot be read.
    """
    folders: list[str] = []
    files: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                (folders if entry.is_dir() else files).append(entry.name)
            except OSError:
                files.append(entry.name)
    return sorted(folders, key=str.casefold), sorted(files, key=str.casefold)


class FilePickerModal(ModalScreen[str | None]):
    """Browse folders by keyboard and return the chosen file (or folder) path."""

    DEFAULT_CSS = """
    FilePickerModal { align: center middle; }
    FilePickerModal > .file-picker { width: 90; max-width: 95%; height: 90%; }
    FilePickerModal #picker-entries { height: 1fr; }
    FilePickerModal #picker-path { margin-bottom: 1; }
    FilePickerModal #picker-error { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="file_picker_cancel"),
        Binding("backspace", "up", "Up a folder", id="file_picker_up"),
        Binding("slash", "type_path", "Type a path", id="file_picker_type"),
    ]

    def __init__(self, title: str, current: str = "", *, choose_folder: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.choose_folder = choose_folder
        self.folder, self._select = start_folder(current)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog file-picker"):
            yield Label(Text(visible(self.title_text)), classes="dialog-title")
            yield Input(id="picker-path", compact=True, highlighter=ControlPictures())
            yield OptionList(id="picker-entries")
            yield Static("", id="picker-error", classes="field-error")
            what = "choose a folder" if self.choose_folder else "open a folder or choose a file"
            yield Static(
                f"Enter: {what} · Backspace: up · /: type a path · Escape: cancel", classes="hint"
            )

    def on_mount(self) -> None:
        if app_is_closing(self):  # quit as the picker opened: its widgets were never built
            return
        if not self.show_folder(self.folder, self._select):
            self.show_folder(Path.cwd())
        self.query_one("#picker-entries", OptionList).focus()

    def show_folder(self, folder: Path, select: str | None = None) -> bool:
        """List ``folder``; False (with a message, the old listing kept) when it cannot be read."""
        try:
            folders, files = list_folder(folder)
        except OSError as exc:
            self._error(f"Cannot open {folder}: {exc.strerror or exc}.")
            return False
        self.folder = folder
        self._error("")
        options: list[Option] = []
        if self.choose_folder:
            options.append(Option(Text("✓ Use this folder", style="bold"), id=USE_FOLDER))
        if folder.parent != folder:
            options.append(Option(Text("↑ .. (up one folder)"), id=UP))
        options.extend(Option(Text(f"▸ {visible(name)}/", style="bold"), id=f"d:{name}") for name in folders)
        options.extend(
            Option(Text(f"  {visible(name)}", style="dim" if self.choose_folder else ""), id=f"f:{name}",
                   disabled=self.choose_folder)
            for name in files
        )
        shown = options[:MAX_ENTRIES]
        entries = self.query_one("#picker-entries", OptionList)
        entries.set_options(shown)
        if len(options) > MAX_ENTRIES:
            self._error(f"Showing the first {MAX_ENTRIES} entries; type a path with / to go further.")
        ids = [option.id for option in shown]
        wanted = f"d:{select}" if f"d:{select}" in ids else f"f:{select}"
        entries.highlighted = ids.index(wanted) if wanted in ids else (0 if shown else None)
        path_line = self.query_one("#picker-path", Input)
        path_line.value = str(folder) if str(folder).endswith(os.sep) else str(folder) + os.sep
        return True

    def _error(self, message: str) -> None:
        self.query_one("#picker-error", Static).update(Text(visible(message)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = event.option.id or ""
        if choice == USE_FOLDER:
            self.dismiss(str(self.folder))
        elif choice == UP:
            self.action_up()
        elif choice.startswith("d:"):
            self.show_folder(self.folder / choice[2:])
        elif choice.startswith("f:"):
            self.dismiss(str(self.folder / choice[2:]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if not typed:
            return
        path = Path(typed).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.is_dir():
            if self.show_folder(path.resolve()):
                self.query_one("#picker-entries", OptionList).focus()
        elif self.choose_folder:
            if path.exists():
                self._error(f"{path} is a file; choose a folder.")
            else:
                self.dismiss(str(path))  # a new folder: the writer creates it
        elif path.is_file():
            self.dismiss(str(path))
        else:
            self._error(f"No file or folder named {path}; check the path.")

    def action_up(self) -> None:
        if self.folder.parent != self.folder:
            self.show_folder(self.folder.parent, self.folder.name)

    def action_type_path(self) -> None:
        editor = self.query_one("#picker-path", Input)
        editor.focus()
        editor.cursor_position = len(editor.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
