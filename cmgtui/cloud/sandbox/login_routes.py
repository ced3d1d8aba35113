"""Sign-in endpoints of the sandbox: OpenID discovery, instance discovery, device code, token.

They follow the Microsoft identity platform v2.0 protocol closely enough for MSAL (inside
azure-identity's ``DeviceCodeCredential``) and for the sandbox's own credential: the device
code is approved at once (the sandbox plays the user), and every token issued is recorded in
the tenant state so ARM and Graph calls can be checked for a valid bearer token.
"""

from __future__ import annotations

import base64
import json
import secrets
import time

from cmgtui.cloud.sandbox.http import Request, Response, Route, route
from cmgtui.cloud.sandbox.state import USER_ID, USER_UPN, TenantState

SANDBOX_CLIENT_ID = "cmgtui-sandbox"
_TENANT = r"(?P<tenant>[\w.-]+)"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _oauth_error(code: str, description: str, status: int = 400) -> Response:
    return Response(status, {"error": code, "error_description": description,
                             "error_codes": [], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ")})


def openid_configuration(state: TenantState, req: Request, match) -> Response:
    """``GET /{tenant}/v2.0/.well-known/openid-configuration``."""
    base = f"{req.base_url}/{state.tenant_id}"
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
    code = secrets.token_urlsafe(24)
    user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
    with state.lock:
        state.device_codes[code] = req.form["client_id"]
    uri = f"{req.base_url}/devicelogin"
    return Response(200, {
        "user_code": user_code,
        "device_code": code,
        "verification_uri": uri,
        "expires_in": 900,
        "interval": 1,
        "message": f"To sign in, use a web browser to open the page {uri} and enter the code "
                   f"{user_code} to authenticate.",
    })


def _user_tokens(state: TenantState, req: Request, client_id: str, scope: str) -> dict:
    now = int(time.time())
    claims = {
        "aud": client_id, "iss": f"{req.base_url}/{state.tenant_id}/v2.0", "iat": now, "nbf": now,
        "exp": now + 3600, "name": "Contoso Admin", "oid": USER_ID, "preferred_username": USER_UPN,
        "sub": USER_ID, "tid": state.tenant_id, "ver": "2.0",
    }
    id_token = ".".join([_b64(json.dumps({"alg": "none", "typ": "JWT"}).encode()),
                         _b64(json.dumps(claims).encode()), ""])
    return {
        "token_type": "Bearer", "scope": scope, "expires_in": 3599, "ext_expires_in": 3599,
        "access_token": state.issue_token(), "refresh_token": "sbxr." + secrets.token_urlsafe(24),
        "id_token": id_token,
        "client_info": _b64(json.dumps({"uid": USER_ID, "utid": state.tenant_id}).encode()),
    }


def token(state: TenantState, req: Request, match) -> Response:
    """``POST /{tenant}/oauth2/v2.0/token`` for client credentials, device code and refresh."""
    grant = req.form.get("grant_type", "")
    client_id = req.form.get("client_id", SANDBOX_CLIENT_ID)
    scope = req.form.get("scope", "")
    if state.refuse_sign_in:
        return _oauth_error("invalid_grant", "AADSTS50173: The provided grant has expired due to "
                            "it being revoked, a fresh auth token is needed.")
    if grant == "client_credentials":
        return Response(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                              "access_token": state.issue_token()})
    if grant in ("urn:ietf:params:oauth:grant-type:device_code", "device_code"):
        with state.lock:
            known = state.device_codes.pop(req.form.get("device_code", ""), None)
        if known is None:
            return _oauth_error("expired_token", "AADSTS70019: Verification code expired.")
        return Response(200, _user_tokens(state, req, client_id, scope))
    if grant == "refresh_token":
        if not req.form.get("refresh_token", "").startswith("sbxr."):
            return _oauth_error("invalid_grant", "AADSTS9002313: Invalid request.")
        return Response(200, _user_tokens(state, req, client_id, scope))
    return _oauth_error("unsupported_grant_type",
                        f"AADSTS70003: The app requested an unsupported grant type '{grant}'.")


ROUTES: list[Route] = [
    route("GET", r"/common/discovery/instance", instance_discovery, needs_token=False),
    route("GET", rf"/{_TENANT}/v2\.0/\.well-known/openid-configuration", openid_configuration,
          needs_token=False),
    route("POST", rf"/{_TENANT}/oauth2/v2\.0/devicecode", device_code, needs_token=False),
    route("POST", rf"/{_TENANT}/oauth2/v2\.0/token", token, needs_token=False),
]
