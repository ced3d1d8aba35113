"""Keys act where the eye is: showing a pane moves the focus into it, and a hidden pane never
receives a key.

A newcomer presses ``]`` (or ``[``) to reach a pane and then the key its footer shows, with no
Tab in between; every pane key is tried that way. Then the two misfires first reported: Enter
after leaving Part 2 opened Part 2's hand-off folder dialog, and ``r`` after leaving Automation
opened "Save the report to".
"""

from __future__ import annotations

import re

import pytest
from textual import events
from textual.binding import Binding
from textual.widgets import Input

from cmgtui.app import CmgApp
from cmgtui.model import EntraPath, Profile
from cmgtui.screens.entries import NAV_ENTRIES
from cmgtui.screens.main import MainScreen
from cmgtui.screens.registry import build_pane
from cmgtui.store import ProfileStore
from cmgtui.widgets.base import Pane
from cmgtui.widgets.modals import NameModal

from ..unit.powershell.profiles import public_entra_2309
from .conftest import current_entry, ready, screen_text, until

SIZE = (80, 24)
IDS = [entry.id for entry in NAV_ENTRIES]


def _pane_keys() -> list[tuple[str, str, str]]:
    """(entry, key, action name) for every one-character key a pane declares."""
    found = []
    for entry in IDS:
        cls = type(build_pane(entry))
        for binding in vars(cls).get("BINDINGS", []):
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                if len(key) == 1:
                    found.append((entry, key, re.sub(r"\(.*\)$", "", binding.action)))
    return found


PANE_KEYS = _pane_keys()


def _complete(name: str) -> Profile:
    profile = public_entra_2309()
    profile.name = name
    return profile


async def _step_to(pilot, entry: str) -> str:  # type: ignore[no-untyped-def]
    """Press ] or [ (the shorter way round) until ``entry`` is shown; returns the key used."""
    app = pilot.app
    here = IDS.index(current_entry(app) or "checklist")
    forward = (IDS.index(entry) - here) % len(IDS)
    key, count = ("]", forward) if forward <= len(IDS) // 2 else ("[", len(IDS) - forward)
    for _ in range(count):
        await pilot.press(key)
    await until(pilot, lambda: current_entry(app) == entry)
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await until(pilot, lambda: app.focused is not None and screen.query_one(f"#{entry}") in
                app.focused.ancestors_with_self)
    return key


def test_every_pane_key_is_listed() -> None:
    keys = {(entry, key) for entry, key, _action in PANE_KEYS}
    assert {("gateway", "p"), ("gateway", "l"), ("gateway", "f"), ("automation", "s"), ("automation", "r"),
            ("checklist", "l"), ("checklist", "p"), ("logs", "r"), ("day_two", "1")} <= keys


async def test_bracket_then_the_pane_key_acts_on_the_shown_pane(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    for entry, _key, action in PANE_KEYS:
        def spy(self: Pane, *args: object, _action: str = action) -> None:
            calls.append((self.id or "", _action))

        monkeypatch.setattr(type(build_pane(entry)), f"action_{action}", spy)
    ProfileStore().save(_complete("plan"))
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # into the first pane: each pane is then left from inside the one before
        for entry, key, action in PANE_KEYS:
            neighbour = IDS[(IDS.index(entry) - 1) % len(IDS)]
            await _step_to(pilot, neighbour)
            await _step_to(pilot, entry)  # one ] from the pane before
            assert not isinstance(app.focused, Input), "a text box would take the letter as typing"
            binding = next(b for b in vars(type(app.screen.query_one(f"#{entry}")))["BINDINGS"]
                           if key in b.key.split(","))
            if binding.show:  # the footer shows the shown pane's key, and F1 and ctrl+q still fit
                await until(pilot, lambda: f"{key} {binding.description}" in screen_text(app).splitlines()[-1])  # noqa: B023 - awaited here
                footer = screen_text(app).splitlines()[-1]
                assert "f1 Help" in footer and "^q Quit" in footer, footer
            calls.clear()
            await pilot.press(key)
            await pilot.pause()
            assert calls == [(entry, action)], f"{key} in {entry}"


async def test_a_hidden_pane_never_has_the_focus_nor_gets_a_key() -> None:
    profile = _complete("plan")
    profile.entra.path = EntraPath.CREATE_HERE
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _step_to(pilot, "entra")
        handoff = screen.query_one("#p2-handoff")
        handoff.focus()  # as after tabbing to it
        await pilot.pause()
        await pilot.press("]")
        await until(pilot, lambda: current_entry(app) == "client_auth")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), "Enter reached Part 2's hand-off dialog"
        assert app.focused is not None and screen.query_one("#client_auth") in app.focused.ancestors
        await pilot.press("escape")  # closes the list Enter opened in Part 3
        for entry in IDS:  # wherever the focus is, it is in the shown pane or the navigation
            await _step_to(pilot, entry)
            focused = app.focused
            assert focused is not None
            panes = [node for node in focused.ancestors_with_self if isinstance(node, Pane)]
            assert [pane.id for pane in panes] == [entry]
        await _step_to(pilot, "automation")
        await pilot.press("]")
        await until(pilot, lambda: current_entry(app) == "logs")
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, NameModal), "r after Automation asked where to save the report"


async def test_enter_from_the_navigation_goes_to_the_first_field_that_needs_a_value() -> None:
    profile = Profile(name="plan")
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.query_one("#nav").focus()
        await _step_to(pilot, "certificate")
        row_path = next(a for a in app.focused.ancestors if hasattr(a, "path")).path
        assert row_path == "certificate.source"  # the first thing Part 1 needs, not a button
        await _step_to(pilot, "clients")
        assert isinstance(app.focused, Input)  # no keys of its own: straight into the first field
        await pilot.press(*"mp01.contoso.com")
        assert "mp01.contoso.com" in app.focused.value


@pytest.mark.parametrize("first_visit", [False, True], ids=["built", "first-visit"])
async def test_keys_typed_faster_than_the_pane_takes_the_focus_still_reach_it(
        monkeypatch: pytest.MonkeyPatch, first_visit: bool) -> None:
    """``]``, ``[`` and ``p`` typed in one burst (as a quick typist, or any typist on a loaded
    machine): the focus has not yet reached the checklist when ``p`` arrives, and the probe key
    still acts there, once. On a first visit the pane is still being built when the key comes."""
    calls: list[str] = []
    checklist = type(build_pane("checklist"))
    monkeypatch.setattr(checklist, "action_probe_internet", lambda self: calls.append(self.id or ""))
    monkeypatch.setattr(MainScreen, "BUILD_AHEAD_IDLE", None)
    profile = _complete("burst")
    profile.last_screen = "glossary" if first_visit else "checklist"
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="burst")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        keys = ["]", "["] if not first_visit else ["["]
        assert (screen.pane("checklist") is None) == first_visit
        for key in [*keys, "p"]:
            app.post_message(events.Key({"]": "right_square_bracket", "[": "left_square_bracket"}.get(key, key), key))
        await until(pilot, lambda: calls == ["checklist"])
        await pilot.pause()
        assert calls == ["checklist"] and current_entry(app) == "checklist"
        assert app.focused is not None and screen.query_one("#checklist") in app.focused.ancestors_with_self
