"""The profile picker: new, open, duplicate, rename and delete profiles.

Profiles are listed most recently used first; a damaged file is listed with the reason it
can't be opened (read through the store's checked reading, so a FIFO, a device or a huge
file never blocks the list). Every name is validated before any file is touched, so no name
can reach outside the profiles folder.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cmgtui import paths
from cmgtui.domain.azure.locations import display_region, environment_label
from cmgtui.domain.display_text import visible
from cmgtui.profile_file import StoreError, read_profile_summary
from cmgtui.store import ProfileInfo
from cmgtui.widgets.base import AppAccess
from cmgtui.widgets.key_bar import KeyBar
from cmgtui.widgets.modals import ConfirmModal, NameModal


def _name_problem(name: str) -> str | None:
    try:
        paths.validate_profile_name(name)
    except paths.InvalidProfileName as exc:
        return str(exc)
    return None


class ProfilePickerScreen(Screen[None], AppAccess):
    """Choose or manage the profile to work on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="profile_new"),
        Binding("enter", "open", "Open", id="profile_open", show=True),
        Binding("c", "duplicate", "Duplicate", id="profile_duplicate"),
        Binding("r", "rename", "Rename", id="profile_rename"),
        Binding("delete,x", "delete", "Delete", id="profile_delete"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static("cmgtui · cloud management gateway setup", id="picker-title")
            yield Static(
                "Choose a profile: one profile is one CMG plan, saved as you go. "
                "Enter opens the highlighted one.",
                id="picker-help",
            )
            yield OptionList(id="profiles")
            yield Static("", id="picker-empty")
            yield Static(Text(f"Profiles are kept in {visible(paths.profiles_dir())}"), id="picker-where")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        """List the profiles whenever the picker comes on screen: first shown (Textual resumes a
        screen it pushes, after mounting it) and back from a profile."""
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Re-read the profiles folder and refill the list."""
        infos = self.cmg.store.list()
        options = self.query_one("#profiles", OptionList)
        options.clear_options()
        for info in infos:
            options.add_option(Option(self._describe(info), id=info.name))
        empty = self.query_one("#picker-empty", Static)
        empty.update("" if infos else "No profiles yet. Press n to make one.")
        if infos:
            index = next((i for i, info in enumerate(infos) if info.name == select), 0)
            options.highlighted = index
        options.focus()

    def _describe(self, info: ProfileInfo) -> Text:
        """One list line: name, what the plan is about, when it was last changed."""
        stamp = info.modified.astimezone().strftime("%Y-%m-%d %H:%M")
        line = Text(info.name, style="bold")
        try:
            profile = read_profile_summary(info.path)
        except StoreError as exc:
            line.append(f"  damaged: {visible(exc)}", style="red")
        else:
            about = " · ".join(
                part for part in (
                    environment_label(profile.environment) if profile.environment else "",
                    display_region(profile),
                    profile.certificate.service_name,
                ) if part
            )
            line.append(f"  {visible(about) or 'new plan'}", style="")
        line.append(f"  {stamp}", style="dim")
        return line

    @property
    def selected(self) -> str | None:
        """Name of the highlighted profile."""
        options = self.query_one("#profiles", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return options.get_option_at_index(options.highlighted).id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"open", "duplicate", "rename", "delete"} and self.is_mounted:
            return self.selected is not None
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()

    def action_open(self) -> None:
        if self.selected:
            self.cmg.open_profile(self.selected)

    @work
    async def action_new(self) -> None:
        name = await self.app.push_screen_wait(NameModal("Name of the new profile", _name_problem))
        if name is None:
            return
        try:
            self.cmg.store.create(name)
        except (StoreError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload(select=name)
        self.cmg.open_profile(name)

    @work
    async def action_duplicate(self) -> None:
        source = self.selected
        if source is None:
            return
        name = await self.app.push_screen_wait(
            NameModal(f"Duplicate '{source}' as", _name_problem, initial=f"{source} copy")
        )
        if name is None:
            return
        try:
            self.cmg.store.duplicate(source, name)
        except (StoreError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload(select=name)

    @work
    async def action_rename(self) -> None:
        old = self.selected
        if old is None:
            return
        name = await self.app.push_screen_wait(NameModal(f"Rename '{old}' to", _name_problem, initial=old))
        if name is None or name == old:
            return
        try:
            self.cmg.store.rename(old, name)
        except (StoreError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload(select=name)

    @work
    async def action_delete(self) -> None:
        name = self.selected
        if name is None:
            return
        confirmed = await self.app.push_screen_wait(
            ConfirmModal(
                f"Delete profile '{name}', its activity log and its journal of cloud operations? Nothing "
                "in Azure or Microsoft Entra ID is deleted. This cannot be undone.",
                yes_label="Delete",
                danger=True,
            )
        )
        if not confirmed:
            return
        try:
            self.cmg.store.delete(name)
        except (StoreError, OSError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Deleted profile '{name}'.")
        self.reload()
