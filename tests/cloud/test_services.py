"""The use-case services both fronts call, against the sandbox tenant with the real SDKs.

Each service returns a typed result and records it through its ``record_*`` function, the one
place its evidence or one-time value enters a profile: the Part 4 pane and ``cmgtui check`` run
:func:`run_preflight`; Part 2 and the sign-in read roles through :func:`read_roles`; the Health
pane and ``cmgtui status`` run :func:`health.check` and :func:`health.record_check`; Part 4's Cost
section and ``cmgtui cost`` read prices through :func:`read_prices`; Day two rotates through
:mod:`cmgtui.services.rotate_secret`.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from cmgtui.cloud.app_registration import AppSpec, create_apps
from cmgtui.cloud.credentials import CloudSession
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.cloud.secret_rotation import RotationRefused
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.part4 import fixes_for
from cmgtui.domain.rules.results import Status
from cmgtui.domain.runbooks.rotate_secret import pending_rotation
from cmgtui.model import AzureEnvironment, EntraRole, Profile
from cmgtui.model.enums import EntraPath
from cmgtui.sandbox.cmg_routes import deploy
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION
from cmgtui.services import entra_roles, health, preflight, prices, rotate_secret


def _plan() -> Profile:
    profile = Profile(name="svc", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.site.site_version = 2309
    profile.gateway.subscription_id = OWNER_SUBSCRIPTION
    profile.gateway.resource_group = "cmg-new"
    return profile


def _status(profile: Profile, rule: str) -> Status:
    return next(r for r in evaluate(profile) if r.rule == rule).status


async def test_preflight_then_fixes_record_what_azure_says(session: CloudSession, sandbox: SandboxServer) -> None:
    profile = _plan()
    lines: list[str] = []
    found = await preflight.run_preflight(session, profile, log=lines.append)
    assert dataclasses.is_dataclass(found) and found.subscription_id == OWNER_SUBSCRIPTION
    assert found.failures == () and lines
    preflight.record_preflight(profile, found)
    assert profile.evidence["arm.providers"].data["Microsoft.KeyVault"] == "NotRegistered"
    assert _status(profile, "GW-PROVIDERS") is Status.FAIL
    # the roles the sign-in read fill Part 2's role field (checklist item 4 and its field agree)
    assert profile.entra.app_registrar_role is EntraRole.GLOBAL_ADMINISTRATOR
    fixes = fixes_for(profile)
    assert fixes.providers == ["Microsoft.KeyVault"] and fixes.create_group == "cmg-new"
    fixed = await preflight.apply_fixes(session, profile, "", fixes, log=lines.append)
    assert fixed.registered == ("Microsoft.KeyVault",) and fixed.created_group == "cmg-new"
    assert sandbox.state.providers[OWNER_SUBSCRIPTION]["Microsoft.KeyVault"].state == "Registered"
    preflight.record_fixes(profile, fixed)
    assert profile.gateway.use_existing_resource_group
    assert _status(profile, "GW-PROVIDERS") is Status.PASS
    assert _status(profile, "NAME-KEYVAULT-FREE") is Status.PASS


async def test_a_check_that_cannot_run_is_recorded_as_its_error(session: CloudSession, sandbox: SandboxServer) -> None:
    profile = _plan()
    profile.gateway.subscription_id = "00000000-0000-0000-0000-00000000dead"
    found = await preflight.run_preflight(session, profile, only=("owner", "providers"))
    assert {f.check for f in found.failures} == {"owner", "providers"}
    assert all(f.error.message for f in found.failures)
    preflight.record_preflight(profile, found)
    assert _status(profile, "GW-PROVIDERS") is Status.ERROR


async def test_subscriptions_and_roles(session: CloudSession, sandbox: SandboxServer) -> None:
    evidence = await preflight.load_subscriptions(session)
    assert OWNER_SUBSCRIPTION in str(evidence.data)
    profile = Profile(name="svc")
    profile.entra.path = EntraPath.CREATE_HERE
    read = await entra_roles.read_roles(session, profile)
    assert read.tenant_id and read.tenant_name
    entra_roles.record_roles(profile, read)
    assert profile.entra.tenant_id == read.tenant_id and "graph.roles" in profile.evidence
    assert _status(profile, "ENTRA-GA") is Status.PASS


async def test_health_check_history_and_deployment(session: CloudSession, sandbox: SandboxServer) -> None:
    profile = _plan()
    profile.region = "eastus"
    profile.gateway.resource_group = "cmg-rg"
    deploy(sandbox.state, OWNER_SUBSCRIPTION, "cmg-rg", "GraniteFalls", "eastus", 2, "one-stopped")
    report = await health.check(session, profile)
    assert report.state == "degraded" and report.found_deployed
    first = health.record_check(profile.name, report)
    again = health.record_check(profile.name, report)
    assert first.problem == "" and [e.state for e in again.history] == ["degraded", "degraded"]
    assert again.since == report.checked_at
    assert health.record_deployed(profile, report)
    assert profile.gateway.deployed is not None and profile.gateway.deployed.resource_group == "cmg-rg"
    assert not health.record_deployed(profile, report), "recorded once"


def test_prices_live_then_cached_then_none(sandbox: SandboxServer) -> None:
    endpoint = (sandbox.url, sandbox.ca_path)
    live = prices.read_prices("WestUS", "USD", ["Standard_A2_v2"], endpoint=endpoint)
    assert live.region == "westus" and live.sheet is not None and live.problem == ""
    cached = prices.read_prices("westus", "USD", ["Standard_A2_v2"], offline=True)  # asked for: no note
    assert cached.sheet is not None and cached.sheet.read_at == live.sheet.read_at and cached.problem == ""
    none = prices.read_prices("eastus", "USD", ["Standard_A2_v2"], offline=True)
    assert none.sheet is None and "none were read before" in none.problem


async def test_rotation_add_read_remove(graph: GraphGateway, sandbox: SandboxServer, tmp_path: Path) -> None:
    made = await create_apps(graph, AppSpec(secret_months=12), OperationsJournal(tmp_path / "made.jsonl"))
    assert made.secret is not None
    profile = Profile(name="svc")
    profile.entra.path = EntraPath.IMPORT
    server = profile.entra.server_app
    server.object_id, server.app_id = made.apps.server.object_id, made.apps.server.app_id
    server.secret_key_id = made.secret.key_id
    server.secret_expiry = datetime.fromisoformat(made.secret.end_date_time)
    target = tmp_path / "new.txt"
    added = await rotate_secret.add_secret(graph, profile, target)
    assert target.read_text() == added.secret.secret_text + "\n"
    rotate_secret.record_added(profile, added)
    pending = pending_rotation(profile)
    assert pending is not None and pending.new_key_id == added.secret.key_id and pending.secret_file == str(target)
    assert added.secret.secret_text not in profile.model_dump_json()
    with pytest.raises(RotationRefused, match="already added"):
        await rotate_secret.add_secret(graph, profile, tmp_path / "again.txt")
    tenant = await rotate_secret.read_tenant(graph, profile)
    assert {s.key_id for s in tenant.secrets} == {made.secret.key_id, added.secret.key_id}
    removed = await rotate_secret.remove_old(graph, profile, confirmed=True)
    assert removed.old_key_id == made.secret.key_id
    rotate_secret.record_removed(profile)
    assert profile.entra.server_app.secret_key_id == added.secret.key_id and pending_rotation(profile) is None
    said = rotate_secret.record_tenant(profile, await rotate_secret.read_tenant(graph, profile))
    assert added.secret.key_id in said
