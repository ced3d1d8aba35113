"""Every Graph gateway method and the app-registration flow against the sandbox (real msgraph-sdk)."""

from __future__ import annotations

import pytest

from cmgtui.cloud.app_registration import AppSpec, create_apps, resume, unfinished
from cmgtui.cloud.app_verify import verify_apps
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.graph import GraphGateway
from cmgtui.cloud.journal import OperationsJournal
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import DIRECTORY_READ_ALL, GRAPH_SP_ID, TENANT_ID, USER_READ
from cmgtui.domain.rules.results import Status


@pytest.fixture
def journal(tmp_path) -> OperationsJournal:
    return OperationsJournal(tmp_path / "ops.journal.jsonl")


def _apps(sandbox: SandboxServer, name: str) -> list[dict]:
    return [a for a in sandbox.state.applications.values() if a["displayName"] == name]


async def test_organization(graph: GraphGateway) -> None:
    org = await graph.organization()
    assert org.tenant_id == TENANT_ID and org.display_name == "Contoso"
    assert org.verified_domains == ("contoso.onmicrosoft.com", "contoso.com")
    assert org.initial_domain == "contoso.onmicrosoft.com"


@pytest.mark.parametrize("roles", [
    ["Global Administrator"],
    ["Cloud Application Administrator", "Application Developer"],
    [],
])
async def test_signed_in_user_roles_are_resolved(graph: GraphGateway, sandbox: SandboxServer,
                                                 roles: list[str]) -> None:
    sandbox.state.set_user_roles(roles)
    user = await graph.signed_in_user()
    assert user.user_principal_name == "admin@contoso.onmicrosoft.com"
    assert user.roles == tuple(sorted(roles))
    assert user.has_any("Global Administrator") == ("Global Administrator" in roles)


async def test_graph_permission_ids_read_from_the_tenant(graph: GraphGateway) -> None:
    sp_id, roles, scopes = await graph.graph_permission_ids()
    assert sp_id == GRAPH_SP_ID
    assert roles["Directory.Read.All"] == DIRECTORY_READ_ALL and scopes["User.Read"] == USER_READ


async def test_create_apps_builds_the_shapes_of_the_domain_sheet(graph: GraphGateway, sandbox: SandboxServer,
                                                                journal: OperationsJournal) -> None:
    lines: list[str] = []
    made = await create_apps(graph, AppSpec(user_discovery=True, secret_months=24), journal,
                                     log=lines.append)
    apps, secret = made.apps, made.secret
    state = sandbox.state
    server = state.applications[apps.server.object_id]
    client = state.applications[apps.client.object_id]
    assert apps.app_id_uri == f"api://{TENANT_ID}/ConfigMgrService"
    assert server["identifierUris"] == [apps.app_id_uri] and server["signInAudience"] == "AzureADMyOrg"
    assert server["web"]["redirectUris"] == ["http://localhost"]
    assert server["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] is True
    scope = server["api"]["oauth2PermissionScopes"][0]
    assert scope["value"] == "user_impersonation" and scope["type"] == "User" and scope["isEnabled"]
    assert server["requiredResourceAccess"] == [{"resourceAppId": "00000003-0000-0000-c000-000000000000",
                                                 "resourceAccess": [{"id": DIRECTORY_READ_ALL, "type": "Role"}]}]
    assert client["isFallbackPublicClient"] is True
    assert client["publicClient"]["redirectUris"] == [
        f"ms-appx-web://Microsoft.AAD.BrokerPlugin/{apps.client.app_id}"]
    assert client["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] is True
    access = {r["resourceAppId"]: r["resourceAccess"] for r in client["requiredResourceAccess"]}
    assert access[apps.server.app_id] == [{"id": scope["id"], "type": "Scope"}]
    assert access["00000003-0000-0000-c000-000000000000"] == [{"id": USER_READ, "type": "Scope"}]
    sps = {s["appId"]: s["id"] for s in state.service_principals.values()}
    assert sps[apps.server.app_id] == apps.server_sp_id and sps[apps.client.app_id] == apps.client_sp_id
    grants = {(g["resourceId"], g["scope"], g["consentType"]) for g in state.grants.values()}
    assert grants == {(apps.server_sp_id, "user_impersonation", "AllPrincipals"),
                      (GRAPH_SP_ID, "User.Read", "AllPrincipals")}
    assert [(a["principalId"], a["appRoleId"]) for a in state.app_role_assignments] == [
        (apps.server_sp_id, DIRECTORY_READ_ALL)]
    assert secret is not None and len(secret.secret_text) >= 16
    assert secret.end_date_time[:4] == str(int(server["passwordCredentials"][0]["endDateTime"][:4]))
    journal_text = journal.path.read_text()
    assert secret.secret_text not in journal_text
    assert all(secret.secret_text not in line for line in lines)
    assert secret.secret_text not in repr(secret)
    assert journal.pending() == []


async def test_create_apps_without_user_discovery_keeps_user_read(graph: GraphGateway, sandbox: SandboxServer,
                                                                 journal: OperationsJournal) -> None:
    made = await create_apps(graph, AppSpec(secret_months=None,
                                                    app_id_uri="https://contoso.com/ConfigMgrService"), journal)
    apps, secret = made.apps, made.secret
    server = sandbox.state.applications[apps.server.object_id]
    assert secret is None and server["passwordCredentials"] == []
    assert server["identifierUris"] == ["https://contoso.com/ConfigMgrService"]
    assert server["requiredResourceAccess"][0]["resourceAccess"] == [{"id": USER_READ, "type": "Scope"}]
    assert sandbox.state.app_role_assignments == []


async def test_running_create_twice_makes_no_second_app_or_secret(graph: GraphGateway, sandbox: SandboxServer,
                                                                  journal: OperationsJournal) -> None:
    first = (await create_apps(graph, AppSpec(), journal)).apps
    lines: list[str] = []
    again = await create_apps(graph, AppSpec(), journal, log=lines.append)
    second, secret = again.apps, again.secret
    assert (first.server, first.client) == (second.server, second.client)
    assert len(_apps(sandbox, "CMG-ServerApp")) == 1 and len(_apps(sandbox, "CMG-ClientApp")) == 1
    assert len(sandbox.state.service_principals) == 3 and len(sandbox.state.grants) == 2
    assert secret is None
    assert len(sandbox.state.applications[first.server.object_id]["passwordCredentials"]) == 1
    assert any("reusing it" in line for line in lines)


async def test_an_app_cmgtui_did_not_make_is_a_conflict(graph: GraphGateway, journal: OperationsJournal) -> None:
    from msgraph.generated.models.application import Application

    await graph.client.applications.post(Application(display_name="CMG-ServerApp"))
    with pytest.raises(CloudError) as info:
        await create_apps(graph, AppSpec(), journal)
    assert info.value.kind == "conflict" and "import" in info.value.what_to_do
    assert [p.kind for p in journal.pending()] == ["create_apps"]


async def test_application_developer_cannot_grant_consent(graph: GraphGateway, sandbox: SandboxServer,
                                                          journal: OperationsJournal) -> None:
    sandbox.state.set_user_roles(["Application Developer"])
    with pytest.raises(CloudError) as info:
        await create_apps(graph, AppSpec(secret_months=None), journal)
    assert info.value.kind == "forbidden" and "Global Administrator" in info.value.what_to_do
    sandbox.state.set_user_roles(["Global Administrator"])
    await create_apps(graph, AppSpec(secret_months=None), journal)
    assert len(_apps(sandbox, "CMG-ServerApp")) == 1 and len(sandbox.state.grants) == 2
    assert len(journal.pending()) == 1  # the refused run is still open in the journal
    pending = unfinished(journal)
    assert pending is not None
    await resume(graph, journal, pending)
    assert journal.pending() == []
    assert len(_apps(sandbox, "CMG-ServerApp")) == 1 and len(_apps(sandbox, "CMG-ClientApp")) == 1


async def test_no_role_cannot_create_apps(graph: GraphGateway, sandbox: SandboxServer,
                                          journal: OperationsJournal) -> None:
    sandbox.state.set_user_roles([])
    with pytest.raises(CloudError) as info:
        await create_apps(graph, AppSpec(), journal)
    assert info.value.kind == "forbidden" and sandbox.state.applications == {}


async def test_find_apps_by_name_and_app_id(graph: GraphGateway, journal: OperationsJournal) -> None:
    apps = (await create_apps(graph, AppSpec(secret_months=None), journal)).apps
    by_name = await graph.find_apps(display_name="CMG-ClientApp")
    by_id = await graph.find_apps(app_id=apps.server.app_id)
    assert [a.app_id for a in by_name] == [apps.client.app_id]
    assert [a.display_name for a in by_id] == ["CMG-ServerApp"]
    assert await graph.find_apps(display_name="O'Brien's app") == []
    with pytest.raises(ValueError):
        await graph.find_apps()


@pytest.mark.parametrize("months", [12, 24])
async def test_add_client_secret(graph: GraphGateway, sandbox: SandboxServer, journal: OperationsJournal,
                                 months: int) -> None:
    apps = (await create_apps(graph, AppSpec(secret_months=None), journal)).apps
    lines: list[str] = []
    secret = await graph.add_client_secret(apps.server.object_id, months, log=lines.append)
    stored = sandbox.state.applications[apps.server.object_id]["passwordCredentials"]
    assert [p["keyId"] for p in stored] == [secret.key_id] and stored[0]["secretText"] is None
    from datetime import datetime

    end = datetime.fromisoformat(secret.end_date_time.replace("Z", "+00:00"))
    start = datetime.fromisoformat(stored[0]["startDateTime"].replace("Z", "+00:00"))
    assert abs((end - start).days - months * 30.44) < 3
    assert all(secret.secret_text not in line for line in lines)


async def test_add_client_secret_rejects_other_lifetimes(graph: GraphGateway) -> None:
    with pytest.raises(ValueError, match="12 or 24"):
        await graph.add_client_secret("x", 6)


def test_app_spec_validation() -> None:
    with pytest.raises(ValueError, match="different names"):
        AppSpec(server_name="CMG", client_name="cmg")
    with pytest.raises(ValueError, match="12 or 24"):
        AppSpec(secret_months=36)


def _profile(user_discovery: bool = False):
    from cmgtui.model.profile import Profile

    profile = Profile(name="lab")
    profile.entra.user_discovery = user_discovery
    return profile


async def test_verify_apps_passes_for_created_apps(graph: GraphGateway, journal: OperationsJournal) -> None:
    apps = (await create_apps(graph, AppSpec(user_discovery=True, secret_months=None), journal)).apps
    results, evidence = await verify_apps(graph, _profile(True), server_app_id=apps.server.app_id,
                                          client_app_id=apps.client.app_id)
    assert {r.source.rsplit(" ", 1)[-1]: r.status for r in results} == {
        "V31": Status.PASS, "V33": Status.PASS, "V34": Status.PASS, "V35": Status.PASS, "V36": Status.PASS}
    data = evidence["graph.apps"].data
    assert data["server"]["scopes"] == ["user_impersonation"]
    assert data["server"]["app_roles_granted"] == ["Directory.Read.All"]
    assert data["client"]["consented_scopes"] == ["user_impersonation"]
    assert evidence["graph.organization"].data["verified_domains"] == ["contoso.onmicrosoft.com", "contoso.com"]


async def test_verify_apps_reports_each_broken_property(graph: GraphGateway, sandbox: SandboxServer,
                                                        journal: OperationsJournal) -> None:
    apps = (await create_apps(graph, AppSpec(secret_months=None), journal)).apps
    state = sandbox.state
    client = state.applications[apps.client.object_id]
    client["publicClient"]["redirectUris"] = []
    client["web"]["implicitGrantSettings"]["enableIdTokenIssuance"] = False
    state.applications[apps.server.object_id]["identifierUris"] = ["https://ConfigMgrService"]
    state.grants = {k: g for k, g in state.grants.items() if g["scope"] != "user_impersonation"}
    profile = _profile(True)
    profile.entra.server_app.app_id = apps.server.app_id
    profile.entra.client_app.app_id = apps.client.app_id
    results, _ = await verify_apps(graph, profile)
    by_ref = {r.source.rsplit(" ", 1)[-1]: r for r in results}
    assert by_ref["V31"].status is Status.WARN and "api://" in by_ref["V31"].message
    assert by_ref["V33"].status is Status.FAIL and "BrokerPlugin" in by_ref["V33"].fix
    assert by_ref["V34"].status is Status.FAIL and "consent" in by_ref["V34"].fix
    assert by_ref["V35"].status is Status.FAIL
    assert by_ref["V36"].status is Status.WARN and "client" in by_ref["V36"].message
    assert all(r.fix for r in results)
    assert profile.evidence == {}  # the caller's profile is not modified


async def test_verify_apps_with_unknown_ids(graph: GraphGateway) -> None:
    with pytest.raises(CloudError) as info:
        await verify_apps(graph, _profile(), server_app_id="11111111-1111-4111-8111-111111111111",
                          client_app_id="22222222-2222-4222-8222-222222222222")
    assert info.value.kind == "not_found" and "server app" in info.value.message
    with pytest.raises(ValueError, match="both"):
        await verify_apps(graph, _profile())


async def test_an_existing_consent_grant_is_extended_not_duplicated(graph: GraphGateway, sandbox: SandboxServer,
                                                                    journal: OperationsJournal) -> None:
    apps = (await create_apps(graph, AppSpec(secret_months=None), journal)).apps
    grants = sandbox.state.grants
    server_grant = next(g for g in grants.values() if g["resourceId"] == apps.server_sp_id)
    server_grant["scope"] = "other_scope"
    lines: list[str] = []
    await create_apps(graph, AppSpec(secret_months=None), journal, log=lines.append)
    assert len(grants) == 2 and server_grant["scope"] == "other_scope user_impersonation"
    assert any("Adding user_impersonation to the existing admin consent" in line for line in lines)


async def test_identifier_uri_taken_by_another_app_is_a_conflict(graph: GraphGateway, sandbox: SandboxServer,
                                                                 journal: OperationsJournal) -> None:
    from msgraph.generated.models.application import Application

    await graph.client.applications.post(Application(
        display_name="Someone else's app", identifier_uris=[f"api://{TENANT_ID}/ConfigMgrService"]))
    with pytest.raises(CloudError) as info:
        await create_apps(graph, AppSpec(), journal)
    assert info.value.kind == "conflict" and "Application ID URI" in info.value.message
    assert len(sandbox.state.applications) == 1
