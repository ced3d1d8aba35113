"""The command palette offers context actions: go to, glossary look-up, switch profile."""

from __future__ import annotations

from textual.widgets import ContentSwitcher, Input

from cmgtui.app import CmgApp
from cmgtui.panes.glossary import GlossaryPane
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.store import ProfileStore

from .conftest import ready, until


async def _run_command(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    from textual.command import CommandPalette

    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*text)
    await until(pilot, lambda: pilot.app.screen.query_one("CommandList").option_count > 0)
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))


async def test_palette_goes_to_a_part_and_looks_up_a_term() -> None:
    store = ProfileStore()
    profile = store.create("pal")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    store.save(profile)
    app = CmgApp(initial_profile="pal")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await _run_command(pilot, "Go to: Automation")
        switcher = app.screen.query_one("#content", ContentSwitcher)
        assert switcher.current == "automation"
        await _run_command(pilot, "look up DNS CNAME")
        assert switcher.current == "glossary"
        assert app.screen.query_one(GlossaryPane).query_one("#glossary-filter", Input).value == "DNS CNAME alias"


async def test_palette_switches_profile() -> None:
    ProfileStore().create("first")
    app = CmgApp(initial_profile="first")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await _run_command(pilot, "Profile: switch")
        await until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen))
        assert app.profile is None


async def test_palette_runs_the_part4_preflight_from_anywhere() -> None:
    ProfileStore().create("pf")
    app = CmgApp(initial_profile="pf")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await _run_command(pilot, "Part 4: run pre-flight")
        switcher = app.screen.query_one("#content", ContentSwitcher)
        assert switcher.current == "gateway"
        await until(pilot, lambda: any("pre-flight without the cloud" in str(w.render()).lower()
                                       for w in app.screen.query("#gateway Static")))


async def test_palette_shows_help_runs_live_checks_and_opens_sign_in() -> None:
    from cmgtui.screens.help import HelpScreen
    from cmgtui.screens.main import MainScreen
    from cmgtui.screens.sign_in import SignInModal

    ProfileStore().create("cmds")
    app = CmgApp(initial_profile="cmds")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await _run_command(pilot, "Help: show every key")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))

        await app.screen.show_entry("glossary")
        await _run_command(pilot, "Checklist: run live checks")
        assert app.screen.query_one("#content", ContentSwitcher).current == "checklist"
        await until(pilot, lambda: any(n.title == "Live checks after sign-in" and "Sign in first" in n.message
                                       for n in app._notifications))
        assert app.cloud.running() == []

        await _run_command(pilot, "Sign in or out")
        await until(pilot, lambda: isinstance(app.screen, SignInModal))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert not app.cloud.signed_in


async def test_palette_quit_says_what_cmgtui_does_not_textuals_stock_words() -> None:
    ProfileStore().create("q")
    app = CmgApp(initial_profile="q")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        commands = list(app.get_system_commands(app.screen))
        assert "Quit the application as soon as possible" not in [c.help for c in commands]
        quit_command = next(c for c in commands if c.title == "Quit (ctrl+q)")
        assert quit_command.help == "Save the profile and leave cmgtui"


async def test_palette_checks_the_cmgs_health_from_anywhere() -> None:
    """The Health pane's check has its palette entry: it shows the pane and runs the check (signed
    out, the check asks for a sign-in rather than starting a cloud job)."""
    ProfileStore().create("hp")
    app = CmgApp(initial_profile="hp")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await _run_command(pilot, "Health: check the CMG now")
        assert app.screen.query_one("#content", ContentSwitcher).current == "health"
        await until(pilot, lambda: any(n.title == "Health check" and "Sign in first" in n.message
                                       for n in app._notifications))
        assert app.cloud.running() == []
