"""The bottom line: the keys that act now, each with what it does.

Textual's ``Footer`` builds one widget per key and rebuilds them all whenever the focus moves,
which is about half of what a pane switch costs (a mount, a style pass and a layout for every
key, on every ``]``). This bar is one widget that redraws one line of text when the bindings
change: the same keys (those the screen's focus chain binds with ``show=True``, one per
action), a space between a key and its description so the line reads without colour too, and
only whole entries: when the terminal is too narrow for all of them, Sign in gives way first,
then pane keys from the right; Help and Quit stay. A click on an entry presses its key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

#: Actions whose entry stays when the line is too narrow for every entry.
KEPT_ACTIONS = frozenset({"quit", "help", "app.quit", "app.help"})
#: Spaces between two entries when the line has room for them.
WIDE_GAP = 2


class Entry(NamedTuple):
    """One key on the bar."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    #: Bound by the App (F1, F3, ctrl+q) rather than by the pane or screen.
    app_level: bool


class KeyBar(Widget, can_focus=False):
    """One line of the keys that act now; redrawn, never rebuilt, when they change."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyBar > .key-bar--disabled {
        color: $footer-foreground 50%;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--disabled"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: (first column, column after, entry) of each entry drawn, for clicks.
        self._spans: list[tuple[int, int, Entry]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    def entries(self) -> list[Entry]:
        """The keys to show now, in the order the focus chain gives them, one per action."""
        seen: set[str] = set()
        found = []
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            found.append(Entry(binding.key, self.app.get_key_display(binding), binding.description,
                               binding.action, enabled, node is self.app))
        return found

    def _fitting(self, entries: list[Entry], width: int) -> tuple[list[Entry], int]:
        """The entries to draw and the spaces between them: every entry two spaces apart when
        that fits ``width``, else one space apart; else whole entries give way (app keys such
        as Sign in before pane keys, pane keys from the right), Help and Quit last of all."""
        shown = list(entries)

        def length(gap: int) -> int:
            return sum(len(e.display) + 1 + len(e.description) for e in shown) + gap * max(len(shown) - 1, 0)

        if length(WIDE_GAP) + 1 <= width:
            return shown, WIDE_GAP
        while shown and length(1) > width:
            droppable = [e for e in shown if e.action not in KEPT_ACTIONS]
            app_keys = [e for e in droppable if e.app_level]
            shown.remove((app_keys or droppable or shown)[-1])
        return shown, 1

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        disabled_style = self.get_component_rich_style("key-bar--disabled")
        entries, gap = self._fitting(self.entries(), self.size.width)
        line = Text(" " if gap == WIDE_GAP else "", no_wrap=True, overflow="crop", end="")
        self._spans = []
        for index, entry in enumerate(entries):
            if index:
                line.append(" " * gap)
            start = len(line)
            # the space goes with the key: a run of text that starts with a space is drawn
            # shifted by some SVG renderers (the screenshots)
            line.append(entry.display + " ", key_style if entry.enabled else disabled_style)
            line.append(entry.description, None if entry.enabled else disabled_style)
            self._spans.append((start, len(line), entry))
        return line

    def on_click(self, event: events.Click) -> None:
        """A click on an entry presses its key (a disabled one rings the bell)."""
        for start, end, entry in self._spans:
            if start <= event.x < end:
                if entry.enabled:
                    self.app.simulate_key(entry.key.split(",")[0])
                else:
                    self.app.bell()
                return
