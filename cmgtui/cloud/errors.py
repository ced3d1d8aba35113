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
KINDS = ("sign_in_expired", "sign_in_failed", "wrong_tenant", "not_registered", "forbidden",
         "conflict", "invalid", "network", "throttled", "not_found", "unexpected")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class CloudError(Exception):
    """A cloud call failed: ``kind`` (one of :data:`KINDS`), ``message`` and ``what_to_do``.

    ``status`` is the HTTP status when there was one; ``retry_after`` the server's
    Retry-After in seconds; ``code`` the service's error code (e.g. ``AuthorizationFailed``).
    """

    def __init__(self, kind: str, message: str, what_to_do: str, *, status: int | None = None,
                 code: str = "", retry_after: float | None = None, transient: bool = False,
                 detail: str = "") -> None:
        if kind not in KINDS:
            raise ValueError(f"Unknown cloud error kind {kind!r}.")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.what_to_do = what_to_do
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.transient = transient
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} {self.what_to_do}".strip()

    @property
    def retryable(self) -> bool:
        """True for throttling, 503 Service Unavailable and failures marked transient (a token
        endpoint's 5xx): safe to repeat after a pause."""
        return self.kind == "throttled" or self.status == 503 or self.transient

    @property
    def replication_lag(self) -> bool:
        """True for the answers Graph gives about an object it has not replicated yet."""
        text = self.detail.lower()
        return (self.status == 404 and self.code == "Request_ResourceNotFound") or (
            self.status == 400 and ("does not reference a valid application object" in text
                                    or self.code == "NoBackingApplicationObject"))


def parse_retry_after(value: Any) -> float | None:
    """Seconds from a Retry-After header given as a number; None when absent or a date."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    return max(seconds, 0.0)


def _arm_special(status: int, code: str, detail: str, what: str) -> CloudError | None:
    """The ARM and Graph answers whose real cause is not what their status suggests."""
    import re

    if code == "MissingSubscriptionRegistration":
        found = re.search(r"namespace '([\w.]+)'", detail)
        namespace = found.group(1) if found else "the resource provider"
        return CloudError("not_registered", f"{what}: the subscription has not registered {namespace}.",
                          f"Register {namespace} first (Fix offers it), then check again.",
                          status=status, code=code, detail=detail)
    if code == "ReadOnlyDisabledSubscription":
        return CloudError("forbidden", f"{what}: the subscription is disabled, so it is read-only.",
                          "Choose an enabled subscription, or have its billing owner re-enable it.",
                          status=status, code=code, detail=detail)
    if code == "InvalidAuthenticationTokenTenant":
        tenants = re.findall(_UUID, detail)
        token, wanted = (tenants + ["?", "?"])[:2]
        return CloudError("wrong_tenant", f"{what}: you are signed in to tenant {token}, but the "
                          f"subscription belongs to tenant {wanted}.",
                          f"Sign in again with tenant {wanted} (the Tenant field of the sign-in "
                          f"dialog, or --tenant {wanted}).", status=status, code=code, detail=detail)
    if status == 401 and "issued by tenant" in detail:
        tenants = re.findall(_UUID, detail)
        token, wanted = (tenants + ["?", "?"])[:2]
        return CloudError("wrong_tenant", f"{what}: you are signed in to tenant {token}, not to tenant {wanted}.",
                          f"Sign in again with tenant {wanted} (the Tenant field of the sign-in dialog, "
                          f"or --tenant {wanted}).", status=status, code=code, detail=detail)
    if code == "InvalidAuthenticationTokenAudience":
        return CloudError("sign_in_failed", f"{what}: the token was issued for another service.",
                          "Sign in again for this cloud (check the profile's Azure environment).",
                          status=status, code=code, detail=detail)
    if code == "HostNameNotOnVerifiedDomain":
        return CloudError("invalid", f"{what}: the Application ID URI uses a host that is not a "
                          f"verified domain of the tenant ({detail}).",
                          "Use api://{tenantId}/ConfigMgrService, or an https URI on one of the "
                          "tenant's verified domains.", status=status, code=code, detail=detail)
    if status == 400 and "identifierUris already exists" in detail:
        return CloudError("conflict", f"{what}: another app in the tenant already uses this "
                          "Application ID URI.", "Choose another Application ID URI, or import the app "
                          "that has it.", status=status, code=code, detail=detail)
    if status == 400 and "signInAudience" in detail:
        return CloudError("invalid", f"{what}: {detail}", "Use AzureADMyOrg (single tenant), as the "
                          "CMG apps need.", status=status, code=code, detail=detail)
    if status == 400 and "/me request is only valid with delegated" in detail:
        return CloudError("forbidden", f"{what}: a service principal sign-in has no signed-in user.",
                          "Sign in as the administrator (device code or Azure CLI) for this check.",
                          status=status, code=code, detail=detail)
    if status == 400 and code == "InvalidApiVersionParameter":
        return CloudError("unexpected", f"{what}: {detail}", "Update cmgtui; this api-version is no "
                          "longer offered.", status=status, code=code, detail=detail)
    return None


def from_status(status: int, code: str, detail: str, *, action: str, needed_role: str = "",
                retry_after: float | None = None) -> CloudError:
    """Classify an HTTP error answer from ARM or Graph."""
    error = _from_status(status, code, detail, action=action, needed_role=needed_role,
                         retry_after=retry_after)
    error.detail = error.detail or detail.strip()
    return error


def _from_status(status: int, code: str, detail: str, *, action: str, needed_role: str = "",
                 retry_after: float | None = None) -> CloudError:
    what = f"Could not {action}" if action else "The request failed"
    detail = detail.strip()
    suffix = f": {detail}" if detail else "."
    special = _arm_special(status, code, detail, what)
    if special is not None:
        return special
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


#: Sign-in failures by the OAuth / AADSTS code in the message, with what they mean.
_SIGN_IN_FAILURES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (("authorization_declined",), "sign_in_failed", "the sign-in was declined on the other device.",
     "Sign in again, and approve the request when the browser asks."),
    (("expired_token", "AADSTS70020", "code_expired"), "sign_in_failed",
     "the device code expired before the sign-in finished (codes last about 15 minutes).",
     "Sign in again and enter the new code promptly."),
    (("AADSTS53003", "AADSTS50097", "AADSTS530033"), "sign_in_failed",
     "Conditional Access blocked this sign-in (device code may not be allowed in your tenant).",
     "Sign in with the Azure CLI on a compliant device, or ask your administrator to allow it."),
    (("AADSTS90002", "AADSTS900023"), "sign_in_failed", "that tenant does not exist.",
     "Check the tenant ID or domain you entered."),
    (("invalid_grant", "AADSTS50173", "AADSTS700082", "AADSTS70043", "AADSTS50078",
      "interaction_required", "token has expired", "refresh token has expired"), "sign_in_expired",
     "your sign-in has expired or was revoked.", "Sign in again to Microsoft Entra ID."),
)


def _sign_in_failure(exc: BaseException, action: str) -> CloudError:
    """A ClientAuthenticationError explained: throttled/5xx are retried, only a real
    ``invalid_grant`` or expiry asks to sign in again."""
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    text = str(exc)
    what = f"Could not {action or 'sign in'}"
    if status == 429 or (isinstance(status, int) and status >= 500):
        headers = getattr(getattr(exc, "response", None), "headers", {}) or {}
        error = CloudError("throttled" if status == 429 else "unexpected",
                           f"{what}: the sign-in service answered {status}.", "Try again in a minute.",
                           status=status, code="token_endpoint", transient=True,
                           retry_after=parse_retry_after(headers.get("Retry-After")))
        return error
    for markers, kind, message, fix in _SIGN_IN_FAILURES:
        if any(m.lower() in text.lower() for m in markers):
            return CloudError(kind, f"{what}: {message}", fix, status=status, detail=_short(exc))
    return CloudError("sign_in_failed", f"{what}: sign-in failed ({_short(exc)}).",
                      "Check the tenant and account, then sign in again.", status=status,
                      detail=_short(exc))


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
    if _is(exc, core, "ClientAuthenticationError") and not getattr(getattr(exc, "error", None), "code", None):
        return _sign_in_failure(exc, action)
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
