"""Panes are built when first shown or ahead while the user is idle, and the navigation always
names the pane on screen."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from textual import events
from textual.widgets import Checkbox, ContentSwitcher, OptionList, Static

from cmgtui.app import CmgApp
from cmgtui.domain.rules.checklist import CHECKLIST_ENTRIES
from cmgtui.model import AzureEnvironment, Profile
from cmgtui.panes.checklist import ChecklistItemBox, ChecklistPane, LaterItem
from cmgtui.screens.entries import NAV_ENTRIES
from cmgtui.screens.main import MainScreen
from cmgtui.store import ProfileStore
from cmgtui.widgets.base import Pane
from cmgtui.widgets.fields import FieldRow
from cmgtui.widgets.region import region_choices

from .conftest import current_entry, ready, screen_text, tab_to, until


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
        for built in range(2, 9):  # first what the shown checklist left until reached: an item a tick
            screen._build_ahead()
            app.last_input = time.monotonic()  # a key: nothing more is built ahead meanwhile
            await until(pilot, lambda built=built: len(screen.query(ChecklistItemBox)) == built)
            app.last_input = -7200.0
        assert screen.pane("glossary") is None and not screen.query(LaterItem)
        screen._build_ahead()  # then the nearest unvisited pane: glossary, hidden, under way
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


async def test_opening_a_profile_builds_the_first_item_and_shows_the_rest_as_heading_lines() -> None:
    """The items below the fold wait, each a heading line with its status, until reached:
    nothing is built behind the user's back while they type (no build ahead here)."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for _ in range(5):
            await pilot.pause()
        screen = app.screen
        assert [box.item.id for box in screen.query(ChecklistItemBox)] == ["environment"]
        later = list(screen.query(LaterItem))
        assert [str(item.content).split("  ")[0] for item in later] == [
            f"{number}. {entry.title}" for number, entry in enumerate(CHECKLIST_ENTRIES[1:], start=2)]
        screen.query_one("#checklist", Pane).scroll_end(animate=False, immediate=True)
        await until(pilot, lambda: len(screen.query(ChecklistItemBox)) == 8)


async def test_tab_into_an_item_below_the_fold_builds_it_and_lands_on_its_value_with_the_keys_typed() -> None:
    """Tab past item 1 reaches item 2's heading line: every waiting item is built in one go,
    the focus lands on item 2's region, and keys typed before it was built reach that field."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # into the checklist: item 1's environment
        await tab_to(pilot, lambda widget: isinstance(widget, Checkbox))  # item 1's confirmation
        assert len(app.screen.query(LaterItem)) == 7  # Tab's scroll to it built nothing
        driver = app._driver
        assert driver is not None
        # on to item 2 and, at once, open its list, move down one and choose: typed as one burst
        for key, character in (("tab", "\t"), ("enter", "\r"), ("down", None), ("enter", "\r")):
            typed = events.Key(key, character)
            typed.set_sender(app)
            driver.send_message(typed)
        await until(pilot, lambda: len(app.screen.query(ChecklistItemBox)) == 8 and not app.screen.query(LaterItem))
        await until(pilot, lambda: app.profile is not None and app.profile.region != "")
        row = next(node for node in app.focused.ancestors_with_self if isinstance(node, FieldRow))
        assert row.path == "region"
        assert app.profile.region in {name for _label, name in region_choices(app.profile)}


async def test_f4_finds_a_missing_value_in_an_item_not_built_yet() -> None:
    """F4 goes to the first value still needed, in an item below the fold too (built then)."""
    store = ProfileStore()
    store.create("plan")

    def item_one_done(profile: Profile) -> None:
        profile.environment = AzureEnvironment.PUBLIC
        profile.checklist.environment.note = "public cloud"
        profile.checklist.environment.confirmed = True

    store.update("plan", item_one_done)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # nothing is missing in item 1: the focus rests on the title
        assert len(app.screen.query(ChecklistItemBox)) == 1
        await pilot.press("f4")
        await until(pilot, lambda: not app.screen.query(LaterItem))
        row = next(node for node in app.focused.ancestors_with_self if isinstance(node, FieldRow))
        assert row.path == "region"


async def test_quitting_while_the_later_items_are_built_ends_cleanly() -> None:
    """Quitting as the items below the fold are being built ends the app without an error
    (an item mounting as the App closed once ended in a MountError traceback)."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one("#checklist", Pane)
        assert pane.build_rest()
        app.exit()
        for _ in range(5):
            await pilot.pause()
    # run_test re-raises the exception that ended the app, if one did


async def test_a_pause_builds_the_items_below_the_fold_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """While the user pauses each tick builds one item, so a key typed then waits for one item
    at most (all seven in one go held the loop for about 250 ms)."""
    monkeypatch.setattr(MainScreen, "BUILD_AHEAD_IDLE", 0.0)
    steps: list[int] = []
    build = ChecklistPane._build_later_items

    async def counted(pane: ChecklistPane, count: int | None) -> None:
        before = len(pane.query_children(ChecklistItemBox))
        await build(pane, count)
        steps.append(len(pane.query_children(ChecklistItemBox)) - before)

    monkeypatch.setattr(ChecklistPane, "_build_later_items", counted)
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: not app.screen.query(LaterItem))
    assert steps[:7] == [1] * 7, steps


async def test_reaching_an_item_while_a_pause_builds_another_builds_all_and_lands_there() -> None:
    """A click on item 4's heading line while a pause builds item 2: the rest are built too and
    the focus lands on item 4's value."""
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(ChecklistPane)
        assert pane.build_rest(step=True)
        app.screen.set_focus(app.screen.query_one("#later-entra_role"))  # what a click does
        await until(pilot, lambda: not pane.query_children(LaterItem) and not pane.building_rest)
        assert len(pane.query_children(ChecklistItemBox)) == 8
        row = next(node for node in app.focused.ancestors_with_self if isinstance(node, FieldRow))
        assert row.path == "entra.app_registrar_role"
