"""Panes are built when first shown or ahead while the user is idle, and the navigation always
names the pane on screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from textual.widgets import ContentSwitcher, OptionList, Static

from cmgtui.app import CmgApp
from cmgtui.panes.checklist import ChecklistItemBox
from cmgtui.screens.entries import NAV_ENTRIES
from cmgtui.screens.main import MainScreen
from cmgtui.store import ProfileStore
from cmgtui.widgets.base import Pane

from .conftest import current_entry, ready, screen_text, until


def _built(app: CmgApp) -> list[str]:
    return [pane.id or "" for pane in app.screen.query_one("#content", ContentSwitcher).query_children(Pane)]


def _highlighted(app: CmgApp) -> str:
    nav = app.screen.query_one("#nav", OptionList)
    assert nav.highlighted is not None
    return NAV_ENTRIES[nav.highlighted].id


async def test_only_the_shown_pane_exists_at_start_and_others_are_built_on_first_visit() -> None:
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert _built(app) == ["checklist"]
        await pilot.press("]")
        await until(pilot, lambda: current_entry(app) == "glossary")
        assert _built(app) == ["checklist", "glossary"]
        assert _highlighted(app) == "glossary"
        await until(pilot, lambda: "Glossary" in screen_text(app))
        await pilot.press("[")
        await until(pilot, lambda: current_entry(app) == "checklist")
        assert _built(app) == ["checklist", "glossary"], "a revisit reuses the pane"


#: Where the panes are built ahead from the checklist: the next entry, then the previous (the
#: list wraps around), then two away, and so on.
AHEAD_FROM_CHECKLIST = ["checklist", "glossary", "activity", "certificate", "health", "entra", "day_two",
                        "client_auth", "logs", "gateway", "automation", "clients"]


async def test_idle_builds_the_other_panes_ahead_nearest_first_and_moves_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "BUILD_AHEAD_IDLE", 0.0)
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: len(_built(app)) == len(NAV_ENTRIES))
        assert _built(app) == AHEAD_FROM_CHECKLIST
        assert current_entry(app) == _highlighted(app) == "checklist"
        assert app.focused is app.screen.query_one("#nav")
        assert "Pre-setup checklist" in screen_text(app)
        # a pane built ahead and changed while hidden shows the change when it is first shown
        app.edit("certificate.service_name", "GraniteFalls.contoso.com")
        await pilot.press("]", "]")
        await until(pilot, lambda: current_entry(app) == "certificate")
        await until(pilot, lambda: "GraniteFalls.contoso.com" in screen_text(app))
        assert _built(app) == AHEAD_FROM_CHECKLIST, "no pane was built twice"


async def test_no_pane_is_built_ahead_while_the_user_is_at_the_keyboard(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "BUILD_AHEAD_IDLE", 3600.0)  # nothing ahead while starting
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.last_input = time.monotonic() + 3600  # as if a key were pressed all the time
        monkeypatch.setattr(MainScreen, "BUILD_AHEAD_IDLE", 0.5)
        await pilot.pause(4 * MainScreen.BUILD_AHEAD_TICK)
        assert _built(app) == ["checklist"]
        pressed = time.monotonic()
        await pilot.press("x")  # a key press counts as input, as the user's own does
        assert pressed <= app.last_input <= time.monotonic()
        app.last_input = 0.0  # idle since long ago
        await until(pilot, lambda: len(_built(app)) > 1)
        assert _built(app)[1] == "glossary"


async def test_a_pane_asked_for_while_it_is_built_ahead_is_shown_when_mounted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MainScreen, "BUILD_AHEAD_IDLE", 3600.0)
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        app.last_input = -7200.0  # idle for two hours: the next tick may build ahead
        screen._build_ahead()  # glossary, hidden, under way
        glossary = screen.pane("glossary")
        assert glossary is not None and not glossary.is_mounted
        await screen.show_entry("glossary")
        assert current_entry(app) == _highlighted(app) == "glossary"
        await until(pilot, lambda: "Glossary" in screen_text(app))


async def test_fast_steps_never_leave_highlight_and_pane_apart() -> None:
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press(*"]]]]]")  # five first visits, faster than the panes mount
        await until(pilot, lambda: current_entry(app) == NAV_ENTRIES[5].id)
        for _ in range(5):
            await pilot.pause()
        assert current_entry(app) == _highlighted(app) == NAV_ENTRIES[5].id
        assert isinstance(app.screen, MainScreen)
        assert len(_built(app)) == 6 == len(set(_built(app)))


async def test_reopening_returns_to_the_last_pane_and_builds_only_it() -> None:
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for _ in range(4):
            await pilot.press("]")
        await until(pilot, lambda: current_entry(app) == "client_auth")
        await pilot.press("ctrl+q")  # quitting saves the entry in view
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert current_entry(app) == _highlighted(app) == "client_auth"
        assert _built(app) == ["client_auth"]


def test_opening_a_profile_imports_no_other_pane_module() -> None:
    code = textwrap.dedent("""
        import asyncio, os, sys, tempfile
        os.environ["CMGTUI_HOME"] = tempfile.mkdtemp()
        import time
        from cmgtui.app import CmgApp
        from cmgtui.screens.main import MainScreen
        from cmgtui.store import ProfileStore
        ProfileStore().create("plan")
        # Building ahead (after a second without input) is the other panes' way in; this test is
        # about opening the profile, and on a loaded machine the open alone can take that second.
        MainScreen.BUILD_AHEAD_IDLE = None

        async def main():
            app = CmgApp(initial_profile="plan")
            async with app.run_test(size=(80, 24)) as pilot:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    await pilot.pause()
                    if type(app.screen).__name__ == "MainScreen" and app.screen.query("ChecklistPane"):
                        break
                print(" ".join(sorted(m for m in sys.modules if m.startswith("cmgtui.panes."))))
        asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = set(done.stdout.split())
    assert "cmgtui.panes.checklist" in loaded
    others = {"glossary", "certificate", "entra", "client_auth", "gateway", "clients", "automation", "activity",
              "logs", "day_two", "health"}
    assert not {m for m in loaded if m.split(".")[2] in others}, loaded


async def test_steps_that_arrive_together_each_move_one_entry() -> None:
    """In a terminal, ']]]' typed quickly arrives before the first new pane is built: each
    step counts from the entry last asked for, not from the pane still on screen."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        for _ in range(3):  # no pause between them: no pane has mounted yet
            screen.action_step(1)
        await until(pilot, lambda: current_entry(app) == NAV_ENTRIES[3].id)
        for _ in range(5):
            await pilot.pause()
        assert current_entry(app) == _highlighted(app) == NAV_ENTRIES[3].id



async def test_the_first_frame_of_a_pane_already_shows_it_drawn_from_the_profile() -> None:
    """No frame shows the checklist empty: its summary is there in the first frame written."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    summaries: list[str] = []
    write_frame = app._display

    def display(screen, update) -> None:  # type: ignore[no-untyped-def]
        if isinstance(screen, MainScreen) and not summaries:
            summaries.append(str(screen.query_one("#checklist-summary", Static).content))
        write_frame(screen, update)

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
    assert summaries and summaries[0].startswith("0 of 8 items done."), summaries


async def test_quitting_at_the_first_frame_drops_the_items_still_to_mount_without_an_error() -> None:
    """The checklist's items below the fold mount after the first frame; quitting before they
    do ends the app cleanly (it used to end in a MountError traceback)."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    waiting: list[int] = []
    write_frame = app._display

    def display(screen, update) -> None:  # type: ignore[no-untyped-def]
        write_frame(screen, update)
        if isinstance(screen, MainScreen) and not waiting:
            waiting.append(8 - len(screen.query(ChecklistItemBox)))
            app.exit()

    app._display = display  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(20):
            await pilot.pause()
    # run_test re-raises the exception that ended the app, if one did
    assert waiting and waiting[0] > 0, "the test needs items that were still to mount"


async def test_the_items_below_the_fold_mount_one_after_another(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each later item mounts once the one before it is in place, after a refresh: mounted
    together (Textual's ``Lazy``) they held the loop for about 440 ms after the first frame,
    and a key typed then waited for all of them."""
    from cmgtui.panes.checklist import LaterItem

    boxes_before: list[int] = []
    mount_box = LaterItem._mount_box

    async def counted(item: LaterItem) -> None:
        boxes_before.append(len(item.screen.query(ChecklistItemBox)))
        await mount_box(item)

    monkeypatch.setattr(LaterItem, "_mount_box", counted)
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert len(app.screen.query(ChecklistItemBox)) == 8
    assert boxes_before == [1, 2, 3, 4, 5, 6, 7], "each item starts once the items before it are mounted"
