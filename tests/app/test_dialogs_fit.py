"""Dialogs fit 80×24: a long question scrolls, and the buttons stay on screen with the focus
visibly on one of them (Part 2's create confirmation with Directory.Read.All was cut)."""

from __future__ import annotations

from textual.widgets import Button

from cmgtui.app import CmgApp
from cmgtui.panes.entra.text import confirm_text
from cmgtui.store import ProfileStore
from cmgtui.widgets.modals import ConfirmModal

from .conftest import ready, screen_text, until

SIZE = (80, 24)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


async def test_the_create_confirmation_keeps_its_buttons_inside_80x24() -> None:
    question = confirm_text(TENANT, "contoso.onmicrosoft.com", "CMG Server app", "CMG Client app",
                            f"api://{TENANT}/ConfigMgrService", 12, True)
    ProfileStore().create("plan")
    app = CmgApp(initial_profile="plan")
    answers: list[bool] = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(ConfirmModal(question, yes_label="Create in the tenant"), answers.append)
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.pause()
        screen = app.screen
        for button in screen.query(Button):
            region = button.region
            assert region.height > 0 and region.bottom <= SIZE[1] and region.right <= SIZE[0], button.id
        assert app.focused is screen.query_one("#no")
        shown = screen_text(app)
        assert "Create in the tenant" in shown and "Cancel" in shown
        scroll = screen.query_one(".dialog-scroll")
        assert scroll.max_scroll_y > 0  # the question is longer than the room: it scrolls
        scroll.focus()
        await pilot.press("end")
        await pilot.pause()
        assert "Directory.Read.All" in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await until(pilot, lambda: answers == [False])
