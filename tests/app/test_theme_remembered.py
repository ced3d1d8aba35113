"""The theme chosen in the command palette is remembered in config.toml and used on the next start."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette

from cmgtui import activity, paths
from cmgtui.app import CmgApp
from cmgtui.store import ProfileStore

from .conftest import ready, until


async def _choose_theme(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """ctrl+p, "Theme", then the theme's name, as a user picks one."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*"theme")
    await until(pilot, lambda: app.screen.query_one("CommandList").option_count > 0)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette)
                and app.screen.query_one("CommandList").option_count > 5)  # the list of themes
    await pilot.press(*name)
    await until(pilot, lambda: app.screen.query_one("CommandList").option_count == 1)
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, CommandPalette))


def _profile_and_config(text: str) -> Path:
    """A profile to open and a config.toml holding ``text``; returns the file's path."""
    ProfileStore().create("look")
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config


async def test_a_theme_chosen_in_the_palette_is_used_on_the_next_start(cmgtui_home: Path) -> None:
    config = _profile_and_config('# my keys\n[keymap]\nnav_next = "ctrl+n"\n')
    app = CmgApp(initial_profile="look")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme != "nord"
        await _choose_theme(pilot, "nord")
        await until(pilot, lambda: 'theme = "nord"' in config.read_text(encoding="utf-8"))
    assert config.read_text(encoding="utf-8").startswith('# my keys\n[keymap]\nnav_next = "ctrl+n"\n')
    again = CmgApp(initial_profile="look")
    async with again.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert again.theme == "nord" and again.config_problem is None


async def test_a_theme_cmgtui_does_not_have_is_said_and_the_default_used(cmgtui_home: Path) -> None:
    config = _profile_and_config('[ui]\ntheme = "solarised-neon"\n')
    app = CmgApp(initial_profile="look")
    default = CmgApp().theme
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme == default
        assert app.config_problem is not None and "'solarised-neon' is not a theme cmgtui has" in app.config_problem
        kept = [entry.message for entry in activity.read_tail("look")]
        assert any("solarised-neon" in message for message in kept)  # outlives its toast
    assert config.read_text(encoding="utf-8") == '[ui]\ntheme = "solarised-neon"\n'  # left as the user wrote it


async def test_a_hostile_theme_name_is_shown_as_text_never_obeyed(cmgtui_home: Path) -> None:
    """Markup and an OSC 52 escape in the theme's name reach the warning as visible text."""
    config = _profile_and_config('[ui]\ntheme = "[b]neon\\u001b]52;c;SGk=\\u0007"\n')
    app = CmgApp(initial_profile="look")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        kept = [entry.message for entry in activity.read_tail("look") if "neon" in entry.message]
        assert kept and "[b]neon" in kept[0] and "\x1b" not in kept[0] and "\x07" not in kept[0]
        assert app.is_running
    assert "u001b" in config.read_text(encoding="utf-8")  # the file is left as written
