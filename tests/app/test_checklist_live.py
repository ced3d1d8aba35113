"""The checklist's live checks against the sandbox tenant: roles, Owner role, regions."""

from __future__ import annotations

from cmgtui.app import CmgApp
from cmgtui.domain.rules.checklist import item_result, item_state
from cmgtui.panes.checklist import ChecklistPane
from cmgtui.widgets.region import RegionField

from .conftest import ready, tab_to, until


async def test_sign_in_and_live_checks_fill_roles_owner_and_the_region_list() -> None:
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await until(pilot, lambda: app.profile is not None and "graph.roles" in app.profile.evidence)
        await app.workers.wait_for_complete()
        assert app.profile.evidence["graph.roles"].data["roles"] == ["Global Administrator"]  # sign-in read it
        assert app.cloud.sandbox is not None
        app.cloud.sandbox.state.set_user_roles(["Application Developer"])
        await pilot.press("enter")  # into the checklist pane
        await pilot.press("l")
        await until(pilot, lambda: app.profile.evidence["graph.roles"].data["roles"] == ["Application Developer"])
        profile = app.profile
        assert profile is not None
        assert profile.evidence["graph.roles"].data["roles"] == ["Application Developer"]
        assert item_state(profile, "entra_role") == "done"
        assert item_state(profile, "subscription_owner") == "done"
        await tab_to(pilot, lambda widget: widget is not None and any(  # item 2, below the fold
            isinstance(node, RegionField) for node in widget.ancestors))
        region = app.screen.query_one(ChecklistPane).query_one(RegionField)
        await until(pilot, lambda: len(region.options) == len(profile.evidence["arm.locations"].data["locations"]))
        assert ("West US (westus)", "westus") in region.options


async def test_live_checks_when_signed_out_ask_to_sign_in() -> None:
    app = CmgApp(initial_profile="offline")
    app.store.create("offline")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("right_square_bracket", "left_square_bracket", "l")  # back to the checklist, its key
        await until(pilot, lambda: any("Sign in first" in n.message for n in app._notifications))
        assert app.profile is not None and "graph.roles" not in app.profile.evidence


async def test_internet_probe_records_what_was_unreachable(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    from cmgtui.cloud import reachability

    def nowhere(name: str):  # type: ignore[no-untyped-def]
        raise socket.gaierror(-2, "Name or service not known")  # the test machine has no internet

    original = reachability.probe_targets

    async def offline(targets, **kwargs):  # type: ignore[no-untyped-def]
        return await original(targets, resolve=nowhere, timeout=2, log=kwargs.get("log", print))

    monkeypatch.setattr(reachability, "probe_targets", offline)
    app = CmgApp(initial_profile="probe")
    app.store.create("probe")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("right_square_bracket", "left_square_bracket", "p")  # back to the checklist, its key
        await until(pilot, lambda: app.profile is not None and "probe.internet" in app.profile.evidence)
        evidence = app.profile.evidence["probe.internet"]
        assert "management.azure.com: DNS name not found" in " ".join(evidence.data["failures"])
        result = item_result(app.profile, "internet_access")
        host = evidence.data["from_host"]
        assert item_state(app.profile, "internet_access") == "problem" and "unreachable" in result.message
        await pilot.pause()
        # item 7 is below the fold, not built yet: its heading line says so
        assert "✗ problem" in str(app.screen.query_one("#later-internet_access").render())
        # Issue 10.2: the probe ran on this machine; "Confirmed by me" decides, the probe stays a warning.
        await tab_to(pilot, lambda widget: widget is not None and any(
            getattr(node, "path", None) == "checklist.internet_access.confirmed" for node in widget.ancestors))
        assert "✗ problem" in str(app.screen.query_one("#heading-internet_access").render())
        await pilot.press("space")
        await until(pilot, lambda: app.profile.checklist.internet_access.confirmed)
        await pilot.pause()
        assert item_state(app.profile, "internet_access") == "done"
        heading = str(app.screen.query_one("#heading-internet_access").render())
        assert "✓ done" in heading and "Confirmed by you" in heading and host in heading
        assert "management.azure.com: DNS name not found" in heading
