"""The sandbox's small HTTP vocabulary: parsed requests, responses, routes and error bodies.

Route handlers are plain functions ``(state, request, match) -> Response`` so that the ARM,
Graph and sign-in endpoints stay in separate modules and can be read against the public API
references they imitate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode
from dataclasses import dataclass, field
from typing import Any

from cmgtui.sandbox.state import TenantState


@dataclass(slots=True)
class Request:
    """One parsed request: method, path without query, first value per query key, JSON body."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    form: dict[str, str] = field(default_factory=dict)
    base_url: str = ""


@dataclass(slots=True)
class Response:
    """What a route answers; ``body`` is JSON-encoded unless it is ``bytes``."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[TenantState, Request, "re.Match[str]"], Response]


@dataclass(frozen=True, slots=True)
class Route:
    """A method plus a full-match path pattern (case-insensitive, as ARM paths are)."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    needs_token: bool = True


def route(method: str, pattern: str, handler: Handler, *, needs_token: bool = True) -> Route:
    """Build a Route from a regular expression written without anchors."""
    return Route(method, re.compile(pattern, re.IGNORECASE), handler, needs_token)


def arm_error(status: int, code: str, message: str) -> Response:
    """An error in Azure Resource Manager's ``{"error": {"code", "message"}}`` shape."""
    return Response(status, {"error": {"code": code, "message": message}})


def graph_error(status: int, code: str, message: str) -> Response:
    """An error in Microsoft Graph's shape, with the innerError block Graph adds."""
    return Response(status, {"error": {"code": code, "message": message, "innerError": {
        "date": "2026-01-01T00:00:00", "request-id": "00000000-0000-0000-0000-000000000000",
        "client-request-id": "00000000-0000-0000-0000-000000000000"}}})


def parse_odata_filter(text: str) -> list[tuple[str, str]] | None:
    """Parse ``a eq 'x' and b eq 'y'`` into ``[(a, x), (b, y)]``; None if it is anything else."""
    clauses: list[tuple[str, str]] = []
    for part in re.split(r"\s+and\s+", text.strip(), flags=re.IGNORECASE):
        found = re.fullmatch(r"(\w+)\s+eq\s+'((?:[^']|'')*)'", part.strip(), re.IGNORECASE)
        if not found:
            return None
        clauses.append((found.group(1), found.group(2).replace("''", "'")))
    return clauses


def page(req: Request, items: list[Any], size: int, *, graph: bool = False,
         extra: dict[str, Any] | None = None) -> Response:
    """One page of ``items`` with the continuation link ARM (``nextLink``) or Graph
    (``@odata.nextLink``) gives: the same URL with a ``$skiptoken`` for the next page."""
    try:
        start = max(int(req.query.get("$skiptoken", "0")), 0)
    except ValueError:
        start = 0
    size = max(size, 1)
    body: dict[str, Any] = dict(extra or {})
    body["value"] = items[start:start + size]
    if start + size < len(items):
        query = {k: v for k, v in req.query.items() if k != "$skiptoken"}
        query["$skiptoken"] = str(start + size)
        link = f"{req.base_url}{req.path}?{urlencode(query, safe='$')}"
        body["@odata.nextLink" if graph else "nextLink"] = link
    return Response(200, body)
