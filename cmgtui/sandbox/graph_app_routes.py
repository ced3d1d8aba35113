"""Microsoft Graph v1.0 application endpoints of the sandbox: list, create, upsert, read, change, secrets.

Request and response shapes follow the samples in microsoftgraph/microsoft-graph-docs-contrib
(``api-reference/v1.0/api/application-post-applications.md``, ``application-addpassword.md``,
``application-upsert.md``...). As the real service:

* identifier URIs: an https host must be a verified domain (400 ``HostNameNotOnVerifiedDomain``),
  duplicates are refused; ``signInAudience`` must be a known value;
* a write needs one of the directory roles that may manage applications (``APP_WRITERS``); the
  secret text of a new password is returned once, by ``addPassword``.
"""

from __future__ import annotations

import copy
import secrets
import uuid
from urllib.parse import urlsplit

from cmgtui.sandbox.graph_common import (
    APP_WRITERS,
    ID,
    V1,
    denied,
    filtered,
    graph_page,
    may,
    not_found,
    odata_context,
    visible,
)
from cmgtui.sandbox.http import Request, Response, Route, graph_error, route
from cmgtui.sandbox.state import TenantState, now_iso

SIGN_IN_AUDIENCES = ("AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount",
                     "PersonalMicrosoftAccount")


def list_applications(state: TenantState, req: Request, match) -> Response:
    """``GET /applications`` with ``$filter`` on displayName or appId."""
    with state.lock:
        items = [copy.deepcopy(a) for a in visible(state, list(state.applications.values()))]
    result = filtered(req, items, {"displayName", "appId"})
    if isinstance(result, Response):
        return result
    return graph_page(state, req, "applications", result)


def _new_application(body: dict) -> dict:
    api = {"acceptMappedClaims": None, "knownClientApplications": [], "oauth2PermissionScopes": [],
           "preAuthorizedApplications": [], "requestedAccessTokenVersion": None}
    api.update(body.get("api") or {})
    web = {"homePageUrl": None, "logoutUrl": None, "redirectUris": [], "redirectUriSettings": [],
           "implicitGrantSettings": {"enableAccessTokenIssuance": False,
                                     "enableIdTokenIssuance": False}}
    web.update(body.get("web") or {})
    app = {
        "id": str(uuid.uuid4()), "appId": str(uuid.uuid4()), "deletedDateTime": None,
        "createdDateTime": now_iso(), "description": None, "displayName": body["displayName"],
        "identifierUris": [], "isFallbackPublicClient": None, "notes": None, "uniqueName": None,
        "publisherDomain": "contoso.onmicrosoft.com", "signInAudience": "AzureADMyOrg",
        "tags": [], "appRoles": [], "keyCredentials": [], "passwordCredentials": [],
        "requiredResourceAccess": [], "publicClient": {"redirectUris": []},
        "spa": {"redirectUris": []}, "info": {}, "optionalClaims": None,
    }
    for key, value in body.items():
        if key not in ("api", "web", "id", "appId"):
            app[key] = value
    app["api"], app["web"] = api, web
    return app


def _uri_in_use(state: TenantState, uris: list[str], except_id: str = "") -> str | None:
    for app in state.applications.values():
        if app["id"] != except_id:
            for uri in app.get("identifierUris") or []:
                if uri.lower() in (u.lower() for u in uris):
                    return uri
    return None


def _app_problem(state: TenantState, body: dict, except_id: str = "") -> Response | None:
    """The 400s Graph gives for identifier URIs and signInAudience, or None."""
    audience = body.get("signInAudience")
    if audience is not None and audience not in SIGN_IN_AUDIENCES:
        return graph_error(400, "Request_BadRequest", "Invalid value specified for property "
                           "'signInAudience' of resource 'Application'.")
    uris = body.get("identifierUris") or []
    domains = [d["name"].lower() for d in state.verified_domains()]
    for uri in uris:
        parts = urlsplit(str(uri))
        host = (parts.hostname or "").lower()
        if parts.scheme.lower() == "https" and not any(host == d or host.endswith("." + d)
                                                       for d in domains):
            return graph_error(400, "HostNameNotOnVerifiedDomain",
                               "Values of identifierUris property must use a verified domain of the "
                               f"organization or its subdomain: '{uri}'")
    if _uri_in_use(state, uris, except_id):
        return graph_error(400, "Request_BadRequest", "Another object with the same value for "
                           "property identifierUris already exists.")
    return None


def _store_new_app(state: TenantState, body: dict) -> dict:
    app = _new_application(body)
    state.applications[app["id"]] = app
    state.created(app["id"])
    state.save()
    return app


def create_application(state: TenantState, req: Request, match) -> Response:
    """``POST /applications``."""
    if not may(state, APP_WRITERS):
        return denied()
    body = req.body or {}
    if not isinstance(body, dict) or not body.get("displayName"):
        return graph_error(400, "Request_BadRequest",
                           "Property 'displayName' is required to create an application.")
    with state.lock:
        if (problem := _app_problem(state, body)) is not None:
            return problem
        answer = copy.deepcopy(_store_new_app(state, body))
    answer["@odata.context"] = odata_context(req, "applications/$entity")
    return Response(201, answer, {"Location": f"{req.base_url}{V1}/applications/{answer['id']}"})


def _by_unique_name(state: TenantState, unique: str) -> dict | None:
    return next((a for a in state.applications.values()
                 if (a.get("uniqueName") or "").lower() == unique.lower()), None)


def upsert_application(state: TenantState, req: Request, match) -> Response:
    """``PATCH /applications(uniqueName='...')``: with ``Prefer: create-if-missing`` creates the
    app (201) or updates the one that has this uniqueName (204); without it, 404 when absent."""
    if not may(state, APP_WRITERS):
        return denied()
    unique = match["unique"]
    body = req.body or {}
    with state.lock:
        app = _by_unique_name(state, unique)
        if app is None:
            if "create-if-missing" not in req.headers.get("prefer", "").lower():
                return not_found(unique)
            if not isinstance(body, dict) or not body.get("displayName"):
                return graph_error(400, "Request_BadRequest",
                                   "Property 'displayName' is required to create an application.")
            if (problem := _app_problem(state, body)) is not None:
                return problem
            answer = copy.deepcopy(_store_new_app(state, dict(body, uniqueName=unique)))
            answer["@odata.context"] = odata_context(req, "applications/$entity")
            return Response(201, answer)
        if (problem := _app_problem(state, body, app["id"])) is not None:
            return problem
        _apply_patch(app, body)
        state.save()
    return Response(204)


def get_application_by_unique_name(state: TenantState, req: Request, match) -> Response:
    """``GET /applications(uniqueName='...')``."""
    with state.lock:
        app = _by_unique_name(state, match["unique"])
        app = copy.deepcopy(app) if app is not None and state.visible(app["id"]) else None
    if app is None:
        return not_found(match["unique"])
    app["@odata.context"] = odata_context(req, "applications/$entity")
    return Response(200, app)


def get_application(state: TenantState, req: Request, match) -> Response:
    """``GET /applications/{id}``."""
    with state.lock:
        app = state.applications.get(match["id"].lower())
        app = copy.deepcopy(app) if app is not None and state.visible(app["id"]) else None
    if app is None:
        return not_found(match["id"])
    app["@odata.context"] = odata_context(req, "applications/$entity")
    return Response(200, app)


def _apply_patch(app: dict, body: dict) -> None:
    for key, value in body.items():
        if key in ("id", "appId", "@odata.type", "uniqueName"):
            continue
        if isinstance(value, dict) and isinstance(app.get(key), dict):
            app[key].update(value)
        else:
            app[key] = value


def update_application(state: TenantState, req: Request, match) -> Response:
    """``PATCH /applications/{id}``: replaces each property given; 204 No Content."""
    if not may(state, APP_WRITERS):
        return denied()
    body = req.body or {}
    with state.lock:
        app = state.applications.get(match["id"].lower())
        if app is None or not state.visible(app["id"]):
            return not_found(match["id"])
        if (problem := _app_problem(state, body, app["id"])) is not None:
            return problem
        _apply_patch(app, body)
        state.save()
    return Response(204)


def add_password(state: TenantState, req: Request, match) -> Response:
    """``POST /applications/{id}/addPassword``: the secret text is returned only here."""
    if not may(state, APP_WRITERS):
        return denied()
    credential = (req.body or {}).get("passwordCredential") or {}
    secret = secrets.token_urlsafe(30)[:40]
    entry = {"customKeyIdentifier": None, "displayName": credential.get("displayName"),
             "endDateTime": credential.get("endDateTime") or "2028-01-01T00:00:00Z",
             "hint": secret[:3], "keyId": str(uuid.uuid4()),
             "startDateTime": credential.get("startDateTime") or now_iso()}
    with state.lock:
        app = state.applications.get(match["id"].lower())
        if app is None or not state.visible(app["id"]):
            return not_found(match["id"])
        app["passwordCredentials"].append(dict(entry, secretText=None))
        state.save()
    return Response(200, dict(entry, secretText=secret, **{
        "@odata.context": odata_context(req, "microsoft.graph.passwordCredential")}))


def remove_password(state: TenantState, req: Request, match) -> Response:
    """``POST /applications/{id}/removePassword`` with ``{"keyId"}``: 204 No Content."""
    if not may(state, APP_WRITERS):
        return denied()
    key_id = str((req.body or {}).get("keyId", "")).lower()
    with state.lock:
        app = state.applications.get(match["id"].lower())
        if app is None or not state.visible(app["id"]):
            return not_found(match["id"])
        kept = [p for p in app["passwordCredentials"] if p["keyId"] != key_id]
        if len(kept) == len(app["passwordCredentials"]):
            return graph_error(400, "Request_BadRequest", f"No password credential found with keyId "
                                                          f"'{key_id}'.")
        app["passwordCredentials"] = kept
        state.save()
    return Response(204)


ROUTES: list[Route] = [
    route("GET", rf"{V1}/applications", list_applications),
    route("PATCH", rf"{V1}/applications\(uniqueName='(?P<unique>[^']+)'\)", upsert_application),
    route("GET", rf"{V1}/applications\(uniqueName='(?P<unique>[^']+)'\)", get_application_by_unique_name),
    route("POST", rf"{V1}/applications", create_application),
    route("GET", rf"{V1}/applications/{ID}", get_application),
    route("PATCH", rf"{V1}/applications/{ID}", update_application),
    route("POST", rf"{V1}/applications/{ID}/addPassword", add_password),
    route("POST", rf"{V1}/applications/{ID}/removePassword", remove_password),
]
