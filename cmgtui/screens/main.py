"""The main screen: header, navigation with status badges, the current pane, the next step.

The navigation list is the spine of the app. Moving through it with the arrow keys shows
each pane at once; Enter moves into the pane; Escape or F2 comes back. The entry in view is
stored in the profile, so reopening the profile returns to it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.domain import checks
from cmgtui.screens.entries import ENTRY_IDS, NAV_ENTRIES, entry_by_id
from cmgtui.screens.registry import build_panes
from cmgtui.widgets.badge import badge
from cmgtui.widgets.base import AppAccess, Pane
from cmgtui.widgets.header import AppHeader

NAV_LABEL_WIDTH = 24


def nav_badge(profile_status: str | None) -> Text:
    """The symbol shown after a navigation label."""
    return badge(profile_status, word=False) if profile_status else Text(" ")


class MainScreen(Screen[None], AppAccess):
    """Navigation on the left, the chosen pane on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,escape", "focus_nav", "Menu / cancel", id="nav_focus"),
        Binding("right_square_bracket", "step(1)", "Next part", id="nav_next", show=False),
        Binding("left_square_bracket", "step(-1)", "Previous part", id="nav_prev", show=False),
        Binding("ctrl+o", "switch_profile", "Profiles", id="profile_switch"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader(id="header")
        with Horizontal(id="body"):
            yield OptionList(id="nav")
            with ContentSwitcher(id="content", initial=self._initial_entry()):
                yield from build_panes()
        yield Static(id="next-step")
        yield Footer()

    def _initial_entry(self) -> str:
        last = self.profile.last_screen
        return last if last in ENTRY_IDS else "checklist"

    def on_mount(self) -> None:
        self.cmg.profile_changed.subscribe(self, self._profile_changed)
        nav = self.query_one("#nav", OptionList)
        self._fill_nav()
        nav.highlighted = [e.id for e in NAV_ENTRIES].index(self._initial_entry())
        nav.focus()
        self._show_next_step()

    def _profile_changed(self, _what: str) -> None:
        if self.cmg.profile is None:
            return
        self._fill_nav()
        self._show_next_step()

    def _fill_nav(self) -> None:
        """Create the navigation once, then only replace labels, so the highlight never moves."""
        nav = self.query_one("#nav", OptionList)
        results = checks.evaluate(self.profile)
        labels = []
        for entry in NAV_ENTRIES:
            status = checks.part_status(self.profile, entry.phase, results=results).state if entry.phase else None
            label = Text(f"{entry.label:<{NAV_LABEL_WIDTH}}")
            label.append_text(nav_badge(status))
            labels.append(label)
        if nav.option_count != len(NAV_ENTRIES):
            nav.set_options(Option(label, id=entry.id) for label, entry in zip(labels, NAV_ENTRIES, strict=True))
            return
        for index, label in enumerate(labels):
            nav.replace_option_prompt_at_index(index, label)

    def _show_next_step(self) -> None:
        self.query_one("#next-step", Static).update(Text.assemble(("Next: ", "bold"), checks.next_step(self.profile)))

    def show_entry(self, entry_id: str, focus_content: bool = False) -> None:
        """Switch the content to ``entry_id`` and remember it in the profile."""
        if self.cmg.profile is None:
            return
        entry = entry_by_id(entry_id)
        switcher = self.query_one("#content", ContentSwitcher)
        if switcher.current != entry.id:
            switcher.current = entry.id
            pane = self.query_one(f"#{entry.id}", Pane)
            pane.sync()
            pane.scroll_home(animate=False)
        nav = self.query_one("#nav", OptionList)
        index = [e.id for e in NAV_ENTRIES].index(entry.id)
        if nav.highlighted != index:
            nav.highlighted = index
        if self.profile.last_screen != entry.id and not self.cmg.read_only:
            self.cmg.edit("last_screen", entry.id)
        if focus_content:
            self.query_one(f"#{entry.id}", Pane).focus_first()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # A highlight event that is no longer the list's highlight (keys pressed faster than
        # events are handled) is stale: following it would show a pane the list no longer marks.
        if (event.option_list.id == "nav" and event.option.id
                and event.option_index == event.option_list.highlighted):
            self.show_entry(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "nav" and event.option.id:
            self.show_entry(event.option.id, focus_content=True)

    def action_focus_nav(self) -> None:
        """Escape cancels a running cloud job first; otherwise it returns to the navigation."""
        if self.cmg.cloud.cancel():
            self.notify("Cancelled the running cloud job.", severity="warning")
            return
        self.query_one("#nav", OptionList).focus()

    def action_step(self, delta: int) -> None:
        ids = [e.id for e in NAV_ENTRIES]
        current = self.query_one("#content", ContentSwitcher).current or ids[0]
        self.show_entry(ids[(ids.index(current) + delta) % len(ids)])

    def action_switch_profile(self) -> None:
        self.cmg.close_profile()
        self.dismiss()
