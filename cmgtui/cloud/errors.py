"""One error type for everything that can go wrong in a cloud call, phrased for the admin.

The SDKs raise many exception types (azure-core's ``HttpResponseError`` family, Graph's
``ODataError``, httpx and aiohttp transport errors, azure-identity sign-in errors). The
gateways turn each into a :class:`CloudError` whose ``message`` says what happened and whose
``what_to_do`` says how to fix it; the UI shows those two lines, never a traceback.
"""

from __future__ import annotations

import re
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


#: Connection failures by cause, found by the exception types and texts of the chain (the
#: standard library's, urllib3's and requests' own wording): what happened, and what to do.
_CAUSES: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("proxy", ("ProxyError", "Unable to connect to proxy", "Tunnel connection failed",
               "407 Proxy Authentication"),
     "the proxy refused or could not make the connection",
     "Check the proxy settings (HTTPS_PROXY, and NO_PROXY for local names) and the proxy's "
     "credentials, then try again."),
    ("tls", ("CERTIFICATE_VERIFY_FAILED", "SSLCertVerificationError", "self signed certificate in certificate chain",
             "self-signed certificate in certificate chain", "unable to get local issuer certificate"),
     "the server's certificate is not trusted on this machine (a proxy that inspects TLS replaces it)",
     "Add your organization's inspection root certificate to this machine's trust store "
     "(REQUESTS_CA_BUNDLE / SSL_CERT_FILE), or exempt the Microsoft endpoints from TLS inspection."),
    ("dns", ("NameResolutionError", "gaierror", "Name or service not known", "nodename nor servname",
             "getaddrinfo failed", "Temporary failure in name resolution", "No address associated with hostname",
             "Failed to resolve"),
     "cannot resolve the name (DNS has no answer for it)",
     "Check this machine's DNS settings and its internet access, then try again."),
    ("refused", ("ConnectionRefusedError", "Connection refused", "actively refused"),
     "the connection was refused (nothing answers on that port, or a firewall rejects it)",
     "Check that outbound TCP 443 to the Microsoft endpoints is allowed, then try again."),
    ("timeout", ("TimeoutError", "timed out", "ConnectTimeout", "ReadTimeout"),
     "cannot connect: the server did not answer in time",
     "Check the network and firewall (outbound TCP 443 to the Microsoft endpoints), then try again."),
)
_HOST = re.compile(r"host='([^']+)'|https?://([^/:'\"\s]+)")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and contexts, and exceptions held in their arguments or
    ``reason`` (urllib3 wraps the socket error, requests wraps urllib3's)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        item = todo.pop(0)
        if any(item is known for known in seen):
            continue
        seen.append(item)
        nested = [item.__cause__, item.__context__, getattr(item, "reason", None), *getattr(item, "args", ())]
        todo += [n for n in nested if isinstance(n, BaseException)]
    return seen


def connection_cause(exc: BaseException) -> tuple[str, str, str] | None:
    """(cause, what happened, what to do) when ``exc`` is a failed connection, else None.

    Causes: ``proxy``, ``tls`` (interception), ``dns`` (cannot resolve), ``refused`` and
    ``timeout`` (cannot connect).
    """
    chain = _chain(exc)
    text = " ".join(f"{type(e).__name__} {e}" for e in chain)
    for cause, markers, happened, fix in _CAUSES:
        if any(marker.lower() in text.lower() for marker in markers):
            return cause, happened, fix
    if any(isinstance(e, (ConnectionError, TimeoutError)) for e in chain):
        return ("connect", "cannot connect (the connection failed or broke)",
                "Check the network, proxy and firewall (outbound TCP 443 to the Microsoft endpoints), "
                "then try again.")
    return None


def _host_of(exc: BaseException) -> str:
    for item in _chain(exc):
        found = _HOST.search(str(item))
        if found:
            return found.group(1) or found.group(2)
    return ""


def network_error(action: str, exc: BaseException) -> CloudError:
    """The service could not be reached or the connection broke, said by its cause."""
    what = f"Could not {action}" if action else "The request failed"
    cause, happened, fix = connection_cause(exc) or (
        "connect", "cannot connect", "Check the network, proxy and firewall (outbound TCP 443 to the "
        "Microsoft endpoints), then try again.")
    host = _host_of(exc)
    where = f" to {host}" if host and cause != "dns" else f" {host}" if host else ""
    if cause == "dns" and host:
        happened = f"cannot resolve {host} (DNS has no answer for it)"
        where = ""
    return CloudError("network", f"{what}{where}: {happened}.", fix, code=cause, detail=_short(exc))


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
        return _unavailable(exc, action)
    answered = getattr(exc, "status_code", None) or getattr(exc, "response_status_code", None)
    if not answered and connection_cause(exc) is not None:
        return network_error(action, exc)  # a sign-in that never reached the service: not the account's fault
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
        return network_error(action, exc)
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
        return network_error(action, exc)
    return CloudError("unexpected", f"Could not {action or 'complete the request'}: an unexpected problem "
                      "stopped it.", "Try again; if it keeps failing, report it with the activity log.",
                      detail=_short(exc))


def _unavailable(exc: BaseException, action: str) -> CloudError:
    """A sign-in method that cannot be used here: az not installed is not az not signed in."""
    text = str(exc).lower()
    what = f"Could not {action or 'sign in'}"
    if "not found on path" in text or "not installed" in text:
        return CloudError("sign_in_failed", f"{what}: the Azure CLI (az) is not installed on this machine.",
                          "Install the Azure CLI and run 'az login', or choose device code (best over SSH).",
                          code="az_not_installed")
    if "az login" in text:
        return CloudError("sign_in_expired", f"{what}: the Azure CLI is installed but not signed in.",
                          "Run 'az login' on this machine (or choose device code).", code="az_not_signed_in")
    return CloudError("sign_in_expired", f"{what}: this sign-in method has no account to use here.",
                      "Choose another sign-in method, or sign in with the Azure CLI first.", detail=_short(exc))


def _short(exc: BaseException, limit: int = 200) -> str:
    """The first line of an exception's text, cut at a word (never mid-word), for a log line."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else "no details"
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:(") + " …"
