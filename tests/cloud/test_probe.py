"""The live service-name probe against a loopback TLS server started here (never the internet)."""

from __future__ import annotations

from pathlib import Path

from cmgtui.cloud.probe import probe_service
from tests.unit.clientauth.tls_server import LoopbackTlsServer, closed_port

DEPLOYMENT = "granitefalls.westus.cloudapp.azure.com"
SERVICE = "GraniteFalls.contoso.com"


def cname_resolver(name: str) -> tuple[str, list[str], list[str]]:
    """Answers like a resolver that follows the service name's CNAME to the deployment name."""
    if name.lower() in (SERVICE.lower(), DEPLOYMENT):
        return DEPLOYMENT, [SERVICE] if name.lower() == SERVICE.lower() else [], ["127.0.0.1"]
    raise OSError(f"unexpected lookup of {name}")


def missing_resolver(name: str) -> tuple[str, list[str], list[str]]:
    import socket

    raise socket.gaierror(-2, "Name or service not known")


async def test_probe_reads_dns_chain_tcp_and_certificate(tmp_path: Path) -> None:
    lines: list[str] = []
    with LoopbackTlsServer(tmp_path, SERVICE) as server:
        record = await probe_service(SERVICE, DEPLOYMENT, connect_host="127.0.0.1", port=server.port,
                                     resolve=cname_resolver, timeout=5, progress=lines.append)
    assert record["dns"]["ok"] and record["dns"]["canonical"] == DEPLOYMENT
    assert record["target_addresses"] == ["127.0.0.1"]
    assert record["tcp"] == {"ok": True, "host": "127.0.0.1", "port": server.port, "error": ""}
    tls = record["tls"]
    assert tls["ok"] and tls["common_name"] == SERVICE
    assert tls["trusted"] is False and tls["trust_error"]
    assert any(line.startswith("DNS: GraniteFalls.contoso.com → ") and DEPLOYMENT in line for line in lines)
    assert any("TLS: certificate for GraniteFalls.contoso.com" in line for line in lines)


async def test_probe_trusts_a_chain_from_the_given_ca_and_reports_sans(tmp_path: Path) -> None:
    with LoopbackTlsServer(tmp_path, "cmg-other.contoso.com", ["cmg-alt.contoso.com"]) as server:
        record = await probe_service(SERVICE, DEPLOYMENT, connect_host="127.0.0.1", port=server.port,
                                     resolve=cname_resolver, cafile=str(server.ca_path), timeout=5)
    assert record["tls"]["trusted"] is True
    assert record["tls"]["common_name"] == "cmg-other.contoso.com"
    assert record["tls"]["sans"] == ["cmg-alt.contoso.com"]


async def test_probe_of_localhost_uses_the_system_resolver(tmp_path: Path) -> None:
    with LoopbackTlsServer(tmp_path, "localhost") as server:
        record = await probe_service("localhost", None, needs_cname=False, connect_host="127.0.0.1",
                                     port=server.port, timeout=5)
    assert record["dns"]["ok"] and record["dns"]["addresses"]
    assert record["tls"]["common_name"] == "localhost"


async def test_closed_port_stops_after_tcp_with_a_reason() -> None:
    lines: list[str] = []
    record = await probe_service(SERVICE, DEPLOYMENT, connect_host="127.0.0.1", port=closed_port(),
                                 resolve=cname_resolver, timeout=5, progress=lines.append)
    assert record["tcp"]["ok"] is False and record["tcp"]["error"] == "connection refused"
    assert "tls" not in record
    assert lines[-1] == "TCP: connection refused"


async def test_unknown_name_stops_after_dns() -> None:
    lines: list[str] = []
    record = await probe_service(SERVICE, DEPLOYMENT, resolve=missing_resolver, timeout=5, progress=lines.append)
    assert record["dns"] == {"ok": False, "error": "name not found (Name or service not known)"}
    assert "tcp" not in record
    assert lines[-1].startswith("Stopped:")


async def test_plain_tcp_server_is_a_tls_failure_not_a_crash(tmp_path: Path) -> None:
    import asyncio

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.0 400 Bad\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        record = await probe_service(SERVICE, DEPLOYMENT, connect_host="127.0.0.1", port=port,
                                     resolve=cname_resolver, timeout=5)
    assert record["tcp"]["ok"] is True
    assert record["tls"]["ok"] is False and record["tls"]["error"]
