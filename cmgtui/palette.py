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
            commands += self._pane_actions(screen)
            commands.append(("Sign in or out (F3)", app.action_sign_in, "Microsoft Entra ID sign-in"))  # type: ignore[attr-defined]
            commands.append(("Profile: switch…", screen.action_switch_profile, "Close this profile and pick another"))
        return commands

    @staticmethod
    def _pane_actions(screen: object) -> list[tuple[str, Callable[[], object], str]]:
        """Actions that belong to a pane: the palette shows that pane, then runs them."""
        from cmgtui.screens.checklist import ChecklistPane
        from cmgtui.screens.main import MainScreen
        from cmgtui.screens.part4_gateway import GatewayPane

        assert isinstance(screen, MainScreen)

        def in_pane(entry: str, pane_type: type, action: str) -> Callable[[], object]:
            def run() -> None:
                screen.show_entry(entry)
                getattr(screen.query_one(pane_type), action)()
            return run

        return [
            ("Checklist: run live checks", in_pane("checklist", ChecklistPane, "action_live_checks"),
             "Your Entra roles, the Owner role and the subscription's regions"),
            ("Checklist: probe internet access", in_pane("checklist", ChecklistPane, "action_probe_internet"),
             "DNS, TCP 443 and TLS to the cloud's endpoints, from this machine"),
            ("Part 4: run pre-flight", in_pane("gateway", GatewayPane, "action_preflight"),
             "Every Part 4 rule, with live Azure checks when signed in"),
            ("Part 4: load subscriptions", in_pane("gateway", GatewayPane, "action_load_subscriptions"),
             "The subscriptions the signed-in account can see"),
        ]

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
