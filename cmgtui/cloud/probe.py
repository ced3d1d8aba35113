"""Live probe of the CMG service name: DNS, TCP 443 and the TLS certificate (Part 5).

What a client does first, done from here: resolve the service name (with the canonical name
and aliases the resolver reports, so a CNAME to the deployment name shows), connect to port
443, and complete a TLS handshake to read the certificate served. Every step has a timeout
and every failure becomes text in the returned record; nothing raises. The record is what
:mod:`cmgtui.domain.rules.probe` judges (stored as ``profile.evidence["probe.service"]``).

``connect_host``/``port`` send TCP and TLS elsewhere while keeping the service name for SNI
and for the comparison; tests use them to stay on loopback.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable
from typing import Any

from cmgtui.domain.rules.probe import certificate_names

Resolver = Callable[[str], tuple[str, list[str], list[str]]]
Progress = Callable[[str], None]

DEFAULT_TIMEOUT = 5.0


def _quiet(_line: str) -> None:
    """Progress sink used when the caller wants no progress lines."""


async def _resolve(name: str, resolve: Resolver, timeout: float) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    try:
        canonical, aliases, addresses = await asyncio.wait_for(
            loop.run_in_executor(None, resolve, name), timeout)
    except TimeoutError:
        return {"ok": False, "error": f"no DNS answer within {timeout:g} s"}
    except (OSError, UnicodeError) as exc:
        return {"ok": False, "error": _os_error_text(exc)}
    return {"ok": bool(addresses), "canonical": canonical, "aliases": list(aliases),
            "addresses": list(addresses), "error": "" if addresses else "no address"}


def _os_error_text(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return f"name not found ({exc.strerror or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


async def _tcp(host: str, port: int, timeout: float) -> dict[str, Any]:
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except TimeoutError:
        return {"ok": False, "host": host, "port": port, "error": f"no answer within {timeout:g} s"}
    except OSError as exc:
        return {"ok": False, "host": host, "port": port, "error": _os_error_text(exc)}
    writer.close()
    await _closed(writer)
    return {"ok": True, "host": host, "port": port, "error": ""}


async def _closed(writer: asyncio.StreamWriter) -> None:
    try:
        await asyncio.wait_for(writer.wait_closed(), 2)
    except (OSError, TimeoutError, ssl.SSLError):
        return


async def _handshake(host: str, port: int, server_name: str, context: ssl.SSLContext,
                     timeout: float) -> bytes:
    """The DER certificate the server presents (raises on failure)."""
    _reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port, ssl=context, server_hostname=server_name,
                                ssl_handshake_timeout=timeout), timeout)
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    finally:
        writer.transport.abort()  # only the certificate was wanted: no TLS shutdown round trip
    if not der:
        raise ssl.SSLError("the server sent no certificate")
    return bytes(der)


async def _tls(host: str, port: int, server_name: str, timeout: float, cafile: str | None) -> dict[str, Any]:
    verifying = ssl.create_default_context(cafile=cafile)
    verifying.check_hostname = False  # the name is compared separately, with a clearer message
    trusted: bool | None = True
    trust_error = ""
    try:
        der = await _handshake(host, port, server_name, verifying, timeout)
    except ssl.SSLCertVerificationError as exc:
        trusted, trust_error = False, exc.verify_message or str(exc)
        lenient = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        lenient.check_hostname = False
        lenient.verify_mode = ssl.CERT_NONE
        try:
            der = await _handshake(host, port, server_name, lenient, timeout)
        except (OSError, TimeoutError, ssl.SSLError) as again:
            return {"ok": False, "error": _os_error_text(again), "trusted": None}
    except TimeoutError:
        return {"ok": False, "error": f"no TLS handshake within {timeout:g} s", "trusted": None}
    except (OSError, ssl.SSLError) as exc:
        return {"ok": False, "error": _os_error_text(exc), "trusted": None}
    try:
        cn, sans, not_after = certificate_names(der)
    except ValueError as exc:
        return {"ok": False, "error": f"the certificate can't be read ({exc})", "trusted": None}
    return {"ok": True, "error": "", "common_name": cn, "sans": sans, "trusted": trusted,
            "trust_error": trust_error, "not_after": not_after}


async def probe_service(
    service_name: str,
    expected_target: str | None = None,
    *,
    needs_cname: bool = True,
    connect_host: str | None = None,
    port: int = 443,
    timeout: float = DEFAULT_TIMEOUT,
    resolve: Resolver = socket.gethostbyname_ex,
    cafile: str | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Probe ``service_name`` and return the evidence record (see :mod:`cmgtui.domain.rules.probe`).

    ``expected_target`` is the deployment name the service name should alias; it is resolved
    as well so that a resolver that hides the CNAME chain can still be judged by address.
    """
    record: dict[str, Any] = {"service_name": service_name, "expected_target": expected_target,
                              "needs_cname": needs_cname, "target_addresses": []}
    progress(f"Resolving {service_name} …")
    dns = await _resolve(service_name, resolve, timeout)
    record["dns"] = dns
    if dns["ok"]:
        chain = " → ".join([service_name, *[a for a in dns["aliases"] if a.lower() != service_name.lower()],
                            dns["canonical"]]) if dns["canonical"].lower() != service_name.lower() else service_name
        progress(f"DNS: {chain} = {', '.join(dns['addresses'])}")
    else:
        progress(f"DNS: {dns['error']}")
    if needs_cname and expected_target:
        progress(f"Resolving the deployment name {expected_target} …")
        target = await _resolve(expected_target, resolve, timeout)
        record["target_addresses"] = target.get("addresses", [])
        progress(f"Deployment name: {', '.join(target.get('addresses', [])) or target.get('error', '')}")
    host = connect_host or (dns["addresses"][0] if dns["ok"] else None)
    if host is None:
        progress("Stopped: without an address there is nothing to connect to.")
        return record
    progress(f"Connecting to {host} port {port} …")
    record["tcp"] = await _tcp(host, port, timeout)
    if not record["tcp"]["ok"]:
        progress(f"TCP: {record['tcp']['error']}")
        return record
    progress("TCP: connected. TLS handshake …")
    record["tls"] = tls = await _tls(host, port, service_name, timeout, cafile)
    if tls["ok"]:
        progress(f"TLS: certificate for {tls['common_name'] or ', '.join(tls['sans'])}"
                 + ("" if tls["trusted"] else f" (not trusted here: {tls['trust_error']})"))
    else:
        progress(f"TLS: {tls['error']}")
    return record
