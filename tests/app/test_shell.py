"""The App shell driven by keyboard alone: start, navigate, edit, quit, reopen."""

from __future__ import annotations

import re

from textual.widgets import Input

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.model import AzureEnvironment
from cmgtui.screens.entries import NAV_ENTRIES
from cmgtui.screens.main import MainScreen
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.store import ProfileStore
from cmgtui.widgets.header import AppHeader

from .conftest import current_entry, ready, screen_text, tab_to, until

SIZE = (100, 30)


async def test_sandbox_flag_creates_the_sandbox_profile_and_lands_on_main(sandbox_app: CmgApp) -> None:
    async with sandbox_app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(sandbox_app.screen, MainScreen)
        assert sandbox_app.profile is not None and sandbox_app.profile.name == "sandbox"
        await until(pilot, lambda: "sandbox" in str(sandbox_app.screen.query_one(AppHeader).render()))
    assert paths.profile_file("sandbox").exists()


async def test_keyboard_reaches_every_navigation_entry(signed_out_app: CmgApp) -> None:
    async with signed_out_app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        seen = [current_entry(signed_out_app)]
        for _ in NAV_ENTRIES[1:]:
            await pilot.press("down")
            seen.append(current_entry(signed_out_app))
        assert seen == [entry.id for entry in NAV_ENTRIES]
        text = screen_text(signed_out_app)
        assert "Activity" in text
        await pilot.press("right_square_bracket")
        assert current_entry(signed_out_app) == "checklist"
        await pilot.press("left_square_bracket")
        assert current_entry(signed_out_app) == "activity"


async def test_each_part_pane_says_what_it_is_without_fake_controls(signed_out_app: CmgApp) -> None:
    async with signed_out_app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("down", "down")
        assert current_entry(signed_out_app) == "certificate"
        text = screen_text(signed_out_app)
        assert "Part 1 · Server authentication certificate" in text
        assert "Checklist items that feed this part" in text


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_checklist_edits_by_keyboard_survive_quit_and_reopen() -> None:
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_entry(app) == "checklist"
        await pilot.press("enter")  # into the checklist: its first unfinished field, the environment
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert app.profile is not None
        assert app.profile.environment is AzureEnvironment.US_GOVERNMENT
        # the peak clients field is in item 3, below the fold: Tab reaches it (and builds it)
        await tab_to(pilot, lambda widget: widget is not None and any(
            getattr(node, "path", None) == "gateway.peak_concurrent_clients" for node in widget.ancestors))
        await _type(pilot, "12000")
        await until(pilot, lambda: app.profile is not None and app.profile.gateway.peak_concurrent_clients == 12000)
        assert app.profile.gateway.peak_concurrent_clients == 12000
        await tab_to(pilot, lambda widget: widget is not None and widget.id == "use-recommended")
        assert "Recommended: 2 VM instance(s)." in screen_text(app)  # just above the button
        await pilot.press("escape", "down", "down")  # leave the form, move to 1 Certificate
        assert current_entry(app) == "certificate"
        await pilot.press("ctrl+q")
    reopened = CmgApp(initial_profile="plan")
    async with reopened.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_entry(reopened) == "certificate"
        assert reopened.profile is not None
        assert reopened.profile.environment is AzureEnvironment.US_GOVERNMENT
        assert reopened.profile.gateway.peak_concurrent_clients == 12000


async def test_invalid_input_is_shown_and_kept_as_a_draft() -> None:
    ProfileStore().create("drafty")
    app = CmgApp(initial_profile="drafty")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # into the checklist; item 3 is below the fold: Tab reaches it
        field = await tab_to(pilot, lambda widget: widget is not None and any(
            getattr(node, "path", None) == "gateway.vm_instances" for node in widget.ancestors))
        assert isinstance(field, Input)
        await pilot.press("backspace")
        await _type(pilot, "two")  # a number field refuses letters
        await pilot.pause()
        assert field.value == ""
        # a value it can't hold still arrives (a profile written by hand): it is kept as a draft
        await pilot.press("escape")
        app.edit("gateway.vm_instances", "two", "two")
        await until(pilot, lambda: app.profile is not None and "gateway.vm_instances" in app.profile.drafts)
        await until(pilot, lambda: field.value == "two")
        assert app.profile is not None
        assert app.profile.drafts["gateway.vm_instances"] == "two"
        error = app.screen.query_one("#item-vm_instances IntField:last-of-type .field-error")
        await pilot.pause()
        error.scroll_visible(animate=False)
        await pilot.pause()
        # One wording (issue 12.1): the field says what the rule and the checklist heading say.
        wording = "'two' isn't a whole number; enter one from 1 to 16."
        assert wording in screen_text(app)
        assert wording in str(app.screen.query_one("#heading-vm_instances").render())
        await pilot.press("ctrl+q")
    saved = ProfileStore().load("drafty")
    assert saved.drafts["gateway.vm_instances"] == "two"
    again = CmgApp(initial_profile="drafty")
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        field = await tab_to(pilot, lambda widget: widget is not None and any(
            getattr(node, "path", None) == "gateway.vm_instances" for node in widget.ancestors))
        assert isinstance(field, Input) and field.value == "two"


async def test_second_session_is_read_only_with_a_banner() -> None:
    store = ProfileStore()
    store.create("shared")
    holder = store.open("shared")
    try:
        app = CmgApp(initial_profile="shared")
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert app.read_only
            await until(pilot, lambda: "READ-ONLY" in str(app.screen.query_one(AppHeader).render()))
            app.edit("region", "westus")
            assert app.profile is not None and app.profile.region == ""
            await pilot.press("ctrl+q")
    finally:
        holder.close()
    assert ProfileStore().load("shared").region == ""


async def test_damaged_profile_is_reported_and_left_alone() -> None:
    path = paths.profile_file("broken")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json")
    app = CmgApp(initial_profile="broken")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ProfilePickerScreen)
        notes = [n.message for n in app._notifications]
        assert any("could not be opened" in note and "quarantine" in note for note in notes)
    assert path.read_text() == "{ this is not json"


async def test_picker_creates_renames_and_deletes_by_keyboard() -> None:
    app = CmgApp()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "No profiles yet" in screen_text(app)
        await pilot.press("n")
        await _type(pilot, "../escape")
        await pilot.pause()
        assert "Use 1-64 letters" in screen_text(app)
        for _ in range(len("../escape")):
            await pilot.press("backspace")
        await _type(pilot, "contoso")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ProfilePickerScreen)
        await pilot.press("r")
        for _ in range(len("contoso")):
            await pilot.press("backspace")
        await _type(pilot, "fabrikam")
        await pilot.press("enter")
        await pilot.pause()
        assert [i.name for i in app.store.list()] == ["fabrikam"]
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")  # cancel keeps it
        await pilot.pause()
        assert app.store.exists("fabrikam")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.list() == []


def _binding_ids_of_the_ui() -> dict[str, str]:
    """Every binding id declared by a class of cmgtui's UI (App, screens, panes, widgets),
    mapped to the class that declares it."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import cmgtui.panes
    import cmgtui.screens
    import cmgtui.widgets

    modules = [importlib.import_module("cmgtui.app")]
    for package in (cmgtui.screens, cmgtui.panes, cmgtui.widgets):
        modules += [importlib.import_module(info.name)
                    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
    ids: dict[str, str] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and "BINDINGS" in vars(value):
                for binding in vars(value)["BINDINGS"]:
                    if isinstance(binding, Binding) and binding.id:
                        ids[binding.id] = value.__qualname__
    return ids


async def test_help_lists_every_binding_and_honours_the_keymap(cmgtui_home) -> None:  # type: ignore[no-untyped-def]
    cmgtui_home.mkdir(parents=True, exist_ok=True)
    (cmgtui_home / "config.toml").write_text('[keymap]\nnav_next = "ctrl+n"\n')
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    ids = _binding_ids_of_the_ui()
    assert {"nav_next", "part4_preflight", "checklist_live", "script_save", "file_picker_up"} <= set(ids)
    async with app.run_test(size=(120, 150)) as pilot:  # tall enough for the whole key table
        await ready(pilot)
        await pilot.press("ctrl+n")
        assert current_entry(app) == "glossary"
        await pilot.press("f1")
        await until(pilot, lambda: "Keys" in screen_text(app))
        lines = screen_text(app).splitlines()
        missing = {binding_id: owner for binding_id, owner in ids.items()
                   if not any(f"id: {binding_id} " in f"{line} " for line in lines)}
        assert missing == {}, f"bindings missing from the help screen: {missing}"
        # keys as a user types them, not Textual's names for them
        shown = "\n".join(lines)
        assert "question_mark" not in shown and "square_bracket" not in shown
        assert "f1 / ?" in shown
        nav_prev = next(i for i, line in enumerate(lines) if "id: nav_prev" in line)
        assert re.search(r"\s\[\s", lines[nav_prev - 1]), lines[nav_prev - 1]
        # each id stands under its key, in the section of the place it works in
        def heading(title: str) -> int:  # a section heading inside the help dialog (not the navigation)
            return next(i for i, line in enumerate(lines) if re.search(rf"█\s+{title}\s", line))

        section = lines[heading("4 Set up CMG") + 1:heading("Automation")]
        assert any("id: part4_preflight" in line for line in section)
        nav_next = next(i for i, line in enumerate(lines) if "id: nav_next" in line)
        assert "ctrl+n" in lines[nav_next - 1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_terminate_signal_handler_saves_pending_changes() -> None:
    ProfileStore().create("sig")
    app = CmgApp(initial_profile="sig")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.edit("region", "northeurope")
        ended: list[int] = []
        app.exit_guard.hard_exit = ended.append  # what would end the process if leaving hung
        app._terminate(15)
        assert app.exit_guard.armed  # only once the profile is saved and released
        assert ProfileStore().load("sig").region == "northeurope"
        await pilot.pause()
    app.exit_guard.disarm()
    assert ended == []
    assert ProfileStore().load("sig").region == "northeurope"
    assert not ProfileStore().is_in_use("sig")


async def test_expiring_secret_is_announced_at_start_and_in_the_header() -> None:
    from datetime import timedelta

    from cmgtui.model import utc_now

    store = ProfileStore()
    profile = store.create("expiring")
    profile.entra.server_app.secret_expiry = utc_now() + timedelta(days=20, hours=1)
    store.save(profile)
    app = CmgApp(initial_profile="expiring")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: any("expires in 20 days" in n.message for n in app._notifications))
        await until(pilot, lambda: "⚠ 1 expiring (expires in 20d)" in str(app.screen.query_one(AppHeader).render()))
