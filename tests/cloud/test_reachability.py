"""The internet-access probe, on loopback only: a reachable TLS endpoint, a closed port,
an unknown name and an untrusted certificate each give the right verdict."""

from __future__ import annotations

import socket
from pathlib import Path

from cmgtui.cloud.reachability import fixed_targets, probe_targets
from cmgtui.model import AzureEnvironment
from tests.unit.clientauth.tls_server import LoopbackTlsServer, closed_port


def _loopback(name: str) -> tuple[str, list[str], list[str]]:
    if name.endswith(".invalid"):
        raise socket.gaierror(-2, "Name or service not known")
    return name, [], ["127.0.0.1"]


def test_fixed_targets_follow_the_cloud_and_skip_cmg_names() -> None:
    public = fixed_targets(AzureEnvironment.PUBLIC)
    usgov = fixed_targets(AzureEnvironment.US_GOVERNMENT)
    assert ("management.azure.com", 443) in public and ("login.microsoftonline.com", 443) in public
    assert ("management.usgovcloudapi.net", 443) in usgov and ("login.microsoftonline.us", 443) in usgov
    assert len(public) == len(set(public))
    assert not [host for host, _ in public if "cloudapp" in host or "vault" in host]


async def test_reachable_endpoint_with_a_trusted_chain_passes(tmp_path: Path) -> None:
    with LoopbackTlsServer(tmp_path, "login.example.test") as server:
        evidence = await probe_targets([("login.example.test", server.port)], resolve=_loopback,
                                       cafile=str(server.ca_path), timeout=5)
    assert evidence.source == "probe.internet"
    assert evidence.data["failures"] == []
    assert evidence.summary == "all 1 endpoints reachable"


async def test_each_kind_of_failure_is_named(tmp_path: Path) -> None:
    lines: list[str] = []
    with LoopbackTlsServer(tmp_path, "untrusted.example.test") as server:
        evidence = await probe_targets(
            [("untrusted.example.test", server.port), ("closed.example.test", closed_port()),
             ("nowhere.invalid", 443)],
            resolve=_loopback, timeout=5, log=lines.append,
        )
    failures = evidence.data["failures"]
    assert len(failures) == 3
    assert any("untrusted.example.test" in f and "not trusted" in f for f in failures)
    assert any(f.startswith("closed.example.test:") and "TCP" in f for f in failures)
    assert any(f.startswith("nowhere.invalid: DNS") for f in failures)
    assert len(lines) == 3
