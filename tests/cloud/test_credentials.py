"""Sign-in: the sandbox credential, device code through MSAL, token caching, sign-out, clouds."""

from __future__ import annotations

from datetime import datetime

import pytest

from cmgtui.cloud.arm import ArmGateway
from cmgtui.cloud.credentials import CloudSession, SignInMethod, open_session
from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.graph import GraphGateway
from cmgtui.sandbox.server import SandboxServer
from cmgtui.sandbox.state import TENANT_ID
from cmgtui.model.enums import AzureEnvironment


def _token_requests(sandbox: SandboxServer) -> int:
    return sum(1 for r in sandbox.requests if r.path.endswith("/oauth2/v2.0/token"))


async def test_tokens_are_cached_per_scope(session: CloudSession, sandbox: SandboxServer) -> None:
    async with ArmGateway(session) as arm, GraphGateway(session) as graph:
        await arm.list_subscriptions()
        await arm.list_resource_groups((await arm.list_subscriptions())[0].subscription_id)
        await graph.organization()
        await graph.signed_in_user()
        await graph.find_apps(display_name="anything")
    # One token for ARM and one for Graph, however many calls were made.
    assert _token_requests(sandbox) == 2


async def test_device_code_sign_in_against_the_sandbox(sandbox: SandboxServer) -> None:
    prompts: list[tuple[str, str, datetime]] = []
    session = open_session(SignInMethod.DEVICE_CODE, sandbox_url=sandbox.url, ca_path=sandbox.ca_path,
                           tenant_id=TENANT_ID, prompt_callback=lambda *a: prompts.append(a))
    await session.sign_in()
    assert len(prompts) == 1
    url, code, expires = prompts[0]
    assert url == f"{sandbox.url}/devicelogin" and len(code) == 9 and expires.tzinfo is not None
    async with ArmGateway(session) as arm, GraphGateway(session) as graph:
        assert len(await arm.list_subscriptions()) == 2
        assert (await graph.signed_in_user()).user_principal_name == "admin@contoso.onmicrosoft.com"
    paths = [r.path.rsplit("/", 1)[-1] for r in sandbox.requests]
    assert paths.count("devicecode") == 1  # Graph's token came silently (refresh token)


async def test_sign_out_makes_the_session_unusable(session: CloudSession) -> None:
    async with ArmGateway(session) as arm:
        await arm.list_subscriptions()
        session.sign_out()
        assert session.signed_out
        with pytest.raises(CloudError) as info:
            await arm.list_subscriptions()
    assert info.value.kind == "sign_in_expired"
    async with GraphGateway(session) as graph:
        with pytest.raises(CloudError) as graph_info:
            await graph.organization()
    assert graph_info.value.kind == "sign_in_expired"
    with pytest.raises(CloudError):
        await session.credential.get_token(session.graph_scope)


async def test_refused_sign_in_is_explained(session: CloudSession, sandbox: SandboxServer) -> None:
    sandbox.state.refuse_sign_in = True
    with pytest.raises(CloudError) as info:
        await session.sign_in()
    assert info.value.kind == "sign_in_expired" and info.value.what_to_do


async def test_service_principal_without_environment_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "AZURE_CLIENT_CERTIFICATE_PATH",
                 "AZURE_USERNAME", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    session = open_session(SignInMethod.SERVICE_PRINCIPAL, AzureEnvironment.US_GOVERNMENT)
    with pytest.raises(CloudError) as info:
        await session.sign_in()
    assert info.value.kind == "sign_in_expired" and "AZURE_CLIENT_SECRET" in info.value.what_to_do


async def test_azure_cli_missing_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no 'az' on PATH
    session = open_session(SignInMethod.AZURE_CLI)
    with pytest.raises(CloudError) as info:
        await session.sign_in()
    # az missing is not az signed out: the message says it is not installed, and how to get it
    assert info.value.message == "Could not sign in: the Azure CLI (az) is not installed on this machine."
    assert "Install the Azure CLI" in info.value.what_to_do and "device code" in info.value.what_to_do


@pytest.mark.parametrize("environment, arm, scope, graph, host", [
    (AzureEnvironment.PUBLIC, "https://management.azure.com", "https://management.azure.com/.default",
     "https://graph.microsoft.com/v1.0", "graph.microsoft.com"),
    (AzureEnvironment.US_GOVERNMENT, "https://management.usgovcloudapi.net",
     "https://management.core.usgovcloudapi.net/.default", "https://graph.microsoft.us/v1.0",
     "graph.microsoft.us"),
])
def test_sessions_map_each_cloud(environment, arm, scope, graph, host) -> None:
    session = open_session(SignInMethod.DEVICE_CODE, environment, prompt_callback=lambda *a: None)
    assert session.endpoints.arm_endpoint == arm and session.endpoints.arm_scope == scope
    assert session.graph_base_url == graph and session.graph_host == host
    assert session.graph_scope == graph.removesuffix("/v1.0") + "/.default"
    assert session.ca_path is None


def test_sandbox_session_needs_its_ca(sandbox: SandboxServer) -> None:
    with pytest.raises(ValueError, match="CA"):
        open_session(SignInMethod.SANDBOX, sandbox_url=sandbox.url)
    session = open_session(SignInMethod.SANDBOX, sandbox_url=sandbox.url, ca_path=sandbox.ca_path)
    assert session.graph_host == "127.0.0.1" and session.graph_base_url == f"{sandbox.url}/v1.0"
