"""The automation pane: the PowerShell script for the ConfigMgr side, and the readiness report.

No script is offered while required values are missing: the pane lists them instead, each
saying where to enter it. A complete script is shown with syntax highlighting and can be
saved to a file or copied (OSC 52, which works over SSH in most terminals).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Static

from cmgtui.domain.display_text import visible
from cmgtui.domain.validate import PathUse, path_problem
from cmgtui.services.script import SCRIPT_ENCODING, SetupScript, setup_script
from cmgtui.widgets.base import Pane, PaneTitle
from cmgtui.widgets.clipboard import copy_through_terminal
from cmgtui.widgets.modals import NameModal, replace_file_modal

#: The check of a path to save a script or report to (replaced if it exists).
save_path_problem = partial(path_problem, use=PathUse.WRITE, what="the file to save")


def write_text_file(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` (replacing it atomically), readable by the owner only (0600).

    Scripts are written with a BOM (:data:`~cmgtui.services.script.SCRIPT_ENCODING`): Windows
    PowerShell 5.1 misreads non-ASCII characters in a UTF-8 file without one.
    """
    from cmgtui.private_files import write_user_file

    write_user_file(path, text.encode(encoding))


class AutomationPane(Pane):
    """Script preview, what is missing, save and copy."""

    ENTRY = "automation"
    TITLE = "Automation"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save_script", "Save script", id="script_save"),
        Binding("y", "copy_script", "Copy script", id="script_copy"),
        Binding("r", "save_report", "Save report", id="report_save"),
    ]

    def compose(self) -> ComposeResult:
        yield PaneTitle("Automation · PowerShell for Configuration Manager", classes="pane-title")
        yield Static(id="automation-status")
        with Horizontal(classes="buttons"):
            yield Button("Save script (s)", id="save-script", compact=True)
            yield Button("Copy (y)", id="copy-script", compact=True)
            yield Button("Save report (r)", id="save-report", compact=True)
        yield Static(id="script-preview")

    def _script(self) -> SetupScript:
        return setup_script(self.profile)

    def sync(self) -> None:
        script = self._script()
        status = self.query_one("#automation-status", Static)
        preview = self.query_one("#script-preview", Static)
        for button_id in ("#save-script", "#copy-script"):
            self.query_one(button_id, Button).disabled = script.text is None
        if script.text is None:
            text = Text()
            text.append("The script needs these values first:\n", style="bold")
            for item in script.missing:
                text.append(f"  • {visible(item)}\n")
            status.update(text)
            preview.update("")
            return
        status.update(Text("The script is complete. Run it from the site drive; -WhatIf shows what it "
                           "would change.", style="green"))
        preview.update(Syntax(script.text, "powershell", word_wrap=True, background_color="default"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"save_script", "copy_script"} and self.cmg.profile is not None:
            return self._script().text is not None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"save-script": self.action_save_script, "copy-script": self.action_copy_script,
                   "save-report": self.action_save_report}
        actions[event.button.id or ""]()

    def action_copy_script(self) -> None:
        script = self._script().text
        if script is None:
            return
        copy_through_terminal(self.app, script, "The script")

    @work
    async def _save(self, default_name: str, kind: str) -> None:
        target = await self.app.push_screen_wait(
            NameModal(f"Save the {kind} to", save_path_problem, initial=str(Path.cwd() / default_name))
        )
        if target is None:
            return
        path = Path(target).expanduser()
        if path.exists() and not await self.app.push_screen_wait(
            replace_file_modal(path)
        ):
            return
        try:
            text = self._script().text if kind == "script" else self._report(path)
            if text is None:
                return
            write_text_file(path, text, SCRIPT_ENCODING if kind == "script" else "utf-8")
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror or exc}", severity="error")
            return
        self.cmg.log_activity("automation", f"Saved the {kind} to {path}")
        self.notify(f"Saved the {kind} to {path}.")

    def _report(self, path: Path) -> str:
        from cmgtui.services.report import format_for, readiness_report

        return readiness_report(self.profile, format_for(path))

    def action_save_script(self) -> None:
        script = self._script()
        if script.text is not None:
            self._save(script.file_name, "script")

    def action_save_report(self) -> None:
        from cmgtui.services.report import report_file_name

        self._save(report_file_name(self.profile), "report")
