"""One error type for everything that can go wrong in a cloud call, phrased for the admin.

The SDKs raise many exception types (azure-core's ``HttpResponseError`` family, Graph's
``ODataError``, httpx and aiohttp transport errors, azure-identity sign-in errors). The
gateways turn each into a :class:`CloudError` whose ``message`` says what happened and whose
``what_to_do`` says how to fix it; the UI shows those two lines, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

#: The error kinds the UI distinguishes.
KINDS = ("sign_in_expired", "forbidden", "conflict", "network", "throttled", "not_found",
         "unexpected")


class CloudError(Exception):
    """A cloud call failed: ``kind`` (one of :data:`KINDS`), ``message`` and ``what_to_do``.

    ``status`` is the HTTP status when there was one; ``retry_after`` the server's
    Retry-After in seconds; ``code`` the service's error code (e.g. ``AuthorizationFailed``).
    """

    def __init__(self, kind: str, message: str, what_to_do: str, *, status: int | None = None,
                 code: str = "", retry_after: float | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"Unknown cloud error kind {kind!r}.")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.what_to_do = what_to_do
        self.status = status
        self.code = code
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.message} {self.what_to_do}".strip()

    @property
    def retryable(self) -> bool:
        """True for throttling and 503 Service Unavailable (safe to repeat after a pause)."""
        return self.kind == "throttled" or self.status == 503


def parse_retry_after(value: Any) -> float | None:
    """Seconds from a Retry-After header given as a number; None when absent or a date."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    return max(seconds, 0.0)


def from_status(status: int, code: str, detail: str, *, action: str, needed_role: str = "",
                retry_after: float | None = None) -> CloudError:
    """Classify an HTTP error answer from ARM or Graph."""
    what = f"Could not {action}" if action else "The request failed"
    detail = detail.strip()
    suffix = f": {detail}" if detail else "."
    if status == 401:
        return CloudError("sign_in_expired", f"{what}: your sign-in has expired or was revoked.",
                          "Sign in again to Microsoft Entra ID.", status=status, code=code)
    if status == 403:
        role = needed_role or "a role that allows this operation"
        return CloudError("forbidden", f"{what}: access denied{suffix}",
                          f"Ask an administrator for {role}, or sign in with an account that has it.",
                          status=status, code=code)
    if status == 404:
        return CloudError("not_found", f"{what}: not found{suffix}",
                          "Check the subscription, name and tenant you selected.", status=status,
                          code=code)
    if status == 409:
        return CloudError("conflict", f"{what}: it conflicts with something that exists{suffix}",
                          "Choose another name, or use the existing object.", status=status, code=code)
    if status == 429:
        wait = f" about {int(retry_after)} s" if retry_after else " a minute"
        return CloudError("throttled", f"{what}: the service is throttling requests.",
                          f"Wait{wait} and try again.", status=status, code=code,
                          retry_after=retry_after)
    if status == 503:
        return CloudError("unexpected", f"{what}: the service is temporarily unavailable (503).",
                          "Try again in a few minutes.", status=status, code=code,
                          retry_after=retry_after)
    return CloudError("unexpected", f"{what}: the service answered {status}{suffix}",
                      "Try again; if it keeps failing, check the Azure status page.",
                      status=status, code=code)


def network_error(action: str, detail: str) -> CloudError:
    """The service could not be reached or the connection broke."""
    what = f"Could not {action}" if action else "The request failed"
    return CloudError("network", f"{what}: the connection failed ({detail}).",
                      "Check the network, proxy and firewall (TCP 443 to the Azure endpoints), "
                      "then try again.")


def _is(exc: BaseException, module: str, name: str) -> bool:
    """isinstance against ``module.name`` only when that module is already loaded."""
    loaded = sys.modules.get(module)
    cls = getattr(loaded, name, None) if loaded is not None else None
    return isinstance(cls, type) and isinstance(exc, cls)


def map_exception(exc: BaseException, action: str = "", *, needed_role: str = "") -> CloudError:
    """Turn any exception from a cloud call into a CloudError (CloudError passes through)."""
    if isinstance(exc, CloudError):
        return exc
    core = "azure.core.exceptions"
    if _is(exc, "azure.identity", "CredentialUnavailableError"):
        return CloudError("sign_in_expired", f"Could not {action or 'sign in'}: {_short(exc)}",
                          "Choose another sign-in method, or sign in with the Azure CLI first.")
    if _is(exc, core, "ClientAuthenticationError") and getattr(exc, "status_code", None) in (None, 400, 401):
        return CloudError("sign_in_expired", f"Could not {action or 'sign in'}: sign-in failed "
                          f"({_short(exc)}).", "Sign in again to Microsoft Entra ID.",
                          status=getattr(exc, "status_code", None))
    if _is(exc, core, "HttpResponseError") and getattr(exc, "status_code", None):
        error = getattr(exc, "error", None)
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", {}) or {}
        return from_status(exc.status_code, getattr(error, "code", "") or "",
                           getattr(error, "message", "") or "", action=action,
                           needed_role=needed_role, retry_after=parse_retry_after(
                               headers.get("Retry-After")))
    if _is(exc, core, "ServiceRequestError") or _is(exc, core, "ServiceResponseError"):
        return network_error(action, _short(exc))
    status = getattr(exc, "response_status_code", None)
    if _is(exc, "kiota_abstractions.api_error", "APIError") and status:
        error = getattr(exc, "error", None)
        headers = getattr(exc, "response_headers", None) or {}
        retry = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
        if isinstance(retry, (list, tuple, set)):
            retry = next(iter(retry), None)
        return from_status(status, getattr(error, "code", "") or "",
                           getattr(error, "message", "") or "", action=action,
                           needed_role=needed_role, retry_after=parse_retry_after(retry))
    if _is(exc, "httpx", "TransportError") or isinstance(exc, (ConnectionError, TimeoutError)):
        return network_error(action, _short(exc))
    return CloudError("unexpected", f"Could not {action or 'complete the request'}: "
                      f"{type(exc).__name__}: {_short(exc)}",
                      "Try again; if it keeps failing, report it with the activity log.")


def _short(exc: BaseException) -> str:
    """The first line of an exception's text, bounded, for a one-line message."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
