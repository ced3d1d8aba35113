"""The main screen: header, navigation with status badges, the current pane, the next step.

The navigation list is the spine of the app. Moving through it with the arrow keys shows
each pane at once; Enter moves into the pane; Escape or F2 comes back. The entry in view is
stored in the profile, so reopening the profile returns to it.

Only the shown pane is built at start-up. The others are built ahead, one at a time, while
the user has not touched the keyboard for :attr:`MainScreen.BUILD_AHEAD_IDLE` seconds (nearest
entries first), or when first shown if that comes sooner; a built pane is kept, so a later
visit costs a display switch. A pane may leave part of itself until the user reaches it (the
checklist's items below the fold); a pause builds that first, a part a tick. A keystroke never
waits for more than the one pane or part being built.
The navigation highlight and the shown pane are set together in :meth:`MainScreen.show_entry`,
so they never disagree.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from cmgtui.domain.rules import checks
from cmgtui.domain.rules.results import RuleResult
from cmgtui.messages import ProfileChange
from cmgtui.screens.entries import ENTRY_IDS, NAV_ENTRIES, entry_by_id
from cmgtui.screens.registry import build_pane
from cmgtui.widgets.badge import badge
from cmgtui.widgets.base import AppAccess, Pane, show_if_changed
from cmgtui.widgets.header import AppHeader
from cmgtui.widgets.key_bar import KeyBar

NAV_LABEL_WIDTH = 24


def nav_badge(profile_status: str | None) -> Text:
    """The symbol shown after a navigation label."""
    return badge(profile_status, word=False) if profile_status else Text(" ")


class NavList(OptionList):
    """The navigation list. Enter shows the highlighted entry and moves the focus into it while
    the key itself is handled (not one message later), so the next key, typed however quickly
    or on however loaded a machine, reaches that pane."""

    def action_select(self) -> None:
        highlighted = self.highlighted
        screen = self.screen
        if highlighted is None or not isinstance(screen, MainScreen):
            super().action_select()
            return
        option = self.get_option_at_index(highlighted)
        if option.id and not option.disabled:
            screen.show_entry(option.id, focus_content=True)


class MainScreen(Screen[None], AppAccess):
    """Navigation on the left, the chosen pane on the right."""

    # F2, ] [ and ctrl+o are in F1 help and the palette: the 80-column footer keeps its room for
    # the shown pane's keys, F1 and ctrl+q
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2,escape", "focus_nav", "Menu / cancel", id="nav_focus", show=False),
        # before a focused text box takes them as typing (a TextBox lets them through)
        Binding("right_square_bracket", "step(1)", "Next part", id="nav_next", show=False, priority=True),
        Binding("left_square_bracket", "step(-1)", "Previous part", id="nav_prev", show=False, priority=True),
        Binding("ctrl+o", "switch_profile", "Profiles", id="profile_switch", show=False),
    ]

    #: Seconds without input after which the next unvisited pane is built ahead (None: never).
    BUILD_AHEAD_IDLE: ClassVar[float | None] = 1.0
    #: How often the screen looks whether it may build a pane ahead, in seconds.
    BUILD_AHEAD_TICK: ClassVar[float] = 0.25
    #: At most this many keys typed ahead of a pane taking the focus are kept for it.
    TYPEAHEAD_LIMIT: ClassVar[int] = 32

    def __init__(self) -> None:
        super().__init__()
        self._panes: dict[str, Pane] = {}
        self._wanted = ""
        #: The entry whose pane takes the focus once it is shown ("" for none).
        self._focus_on_show: str | None = None
        self._building_ahead = False
        self._ahead_timer: Timer | None = None
        #: Keys typed after ] [ or Enter and before the pane they were meant for took the focus.
        self._typeahead: list[events.Key] = []

    def compose(self) -> ComposeResult:
        first = self._wanted = self._initial_entry()
        self._panes[first] = build_pane(first)
        yield AppHeader(id="header")
        with Horizontal(id="body"):
            yield NavList(id="nav")
            with ContentSwitcher(id="content", initial=first):
                yield self._panes[first]
        yield Static(id="next-step")
        yield KeyBar()

    def _initial_entry(self) -> str:
        last = self.profile.last_screen
        return last if last in ENTRY_IDS else "checklist"

    def on_mount(self) -> None:
        self.cmg.profile_changed.subscribe(self, self._profile_changed)
        nav = self.query_one("#nav", OptionList)
        results = self.cmg.rule_results()
        self._fill_nav(results)
        nav.highlighted = [e.id for e in NAV_ENTRIES].index(self._initial_entry())
        nav.focus()
        self._show_next_step(results)
        # after the frame that shows the pane drawn from the profile (its first sync runs
        # after the first refresh), start what this screen does not need
        self.call_after_refresh(self.call_after_refresh, self._first_frame_shown)

    def _first_frame_shown(self) -> None:
        """Let the App start its work (the sandbox), and only now look for panes to build ahead: on a
        loaded machine the idle time counted from the App's start could otherwise build one before
        the first frame."""
        self.cmg.main_screen_shown()
        if self.BUILD_AHEAD_IDLE is not None:
            self._ahead_timer = self.set_interval(self.BUILD_AHEAD_TICK, self._build_ahead)

    def _profile_changed(self, change: ProfileChange) -> None:
        if self.cmg.profile is None or change.activity_only:
            return
        self._fill_nav(change.results)
        self._show_next_step(change.results)

    def _fill_nav(self, results: list[RuleResult]) -> None:
        """Create the navigation once, then replace only labels that changed (the highlight stays)."""
        nav = self.query_one("#nav", OptionList)
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
            if nav.get_option_at_index(index).prompt != label:
                nav.replace_option_prompt_at_index(index, label)

    def _show_next_step(self, results: list[RuleResult]) -> None:
        step = Text.assemble(("Next: ", "bold"), checks.next_step(self.profile, results=results))
        show_if_changed(self.query_one("#next-step", Static), step)

    def pane(self, entry_id: str) -> Pane | None:
        """The pane built for ``entry_id``, or None while it has never been shown."""
        return self._panes.get(entry_id)

    def show_entry(self, entry_id: str, focus_content: bool = False) -> AwaitComplete:
        """Show ``entry_id`` (building its pane on first visit) and remember it in the profile.

        The navigation highlight moves in the same call, and a pane still being built is
        shown only if it is still the one asked for, so highlight and pane always agree.
        Await the result to act on the pane once it is mounted and drawn from the profile.
        """
        entry = entry_by_id(entry_id)
        self._wanted = entry.id
        nav = self.query_one("#nav", OptionList)
        index = [e.id for e in NAV_ENTRIES].index(entry.id)
        if nav.highlighted != index:
            nav.highlighted = index
        if self.cmg.profile is None:
            return AwaitComplete.nothing()
        if self._focus_on_show not in (None, entry.id):
            self._typeahead.clear()  # keys meant for a pane the user has moved past
        move_focus = focus_content or self._focus_in_other_pane(entry.id)
        pane = self.pane(entry.id)
        if pane is not None and pane.is_mounted:
            # shown and focused in one step: one focus change, one footer update, one frame
            self._focus_on_show = None
            self._switch_to(pane)
            if move_focus:
                self._land_focus(pane)
            self.cmg.remember_screen(entry.id)
            return AwaitComplete.nothing()
        if move_focus:
            # focus follows into the pane once it is built and shown; until then nothing holds
            # it, so no key reaches a pane that is about to be hidden (keys typed meanwhile wait)
            self._focus_on_show = entry.id
            self.set_focus(None)
        if pane is None:
            pane = self._panes[entry.id] = build_pane(entry.id)
            mounted = AwaitComplete(self._mount(pane))
        else:  # still being built (on a first visit or ahead): shown once it is mounted
            mounted = AwaitComplete(self._show_when_mounted(pane))
        self.cmg.remember_screen(entry.id)
        return mounted

    def _focus_in_other_pane(self, entry_id: str) -> bool:
        """Whether the focus is inside a pane other than ``entry_id``'s."""
        focused = self.focused
        return focused is not None and any(
            isinstance(node, Pane) and node.id != entry_id for node in focused.ancestors_with_self)

    def _settle_focus(self, pane: Pane) -> None:
        """Move focus into ``pane`` once it is shown, if showing it was to take the focus."""
        if self._focus_on_show != pane.id:
            return

        def focus() -> None:
            if self._focus_on_show == pane.id and self._lands_now(pane):
                self._land_focus(pane)

        self.call_after_refresh(focus)

    def _lands_now(self, pane: Pane) -> bool:
        """Whether ``pane`` is the entry asked for last, mounted and shown."""
        return self._wanted == pane.id and pane.is_mounted and pane.display

    def _land_focus(self, pane: Pane) -> None:
        """Put the focus into ``pane`` (unless it is there already), then hand it the keys
        typed while the focus was on its way, in the order they were typed."""
        self._focus_on_show = None
        focused = self.focused
        if focused is None or pane not in focused.ancestors_with_self:
            pane.focus_first()
        keys, self._typeahead = self._typeahead, []
        for key in keys:
            key.set_sender(self.app)  # as typed: the key bubbles back up to the App's bindings
        if keys:
            self.cmg.replay_keys(keys)  # ahead of any key typed since

    def on_key(self, event: events.Key) -> None:
        """A key typed after ] [ or Enter, before the pane took the focus, is meant for that pane.

        Nothing holds the focus in that moment, so without this the key would reach no pane
        (on a loaded machine the moment is long enough for a quick typist). The pane takes the
        focus now if it is shown, else the key waits for it. Keys the screen or the App bind
        (Escape, F1, ctrl+q...) act at once as always.
        """
        pending = self._focus_on_show
        if pending is None or self.focused is not None or event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        if len(self._typeahead) < self.TYPEAHEAD_LIMIT:
            self._typeahead.append(events.Key(event.key, event.character))
        pane = self.pane(pending)
        if pane is not None and self._lands_now(pane):
            self._land_focus(pane)

    async def _show_when_mounted(self, pane: Pane) -> None:
        await pane.mounted()
        if self._wanted == pane.id:
            self._switch_to(pane)

    def _build_ahead(self) -> None:
        """If the user has been idle long enough, build what the shown pane left out until
        reached, else the nearest unvisited pane (hidden), else what other panes left out."""
        idle = self.BUILD_AHEAD_IDLE
        if (self._building_ahead or idle is None or not self.is_current or self.cmg.profile is None
                or time.monotonic() - self.cmg.last_input < idle):
            return
        shown = self._panes.get(self._wanted)
        if shown is not None and shown.build_rest(step=True):  # the shown pane's own rest comes first
            return
        entry = self._nearest_unbuilt()
        if entry is None:
            if not any(pane.build_rest(step=True) for pane in self._panes.values()) and self._ahead_timer is not None:
                self._ahead_timer.stop()
            return
        self._building_ahead = True
        pane = self._panes[entry] = build_pane(entry)
        self.run_worker(self._mount_ahead(pane), group="build-ahead", description=f"build {entry}")

    async def _mount_ahead(self, pane: Pane) -> None:
        try:
            await self._mount(pane)
        finally:
            self._building_ahead = False

    def _nearest_unbuilt(self) -> str | None:
        """The unbuilt entry fewest ] or [ presses away from the one asked for last."""
        ids = [e.id for e in NAV_ENTRIES]
        here = ids.index(self._wanted) if self._wanted in ids else 0
        for distance in range(1, len(ids)):
            for step in (distance, -distance):
                entry = ids[(here + step) % len(ids)]
                if entry not in self._panes:
                    return entry
        return None

    async def _mount(self, pane: Pane) -> None:
        """Mount a new pane hidden, then show it if it is still the entry asked for."""
        await self.query_one("#content", ContentSwitcher).add_content(pane)
        if self._wanted == pane.id:
            self._switch_to(pane)

    def _switch_to(self, pane: Pane) -> None:
        switcher = self.query_one("#content", ContentSwitcher)
        if switcher.current != pane.id:
            switcher.current = pane.id
            pane.shown()
            pane.scroll_home(animate=False)
        self._settle_focus(pane)

    async def open_pane(self, entry_id: str) -> Pane:
        """Show ``entry_id`` and return its pane, mounted (for the palette and tests)."""
        await self.show_entry(entry_id, focus_content=True)
        pane = self.pane(entry_by_id(entry_id).id)
        assert pane is not None
        if self._focus_on_show == pane.id:  # now, so that the action run next may move it
            self._land_focus(pane)
        return pane

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
        self._focus_on_show = None
        self._typeahead.clear()
        self.query_one("#nav", OptionList).focus()

    def action_step(self, delta: int) -> None:
        """Step from the entry last asked for (a pane may still be building), so that quick
        presses of ] or [ each move one entry further."""
        ids = [e.id for e in NAV_ENTRIES]
        current = self._wanted or self.query_one("#content", ContentSwitcher).current or ids[0]
        self.show_entry(ids[(ids.index(current) + delta) % len(ids)], focus_content=True)

    @work(exclusive=True, group="switch-profile")
    async def action_switch_profile(self) -> None:
        """Go to the profile picker; when the profile cannot be saved, ask before leaving it unsaved."""
        from cmgtui.widgets.modals import ConfirmModal

        if not self.cmg.save_now() and not await self.app.push_screen_wait(ConfirmModal(
                f"Your latest changes could not be saved ({self.cmg.save_failure}). Switch profile anyway and "
                "lose them? Cancel keeps this profile open: free disk space or fix the folder's permissions, "
                "and they are saved.", yes_label="Switch without saving", danger=True)):
            return
        self.cmg.close_profile()
        self.cmg.show_picker()
