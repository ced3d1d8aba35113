"""Cloud results reach only the profile they were started for (issue 11, part 3), as typed
messages to the pane that started them (issue 19, item 2).

A job started in profile "a" that is still running when the user switches to "b" is
cancelled with "a"; nothing of it lands in "b". A result that was already on its way when
"a" closed is dropped, and the drop is written to "a"'s own activity log.
"""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList

from cmgtui import activity
from cmgtui.app import CmgApp
from cmgtui.model import Evidence
from cmgtui.panes.checklist import InternetProbed
from cmgtui.screens.main import MainScreen
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.store import ProfileStore

from .conftest import ready, screen_text, until

SOURCE = "net.internet"


async def _switch_to(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+O to the picker, highlight ``name``, Enter: what a user does to switch."""
    app = pilot.app
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, ProfilePickerScreen) and app.screen.is_mounted)
    options = app.screen.query_one("#profiles", OptionList)
    await until(pilot, lambda: options.option_count == 2)
    while options.get_option_at_index(options.highlighted or 0).id != name:
        await pilot.press("down")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, MainScreen) and app.profile is not None
                and app.profile.name == name)
    await ready(pilot)


def _messages(name: str) -> list[str]:
    return [entry.message for entry in activity.read_tail(name)]


async def test_a_job_started_in_a_never_lands_in_b_after_a_switch() -> None:
    store = ProfileStore()
    store.create("a")
    store.create("b")
    app = CmgApp(initial_profile="a")
    gate = asyncio.Event()

    async def job(log) -> InternetProbed:  # type: ignore[no-untyped-def]
        log("probing")
        await gate.wait()
        return InternetProbed(Evidence(source=SOURCE, summary="reached every endpoint"))

    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        checklist = app.screen.pane("checklist")
        worker = app.cloud.run_local_posting(checklist, "Internet-access probe", job)
        await until(pilot, lambda: "probing" in _messages("a"))
        await _switch_to(pilot, "b")
        assert worker.is_cancelled, "switching the profile must cancel its cloud jobs"
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.profile is not None and app.profile.name == "b"
        assert SOURCE not in app.profile.evidence
    assert SOURCE not in store.open("b").profile.evidence
    assert not any("Internet-access probe" in line or "probing" in line for line in _messages("b"))
    assert "Internet-access probe: started" in _messages("a")
    assert "Internet-access probe: cancelled" in _messages("a")


async def test_a_result_in_flight_for_a_closed_profile_is_dropped_and_logged_there() -> None:
    store = ProfileStore()
    store.create("a")
    store.create("b")
    app = CmgApp(initial_profile="a")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        key_of_a = app.profile_key
        gate = asyncio.Event()

        async def job(log) -> InternetProbed:  # type: ignore[no-untyped-def]
            await gate.wait()
            return InternetProbed(Evidence(source=SOURCE, summary="reached every endpoint"))

        # the job's coroutine, as the bridge runs it, outside the worker that a switch cancels
        running = asyncio.ensure_future(app.cloud._run(key_of_a, app, "Internet-access probe", job))
        await _switch_to(pilot, "b")
        gate.set()
        await running
        await until(pilot, lambda: any("dropped" in line for line in _messages("a")))
        await pilot.pause()
        assert app.profile is not None and SOURCE not in app.profile.evidence
    dropped = [line for line in _messages("a") if "dropped" in line]
    assert dropped == ["Internet-access probe: result dropped: the profile was closed before the result "
                       "arrived; run it again to record it"]
    assert not any("dropped" in line for line in _messages("b"))


async def test_reopening_the_same_profile_still_drops_the_old_result() -> None:
    ProfileStore().create("a")
    ProfileStore().create("b")
    app = CmgApp(initial_profile="a")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        first_opening = app.profile_key
        await _switch_to(pilot, "b")
        await _switch_to(pilot, "a")
        assert app.profile_key != first_opening
        assert app.stale(first_opening, "Live checks after sign-in", "result")
        await until(pilot, lambda: sum("dropped" in line for line in _messages("a")) == 1)
        assert not app.stale(app.profile_key, "Live checks after sign-in", "result")


async def test_a_log_line_appears_in_the_open_activity_pane_and_redraws_no_other_pane() -> None:
    ProfileStore().create("a")
    app = CmgApp(initial_profile="a")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        checklist = screen.pane("checklist")
        assert checklist is not None
        redraws: list[str] = []
        checklist.sync = lambda: redraws.append("checklist")  # type: ignore[method-assign]
        await screen.open_pane("activity")
        app.cloud.log("Probe: started")
        await until(pilot, lambda: "Probe: started" in screen_text(app))
        await pilot.pause()
        assert redraws == [], "a log line is not a change of anything the checklist shows"
