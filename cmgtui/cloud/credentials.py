"""Credentials and the signed-in cloud session shared by the ARM and Graph gateways.

Four ways to sign in: device code (the default over SSH; the caller's ``prompt_callback``
receives the URL and code and shows them in a modal), an existing Azure CLI login, a service
principal from the standard ``AZURE_*`` environment variables, and the sandbox tenant. Each
works for the public cloud and US Government. Whatever the credential, the gateways see it
through :class:`CachingAsyncCredential`, so Graph does not ask for a token per request (an
``AzureCliCredential`` would otherwise start ``az`` for every call).
"""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.retry import wait
from cmgtui.domain.azure.endpoints import CloudEndpoints, cloud_endpoints
from cmgtui.model.enums import AzureEnvironment

#: Called with (verification URL, user code, expiry) when a device-code sign-in starts.
PromptCallback = Callable[[str, str, datetime], None]

#: Refresh a cached token this many seconds before it expires.
REFRESH_MARGIN_S = 300
#: Device-code sign-in without a tenant ID signs in to the account's home work/school tenant.
DEVICE_CODE_DEFAULT_TENANT = "organizations"


class SignInMethod(StrEnum):
    """How the session obtained its credential."""

    DEVICE_CODE = "device_code"
    AZURE_CLI = "azure_cli"
    SERVICE_PRINCIPAL = "service_principal"
    SANDBOX = "sandbox"


#: The public client ID azure-identity uses for device code and interactive sign-in.
DEVICE_CODE_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"


def _token_endpoint_error(status: int, retry_after: str | None, detail: str) -> CloudError:
    """A token endpoint that throttles (429) or fails (5xx) is retried like any call."""
    from cmgtui.cloud.errors import parse_retry_after

    if status == 429:
        return CloudError("throttled", "Signing in: the sign-in service is throttling requests.",
                          "Wait a minute and try again.", status=429, code="token_endpoint",
                          retry_after=parse_retry_after(retry_after))
    return CloudError("unexpected", f"Signing in: the sign-in service answered {status} ({detail}).",
                      "Try again in a few minutes.", status=status, code="token_endpoint",
                      retry_after=parse_retry_after(retry_after), transient=True)


class SandboxCredential:
    """A sync ``TokenCredential`` that signs the sandbox's administrator in over HTTPS.

    It uses the resource-owner password grant for the sandbox user (a delegated token, as a
    device-code sign-in gives), for the tenant chosen (the sandbox tenant by default). Only
    the sandbox CA is trusted. The SDKs treat it like any azure-identity credential.
    """

    def __init__(self, base_url: str, ca_path: Path, tenant_id: str) -> None:
        self._token_url = f"{base_url}/{tenant_id}/oauth2/v2.0/token"
        self._context = ssl.create_default_context(cafile=str(ca_path))

    def get_token(self, *scopes: str, **kwargs: Any):
        """Fetch a new access token for ``scopes`` (an ``azure.core.credentials.AccessToken``)."""
        from azure.core.credentials import AccessToken
        from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError

        from cmgtui.rehearsal_tenant import USER_UPN

        data = urllib.parse.urlencode({"grant_type": "password", "client_id": "cmgtui-sandbox",
                                       "username": USER_UPN, "password": "sandbox",
                                       "scope": " ".join(scopes)}).encode()
        request = urllib.request.Request(self._token_url, data=data, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, context=self._context, timeout=30) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise _token_endpoint_error(exc.code, exc.headers.get("Retry-After"), exc.reason) from None
            try:
                detail = json.load(exc)
            except ValueError:
                detail = {}
            raise ClientAuthenticationError(message=f"{detail.get('error', 'sign-in refused')}: "
                                            f"{detail.get('error_description', exc.code)}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ServiceRequestError(message=f"Cannot reach the sandbox: {exc}.") from None
        return AccessToken(body["access_token"], int(time.time()) + int(body["expires_in"]))

    def close(self) -> None:
        """Nothing to release; present for the credential protocol."""


class DeviceCodeSignIn:
    """Device-code sign-in through MSAL that the user can cancel while it waits.

    ``prompt_callback`` receives the URL, code and expiry; :meth:`cancel` ends the polling
    (the azure-identity credential cannot be stopped until the code expires). Later scopes
    are served silently from MSAL's cache with the signed-in account. Errors come out as
    ``ClientAuthenticationError`` whose text starts with the OAuth error code
    (``authorization_declined``, ``expired_token``...), which :mod:`cmgtui.cloud.errors` explains.
    """

    def __init__(self, authority: str, prompt_callback: PromptCallback | None, *,
                 ca_path: Path | None = None, instance_discovery: bool = True) -> None:
        self._authority = authority
        self._ca_path = ca_path
        self._instance_discovery = instance_discovery
        self._client: Any = None
        self._prompt = prompt_callback
        self._cancelled = threading.Event()

    @property
    def _app(self) -> Any:
        """The MSAL application, built on first use (its constructor reads the authority)."""
        if self._client is None:
            import msal

            http_client = None
            if self._ca_path is not None:
                import requests

                # Only the sandbox CA: requests lets REQUESTS_CA_BUNDLE override a session's verify.
                http_client = requests.Session()
                http_client.trust_env = False
                http_client.verify = str(self._ca_path)
            self._client = msal.PublicClientApplication(
                DEVICE_CODE_CLIENT_ID, authority=self._authority, http_client=http_client,
                instance_discovery=self._instance_discovery)
        return self._client

    def cancel(self) -> None:
        """Stop waiting for the user; the pending get_token fails with ``cancelled``."""
        self._cancelled.set()

    def get_token(self, *scopes: str, **kwargs: Any):
        """A token for ``scopes``: silently when signed in, else by device code."""
        from azure.core.credentials import AccessToken
        from azure.core.exceptions import ClientAuthenticationError

        accounts = self._app.get_accounts()
        result = self._app.acquire_token_silent(list(scopes), account=accounts[0]) if accounts else None
        if not result:
            self._cancelled.clear()
            flow = self._app.initiate_device_flow(scopes=list(scopes))
            if "user_code" not in flow:
                raise ClientAuthenticationError(message=f"{flow.get('error', 'device_code_failed')}: "
                                                f"{flow.get('error_description', '')}")
            if self._prompt is not None:
                expires = datetime.fromtimestamp(flow["expires_at"]).astimezone()
                self._prompt(flow["verification_uri"], flow["user_code"], expires)
            result = self._app.acquire_token_by_device_flow(
                flow, exit_condition=lambda f: self._cancelled.is_set() or f["expires_at"] < time.time())
            if self._cancelled.is_set():
                raise CloudError("sign_in_failed", "Sign-in cancelled.",
                                 "Sign in again when you are ready.", code="cancelled")
            if result.get("error") == "authorization_pending":
                result = {"error": "expired_token", "error_description": "The device code expired."}
        if "access_token" not in result:
            raise ClientAuthenticationError(message=f"{result.get('error', 'sign_in_failed')}: "
                                            f"{result.get('error_description', '')}")
        return AccessToken(result["access_token"], int(time.time()) + int(result.get("expires_in", 3600)))

    def close(self) -> None:
        """Stop any wait in progress."""
        self._cancelled.set()


class CachingAsyncCredential:
    """An ``AsyncTokenCredential`` over any sync credential, caching tokens per scope set.

    The wrapped credential runs in a worker thread (device code blocks while the user signs
    in), under a thread lock so that concurrent callers wait for one sign-in rather than start
    several. Safe to share between event loops. :meth:`clear` forgets every token.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.inner = inner
        self._tokens: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    def _fresh(self, key: tuple[str, ...]) -> Any | None:
        token = self._tokens.get(key)
        if token is not None and token.expires_on - REFRESH_MARGIN_S > time.time():
            return token
        return None

    def _fetch(self, key: tuple[str, ...], kwargs: dict[str, Any]) -> Any:
        with self._lock:
            token = self._fresh(key)
            if token is None:
                if self._inner is None:
                    raise CloudError("sign_in_expired", "You are signed out.",
                                     "Sign in again to Microsoft Entra ID.")
                token = self._inner.get_token(*key, **kwargs)
                self._tokens[key] = token
            return token

    async def get_token(self, *scopes: str, claims: str | None = None, tenant_id: str | None = None,
                        enable_cae: bool = False, **kwargs: Any):
        """A cached or newly fetched ``AccessToken``; a claims challenge bypasses the cache."""
        key = tuple(sorted(scopes))
        if claims:
            with self._lock:
                self._tokens.pop(key, None)
            kwargs["claims"] = claims
        if tenant_id:
            kwargs["tenant_id"] = tenant_id
        token = self._fresh(key)
        if token is not None:
            return token
        return await asyncio.to_thread(self._fetch, key, kwargs)

    def clear(self, *, forget_credential: bool = False) -> None:
        """Drop cached tokens; with ``forget_credential`` also drop the credential (sign-out)."""
        with self._lock:
            self._tokens.clear()
            if forget_credential:
                inner, self._inner = self._inner, None
                close = getattr(inner, "close", None)
                if callable(close):
                    close()

    async def close(self) -> None:
        """Nothing to close per call site; the session owns the credential's lifetime."""

    async def __aenter__(self) -> CachingAsyncCredential:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def sandbox_endpoints(base_url: str, environment: AzureEnvironment = AzureEnvironment.PUBLIC) -> CloudEndpoints:
    """Endpoints of a sandbox tenant served at ``base_url`` (one host answers all three).

    The token scopes stay those of ``environment``, so the sandbox can tell the clouds apart
    by the token's audience (US Government regions for the US Government ARM audience).
    """
    real = cloud_endpoints(environment)
    return CloudEndpoints(
        authority_host=base_url.split("://", 1)[-1],
        arm_endpoint=base_url,
        arm_scope=real.arm_scope,
        graph_endpoint=base_url,
    )


@dataclass
class CloudSession:
    """A signed-in (or signing-in) session: credential, cloud, endpoints and trust anchor.

    ``ca_path`` is the sandbox CA for the sandbox and None in production (system trust).
    Both gateways are built from a session; :meth:`sign_out` makes it unusable.
    """

    method: SignInMethod
    environment: AzureEnvironment
    endpoints: CloudEndpoints
    credential: CachingAsyncCredential
    ca_path: Path | None = None
    tenant_id: str | None = None
    sandbox: bool = False
    signed_out: bool = field(default=False)
    #: How retries wait (tests pass one that does not sleep).
    sleep: Callable[[float], Any] = field(default=wait, repr=False)

    @property
    def graph_base_url(self) -> str:
        """``{graph endpoint}/v1.0``."""
        return f"{self.endpoints.graph_endpoint.rstrip('/')}/v1.0"

    @property
    def graph_scope(self) -> str:
        """The ``.default`` scope of Microsoft Graph in this cloud."""
        if self.sandbox:
            return f"{cloud_endpoints(self.environment).graph_endpoint}/.default"
        return f"{self.endpoints.graph_endpoint.rstrip('/')}/.default"

    @property
    def app_only(self) -> bool:
        """True for a service principal sign-in: no signed-in user, so no ``/me``."""
        return self.method is SignInMethod.SERVICE_PRINCIPAL

    @property
    def replication_delay_scale(self) -> float:
        """Multiplier of the waits for Graph replication: the sandbox counts requests, not time."""
        return 0.0 if self.sandbox else 1.0

    def cancel_sign_in(self) -> None:
        """Stop a device-code sign-in that is waiting for the user."""
        cancel = getattr(self.credential.inner, "cancel", None)
        if callable(cancel):
            cancel()

    @property
    def graph_host(self) -> str:
        """The Graph host name (no port) for the authentication provider's allowed hosts."""
        return urllib.parse.urlsplit(self.endpoints.graph_endpoint).hostname or ""

    async def sign_in(self) -> None:
        """Obtain the ARM token now, so a device-code prompt happens here and not mid-check.

        A throttled (429) or failing (5xx) token endpoint is retried like any call; only a real
        ``invalid_grant`` or expiry asks the user to sign in again.
        """
        from cmgtui.cloud.retry import with_retry

        try:
            await with_retry(lambda: self.credential.get_token(self.endpoints.arm_scope),
                             action="sign in", sleep=self.sleep)
        except CloudError as error:
            hint = _SIGN_IN_HINTS.get(self.method)
            if error.kind == "sign_in_expired" and hint:
                error.what_to_do = hint
            raise

    def ensure_signed_in(self) -> None:
        """Raise ``sign_in_expired`` when :meth:`sign_out` was called."""
        if self.signed_out:
            raise CloudError("sign_in_expired", "You are signed out.",
                             "Sign in again to Microsoft Entra ID.")

    def sign_out(self) -> None:
        """Forget tokens and the credential; later calls fail with ``sign_in_expired``.

        Gateways built from the session refuse every call afterwards; close them too.
        """
        self.credential.clear(forget_credential=True)
        self.signed_out = True


_SIGN_IN_HINTS = {
    SignInMethod.AZURE_CLI: "Run 'az login' on this machine (or choose another sign-in method).",
    SignInMethod.SERVICE_PRINCIPAL: "Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET "
                                    "(or AZURE_CLIENT_CERTIFICATE_PATH), or choose another sign-in method.",
}


def _authority(environment: AzureEnvironment) -> str:
    return f"https://{cloud_endpoints(environment).authority_host}"


def open_session(
    method: SignInMethod,
    environment: AzureEnvironment = AzureEnvironment.PUBLIC,
    *,
    prompt_callback: PromptCallback | None = None,
    tenant_id: str | None = None,
    sandbox_url: str | None = None,
    ca_path: Path | None = None,
) -> CloudSession:
    """Build a session for ``method``; no network call happens until the first token.

    For the sandbox pass ``sandbox_url`` and ``ca_path``; ``method`` may then also be
    DEVICE_CODE, which runs the real MSAL device-code flow against the sandbox.
    """
    if sandbox_url is not None:
        if ca_path is None:
            raise ValueError("The sandbox needs its CA path.")
        endpoints = sandbox_endpoints(sandbox_url, environment)
    else:
        endpoints = cloud_endpoints(environment)
    inner = _make_credential(method, environment, prompt_callback, tenant_id, sandbox_url, ca_path)
    return CloudSession(method, environment, endpoints, CachingAsyncCredential(inner),
                        ca_path, tenant_id, sandbox=sandbox_url is not None)


def _make_credential(method: SignInMethod, environment: AzureEnvironment,
                     prompt_callback: PromptCallback | None, tenant_id: str | None,
                     sandbox_url: str | None, ca_path: Path | None) -> Any:
    """The azure-identity (or sandbox) credential for ``method``; SDK imported here only."""
    if method is SignInMethod.SANDBOX:
        if sandbox_url is None or ca_path is None:
            raise ValueError("The sandbox sign-in needs the sandbox URL and CA path.")
        from cmgtui.rehearsal_tenant import TENANT_ID

        return SandboxCredential(sandbox_url, ca_path, tenant_id or TENANT_ID)
    if method is SignInMethod.DEVICE_CODE:
        tenant = tenant_id or DEVICE_CODE_DEFAULT_TENANT
        if sandbox_url is not None:
            return DeviceCodeSignIn(f"{sandbox_url}/{tenant}", prompt_callback, ca_path=ca_path,
                                    instance_discovery=False)
        return DeviceCodeSignIn(f"{_authority(environment)}/{tenant}", prompt_callback)
    if method is SignInMethod.AZURE_CLI:
        from azure.identity import AzureCliCredential

        return AzureCliCredential(tenant_id=tenant_id) if tenant_id else AzureCliCredential()
    if method is SignInMethod.SERVICE_PRINCIPAL:
        if sandbox_url is not None:
            import os

            from azure.identity import ClientSecretCredential

            from cmgtui.rehearsal_tenant import TENANT_ID

            return ClientSecretCredential(
                tenant_id or os.environ.get("AZURE_TENANT_ID", TENANT_ID),
                os.environ.get("AZURE_CLIENT_ID", "cmgtui-sandbox-sp"),
                os.environ.get("AZURE_CLIENT_SECRET", "sandbox"), authority=sandbox_url,
                disable_instance_discovery=True, connection_verify=str(ca_path))
        from azure.identity import EnvironmentCredential

        return EnvironmentCredential(authority=_authority(environment))
    raise ValueError(f"Unknown sign-in method {method!r}.")
