"""Command palette provider: context actions for the open profile.

Offers "Go to" every navigation entry, glossary look-ups, profile switching and help. The
palette is how a user reaches anything without remembering its key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider



class CmgCommands(Provider):
    """Commands that depend on what is open right now."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from cmgtui.domain.glossary import glossary
        from cmgtui.screens.entries import NAV_ENTRIES
        from cmgtui.screens.main import MainScreen

        app = self.app
        screen = self.screen  # the screen the palette was opened over
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Help: show every key", app.action_help, "List all key bindings"),  # type: ignore[attr-defined]
        ]
        if isinstance(screen, MainScreen):
            for entry in NAV_ENTRIES:
                commands.append((f"Go to: {entry.label}", partial(screen.show_entry, entry.id, True),
                                 f"Show the {entry.label} pane"))
            for item in glossary(screen.profile):
                commands.append((f"Glossary: look up {item.term}", partial(self._look_up, screen, item.term),
                                 item.value))
            commands.append(("Profile: switch…", screen.action_switch_profile, "Close this profile and pick another"))
        return commands

    @staticmethod
    def _look_up(screen: object, term: str) -> None:
        from cmgtui.screens.glossary import GlossaryPane
        from cmgtui.screens.main import MainScreen

        assert isinstance(screen, MainScreen)
        screen.show_entry("glossary")
        screen.query_one(GlossaryPane).look_up(term)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
