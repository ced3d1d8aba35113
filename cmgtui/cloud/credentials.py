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
from cmgtui.domain.endpoints import CloudEndpoints, cloud_endpoints
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


class SandboxCredential:
    """A sync ``TokenCredential`` that asks the sandbox's token endpoint over HTTPS.

    It uses the client-credentials grant, which the sandbox answers for any client; only the
    sandbox CA is trusted. The SDKs treat it like any azure-identity credential.
    """

    def __init__(self, base_url: str, ca_path: Path, tenant_id: str) -> None:
        self._token_url = f"{base_url}/{tenant_id}/oauth2/v2.0/token"
        self._context = ssl.create_default_context(cafile=str(ca_path))

    def get_token(self, *scopes: str, **kwargs: Any):
        """Fetch a new access token for ``scopes`` (an ``azure.core.credentials.AccessToken``)."""
        from azure.core.credentials import AccessToken
        from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError

        data = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id":
                                       "cmgtui-sandbox", "scope": " ".join(scopes)}).encode()
        request = urllib.request.Request(self._token_url, data=data, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, context=self._context, timeout=30) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            raise ClientAuthenticationError(message=f"Sandbox sign-in refused ({exc.code}).") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ServiceRequestError(message=f"Cannot reach the sandbox: {exc}.") from None
        return AccessToken(body["access_token"], int(time.time()) + int(body["expires_in"]))

    def close(self) -> None:
        """Nothing to release; present for the credential protocol."""


class CachingAsyncCredential:
    """An ``AsyncTokenCredential`` over any sync credential, caching tokens per scope set.

    The wrapped credential runs in a worker thread (device code blocks while the user signs
    in), under a thread lock so that concurrent callers wait for one sign-in rather than start
    several. Safe to share between event loops. :meth:`clear` forgets every token.
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner
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


def sandbox_endpoints(base_url: str) -> CloudEndpoints:
    """Endpoints of a sandbox tenant served at ``base_url`` (one host answers all three)."""
    return CloudEndpoints(
        authority_host=base_url.split("://", 1)[-1],
        arm_endpoint=base_url,
        arm_scope="https://management.azure.com/.default",
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

    @property
    def graph_base_url(self) -> str:
        """``{graph endpoint}/v1.0``."""
        return f"{self.endpoints.graph_endpoint.rstrip('/')}/v1.0"

    @property
    def graph_scope(self) -> str:
        """The ``.default`` scope of Microsoft Graph in this cloud."""
        if self.sandbox:
            return "https://graph.microsoft.com/.default"
        return f"{self.endpoints.graph_endpoint.rstrip('/')}/.default"

    @property
    def graph_host(self) -> str:
        """The Graph host name (no port) for the authentication provider's allowed hosts."""
        return urllib.parse.urlsplit(self.endpoints.graph_endpoint).hostname or ""

    async def sign_in(self) -> None:
        """Obtain the ARM token now, so a device-code prompt happens here and not mid-check."""
        from cmgtui.cloud.errors import map_exception

        try:
            await self.credential.get_token(self.endpoints.arm_scope)
        except CloudError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a CloudError
            error = map_exception(exc, "sign in")
            hint = _SIGN_IN_HINTS.get(self.method)
            if error.kind == "sign_in_expired" and hint:
                error.what_to_do = hint
            raise error from None

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
        endpoints = sandbox_endpoints(sandbox_url)
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
        from cmgtui.cloud.sandbox.state import TENANT_ID

        return SandboxCredential(sandbox_url, ca_path, tenant_id or TENANT_ID)
    if method is SignInMethod.DEVICE_CODE:
        from azure.identity import DeviceCodeCredential

        kwargs: dict[str, Any] = {"prompt_callback": prompt_callback,
                                  "tenant_id": tenant_id or DEVICE_CODE_DEFAULT_TENANT}
        if sandbox_url is not None:
            kwargs.update(authority=sandbox_url, disable_instance_discovery=True,
                          connection_verify=str(ca_path))
        else:
            kwargs["authority"] = _authority(environment)
        return DeviceCodeCredential(**kwargs)
    if method is SignInMethod.AZURE_CLI:
        from azure.identity import AzureCliCredential

        return AzureCliCredential(tenant_id=tenant_id) if tenant_id else AzureCliCredential()
    if method is SignInMethod.SERVICE_PRINCIPAL:
        from azure.identity import EnvironmentCredential

        return EnvironmentCredential(authority=_authority(environment))
    raise ValueError(f"Unknown sign-in method {method!r}.")
