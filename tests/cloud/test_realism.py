"""The sandbox behaves like ARM, Graph and the identity platform, and the product copes.

Each behaviour has a sandbox test (raw HTTPS: status, error code and body in the shape of the
public reference) and a product test (the real SDKs through the gateways). References:
azure-rest-api-specs examples and the MissingSubscriptionRegistration / InvalidAuthenticationToken*
answers ARM gives; azure-mgmt-core's ARMAutoResourceProviderRegistrationPolicy; the Graph docs
(application-post-applications, application-addpassword, application-upsert,
serviceprincipal-post-serviceprincipals, user-list-transitivememberof, aad-advanced-queries);
MSAL's device flow (authorization_pending / authorization_declined / expired_token).
"""

from __future__ import annotations

import ssl
from typing import Any

import httpx
import pytest

from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.credentials import CloudSession, SignInMethod, open_session
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.graph import GraphGateway
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION, READER_SUBSCRIPTION, TENANT_ID

SUB = OWNER_SUBSCRIPTION
ARM = "https://management.azure.com"
GRAPH = "https://graph.microsoft.com"
OTHER_TENANT = "0c0ffee0-1111-4222-8333-444455556666"


def _raw(sandbox: SandboxServer, method: str, path: str, *, audience: str = ARM, tenant: str | None = None,
         app_only: bool = False, headers: dict[str, str] | None = None, json: Any = None,
         token: str | None = None) -> httpx.Response:
    """One HTTPS request to the sandbox with a token for ``audience`` (no SDK involved)."""
    context = ssl.create_default_context(cafile=str(sandbox.ca_path))
    bearer = token or sandbox.state.issue_token(audience=audience, tenant=tenant, app_only=app_only)
    with httpx.Client(verify=context, base_url=sandbox.url) as client:
        return client.request(method, path, json=json,
                              headers={"Authorization": f"Bearer {bearer}", **(headers or {})})


def _error(response: httpx.Response) -> dict:
    return response.json()["error"]


# -- (a) provider registration -----------------------------------------------------------------

def test_sandbox_name_check_in_an_unregistered_namespace_is_409(sandbox: SandboxServer) -> None:
    response = _raw(sandbox, "POST", f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/checkNameAvailability"
                    "?api-version=2022-07-01", json={"name": "fabrikam", "type": "Microsoft.KeyVault/vaults"})
    assert response.status_code == 409
    error = _error(response)
    assert error["code"] == "MissingSubscriptionRegistration"
    assert error["message"] == ("The subscription is not registered to use namespace 'Microsoft.KeyVault'. "
                                "See https://aka.ms/rps-not-found for how to register subscriptions.")
    assert error["details"] == [{"code": "MissingSubscriptionRegistration", "target": "Microsoft.KeyVault",
                                 "message": error["message"]}]


def test_sandbox_registration_stays_registering_for_the_configured_reads(sandbox: SandboxServer) -> None:
    sandbox.state.scenario.behaviour.registration_reads = 3
    base = f"/subscriptions/{SUB}/providers/Microsoft.KeyVault"
    assert _raw(sandbox, "POST", f"{base}/register?api-version=2021-04-01").json()["registrationState"] == \
        "Registering"
    states = [_raw(sandbox, "GET", f"{base}?api-version=2025-04-01").json()["registrationState"]
              for _ in range(4)]
    assert states == ["Registering", "Registering", "Registering", "Registered"]


async def test_name_check_never_registers_and_says_register_first(arm: ArmGateway, sandbox: SandboxServer) -> None:
    lines: list[str] = []
    report = await arm.check_all_names(SUB, "fabrikamcmg", "westus", log=lines.append)
    vault = next(c for c in report.checks if c.kind == "key_vault")
    assert vault.unregistered_namespace == "Microsoft.KeyVault" and not vault.available
    assert "Register Microsoft.KeyVault first (Fix offers it)" in vault.message
    assert "choose another name" not in " ".join(lines).lower()
    assert report.suggestion is None and report.unregistered == ("Microsoft.KeyVault",)
    # No implicit registration: azure-mgmt-core's auto-registration policy is not in the pipeline.
    assert not any(r.path.endswith("/register") for r in sandbox.requests)
    assert sandbox.state.providers[SUB]["Microsoft.KeyVault"].state == "NotRegistered"


# -- (b) permissions ---------------------------------------------------------------------------

def test_sandbox_permissions_have_one_entry_per_role(sandbox: SandboxServer) -> None:
    response = _raw(sandbox, "GET", f"/subscriptions/{SUB}/providers/Microsoft.Authorization/permissions"
                    "?api-version=2022-04-01")
    entries = response.json()["value"]
    assert response.status_code == 200 and len(entries) == 2
    owner, contributor = entries
    assert owner == {"actions": ["*"], "notActions": [], "dataActions": [], "notDataActions": []}
    assert contributor["actions"] == ["*"]
    assert "Microsoft.Authorization/*/Write" in contributor["notActions"]
    assert "Microsoft.Authorization/elevateAccess/Action" in contributor["notActions"]


# -- disabled subscription and api-versions --------------------------------------------------

def test_sandbox_write_in_a_disabled_subscription_is_read_only(sandbox: SandboxServer) -> None:
    sandbox.state.set_subscription_roles(READER_SUBSCRIPTION, ["Owner"])
    response = _raw(sandbox, "PUT", f"/subscriptions/{READER_SUBSCRIPTION}/resourcegroups/new-rg"
                    "?api-version=2025-04-01", json={"location": "westus"})
    assert response.status_code == 409
    assert _error(response)["code"] == "ReadOnlyDisabledSubscription"
    assert "is disabled and therefore marked as read only" in _error(response)["message"]


async def test_write_in_a_disabled_subscription_says_so(arm: ArmGateway, sandbox: SandboxServer) -> None:
    sandbox.state.set_subscription_roles(READER_SUBSCRIPTION, ["Owner"])
    with pytest.raises(CloudError) as info:
        await arm.create_resource_group(READER_SUBSCRIPTION, "new-rg", "westus")
    assert info.value.code == "ReadOnlyDisabledSubscription" and "disabled" in info.value.message
    assert "enabled subscription" in info.value.what_to_do


def test_sandbox_refuses_an_api_version_that_does_not_exist(sandbox: SandboxServer) -> None:
    response = _raw(sandbox, "GET", "/subscriptions?api-version=2099-01-01")
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "InvalidApiVersionParameter"
    assert error["message"].startswith("The api-version '2099-01-01' is invalid. The supported versions are")
    assert "2022-12-01" in error["message"]


# -- (c) Graph replication ---------------------------------------------------------------------

def test_sandbox_new_application_is_invisible_for_the_configured_requests(sandbox: SandboxServer) -> None:
    sandbox.state.scenario.behaviour.replication_reads = 2
    created = _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH, json={"displayName": "Lagging"})
    assert created.status_code == 201
    app = created.json()
    sp = _raw(sandbox, "POST", "/v1.0/servicePrincipals", audience=GRAPH, json={"appId": app["appId"]})
    assert sp.status_code == 400 and _error(sp)["code"] == "Request_BadRequest"
    assert _error(sp)["message"] == (f"The appId '{app['appId']}' of the service principal does not "
                                     "reference a valid application object.")
    missing = _raw(sandbox, "GET", f"/v1.0/applications/{app['id']}", audience=GRAPH)
    assert missing.status_code == 404 and _error(missing)["code"] == "Request_ResourceNotFound"
    assert _raw(sandbox, "GET", f"/v1.0/applications/{app['id']}", audience=GRAPH).status_code == 200


def test_sandbox_upsert_creates_then_updates(sandbox: SandboxServer) -> None:
    path = "/v1.0/applications(uniqueName='app-65278')"
    prefer = {"Prefer": "create-if-missing"}
    assert _raw(sandbox, "PATCH", path, audience=GRAPH, json={"displayName": "x"}).status_code == 404
    first = _raw(sandbox, "PATCH", path, audience=GRAPH, headers=prefer, json={"displayName": "Display name"})
    assert first.status_code == 201 and first.json()["uniqueName"] == "app-65278"
    again = _raw(sandbox, "PATCH", path, audience=GRAPH, headers=prefer, json={"displayName": "Display name"})
    assert again.status_code == 204 and len(sandbox.state.applications) == 1


# -- (d) directory roles -------------------------------------------------------------------------

_ROLES = "/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole"


def test_sandbox_directory_roles_need_the_advanced_query_parameters(sandbox: SandboxServer) -> None:
    plain = _raw(sandbox, "GET", _ROLES, audience=GRAPH)
    assert plain.status_code == 400 and _error(plain)["code"] == "Request_UnsupportedQuery"
    assert "$count=true" in _error(plain)["message"] and "ConsistencyLevel" in _error(plain)["message"]
    only_header = _raw(sandbox, "GET", _ROLES, audience=GRAPH, headers={"ConsistencyLevel": "eventual"})
    assert only_header.status_code == 400
    sandbox.state.set_user_roles(["Cloud Application Administrator"], eligible=["Global Administrator"])
    ok = _raw(sandbox, "GET", f"{_ROLES}?$count=true", audience=GRAPH, headers={"ConsistencyLevel": "eventual"})
    assert ok.status_code == 200 and ok.json()["@odata.count"] == 1
    assert [r["displayName"] for r in ok.json()["value"]] == ["Cloud Application Administrator"]


def test_sandbox_me_refuses_app_only_tokens(sandbox: SandboxServer) -> None:
    response = _raw(sandbox, "GET", "/v1.0/me", audience=GRAPH, app_only=True)
    assert response.status_code == 400
    assert _error(response) | {"innerError": None} == {"code": "BadRequest", "innerError": None, "message":
                                                        "/me request is only valid with delegated "
                                                        "authentication flow."}


async def test_eligible_global_administrator_is_reported_apart(graph: GraphGateway, sandbox: SandboxServer) -> None:
    sandbox.state.set_user_roles(["Cloud Application Administrator"], eligible=["Global Administrator"])
    user = await graph.signed_in_user()
    assert user.roles == ("Cloud Application Administrator",)
    assert user.eligible_roles == ("Global Administrator",)


async def test_service_principal_sign_in_skips_me(sandbox: SandboxServer) -> None:
    session = open_session(SignInMethod.SERVICE_PRINCIPAL, sandbox_url=sandbox.url, ca_path=sandbox.ca_path)
    async with GraphGateway(session) as graph:
        user = await graph.signed_in_user()
        org = await graph.organization()
    assert user.app_only and user.roles == () and org.tenant_id == TENANT_ID
    assert not any(r.path.startswith("/v1.0/me") for r in sandbox.requests)


# -- (e) identifier URIs and signInAudience --------------------------------------------------------

@pytest.mark.parametrize(("uri", "status", "code"), [
    ("https://ConfigMgrService", 400, "HostNameNotOnVerifiedDomain"),
    ("https://cmg.fabrikam.com/ConfigMgrService", 400, "HostNameNotOnVerifiedDomain"),
    ("https://contoso.com/ConfigMgrService", 201, None),
    ("https://cmg.contoso.com/ConfigMgrService", 201, None),
    (f"api://{TENANT_ID}/ConfigMgrService", 201, None),
])
def test_sandbox_identifier_uri_rules(sandbox: SandboxServer, uri: str, status: int, code: str | None) -> None:
    response = _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH,
                    json={"displayName": "Uri test", "identifierUris": [uri]})
    assert response.status_code == status
    if code:
        assert _error(response)["code"] == code
        assert _error(response)["message"] == ("Values of identifierUris property must use a verified domain "
                                               f"of the organization or its subdomain: '{uri}'")


def test_sandbox_duplicate_uri_and_bad_audience_are_refused(sandbox: SandboxServer) -> None:
    body = {"displayName": "One", "identifierUris": ["api://shared"]}
    assert _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH, json=body).status_code == 201
    duplicate = _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH, json=dict(body, displayName="Two"))
    assert duplicate.status_code == 400 and _error(duplicate)["message"] == (
        "Another object with the same value for property identifierUris already exists.")
    audience = _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH,
                    json={"displayName": "Three", "signInAudience": "Everyone"})
    assert audience.status_code == 400 and "signInAudience" in _error(audience)["message"]


async def test_unverified_https_uri_is_refused_before_any_create(graph: GraphGateway, sandbox: SandboxServer,
                                                                 tmp_path) -> None:
    from cmgtui.cloud.app_registration import AppSpec, create_apps
    from cmgtui.cloud.journal import OperationsJournal

    with pytest.raises(CloudError) as info:
        await create_apps(graph, AppSpec(app_id_uri="https://ConfigMgrService"),
                          OperationsJournal(tmp_path / "j.jsonl"))
    assert info.value.kind == "invalid" and "not a verified domain" in info.value.message
    assert "contoso.com" in info.value.message and "api://" in info.value.what_to_do
    assert sandbox.state.applications == {}
    assert not any(r.method in ("POST", "PATCH") for r in sandbox.requests if r.path.startswith("/v1.0"))


async def test_graph_400s_are_mapped_to_their_real_cause(graph: GraphGateway) -> None:
    from msgraph.generated.models.application import Application

    with pytest.raises(CloudError) as host:
        await graph.call(lambda: graph.client.applications.post(Application(
            display_name="x", identifier_uris=["https://ConfigMgrService"])), "create app 'x'")
    assert host.value.kind == "invalid" and host.value.code == "HostNameNotOnVerifiedDomain"
    await graph.call(lambda: graph.client.applications.post(Application(
        display_name="a", identifier_uris=["api://taken"])), "create app 'a'")
    with pytest.raises(CloudError) as dup:
        await graph.call(lambda: graph.client.applications.post(Application(
            display_name="b", identifier_uris=["api://taken"])), "create app 'b'")
    assert dup.value.kind == "conflict" and "Application ID URI" in dup.value.message


# -- (f) tokens ------------------------------------------------------------------------------------

def test_sandbox_refuses_tokens_for_another_audience_or_tenant(sandbox: SandboxServer) -> None:
    wrong_audience = _raw(sandbox, "GET", f"/subscriptions/{SUB}/locations?api-version=2022-12-01",
                          audience=GRAPH)
    assert wrong_audience.status_code == 401
    assert _error(wrong_audience)["code"] == "InvalidAuthenticationTokenAudience"
    assert "wrong audience or resource 'https://graph.microsoft.com'" in _error(wrong_audience)["message"]
    wrong_tenant = _raw(sandbox, "GET", f"/subscriptions/{SUB}/locations?api-version=2022-12-01",
                        tenant=OTHER_TENANT)
    assert wrong_tenant.status_code == 401
    message = _error(wrong_tenant)["message"]
    assert _error(wrong_tenant)["code"] == "InvalidAuthenticationTokenTenant"
    assert f"wrong issuer 'https://sts.windows.net/{OTHER_TENANT}/'" in message and TENANT_ID in message
    graph_for_arm = _raw(sandbox, "GET", "/v1.0/organization", audience=ARM)
    assert graph_for_arm.status_code == 401 and _error(graph_for_arm)["code"] == "InvalidAuthenticationToken"


async def test_a_token_for_another_tenant_names_both_tenants(sandbox: SandboxServer) -> None:
    session = open_session(SignInMethod.SANDBOX, sandbox_url=sandbox.url, ca_path=sandbox.ca_path,
                           tenant_id=OTHER_TENANT)
    async with ArmGateway(session) as arm:
        with pytest.raises(CloudError) as info:
            await arm.list_locations(SUB)
    assert info.value.kind == "wrong_tenant"
    assert OTHER_TENANT in info.value.message and TENANT_ID in info.value.message
    assert f"--tenant {TENANT_ID}" in info.value.what_to_do


async def test_token_endpoint_throttling_is_retried_not_signed_out(session: CloudSession,
                                                                   sandbox: SandboxServer) -> None:
    sandbox.faults.update(throttle=2, retry_after=0, match="/oauth2/v2.0/token")
    await session.sign_in()
    token_calls = [r.status for r in sandbox.requests if r.path.endswith("/oauth2/v2.0/token")]
    assert token_calls == [429, 429, 200] and not session.signed_out


async def test_token_endpoint_5xx_is_retried(session: CloudSession, sandbox: SandboxServer) -> None:
    sandbox.faults.update(errors=1, error_status=500, match="/oauth2/v2.0/token")
    await session.sign_in()
    assert [r.status for r in sandbox.requests if r.path.endswith("/token")] == [500, 200]


async def test_revoked_grant_still_asks_to_sign_in_again(session: CloudSession, sandbox: SandboxServer) -> None:
    sandbox.state.refuse_sign_in = True
    with pytest.raises(CloudError) as info:
        await session.sign_in()
    assert info.value.kind == "sign_in_expired" and "Sign in again" in info.value.what_to_do


# -- (g) paging ------------------------------------------------------------------------------------

def test_sandbox_lists_are_paged_with_next_links(sandbox: SandboxServer) -> None:
    first = _raw(sandbox, "GET", f"/subscriptions/{SUB}/locations?api-version=2022-12-01").json()
    assert len(first["value"]) == 10 and "$skiptoken=10" in first["nextLink"]
    sandbox.state.scenario.behaviour.page_size = 1
    for name in ("A", "B"):
        _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH, json={"displayName": name})
    sandbox.state.scenario.behaviour.replication_reads = 0
    sandbox.state.hidden_until.clear()
    page = _raw(sandbox, "GET", "/v1.0/applications", audience=GRAPH).json()
    assert len(page["value"]) == 1 and "@odata.nextLink" in page


async def test_every_list_is_read_to_the_end(arm: ArmGateway, graph: GraphGateway, sandbox: SandboxServer) -> None:
    from cmgtui.sandbox.state import LOCATIONS

    locations = await arm.list_locations(SUB)
    assert len(locations) == len(LOCATIONS) == 22
    sandbox.state.scenario.behaviour.page_size = 1
    sandbox.state.set_user_roles(["Global Administrator", "Cloud Application Administrator"])
    assert (await graph.signed_in_user()).roles == ("Cloud Application Administrator", "Global Administrator")
    assert (await arm.is_owner(SUB)).roles == ("Contributor", "Owner")
    assert len(await arm.list_subscriptions()) == 2


async def test_us_government_cloud_sees_us_government_regions(sandbox: SandboxServer) -> None:
    from cmgtui.model.enums import AzureEnvironment

    session = open_session(SignInMethod.SANDBOX, AzureEnvironment.US_GOVERNMENT, sandbox_url=sandbox.url,
                           ca_path=sandbox.ca_path)
    async with ArmGateway(session) as arm:
        names = {loc.name for loc in await arm.list_locations(SUB)}
    assert names == {"usgovvirginia", "usgovarizona", "usgovtexas", "usdodeast", "usdodcentral"}


# -- (h) device code -------------------------------------------------------------------------------

def test_sandbox_device_code_is_pending_then_answers_as_the_scenario_says(sandbox: SandboxServer) -> None:
    context = ssl.create_default_context(cafile=str(sandbox.ca_path))
    sandbox.state.scenario.behaviour.device_code_polls = 2
    outcomes = {}
    for outcome in ("approve", "decline", "expire"):
        sandbox.state.scenario.behaviour.device_code = outcome
        with httpx.Client(verify=context, base_url=sandbox.url) as client:
            start = client.post("/organizations/oauth2/v2.0/devicecode",
                                data={"client_id": "c", "scope": f"{ARM}/.default"}).json()
            assert start["expires_in"] == 900 and start["verification_uri"].endswith("/devicelogin")
            answers = [client.post("/organizations/oauth2/v2.0/token", data={
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": "c",
                "device_code": start["device_code"]}) for _ in range(3)]
        assert [a.json().get("error") for a in answers[:2]] == ["authorization_pending"] * 2
        assert all(a.status_code == 400 for a in answers[:2])
        outcomes[outcome] = (answers[2].status_code, answers[2].json().get("error"))
    assert outcomes == {"approve": (200, None), "decline": (400, "authorization_declined"),
                        "expire": (400, "expired_token")}


@pytest.mark.parametrize(("outcome", "kind", "text"), [
    ("decline", "sign_in_failed", "declined"),
    ("expire", "sign_in_failed", "expired"),
])
async def test_device_code_declined_or_expired_is_explained(sandbox: SandboxServer, outcome: str, kind: str,
                                                            text: str) -> None:
    sandbox.state.device_code_interval = 0
    sandbox.state.scenario.behaviour.device_code = outcome
    session = open_session(SignInMethod.DEVICE_CODE, sandbox_url=sandbox.url, ca_path=sandbox.ca_path,
                           prompt_callback=lambda *a: None)
    with pytest.raises(CloudError) as info:
        await session.sign_in()
    assert info.value.kind == kind and text in info.value.message
    assert "Sign in again" in info.value.what_to_do


async def test_device_code_waits_through_pending_polls_then_signs_in(sandbox: SandboxServer) -> None:
    sandbox.state.device_code_interval = 0
    sandbox.state.scenario.behaviour.device_code_polls = 3
    prompts: list[tuple] = []
    session = open_session(SignInMethod.DEVICE_CODE, sandbox_url=sandbox.url, ca_path=sandbox.ca_path,
                           prompt_callback=lambda *a: prompts.append(a))
    await session.sign_in()
    token_answers = [r.status for r in sandbox.requests if r.path.endswith("/oauth2/v2.0/token")]
    assert token_answers == [400, 400, 400, 200] and len(prompts) == 1


async def test_device_code_can_be_cancelled(sandbox: SandboxServer) -> None:
    sandbox.state.device_code_interval = 0
    sandbox.state.scenario.behaviour.device_code_polls = 5
    holder: list[CloudSession] = []
    session = open_session(SignInMethod.DEVICE_CODE, sandbox_url=sandbox.url, ca_path=sandbox.ca_path,
                           prompt_callback=lambda *a: holder[0].cancel_sign_in())
    holder.append(session)
    with pytest.raises(CloudError) as info:
        await session.sign_in()
    assert info.value.code == "cancelled" and "cancelled" in info.value.message


def test_sandbox_graph_serves_the_tokens_own_tenant(sandbox: SandboxServer) -> None:
    org = _raw(sandbox, "GET", "/v1.0/organization", audience=GRAPH, tenant=OTHER_TENANT)
    assert org.status_code == 200 and org.json()["value"][0]["id"] == OTHER_TENANT
    apps = _raw(sandbox, "GET", "/v1.0/applications", audience=GRAPH, tenant=OTHER_TENANT)
    assert apps.status_code == 401 and OTHER_TENANT in _error(apps)["message"]


async def test_paged_grants_and_assignments_are_read_to_the_end(graph: GraphGateway, sandbox: SandboxServer,
                                                                tmp_path) -> None:
    from cmgtui.cloud.app_registration import AppSpec, create_apps
    from cmgtui.cloud.app_verify import read_app_evidence
    from cmgtui.cloud.journal import OperationsJournal

    sandbox.state.scenario.behaviour.page_size = 1
    apps = (await create_apps(graph, AppSpec(user_discovery=True), OperationsJournal(tmp_path / "j.jsonl"))).apps
    evidence = await read_app_evidence(graph, apps.server.app_id, apps.client.app_id)
    assert evidence["graph.apps"].data["server"]["app_roles_granted"] == ["Directory.Read.All"]
    assert evidence["graph.apps"].data["client"]["consented_scopes"] == ["user_impersonation"]


async def test_service_principal_gather_says_which_checks_it_cannot_make(sandbox: SandboxServer) -> None:
    from cmgtui.cloud.preflight import gather
    from cmgtui.model.profile import Profile

    session = open_session(SignInMethod.SERVICE_PRINCIPAL, sandbox_url=sandbox.url, ca_path=sandbox.ca_path)
    result = await gather(session, Profile(name="sp"), only=("roles", "organization"))
    assert [e.source for e in result.evidence] == ["graph.organization"] and result.errors == []
    assert any("directory roles" in s and "service principal" in s for s in result.skipped)
    assert not any(r.path.startswith("/v1.0/me") for r in sandbox.requests)


# -- removePassword ----------------------------------------------------------------------------

def test_sandbox_remove_password_answers_as_the_graph_docs_show(sandbox: SandboxServer) -> None:
    """microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/application-removepassword.md:
    ``POST /applications/{id}/removePassword`` with ``{"keyId": ...}`` answers ``HTTP/1.1 204 No Content``
    (what cmgtui calls to remove a secret that no file could take)."""
    sandbox.state.scenario.behaviour.replication_reads = 0
    app = _raw(sandbox, "POST", "/v1.0/applications", audience=GRAPH, json={"displayName": "CMG-ServerApp"}).json()
    added = _raw(sandbox, "POST", f"/v1.0/applications/{app['id']}/addPassword", audience=GRAPH,
                 json={"passwordCredential": {"displayName": "cmgtui"}}).json()
    removed = _raw(sandbox, "POST", f"/v1.0/applications/{app['id']}/removePassword", audience=GRAPH,
                   json={"keyId": added["keyId"]})
    assert removed.status_code == 204 and removed.content == b""
    assert sandbox.state.applications[app["id"]]["passwordCredentials"] == []
