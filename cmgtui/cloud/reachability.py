"""Internet-access probe for the checklist: DNS, TCP and a verified TLS handshake to every
fixed Microsoft endpoint of the chosen cloud, concurrently, each with a timeout.

The probe runs from the machine cmgtui runs on, which may not be the service connection
point or the CMG connection point server; the checklist says so. Endpoints named after the
CMG (deployment name, key vault, storage) exist only after deployment and are not probed.
The result is the ``probe.internet`` evidence the checklist's internet-access item reads.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

from cmgtui.cloud.probe import DEFAULT_TIMEOUT, Resolver, probe_service
from cmgtui.domain.azure.endpoints import required_endpoints
from cmgtui.model import AzureEnvironment, Evidence

Target = tuple[str, int]


def fixed_targets(environment: AzureEnvironment) -> list[Target]:
    """Unique (host, port) pairs every setup needs before the CMG exists, in a stable order."""
    seen: dict[Target, None] = {}
    for endpoint in required_endpoints(None, environment, 1):
        seen.setdefault((endpoint.host, endpoint.port), None)
    return list(seen)


def _failure(host: str, port: int, record: dict[str, Any]) -> str | None:
    """Why ``host:port`` is not usable from here, or None when it is."""
    dns = record.get("dns", {})
    if not dns.get("ok"):
        return f"{host}: DNS {dns.get('error', 'failed')}"
    tcp = record.get("tcp", {})
    if not tcp.get("ok"):
        return f"{host}:{port}: TCP {tcp.get('error', 'failed')}"
    tls = record.get("tls", {})
    if not tls.get("ok"):
        return f"{host}:{port}: TLS {tls.get('error', 'failed')}"
    if tls.get("trusted") is False:
        return f"{host}:{port}: certificate not trusted here ({tls.get('trust_error', '')}); a TLS-inspecting proxy?"
    return None


async def probe_targets(
    targets: list[Target], *, timeout: float = DEFAULT_TIMEOUT, cafile: str | None = None,
    connect_host: str | None = None, resolve: Resolver = socket.gethostbyname_ex,
    log: Callable[[str], None] = lambda _line: None,
) -> Evidence:
    """Probe every target at once and return ``probe.internet`` evidence (never raises).

    ``connect_host``, ``resolve`` and ``cafile`` let tests keep the probe on loopback.
    """
    async def one(host: str, port: int) -> str | None:
        record = await probe_service(host, None, needs_cname=False, connect_host=connect_host, port=port,
                                     timeout=timeout, resolve=resolve, cafile=cafile)
        problem = _failure(host, port, record)
        log(f"{host}:{port}: {problem or 'reachable, TLS verified'}")
        return problem

    outcomes = await asyncio.gather(*(one(host, port) for host, port in targets))
    failures = [problem for problem in outcomes if problem]
    checked = [f"{host}:{port}" for host, port in targets]
    summary = (f"all {len(checked)} endpoints reachable" if not failures
               else f"{len(failures)} of {len(checked)} endpoints unreachable")
    return Evidence(source="probe.internet", summary=summary,
                    data={"checked": checked, "failures": failures, "from_host": socket.gethostname()})
