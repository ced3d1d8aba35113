"""Helpers for driving the real App with Textual's Pilot.

An App started with ``sandbox=True`` borrows the session's sandbox tenant (reset for the test)
instead of starting its own; tests that need no cloud use a signed-out app.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual import events
from textual.app import ScreenStackError
from textual.css.query import NoMatches
from textual.lazy import Lazy
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input

from cmgtui.app import CmgApp
from cmgtui.sandbox.server import SandboxServer
from cmgtui.screens.main import MainScreen
from cmgtui.store import ProfileStore
from tests.pilot_tuning import ui_settled


#: How long :func:`until` rests between checks, once the App has drawn all it had.
POLL_SECONDS = 0.01


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


class BorrowedSandbox:
    """The session's sandbox lent to one App: the App uses it as its own, and stopping it when
    the App ends leaves it running for the next test."""

    def __init__(self, server: SandboxServer) -> None:
        self._server = server

    def start(self) -> BorrowedSandbox:
        """Already serving: nothing to start."""
        return self

    def stop(self) -> None:
        """The session stops the sandbox, not the App."""

    def __enter__(self) -> BorrowedSandbox:
        """``with SandboxServer.from_environment() as server`` (``cmgtui check --sandbox``) borrows it too."""
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._server, name)


@pytest.fixture(autouse=True)
def lent_sandbox(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> SandboxServer:
    """Apps started with ``sandbox=True`` get the session's sandbox, reset for this test."""
    sandbox.reset()
    monkeypatch.setattr(SandboxServer, "from_environment",
                        classmethod(lambda cls, port=0: BorrowedSandbox(sandbox)))
    return sandbox


@pytest.fixture
def sandbox_app() -> Iterator[CmgApp]:
    """The App as ``cmgtui --sandbox`` starts it (signed in to the sandbox tenant)."""
    yield CmgApp(initial_profile="sandbox", sandbox=True)


@pytest.fixture
def signed_out_app() -> Iterator[CmgApp]:
    """The App on a new profile ``plan``, signed out: for tests that need no cloud."""
    ProfileStore().create("plan")
    yield CmgApp(initial_profile="plan")


async def until(pilot, condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app process messages until ``condition()`` holds, for at most ``timeout`` seconds.

    Opening a profile, posting field edits and cloud jobs end some message hops or sandbox
    answers after a key press; how many pauses that takes depends on the machine's load, so
    the bound is time, not a count of pauses.
    """
    deadline = time.monotonic() + timeout
    while not (_holds(condition) and _top_screen_built(pilot.app)):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not reached in {timeout:g} s")
        await pilot.pause()  # returns once the App has drawn all it had (tests/pilot_tuning.py)
        # what is still awaited comes from a thread (a cloud job, the sandbox serving it, a file
        # worker): a poll without a rest would keep it from the CPU
        await asyncio.sleep(POLL_SECONDS)


def _top_screen_built(app: CmgApp) -> bool:
    """Whether the screen on top has mounted its widgets: a dialog is on the screen stack (and
    ``isinstance(app.screen, ...)`` holds) before it has built anything to read."""
    try:
        return app.screen.is_mounted
    except ScreenStackError:  # no screen at all (the App has closed): nothing left to wait for
        return True


def _holds(condition: Callable[[], object]) -> bool:
    """Whether ``condition()`` is true; a widget it asks for that is not mounted yet is a no."""
    try:
        return bool(condition())
    except NoMatches:
        return False


def settled(app: CmgApp) -> bool:
    """Whether the App has finished what the last key started: no cloud job running, and
    everything it caused drawn (:func:`tests.pilot_tuning.ui_settled`)."""
    return not app.cloud.running() and ui_settled(app)


async def quiet(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the App is :func:`settled`, then let the frame it leaves be drawn."""
    await until(pilot, lambda: settled(pilot.app))
    await pilot.pause()


async def paste(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Put ``text`` into the focused input in one event, as a terminal delivers a paste.

    Pressing each character costs the App a full refresh per key; the field ends up with the
    same text and validates it the same way. Key handling itself is tested with real key
    presses elsewhere (short values, navigation, a real process in a terminal).
    """
    await pilot.pause()  # a focus() just asked for lands first, as before a key press
    focused = pilot.app.focused
    assert isinstance(focused, Input), f"expected an input to paste into, got {focused!r}"
    value = focused.value
    focused.post_message(events.Paste(text))
    await until(pilot, lambda: focused.value != value or not text)


async def tab_to(pilot, match: Callable[[Widget | None], bool], limit: int = 120) -> Widget:  # type: ignore[no-untyped-def]
    """Press Tab until the focused widget matches (as a user tabs through a form)."""
    app = pilot.app
    for _ in range(limit):
        if match(app.focused):
            await pilot.pause()
            return app.focused
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached the widget; focus is on {app.focused!r}")


async def read_through(pilot, pane_id: str = "checklist") -> None:  # type: ignore[no-untyped-def]
    """Scroll a pane to its end and back to its top, as a user reading it with the mouse wheel
    does: the checklist builds its items below the fold once scrolled."""
    from cmgtui.panes.checklist import LaterItem
    from cmgtui.widgets.base import Pane

    pane = pilot.app.screen.query_one(f"#{pane_id}", Pane)
    pane.scroll_end(animate=False, immediate=True)
    await until(pilot, lambda: not pane.query_children(LaterItem) and not pane.building_rest)
    pane.scroll_home(animate=False, immediate=True)
    await pilot.pause()


async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the main screen (or the picker, when no profile opens) is fully shown: on the
    main screen, with every part of the shown pane that is built after its first frame."""
    from cmgtui.screens.picker import ProfilePickerScreen

    def shown() -> bool:
        screen = pilot.app.screen
        if isinstance(screen, MainScreen):
            return bool(screen.is_mounted and screen.query_one("#content", ContentSwitcher).current
                        and not screen.query(Lazy))
        if isinstance(screen, ProfilePickerScreen) and screen.is_mounted:
            return pilot.app.initial_profile is None or bool(pilot.app._notifications)
        return False

    await until(pilot, shown)
    await pilot.pause()
