"""The key bar at the bottom: the keys that act now, whole, readable without colour, clickable."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from cmgtui.widgets.key_bar import KeyBar


class Keyed(Static, can_focus=True):
    """A focused widget with keys of its own, as a pane has."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "note('renew')", "Renew cert"),
        Binding("2", "note('rotate')", "Rotate secret"),
        Binding("3", "note('scale')", "Scale"),
        Binding("s", "note('save')", "Save script"),
        Binding("y", "note('copy')", "Copy script"),
        Binding("x", "note('hidden')", "Not shown", show=False),
    ]

    def action_note(self, what: str) -> None:
        self.app.pressed.append(what)  # type: ignore[attr-defined]


class BarApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("f3", "sign_in", "Sign in/out"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Keyed("pane")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Keyed).focus()

    def action_help(self) -> None:
        self.pressed.append("help")

    def action_sign_in(self) -> None:
        self.pressed.append("sign in")


def _line(app: BarApp) -> str:
    bar = app.query_one(KeyBar)
    return "".join(segment.text for segment in bar.render_line(0)).rstrip()


async def test_wide_bar_shows_every_key_two_spaces_apart_with_a_space_before_each_description() -> None:
    app = BarApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        assert _line(app) == (" 1 Renew cert  2 Rotate secret  3 Scale  s Save script  y Copy script  "
                              "^q Quit  f1 Help  f3 Sign in/out")


async def test_at_80_columns_sign_in_gives_way_first_and_no_entry_is_cut() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = _line(app)
        assert line == "1 Renew cert 2 Rotate secret 3 Scale s Save script y Copy script ^q Quit f1 Help"
        assert len(line) <= 80


async def test_narrow_bar_drops_pane_keys_from_the_right_and_keeps_help_and_quit() -> None:
    app = BarApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        assert _line(app) == "1 Renew cert ^q Quit f1 Help"


async def test_the_bar_follows_the_focus_and_a_click_presses_the_key() -> None:
    app = BarApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        start = _line(app).index("3 Scale")
        await pilot.click(KeyBar, offset=(start + 2, 0))
        assert app.pressed == ["scale"]
        app.set_focus(None)
        await pilot.pause()
        assert _line(app) == " ^q Quit  f1 Help  f3 Sign in/out"
