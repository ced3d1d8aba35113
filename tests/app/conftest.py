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

    Lays the screen out first if a refresh is still pending, so the text is never empty.
    """
    screen = app.screen
    if not screen._compositor.render_strips():
        screen._refresh_layout(screen.size)
    return "\n".join(strip.text for strip in screen._compositor.render_strips())


@pytest.fixture
def sandbox_app() -> Iterator[CmgApp]:
    """The App as ``cmgtui --sandbox`` starts it."""
    yield CmgApp(initial_profile="sandbox", sandbox=True)
