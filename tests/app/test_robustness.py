"""What the user sees when things around the App go wrong or differ: a save that fails, a broken
config.toml, a terminal without colour (NO_COLOR)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from rich.color import ColorType
from textual.color import Color

from cmgtui.app import CmgApp
from cmgtui.model import Profile
from cmgtui.store import ProfileStore

from .conftest import current_entry, ready, screen_text, until

SIZE = (100, 30)


async def test_a_failed_save_is_reported_and_the_change_is_kept_and_saved_later(
        monkeypatch: pytest.MonkeyPatch) -> None:
    ProfileStore().create("plan")
    real_save = ProfileStore.save
    disk_full = True

    def save(store: ProfileStore, profile: Profile) -> None:
        if disk_full:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(store, profile)

    monkeypatch.setattr(ProfileStore, "save", save)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.edit("region", "northeurope")
        await until(pilot, lambda: any(n.title == "Save failed" for n in app._notifications))
        (note,) = [n for n in app._notifications if n.title == "Save failed"]
        assert "No space left on device" in note.message and "Your changes are kept" in note.message
        await until(pilot, lambda: "Save failed" in screen_text(app))  # the toast is on screen
        assert app.profile is not None and app.profile.region == "northeurope"
        assert ProfileStore().load("plan").region == ""  # nothing was written
        disk_full = False
        app.edit("site.site_code", "ABC")
        await until(pilot, lambda: ProfileStore().load("plan").site.site_code == "ABC")
    saved = ProfileStore().load("plan")
    assert (saved.region, saved.site.site_code) == ("northeurope", "ABC")


async def test_a_broken_config_file_is_reported_and_the_default_keys_work(
        cmgtui_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cmgtui_home.mkdir(parents=True, exist_ok=True)
    (cmgtui_home / "config.toml").write_text('[keymap\nnav_next = "ctrl+n"\n')
    ProfileStore().create("plan")
    warnings: list[tuple[str, str]] = []
    notify = CmgApp.notify

    def recording_notify(app: CmgApp, message: str, **kwargs: object):  # type: ignore[no-untyped-def]
        warnings.append((message, str(kwargs.get("severity", ""))))
        return notify(app, message, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(CmgApp, "notify", recording_notify)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        # The toast lasts ten seconds, which a loaded machine can spend starting up: check what
        # the App told the user rather than whether the toast is still up.
        problems = [(m, s) for m, s in warnings if "could not be read" in m]
        assert len(problems) == 1 and problems[0][1] == "warning"
        assert str(cmgtui_home / "config.toml") in problems[0][0] and "using default keys" in problems[0][0]
        await pilot.press("right_square_bracket")  # the default key for the next entry
        assert current_entry(app) == "glossary"


def _grey_or_plain(color: object) -> bool:
    if color is None or getattr(color, "type", None) is ColorType.DEFAULT:
        return True
    r, g, b = color.get_truecolor()  # type: ignore[attr-defined]
    return r == g == b


async def test_no_color_shows_every_status_in_words_without_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        screen._refresh_layout(screen.size)
        strips = screen._compositor.render_strips()
        for line_filter in app._filters:
            strips = [strip.apply_filter(line_filter, Color(0, 0, 0)) for strip in strips]
        styles = [segment.style for strip in strips for segment in strip if segment.style]
        assert styles and all(_grey_or_plain(s.color) and _grey_or_plain(s.bgcolor) for s in styles)
        text = screen_text(app)
        assert "· todo" in text  # the checklist's statuses read as symbol and word
        assert "Pre-setup checklist" in text
