"""Textual's web server with a token, a host check and an origin check (used by ``cmgtui serve``).

``textual-serve`` serves any Textual app to a browser but leaves access control to the caller.
:class:`TokenServer` adds it as one aiohttp middleware: a request must name the address being
served in its ``Host`` header, a websocket must come from a page of that address, and every
route but the static scripts needs the token, either in the query (``?token=…``, the URL that
was printed) or in the ``HttpOnly``/``SameSite=Strict`` cookie that the first page sets, because
the page's script opens its websocket with a query of its own (width and height).
"""

from __future__ import annotations

import asyncio
import hmac
import signal
import socket
import sys
from collections.abc import Awaitable, Callable

from aiohttp import web
from textual_serve.server import Server

COOKIE = "cmgtui_token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def free_port(host: str) -> int:
    """A TCP port that is free on ``host`` now (for ``--port 0``)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _url_host(host: str) -> str:
    """``host`` as it appears in a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host else host


class TokenServer(Server):
    """A ``textual_serve`` server whose every page needs ``token`` and names the served address."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title="cmgtui")
        self.token = token
        self.public_url = f"http://{_url_host(host)}:{port}"
        names = {_url_host(host)} | ({"localhost", "127.0.0.1", "[::1]"} if host in ("127.0.0.1", "localhost", "::1")
                                     else set())
        self.hosts = {f"{name}:{port}" for name in names}
        self.origins = {f"http://{name}" for name in self.hosts}

    @property
    def url(self) -> str:
        """The URL to open, token included."""
        return f"{self.public_url}/?token={self.token}"

    def initialize_logging(self) -> None:
        """No log output of textual-serve's own; ``cmgtui serve`` prints the URL itself."""

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its banner here, before the port is open; see :meth:`serve`."""

    def serve(self, debug: bool = False) -> None:
        """Serve until ctrl+c or SIGTERM; the URL is printed once the port accepts connections."""
        self.debug = debug
        loop = asyncio.new_event_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signal_number, self.request_exit)
            except NotImplementedError:  # pragma: no cover - Windows event loops
                pass
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    print=lambda *_: self._announce())

    def _announce(self) -> None:
        """Print where to point the browser (aiohttp calls this after its sites have started)."""
        print(f"cmgtui is served at {self.url}\nOpen it in a browser on this machine; ctrl+c stops serving.",
              file=sys.stdout, flush=True)

    async def _make_app(self) -> web.Application:
        """textual-serve's application with :meth:`_guard` in front of every route."""
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse other hosts, other origins and requests without the token."""
        if request.host not in self.hosts:
            raise web.HTTPForbidden(text=f"cmgtui serves {self.public_url} only; open the URL it printed.")
        if request.path.startswith("/static/"):
            return await handler(request)
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin not in self.origins:
            raise web.HTTPForbidden(text="A page from another site may not open cmgtui.")
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise web.HTTPForbidden(text="This page needs the token in the URL that 'cmgtui serve' printed.")
        response = await handler(request)
        if request.path == "/" and not response.prepared:
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
        return response
