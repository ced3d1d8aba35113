"""Command palette provider: context actions for the open profile.

Offers "Go to" every navigation entry, glossary look-ups, profile switching and help. The
palette is how a user reaches anything without remembering its key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from cmgtui.screens.main import MainScreen
    from cmgtui.widgets.base import CmgHost


class CmgCommands(Provider):
    """Commands that depend on what is open right now."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        # loaded when the palette opens, so that the picker's first frame does not pay for them
        from cmgtui.domain.glossary import glossary
        from cmgtui.screens.entries import NAV_ENTRIES
        from cmgtui.screens.main import MainScreen

        app = cast("CmgHost", self.app)
        screen = self.screen  # the screen the palette was opened over
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Help: show every key", app.action_help, "List all key bindings"),
        ]
        if isinstance(screen, MainScreen):
            for entry in NAV_ENTRIES:
                commands.append((f"Go to: {entry.label}", partial(screen.show_entry, entry.id, True),
                                 f"Show the {entry.label} pane"))
            for item in glossary(screen.profile):
                commands.append((f"Glossary: look up {item.term}", partial(self._look_up, screen, item.term),
                                 item.value))
            commands += self._pane_actions(screen)
            commands.append(("Sign in or out (F3)", app.action_sign_in, "Microsoft Entra ID sign-in"))
            commands.append(("Profile: switch…", screen.action_switch_profile, "Close this profile and pick another"))
        return commands

    @staticmethod
    def _pane_actions(screen: MainScreen) -> list[tuple[str, Callable[[], object], str]]:
        """Actions that belong to a pane: the palette shows that pane (building it if needed),
        then runs them."""

        def in_pane(entry: str, action: str) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                pane = await screen.open_pane(entry)
                getattr(pane, action)()
            return run

        return [
            ("Checklist: run live checks", in_pane("checklist", "action_live_checks"),
             "Your Entra roles, the Owner role and the subscription's regions"),
            ("Checklist: probe internet access", in_pane("checklist", "action_probe_internet"),
             "DNS, TCP 443 and TLS to the cloud's endpoints, from this machine"),
            ("Part 4: run pre-flight", in_pane("gateway", "action_preflight"),
             "Every Part 4 rule, with live Azure checks when signed in"),
            ("Part 4: load subscriptions", in_pane("gateway", "action_load_subscriptions"),
             "The subscriptions the signed-in account can see"),
            ("Health: check the CMG now", in_pane("health", "action_refresh_health"),
             "The deployed CMG's Azure resources, service name and expiry dates"),
        ]

    @staticmethod
    async def _look_up(screen: MainScreen, term: str) -> None:
        from cmgtui.panes.glossary import GlossaryPane  # the pane's module loads with the pane, not before

        pane = await screen.open_pane("glossary")
        assert isinstance(pane, GlossaryPane)
        pane.look_up(term)

    async def discover(self) -> Hits:
        from cmgtui.domain.display_text import markup_text

        for name, callback, help_text in self._commands():
            yield DiscoveryHit(markup_text(name), callback, text=name, help=markup_text(help_text))

    async def search(self, query: str) -> Hits:
        """Hits whose name matches ``query``; names and help carry profile values (app names,
        paths), so both enter the palette's markup escaped."""
        from cmgtui.domain.display_text import markup_text

        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(markup_text(name)), callback, text=name,
                          help=markup_text(help_text))
