"""Sign-in by keyboard: sign out, device-code sign-in against the sandbox, cancelling a job."""

from __future__ import annotations

from cmgtui.app import CmgApp
from cmgtui.screens.main import MainScreen
from cmgtui.widgets.modals import ConfirmModal
from cmgtui.screens.sign_in import DeviceCodeModal, SignInModal
from cmgtui.widgets.header import AppHeader

from .conftest import ready, until


def _header(app: CmgApp) -> str:
    main = next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))
    return str(main.query_one(AppHeader).render())


async def test_sign_out_then_device_code_sign_in_shows_the_code_modal() -> None:
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await until(pilot, lambda: not app.cloud.signed_in)
        assert "signed out" in _header(app)

        shown: list[DeviceCodeModal] = []
        original = app.push_screen

        def spy(screen, *args, **kwargs):  # type: ignore[no-untyped-def]
            if isinstance(screen, DeviceCodeModal):
                shown.append(screen)
            return original(screen, *args, **kwargs)

        app.push_screen = spy  # type: ignore[method-assign]
        app.cloud.sandbox.state.device_code_interval = 0  # the sandbox's polls wait no real time
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, SignInModal))
        await pilot.press("enter")  # device code is the first choice
        await until(pilot, lambda: bool(shown))
        modal = shown[0]
        assert modal.url.endswith("/devicelogin") and len(modal.code) == 9
        await until(pilot, lambda: bool(modal.query("#device-code")) or app.cloud.signed_in)
        if modal.query("#device-code"):
            assert modal.code in str(modal.query_one("#device-code").render())
        await until(pilot, lambda: app.cloud.signed_in)
        await until(pilot, lambda: not isinstance(app.screen, DeviceCodeModal))
        assert "admin@contoso.onmicrosoft.com" in _header(app)


async def test_escape_cancels_a_running_cloud_job_and_records_nothing() -> None:
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        profile = app.profile
        assert profile is not None
        profile.evidence.clear()
        assert app.cloud.sandbox is not None
        app.cloud.sandbox.faults.update(latency_ms=3000)
        await pilot.press("enter", "l")
        await until(pilot, lambda: bool(app.cloud.running()))
        await pilot.press("escape")
        await until(pilot, lambda: not app.cloud.running())
        app.cloud.sandbox.faults.clear()
        assert "graph.roles" not in profile.evidence
        assert any("Cancelled" in n.message for n in app._notifications)


async def test_the_graph_sdk_loads_off_the_event_loop_before_the_first_graph_call(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The SDK's imports take over a second: on the event loop they froze the screen while
    the sandbox signed in at start-up, so keys typed then waited."""
    import threading

    from cmgtui.cloud import graph

    events: list[str] = []
    warm_up, signed_in_user = graph.warm_up_graph, graph.GraphGateway.signed_in_user

    def recording_warm_up() -> None:
        events.append("main thread" if threading.current_thread() is threading.main_thread() else "worker thread")
        warm_up()

    async def recording_signed_in_user(self):  # type: ignore[no-untyped-def]
        events.append("first Graph call")
        return await signed_in_user(self)

    monkeypatch.setattr(graph, "warm_up_graph", recording_warm_up)
    monkeypatch.setattr(graph.GraphGateway, "signed_in_user", recording_signed_in_user)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        assert events[:2] == ["worker thread", "first Graph call"]
        assert "admin@" in _header(app)
