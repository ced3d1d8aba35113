"""The sandbox tenant's HTTPS server: a stdlib ThreadingHTTPServer running in a thread.

One loopback port answers the sign-in (``/{tenant}/oauth2/v2.0/...``), Azure Resource Manager
(``/subscriptions/...``) and Microsoft Graph (``/v1.0/...``) endpoints. The TLS handshake
runs on the request thread, Nagle's algorithm is off and the write file is unbuffered, so a
request costs about a millisecond instead of ~40 ms of delayed-ACK stalls.

Every bearer token is checked for what it was issued for, as the services do: ARM refuses a
token for another audience (401 ``InvalidAuthenticationTokenAudience``) or from another tenant
(401 ``InvalidAuthenticationTokenTenant``, with the issuer and the tenant in the message);
Graph refuses a token for another audience or tenant (401 ``InvalidAuthenticationToken``).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from cmgtui.sandbox import (
    arm_routes,
    cmg_routes,
    compute_routes,
    deployment_routes,
    graph_app_routes,
    graph_directory_routes,
    graph_principal_routes,
    login_routes,
    policy_routes,
    prices_routes,
)
from cmgtui.sandbox.ca import make_tls
from cmgtui.sandbox.faults import FaultPlan
from cmgtui.sandbox.http import Request, Response, Route, arm_error, graph_error
from cmgtui.sandbox.scenario import Scenario
from cmgtui.sandbox.state import ARM_AUDIENCES, GRAPH_AUDIENCES, StateBusy, TenantState, TokenInfo

URL_ENV = "CMGTUI_SANDBOX_URL"
CA_ENV = "CMGTUI_SANDBOX_CA"

ROUTES: list[Route] = [*login_routes.ROUTES, *arm_routes.ROUTES, *compute_routes.ROUTES, *policy_routes.ROUTES,
                       *deployment_routes.ROUTES, *graph_directory_routes.ROUTES, *graph_app_routes.ROUTES,
                       *graph_principal_routes.ROUTES, *prices_routes.ROUTES,
                       *cmg_routes.ROUTES]


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request the sandbox saw: when, what, and the status it answered (0 = dropped)."""

    at: float
    method: str
    path: str
    status: int


class _Handler(BaseHTTPRequestHandler):
    """Parses a request, applies the fault plan, dispatches to a route, writes JSON."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 0
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Silence the stdlib's per-request stderr line; requests are kept in memory instead."""

    def _read_request(self) -> Request:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        body, form = None, {}
        if raw and "application/x-www-form-urlencoded" in content_type:
            form = dict(parse_qsl(raw.decode("utf-8")))
        elif raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"__invalid_json__": True}
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        headers = {k.lower(): v for k, v in self.headers.items() if not k.lower().startswith("x-sandbox-")}
        return Request(self.command, parts.path.rstrip("/") or "/", dict(parse_qsl(parts.query)),
                       headers, body, form, f"https://{host}")

    def _send(self, response: Response) -> None:
        payload = b""
        if isinstance(response.body, bytes):
            payload = response.body
        elif response.body is not None:
            payload = json.dumps(response.body).encode("utf-8")
        self.send_response(response.status)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ms-request-id", secrets.token_hex(8))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self) -> None:
        request = self._read_request()
        decision = self.server.faults.decide(request.method, request.path)
        if decision.latency_s:
            time.sleep(decision.latency_s)
        if decision.drop_before:
            self.server.record(request, 0)
            return self._drop()
        response = self._fault_response(request, decision) or self._dispatch(request)
        if decision.drop_after:
            self.server.record(request, 0)
            return self._drop()
        self.server.record(request, response.status)
        self._send(response)

    @staticmethod
    def _fault_response(request: Request, decision) -> Response | None:
        if decision.status is None:
            return None
        graph = request.path.startswith("/v1.0")
        if decision.status == 429:
            message = "Too many requests; retry after the time in the Retry-After header."
            response = (graph_error(429, "TooManyRequests", message) if graph
                        else arm_error(429, "TooManyRequests", message))
            response.headers["Retry-After"] = str(decision.retry_after)
            return response
        message = f"Injected fault: the service answered {decision.status}."
        return (graph_error(decision.status, "serviceNotAvailable" if decision.status == 503
                            else "generalException", message) if graph
                else arm_error(decision.status, "InternalServerError", message))

    def _dispatch(self, request: Request) -> Response:
        if request.path.startswith("/v1.0"):
            self.server.state.graph_tick()
        path_known = False
        for candidate in ROUTES:
            match = candidate.pattern.fullmatch(request.path)
            if match is None:
                continue
            path_known = True
            if candidate.method != request.method:
                continue
            if candidate.needs_token:
                refused = self._check_token(request)
                if refused is not None:
                    return refused
            try:
                with self.server.state.transaction():  # one writer of the shared state file at a time
                    return candidate.handler(self.server.state, request, match)
            except StateBusy as exc:
                return arm_error(503, "ServiceUnavailable", f"The sandbox is busy ({exc}); try again.")
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                return arm_error(400, "InvalidRequestContent", f"The request is invalid: {exc!r}.")
        if path_known:
            return arm_error(405, "MethodNotAllowed", f"{request.method} is not allowed here.")
        if request.path.startswith("/v1.0"):
            return graph_error(400, "BadRequest", f"Resource not found for the segment "
                               f"'{request.path.rsplit('/', 1)[-1]}'.")
        return arm_error(404, "InvalidResourceType", f"The path '{request.path}' is not known.")

    def _check_token(self, request: Request) -> Response | None:
        """None when the bearer token fits this request (and the request is annotated), else the 401."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        state = self.server.state
        info = state.token_info(token.strip()) if scheme.lower() == "bearer" else None
        if info is None:
            return self._unauthorized(request)
        graph = request.path.startswith("/v1.0")
        refused = (self._wrong_graph_token(info, state, request) if graph
                   else self._wrong_arm_token(info, state, request))
        if refused is not None:
            refused.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return refused
        request.headers["x-sandbox-app-only"] = "1" if info.app_only else "0"
        request.headers["x-sandbox-cloud"] = ARM_AUDIENCES.get(info.audience, "public")
        request.headers["x-sandbox-tenant"] = info.tenant
        return None

    @staticmethod
    def _wrong_arm_token(info: TokenInfo, state: TenantState, request: Request) -> Response | None:
        if info.audience not in ARM_AUDIENCES:
            allowed = "','".join(f"{a}{s}" for a in ARM_AUDIENCES for s in ("/", ""))
            return arm_error(401, "InvalidAuthenticationTokenAudience",
                             f"The access token has been obtained for wrong audience or resource "
                             f"'{info.audience}'. It should exactly match with one of the allowed "
                             f"audiences '{allowed}'.")
        if info.tenant != state.tenant_id and request.path.lower() != "/subscriptions":
            return arm_error(401, "InvalidAuthenticationTokenTenant",
                             f"The access token is from the wrong issuer 'https://sts.windows.net/"
                             f"{info.tenant}/'. It must match the tenant 'https://sts.windows.net/"
                             f"{state.tenant_id}/' associated with this subscription. Please use the "
                             f"authority (URL) 'https://login.windows.net/{state.tenant_id}' to get "
                             "the token. Note, if the subscription is transferred to another tenant "
                             "there is no impact to the services, but information about new tenant "
                             "could take time to propagate (up to an hour). If you just transferred "
                             "your subscription and see this error message, please try back later.")
        return None

    @staticmethod
    def _wrong_graph_token(info: TokenInfo, state: TenantState, request: Request) -> Response | None:
        if info.audience not in GRAPH_AUDIENCES:
            return graph_error(401, "InvalidAuthenticationToken",
                               "Access token validation failure. Invalid audience.")
        # Graph serves the token's own tenant: /organization answers for the other tenant (so
        # the product can see where it landed); the sandbox holds no other directory's objects.
        if info.tenant != state.tenant_id and request.path != "/v1.0/organization":
            return graph_error(401, "InvalidAuthenticationToken",
                               f"Access token validation failure. The token was issued by tenant "
                               f"'{info.tenant}', not by this directory's tenant '{state.tenant_id}'.")
        return None

    @staticmethod
    def _unauthorized(request: Request) -> Response:
        if request.path.startswith("/v1.0"):
            response = graph_error(401, "InvalidAuthenticationToken",
                                   "Access token has expired or is not yet valid.")
        else:
            response = arm_error(401, "ExpiredAuthenticationToken",
                                 "The access token expiry UTC time is earlier than current UTC time.")
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that performs the TLS handshake on the request thread."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops bursts of concurrent connects (1 s SYN retry)

    def __init__(self, address, context, state: TenantState, faults: FaultPlan) -> None:
        super().__init__(address, _Handler)
        self.ssl_context = context
        self.state = state
        self.faults = faults
        self.requests: list[LoggedRequest] = []
        self._log_lock = threading.Lock()

    def record(self, request: Request, status: int) -> None:
        with self._log_lock:
            self.requests.append(LoggedRequest(time.time(), request.method, request.path, status))

    def finish_request(self, request, client_address) -> None:
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (OSError, ValueError):
            return
        try:
            tls.settimeout(30)
            _Handler(tls, client_address, self)
        except OSError:
            pass
        finally:
            try:
                tls.close()
            except OSError:
                pass


class SandboxServer:
    """The embedded sandbox tenant; start it, point the SDKs at :attr:`url`, trust :attr:`ca_path`.

    ``with SandboxServer(folder) as sandbox:`` starts it on an ephemeral loopback port and
    stops it (removing the CA file) on exit. ``state`` and ``faults`` may be changed while it
    runs; ``requests`` lists what it answered. ``scenario`` describes the tenant (the built-in
    default when None); with ``persist`` the tenant is kept in ``folder`` across runs.
    :meth:`from_environment` is the embedded use (``cmgtui --sandbox``, ``check``, ``entra``).
    """

    @classmethod
    def from_environment(cls, port: int = 0) -> SandboxServer | AttachedSandbox:
        """The sandbox the environment asks for, not yet started.

        With ``CMGTUI_SANDBOX_URL`` and ``CMGTUI_SANDBOX_CA`` set, the running sandbox they name
        (``cmgtui sandbox serve`` prints both); otherwise an embedded one in
        ``paths.sandbox_dir()``, keeping its tenant there, with the scenario of
        ``CMGTUI_SANDBOX_SCENARIO`` and the faults of ``CMGTUI_SANDBOX_FAULTS``. Raises
        ScenarioError or FaultSyntaxError for bad settings.
        """
        from cmgtui import paths
        from cmgtui.sandbox.faults import faults_from_environment
        from cmgtui.sandbox.scenario import scenario_from_environment

        attached = AttachedSandbox.from_environment()
        if attached is not None:
            return attached
        return cls(paths.sandbox_dir(), port=port, faults=faults_from_environment(),
                   scenario=scenario_from_environment(), persist=True)

    def __init__(self, folder: Path, *, port: int = 0, host: str = "127.0.0.1",
                 faults: FaultPlan | None = None, state: TenantState | None = None,
                 scenario: Scenario | None = None, persist: bool = False) -> None:
        self._folder = folder
        self._host = host
        self._port = port
        self.scenario = scenario
        self.persist = persist
        if state is None:
            state = (TenantState.persistent(folder, scenario) if persist
                     else TenantState(**({"scenario": scenario} if scenario else {})))
        self.state = state
        self.faults = faults or FaultPlan()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.ca_path: Path | None = None

    def start(self) -> SandboxServer:
        """Create the CA, bind the port and serve in a daemon thread."""
        tls = make_tls(self._folder, secrets.token_hex(4))
        self.ca_path = tls.ca_path
        self._server = _Server((self._host, self._port), tls.context, self.state, self.faults)
        self._thread = threading.Thread(target=self._server.serve_forever, name="cmgtui-sandbox",
                                        kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the socket and remove the CA file."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.ca_path is not None:
            self.ca_path.unlink(missing_ok=True)

    def reset(self) -> None:
        """Back to the scenario's tenant with no faults and an empty request log (between tests)."""
        self.state = TenantState(**({"scenario": self.scenario} if self.scenario else {}))
        if self.persist:
            self.state.path = self._folder / "tenant.json"
            self.state.save()
        self.faults.clear()
        if self._server is not None:
            self._server.state = self.state
            with self._server._log_lock:
                self._server.requests.clear()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._server is None:
            raise RuntimeError("The sandbox is not running.")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """``https://127.0.0.1:PORT``: the base of every endpoint."""
        return f"https://{self._host}:{self.port}"

    @property
    def requests(self) -> list[LoggedRequest]:
        """A copy of the request log."""
        if self._server is None:
            return []
        with self._server._log_lock:
            return list(self._server.requests)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class AttachedSandbox:
    """A sandbox someone else runs (``cmgtui sandbox serve``), reached by its URL and CA file.

    It offers what callers of :class:`SandboxServer` use (``url``, ``ca_path``, ``start``,
    ``stop``, context manager) but owns nothing: stopping it leaves the server running.
    """

    url: str
    ca_path: Path

    @classmethod
    def from_environment(cls) -> AttachedSandbox | None:
        """From ``CMGTUI_SANDBOX_URL`` and ``CMGTUI_SANDBOX_CA``; None when the URL is unset.

        Raises ValueError (saying which variable) when one is missing or unusable.
        """
        url = os.environ.get(URL_ENV, "").strip().rstrip("/")
        ca = os.environ.get(CA_ENV, "").strip()
        if not url:
            return None
        if not url.startswith("https://"):
            raise ValueError(f"{URL_ENV} must be the https:// URL that 'cmgtui sandbox serve' printed.")
        if not ca:
            raise ValueError(f"{URL_ENV} is set but {CA_ENV} is not; set it to the CA certificate "
                             "file 'cmgtui sandbox serve' printed.")
        path = Path(ca).expanduser()
        if not path.is_file():
            raise ValueError(f"{CA_ENV}: {path} does not exist; is 'cmgtui sandbox serve' still running?")
        return cls(url, path)

    def start(self) -> AttachedSandbox:
        """Nothing to start: the sandbox already runs."""
        return self

    def stop(self) -> None:
        """Nothing to stop: the sandbox belongs to another process."""

    def __enter__(self) -> AttachedSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
