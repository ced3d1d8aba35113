"""A copy never claims to have arrived: it says it goes through the terminal (OSC 52), that
tmux or screen may drop it, and that the value can be saved to a file instead."""

from __future__ import annotations

from cmgtui.app import CmgApp
from cmgtui.store import ProfileStore

from ..unit.powershell.profiles import public_entra_2309
from .conftest import current_entry, ready, until


async def test_copying_the_script_says_how_the_copy_travels() -> None:
    profile = public_entra_2309()
    profile.name = "plan"
    profile.last_screen = "clients"
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("]")  # to Automation: the focus goes with it
        await until(pilot, lambda: current_entry(app) == "automation")
        await pilot.press("y")
        await until(pilot, lambda: bool(copied))
        assert copied[0].startswith("\ufeff") or "Import-CMAADServerApplication" in copied[0]
        message = list(app._notifications)[-1].message
        assert message.startswith("The script: sent to your clipboard through the terminal (OSC 52).")
        assert "tmux or screen" in message and "save it to a file" in message
        assert "Copied to the clipboard" not in message
