"""Keys typed straight after ``cmgtui --sandbox`` shows its first frame, while the sandbox tenant
starts and signs in, all reach the field they were typed for, in the order typed.

Start-up work keeps the event loop and the main screen busy, so the terminal's keys queue up
and reach the App in one burst. The keys are posted here the same way, in one burst, while the
sign-in runs: Enter (into the checklist), Tab (on to the first item's Note field), then the note.
Enter and Tab move the focus only once the widget that had it has handled them; a key typed
after them must still go to the widget the focus moves to, not to the navigation list.
"""

from __future__ import annotations

import threading

import pytest
from textual import events
from textual.widgets import Input

from cmgtui.app import CmgApp
from cmgtui.cloud.models import Subscription
from tests.app.conftest import quiet, ready, screen_text, until

SIZE = (80, 24)
NOTE = " ".join(["xyzzy", "plugh"] * 3)


async def test_keys_typed_while_the_sandbox_signs_in_all_reach_the_note_field(sandbox_app: CmgApp) -> None:
    app = sandbox_app
    async with app.run_test(size=SIZE) as pilot:
        # the sandbox starts after the first frame: the burst lands while start-up still runs (on a
        # quick machine the sign-in may already be done; the burst alone lost keys before the fix)
        await until(pilot, lambda: app.sign_in_state != "signed out")
        for key, character in [("enter", "\r"), ("tab", "\t"), *((("space" if c == " " else c), c) for c in NOTE)]:
            app.post_message(events.Key(key, character))
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await quiet(pilot)
        focused = app.focused
        assert isinstance(focused, Input)
        row = next(node for node in focused.ancestors if hasattr(node, "path"))
        assert row.path == "checklist.environment.note"
        assert focused.value == NOTE
        assert app.profile is not None and app.profile.checklist.environment.note == NOTE
        assert NOTE in screen_text(app)


async def test_the_live_checks_load_the_arm_sdk_off_the_event_loop_before_their_first_arm_call(
        sandbox_app: CmgApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ARM clients' imports and their transport's (aiohttp's) set-up took about 0.3 s: on the
    event loop, in the live checks that follow the sign-in at start-up, they froze the screen for
    that long while keys were typed."""
    from cmgtui.cloud import arm

    events: list[str] = []
    warm_up, list_subscriptions = arm.warm_up_arm, arm.ArmGateway.list_subscriptions

    def recording_warm_up() -> None:
        events.append("main thread" if threading.current_thread() is threading.main_thread() else "worker thread")
        warm_up()

    async def recording_list_subscriptions(self: arm.ArmGateway) -> list[Subscription]:
        events.append("first ARM call")
        return await list_subscriptions(self)

    monkeypatch.setattr(arm, "warm_up_arm", recording_warm_up)
    monkeypatch.setattr(arm.ArmGateway, "list_subscriptions", recording_list_subscriptions)
    app = sandbox_app
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.profile is not None and "graph.roles" in app.profile.evidence)
        assert events[:2] == ["worker thread", "first ARM call"]
