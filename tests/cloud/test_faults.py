"""Reliability against injected faults: throttling storms, 5xx, dropped connections, latency."""

from __future__ import annotations

import asyncio

import pytest

from cmgtui.cloud.app_registration import AppSpec, create_apps, resume, unfinished
from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.credentials import CloudSession
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION as SUB


def _log_for(sandbox: SandboxServer, fragment: str):
    return [r for r in sandbox.requests if fragment in r.path]


async def test_arm_429_storm_honours_retry_after_and_succeeds(arm: ArmGateway, sandbox: SandboxServer,
                                                              retry_clock) -> None:
    sandbox.faults.update(throttle=2, retry_after=7, match="/Microsoft.Storage/")
    # Warm the token first so only the name check is throttled.
    await arm.list_subscriptions()
    result = await arm.check_storage_name(SUB, "fabrikamcmg")
    assert result.available
    calls = _log_for(sandbox, "/Microsoft.Storage/")
    assert [c.status for c in calls] == [429, 429, 200]
    assert retry_clock.waits == [7.0, 7.0]  # the service's Retry-After, not the backoff


async def test_graph_429_storm_honours_retry_after_and_succeeds(graph: GraphGateway, sandbox: SandboxServer,
                                                                retry_clock) -> None:
    sandbox.faults.update(throttle=2, retry_after=7, match="/v1.0/organization")
    org = await graph.organization()
    assert org.display_name == "Contoso"
    calls = _log_for(sandbox, "/v1.0/organization")
    assert [c.status for c in calls] == [429, 429, 200]
    assert retry_clock.waits == [7.0, 7.0]


async def test_throttling_that_never_ends_becomes_a_throttled_error(session: CloudSession,
                                                                    sandbox: SandboxServer) -> None:
    sandbox.faults.update(throttle=10, retry_after=0, match="/locations")
    async with ArmGateway(session, attempts=3) as arm:
        with pytest.raises(CloudError) as info:
            await arm.list_locations(SUB)
    assert info.value.kind == "throttled" and "Wait" in info.value.what_to_do
    assert [c.status for c in _log_for(sandbox, "/locations")] == [429, 429, 429]


async def test_503s_are_retried(arm: ArmGateway, sandbox: SandboxServer) -> None:
    sandbox.faults.update(errors=2, error_status=503, match="/resourcegroups")
    groups = await arm.list_resource_groups(SUB)
    assert [g.name for g in groups] == ["cmg-rg"]
    assert [c.status for c in _log_for(sandbox, "/resourcegroups")] == [503, 503, 200]


async def test_500_is_not_retried_and_is_explained(arm: ArmGateway, graph: GraphGateway,
                                                   sandbox: SandboxServer) -> None:
    sandbox.faults.update(errors=1, error_status=500, match="/providers/Microsoft.Compute")
    with pytest.raises(CloudError) as info:
        await arm.provider_state(SUB, "Microsoft.Compute")
    assert info.value.kind == "unexpected" and "500" in info.value.message
    assert "Traceback" not in str(info.value)
    sandbox.faults.update(errors=1, error_status=500, match="/v1.0/me")
    with pytest.raises(CloudError) as graph_info:
        await graph.signed_in_user()
    assert graph_info.value.kind == "unexpected" and graph_info.value.status == 500


async def test_dropped_read_is_retried(arm: ArmGateway, sandbox: SandboxServer) -> None:
    await arm.list_subscriptions()
    sandbox.faults.update(drop="GET /subscriptions/*", drop_when="before")
    groups = await arm.list_resource_groups(SUB)
    assert [g.name for g in groups] == ["cmg-rg"]
    assert [c.status for c in _log_for(sandbox, "/resourcegroups")] == [0, 200]


async def test_revoked_token_is_replaced_once_silently(arm: ArmGateway, graph: GraphGateway,
                                                       sandbox: SandboxServer) -> None:
    await arm.list_subscriptions()
    await graph.organization()
    sandbox.state.revoke_tokens()
    assert len(await arm.list_subscriptions()) == 2
    assert (await graph.organization()).display_name == "Contoso"
    statuses = [r.status for r in sandbox.requests if r.path in ("/subscriptions", "/v1.0/organization")]
    # Clearing the cache after the ARM 401 also replaced the Graph token.
    assert statuses == [200, 200, 401, 200, 200]


async def test_expired_sign_in_maps_to_sign_in_expired(arm: ArmGateway, graph: GraphGateway,
                                                       sandbox: SandboxServer) -> None:
    await arm.list_subscriptions()
    await graph.organization()
    sandbox.state.revoke_tokens()
    sandbox.state.refuse_sign_in = True
    with pytest.raises(CloudError) as info:
        await arm.list_subscriptions()
    assert info.value.kind == "sign_in_expired" and "Sign in again" in info.value.what_to_do
    with pytest.raises(CloudError) as graph_info:
        await graph.organization()
    assert graph_info.value.kind == "sign_in_expired"


async def test_unreachable_service_is_a_network_error(session: CloudSession, sandbox: SandboxServer) -> None:
    from dataclasses import replace

    from cmgtui.domain.azure.endpoints import CloudEndpoints

    await session.sign_in()
    dead = replace(session, endpoints=CloudEndpoints(
        session.endpoints.authority_host, "https://127.0.0.1:9", session.endpoints.arm_scope,
        "https://127.0.0.1:9"))
    async with ArmGateway(dead, attempts=2) as arm:
        with pytest.raises(CloudError) as info:
            await arm.list_subscriptions()
    assert info.value.kind == "network" and "443" in info.value.what_to_do


async def test_connection_dropped_during_app_creation_is_sent_again_without_a_duplicate(
        graph: GraphGateway, sandbox: SandboxServer, tmp_path) -> None:
    journal = OperationsJournal(tmp_path / "ops.journal.jsonl")
    # The client app's upsert is performed but its answer is lost: sending it again is safe
    # (same uniqueName), so the run completes with one client app.
    sandbox.faults.update(drop="PATCH /v1.0/applications(uniqueName=*", drop_when="after", drop_skip=1)
    lines: list[str] = []
    made = await create_apps(graph, AppSpec(), journal, log=lines.append)
    apps, secret = made.apps, made.secret
    state = sandbox.state
    assert sorted(a["displayName"] for a in state.applications.values()) == ["CMG-ClientApp", "CMG-ServerApp"]
    assert [r.status for r in sandbox.requests if "uniqueName" in r.path].count(0) == 1
    assert secret is not None and len(state.applications[apps.server.object_id]["passwordCredentials"]) == 1
    assert len(state.service_principals) == 3 and len(state.grants) == 2
    assert journal.pending() == []
    assert any("connection failed; retrying" in line for line in lines)


async def test_secret_lost_mid_call_is_reported_on_resume(graph: GraphGateway, sandbox: SandboxServer,
                                                          tmp_path) -> None:
    journal = OperationsJournal(tmp_path / "ops.journal.jsonl")
    sandbox.faults.update(drop="POST /v1.0/applications/*", drop_when="after")
    with pytest.raises(CloudError):
        await create_apps(graph, AppSpec(), journal)
    lines: list[str] = []
    pending = unfinished(journal)
    assert pending is not None
    made = await resume(graph, journal, pending, log=lines.append)
    apps, secret = made.apps, made.secret
    keys = [p["keyId"] for p in sandbox.state.applications[apps.server.object_id]["passwordCredentials"]]
    # The secret whose answer was lost is useless (nobody has its text): it is removed, and the
    # app ends with exactly the one new secret that was shown.
    assert secret is not None and keys == [secret.key_id]
    assert any("Removing client secret" in line and "no file received it" in line for line in lines)
    assert len(sandbox.state.applications) == 2


async def test_concurrent_name_checks_with_latency_are_correct(arm: ArmGateway, sandbox: SandboxServer) -> None:
    await arm.list_subscriptions()
    for provider in sandbox.state.providers[SUB].values():
        provider.state = "Registered"
    sandbox.faults.update(latency_ms=200)
    prefixes = ["contosocmg", "fabrikamcmg", "grcmg", "northwindcmg", "tailspincmg"]
    reports = await asyncio.gather(*(arm.check_all_names(SUB, p, "westus", max_suggestions=1)
                                     for p in prefixes))
    verdicts = {r.prefix: {c.kind: c.available for c in r.checks} for r in reports}
    assert verdicts["contosocmg"] == {"dns_label": False, "key_vault": False, "storage": False}
    assert verdicts["grcmg"] == {"dns_label": False, "key_vault": False, "storage": False}
    for free in ("fabrikamcmg", "northwindcmg", "tailspincmg"):
        assert all(verdicts[free].values())
