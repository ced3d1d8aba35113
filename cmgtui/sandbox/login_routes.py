"""Sign-in endpoints of the sandbox: OpenID discovery, instance discovery, device code, token.

They follow the Microsoft identity platform v2.0 protocol closely enough for MSAL (its device
flow in AzureAD/microsoft-authentication-library-for-python, ``oauth2cli/oauth2.py``) and for
the sandbox's own credential. A device code answers ``authorization_pending`` for
``device_code_polls`` polls, then (the sandbox plays the user on the other device) approves,
``authorization_declined`` or ``expired_token`` as the scenario says. Every token issued is
recorded with its audience (from the requested scope), tenant and whether it is app-only, so
ARM and Graph can refuse the wrong ones. The tenant in the URL decides the token's tenant:
the sandbox tenant for its ID, its domains, ``organizations`` and ``common``; any other GUID
is a different (home) tenant, as when a guest signs in to their own directory.
"""

from __future__ import annotations

import base64
import json
import secrets
import time

import re

from cmgtui.sandbox.http import Request, Response, Route, route
from cmgtui.rehearsal_tenant import USER_UPN
from cmgtui.sandbox.state import USER_ID, DeviceCode, TenantState, audience_of

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

SANDBOX_CLIENT_ID = "cmgtui-sandbox"
_TENANT = r"(?P<tenant>[\w.-]+)"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _oauth_error(code: str, description: str, status: int = 400) -> Response:
    return Response(status, {"error": code, "error_description": description,
                             "error_codes": [], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ")})


def token_tenant(state: TenantState, segment: str) -> str | None:
    """The tenant a sign-in at ``/{segment}/`` lands in, or None when no such tenant exists."""
    value = segment.lower()
    own = {state.tenant_id, "organizations", "common",
           *(d["name"].lower() for d in state.verified_domains())}
    if value in own:
        return state.tenant_id
    return value if _GUID.match(value) else None


def _unknown_tenant(segment: str) -> Response:
    return _oauth_error("invalid_request", f"AADSTS90002: Tenant '{segment}' not found. Check to make "
                        "sure you have the correct tenant ID and are signing into the correct cloud.")


def openid_configuration(state: TenantState, req: Request, match) -> Response:
    """``GET /{tenant}/v2.0/.well-known/openid-configuration``."""
    base = f"{req.base_url}/{match['tenant']}"
    return Response(200, {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                  "client_secret_basic"],
        "jwks_uri": f"{req.base_url}/{state.tenant_id}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{base}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{req.base_url}/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "name", "tid", "ver",
                             "oid", "preferred_username"],
        "tenant_region_scope": "NA",
        "cloud_instance_name": "sandbox.local",
        "cloud_graph_host_name": "graph.sandbox.local",
        "msgraph_host": "graph.sandbox.local",
    })


def instance_discovery(state: TenantState, req: Request, match) -> Response:
    """``GET /common/discovery/instance`` (only used when instance discovery is on)."""
    host = req.base_url.split("://", 1)[-1]
    return Response(200, {
        "tenant_discovery_endpoint":
            f"{req.base_url}/{state.tenant_id}/v2.0/.well-known/openid-configuration",
        "api-version": "1.1",
        "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
    })


def device_code(state: TenantState, req: Request, match) -> Response:
    """``POST /{tenant}/oauth2/v2.0/devicecode``: start a device-code sign-in."""
    if not req.form.get("client_id"):
        return _oauth_error("invalid_request", "AADSTS900144: The request body must contain "
                                               "the following parameter: 'client_id'.")
    tenant = token_tenant(state, match["tenant"])
    if tenant is None:
        return _unknown_tenant(match["tenant"])
    code = secrets.token_urlsafe(24)
    user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
    behaviour = state.scenario.behaviour
    with state.lock:
        state.device_codes[code] = DeviceCode(req.form["client_id"], tenant, behaviour.device_code_polls,
                                              behaviour.device_code, time.time() + 900,
                                              req.form.get("scope", ""))
    uri = f"{req.base_url}/devicelogin"
    return Response(200, {
        "user_code": user_code,
        "device_code": code,
        "verification_uri": uri,
        "expires_in": 900,
        "interval": state.device_code_interval,
        "message": f"To sign in, use a web browser to open the page {uri} and enter the code "
                   f"{user_code} to authenticate.",
    })


def _user_tokens(state: TenantState, req: Request, client_id: str, scope: str, tenant: str) -> dict:
    now = int(time.time())
    claims = {
        "aud": client_id, "iss": f"{req.base_url}/{tenant}/v2.0", "iat": now, "nbf": now,
        "exp": now + 3600, "name": "Contoso Admin", "oid": USER_ID, "preferred_username": USER_UPN,
        "sub": USER_ID, "tid": tenant, "ver": "2.0",
    }
    id_token = ".".join([_b64(json.dumps({"alg": "none", "typ": "JWT"}).encode()),
                         _b64(json.dumps(claims).encode()), ""])
    return {
        "token_type": "Bearer", "scope": scope, "expires_in": 3599, "ext_expires_in": 3599,
        "access_token": state.issue_token(audience=audience_of(scope), tenant=tenant),
        "refresh_token": f"sbxr.{tenant}." + secrets.token_urlsafe(24),
        "id_token": id_token,
        "client_info": _b64(json.dumps({"uid": USER_ID, "utid": tenant}).encode()),
    }


def _device_code_grant(state: TenantState, req: Request, client_id: str, scope: str) -> Response:
    with state.lock:
        pending = state.device_codes.get(req.form.get("device_code", ""))
        if pending is None or pending.expires < time.time():
            return _oauth_error("expired_token", "AADSTS70020: The provided value for the input "
                                "parameter 'device_code' is not valid. This device code has expired.")
        if pending.polls_left > 0:
            pending.polls_left -= 1
            return _oauth_error("authorization_pending", "AADSTS70016: OAuth 2.0 device flow error. "
                                "Authorization is pending. Continue polling.")
        del state.device_codes[req.form["device_code"]]
    if pending.outcome == "decline":
        return _oauth_error("authorization_declined", "AADSTS70000: The user declined the sign-in "
                            "request on the other device.")
    if pending.outcome == "expire":
        return _oauth_error("expired_token", "AADSTS70020: The provided value for the input "
                            "parameter 'device_code' is not valid. This device code has expired.")
    return Response(200, _user_tokens(state, req, client_id, scope or pending.scope, pending.tenant))


def token(state: TenantState, req: Request, match) -> Response:
    """``POST /{tenant}/oauth2/v2.0/token`` for client credentials, password, device code, refresh."""
    grant = req.form.get("grant_type", "")
    client_id = req.form.get("client_id", SANDBOX_CLIENT_ID)
    scope = req.form.get("scope", "")
    if state.refuse_sign_in:
        return _oauth_error("invalid_grant", "AADSTS50173: The provided grant has expired due to "
                            "it being revoked, a fresh auth token is needed.")
    tenant = token_tenant(state, match["tenant"])
    if tenant is None:
        return _unknown_tenant(match["tenant"])
    if grant == "client_credentials":
        return Response(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                              "access_token": state.issue_token(audience=audience_of(scope),
                                                                tenant=tenant, app_only=True)})
    if grant == "password":
        if req.form.get("username", "").lower() != USER_UPN:
            return _oauth_error("invalid_grant", "AADSTS50034: The user account does not exist in "
                                "this directory.")
        return Response(200, _user_tokens(state, req, client_id, scope, tenant))
    if grant in ("urn:ietf:params:oauth:grant-type:device_code", "device_code"):
        return _device_code_grant(state, req, client_id, scope)
    if grant == "refresh_token":
        refresh = req.form.get("refresh_token", "")
        if not refresh.startswith("sbxr."):
            return _oauth_error("invalid_grant", "AADSTS9002313: Invalid request.")
        return Response(200, _user_tokens(state, req, client_id, scope, refresh.split(".")[1]))
    return _oauth_error("unsupported_grant_type",
                        f"AADSTS70003: The app requested an unsupported grant type '{grant}'.")


ROUTES: list[Route] = [
    route("GET", r"/common/discovery/instance", instance_discovery, needs_token=False),
    route("GET", rf"/{_TENANT}/v2\.0/\.well-known/openid-configuration", openid_configuration,
          needs_token=False),
    route("POST", rf"/{_TENANT}/oauth2/v2\.0/devicecode", device_code, needs_token=False),
    route("POST", rf"/{_TENANT}/oauth2/v2\.0/token", token, needs_token=False),
]
