"""The Health pane at 80×24, driven as a user: ``]`` to it, ``enter`` into it, ``r`` to check.

The rehearsal CMG is the sandbox's (``cmgtui.sandbox.cmg_routes``; shapes from the azure-rest-api-specs
examples named there, power codes from MicrosoftDocs/azure-docs
``includes/virtual-machines-common-states-lifecycle.md``). The pane shows the findings of
``cmgtui.domain.health.assess``, the same as ``cmgtui status``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cmgtui.app import CmgApp
from cmgtui.model import AzureEnvironment
from cmgtui.panes.health import HealthPane
from cmgtui.sandbox.cmg_routes import deploy, set_health
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION
from cmgtui.store import ProfileStore

from .conftest import current_entry, ready, screen_text, until

SIZE = (80, 24)


def _save(not_after: datetime | None = None) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "eastus"
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.certificate.not_after = not_after
    profile.gateway.subscription_id = OWNER_SUBSCRIPTION
    profile.gateway.resource_group = "cmg-rg"
    profile.last_screen = "day_two"
    store.save(profile)


async def _open(pilot, app: CmgApp) -> HealthPane:  # type: ignore[no-untyped-def]
    await ready(pilot)
    await until(pilot, lambda: app.cloud.signed_in)
    await app.workers.wait_for_complete()
    await pilot.press("]")
    await until(pilot, lambda: current_entry(app) == "health")
    pane = app.screen.query_one(HealthPane)
    await until(pilot, lambda: pane.checks >= 1)  # shown and signed in: it checks once by itself
    await pilot.press("enter")  # into the pane
    return pane


def _findings(pane: HealthPane) -> str:
    return pane.shown_text


@pytest.mark.parametrize("health,state,line", [
    ("running", "HEALTHY", "OK   2 of 2 instances running."),
    ("one-stopped", "DEGRADED", "WARN 1 of 2 instances running (instance 0 stopped)."),
    ("deallocated", "DOWN", "FAIL 0 of 2 instances running: the CMG is stopped (every instance deallocated)."),
    ("missing", "DEGRADED", "WARN Key vault GraniteFalls is missing from cmg-rg."),
])
async def test_each_state_is_shown_with_its_fix(lent_sandbox: SandboxServer, health: str, state: str,
                                                line: str) -> None:
    _save()
    deploy(lent_sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls", "eastus", 2, health)
    app = CmgApp(initial_profile="ops", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _open(pilot, app)
        assert str(pane.query_one("#health-state").render()).startswith(f"Health: {state}")
        assert line in _findings(pane)
        if state != "HEALTHY":
            assert "→ " in _findings(pane)
        assert f"Health: {state}" in screen_text(app)  # what the user reads at 80×24


async def test_r_checks_again_and_down_since_is_told(lent_sandbox: SandboxServer) -> None:
    _save()
    deploy(lent_sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls", "eastus", 2, "running")
    app = CmgApp(initial_profile="ops", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _open(pilot, app)
        set_health(lent_sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "failed")
        await pilot.press("r")
        await until(pilot, lambda: pane.checks >= 2)
        first = str(pane.query_one("#health-state").render())
        assert first.startswith("Health: DOWN since ")
        await pilot.press("r")
        await until(pilot, lambda: pane.checks >= 3)
        assert str(pane.query_one("#health-state").render()).split(" · ")[0] == first.split(" · ")[0]
        assert "provisioning failed" in _findings(pane)


async def test_certificate_expiring_is_a_finding(lent_sandbox: SandboxServer) -> None:
    _save(not_after=datetime.now(UTC) + timedelta(days=12, hours=1))
    deploy(lent_sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls", "eastus", 2, "running")
    app = CmgApp(initial_profile="ops", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _open(pilot, app)
        assert str(pane.query_one("#health-state").render()).startswith("Health: DEGRADED")
        assert "WARN Server authentication certificate (GraniteFalls.contoso.com) expires in 12 days" in _findings(pane)
        assert "renew-certificate" in _findings(pane)


async def test_r_does_nothing_on_another_pane_and_the_timer_stops_when_hidden(lent_sandbox: SandboxServer) -> None:
    _save()
    deploy(lent_sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls", "eastus", 2, "running")
    app = CmgApp(initial_profile="ops", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _open(pilot, app)
        assert pane._timer is not None
        await pilot.press("escape", "[")  # back to the navigation, then to Day two
        await until(pilot, lambda: current_entry(app) == "day_two")
        await until(pilot, lambda: pane._timer is None)
        await pilot.press("enter", "r")
        await app.workers.wait_for_complete()
        assert pane.checks == 1
        reads = [r for r in lent_sandbox.requests if r.path.endswith("/virtualMachineScaleSets/GraniteFalls")]
        assert len(reads) == 1  # the check on arrival only
