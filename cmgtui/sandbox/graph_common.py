"""What every Microsoft Graph v1.0 endpoint of the sandbox shares: paths, errors, paging, filters.

The endpoints (``graph_directory_routes``, ``graph_app_routes``, ``graph_principal_routes``)
answer in the shapes of the samples in microsoftgraph/microsoft-graph-docs-contrib
(``api-reference/v1.0/api/...``). As the real service, and for every one of them:

* a new object is invisible to the next ``replication_reads`` requests (404
  ``Request_ResourceNotFound`` by ID, absent from lists);
* writes need a suitable directory role (403 ``Authorization_RequestDenied``); every collection
  is paged with ``@odata.nextLink``; a ``$filter`` on a property Graph cannot filter on is a 400
  ``Request_UnsupportedQuery``.
"""

from __future__ import annotations

from cmgtui.sandbox.http import Request, Response, graph_error, page, parse_odata_filter
from cmgtui.sandbox.state import TenantState

V1 = "/v1.0"
ID = r"(?P<id>[0-9a-fA-F-]{36})"
#: The directory roles that may create and change applications and service principals.
APP_WRITERS = {"Global Administrator", "Cloud Application Administrator",
               "Application Administrator", "Application Developer"}


def odata_context(req: Request, what: str) -> str:
    """The ``@odata.context`` URL Graph puts in a body about ``what``."""
    return f"{req.base_url}{V1}/$metadata#{what}"


def denied() -> Response:
    """The 403 Graph answers a write the signed-in user's roles do not allow."""
    return graph_error(403, "Authorization_RequestDenied",
                       "Insufficient privileges to complete the operation.")


def not_found(object_id: str) -> Response:
    """The 404 Graph answers for an object that does not exist (or is not replicated yet)."""
    return graph_error(404, "Request_ResourceNotFound",
                       f"Resource '{object_id}' does not exist or one of its queried "
                       "reference-property objects are not present.")


def filtered(req: Request, items: list[dict], allowed: set[str]) -> list[dict] | Response:
    """``items`` narrowed by the request's ``$filter`` (``eq`` on ``allowed`` properties), or a 400."""
    text = req.query.get("$filter")
    if not text:
        return items
    clauses = parse_odata_filter(text)
    if clauses is None or any(field not in allowed for field, _ in clauses):
        return graph_error(400, "Request_UnsupportedQuery", f"Unsupported query: '{text}'.")
    return [i for i in items if all(str(i.get(f, "")).lower() == v.lower() for f, v in clauses)]


def graph_page(state: TenantState, req: Request, what: str, items: list[dict]) -> Response:
    """One page of a Graph collection, with its ``@odata.context`` and ``@odata.nextLink``."""
    return page(req, items, state.scenario.behaviour.page_size, graph=True,
                extra={"@odata.context": odata_context(req, what)})


def visible(state: TenantState, items: list[dict]) -> list[dict]:
    """The ``items`` that have replicated (a new object is absent from lists for a while)."""
    return [i for i in items if state.visible(i["id"])]


def may(state: TenantState, allowed: set[str]) -> bool:
    """Whether the signed-in user holds one of the ``allowed`` directory roles."""
    with state.lock:
        return bool(allowed & set(state.user_roles))
