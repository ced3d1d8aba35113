"""Helpers for driving the real App with Textual's Pilot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import ContentSwitcher

from cmgtui.app import CmgApp
from cmgtui.screens.main import MainScreen


def current_entry(app: CmgApp) -> str | None:
    """Id of the pane the main screen shows."""
    assert isinstance(app.screen, MainScreen), f"expected the main screen, got {app.screen!r}"
    return app.screen.query_one("#content", ContentSwitcher).current


def screen_text(app: CmgApp) -> str:
    """The terminal screen as plain text lines: exactly what a user would read.

    Lays the screen out first, so a refresh still pending under load cannot leave it stale.
    """
    screen = app.screen
    screen._refresh_layout(screen.size)
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


@pytest.fixture
def sandbox_app() -> Iterator[CmgApp]:
    """The App as ``cmgtui --sandbox`` starts it."""
    yield CmgApp(initial_profile="sandbox", sandbox=True)


async def until(pilot, condition, tries: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Let the app process messages until ``condition()`` holds (bounded; no sleeping).

    Opening a profile and posting field edits happen a few message hops after a key press;
    under a loaded machine they may need more than one pause.
    """
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    assert condition(), "condition not reached"


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the main screen (or the picker, when no profile opens) is fully shown."""
    from cmgtui.screens.picker import ProfilePickerScreen

    def shown() -> bool:
        screen = pilot.app.screen
        if isinstance(screen, MainScreen):
            return bool(screen.is_mounted and screen.query_one("#content", ContentSwitcher).current)
        if isinstance(screen, ProfilePickerScreen) and screen.is_mounted:
            return pilot.app.initial_profile is None or bool(pilot.app._notifications)
        return False

    await until(pilot, shown)
    await pilot.pause()
