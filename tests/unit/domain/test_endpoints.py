"""Endpoints and ports per component (domain sheet §7.1, §7.2)."""

from __future__ import annotations

import pytest

from cmgtui.domain.azure.endpoints import (
    CLIENT,
    CMG_CONNECTION_POINT,
    CONSOLE,
    SERVICE_CONNECTION_POINT,
    CloudEndpoints,
    cloud_endpoints,
    cmgcp_ports,
    required_endpoints,
)
from cmgtui.domain.azure.names import derive_names
from cmgtui.model import AzureEnvironment, Profile

PUB = AzureEnvironment.PUBLIC
GOV = AzureEnvironment.US_GOVERNMENT


def _names(service="GraniteFalls.contoso.com", region="westus", env=PUB):
    p = Profile(name="t", environment=env, region=region)
    p.certificate.service_name = service
    return derive_names(p)


def test_cmgcp_ports_one_vm_is_443() -> None:
    assert cmgcp_ports(1) == [443]


def test_cmgcp_ports_many_vms() -> None:
    assert cmgcp_ports(2) == [10124, 10125]
    assert cmgcp_ports(16) == list(range(10124, 10140))
    assert cmgcp_ports(40)[-1] == 10139
    assert cmgcp_ports(0) == [443]


def test_cloud_endpoints_public_and_gov() -> None:
    assert cloud_endpoints(PUB) == CloudEndpoints(
        "login.microsoftonline.com",
        "https://management.azure.com",
        "https://management.azure.com/.default",
        "https://graph.microsoft.com",
    )
    assert cloud_endpoints(GOV) == CloudEndpoints(
        "login.microsoftonline.us",
        "https://management.usgovcloudapi.net",
        "https://management.core.usgovcloudapi.net/.default",
        "https://graph.microsoft.us",
    )


def _by(endpoints, component):
    return {(e.host, e.port) for e in endpoints if e.component == component}


def test_public_three_vms_own_domain() -> None:
    eps = required_endpoints(_names(), PUB, 3)
    cmgcp = _by(eps, CMG_CONNECTION_POINT)
    dep = "GraniteFalls.westus.cloudapp.azure.com"
    assert {(dep, 10124), (dep, 10125), (dep, 10126)} <= cmgcp
    assert (dep, 443) not in cmgcp
    assert {
        ("granitefalls.blob.core.windows.net", 443),
        ("granitefalls.table.core.windows.net", 443),
        ("GraniteFalls.vault.azure.net", 443),
    } <= cmgcp
    client = _by(eps, CLIENT)
    assert {(dep, 443), ("GraniteFalls.contoso.com", 443),
            ("granitefalls.blob.core.windows.net", 443),
            ("login.microsoftonline.com", 443)} <= client
    assert _by(eps, SERVICE_CONNECTION_POINT) == {
        ("management.azure.com", 443), ("login.microsoftonline.com", 443),
        ("graph.microsoft.com", 443),
    }
    assert ("aadcdn.msauth.net", 443) in _by(eps, CONSOLE)
    hosts = {e.host for e in eps}
    assert {"aka.ms", "go.microsoft.com"} <= hosts
    assert all(e.purpose for e in eps)


def test_azure_domain_service_name_adds_no_cname_host() -> None:
    eps = required_endpoints(_names("GraniteFalls.westus.cloudapp.azure.com"), PUB, 1)
    client_hosts = [h for h, _ in _by(eps, CLIENT)]
    assert client_hosts.count("GraniteFalls.westus.cloudapp.azure.com") == 1
    assert ("GraniteFalls.westus.cloudapp.azure.com", 443) in _by(eps, CMG_CONNECTION_POINT)


def test_us_gov_hosts() -> None:
    eps = required_endpoints(_names("cmg.contoso.us", "usgovtexas", GOV), GOV, 1)
    hosts = {e.host for e in eps}
    assert "management.usgovcloudapi.net" in hosts
    assert "graph.microsoft.us" in hosts
    assert "login.microsoftonline.us" in hosts
    assert "cmg.usgovtexas.cloudapp.usgovcloudapi.net" in hosts
    assert "cmg.vault.usgovcloudapi.net" in hosts
    assert not any(h.endswith("microsoftonline.com") or h.startswith("aadcdn") for h in hosts)


def test_without_names_only_fixed_endpoints() -> None:
    eps = required_endpoints(None, PUB, 2)
    assert not _by(eps, CMG_CONNECTION_POINT)
    assert ("management.azure.com", 443) in _by(eps, SERVICE_CONNECTION_POINT)


@pytest.mark.parametrize("env", [PUB, GOV])
def test_no_duplicates(env) -> None:
    eps = required_endpoints(_names(env=env, region="usgovtexas" if env is GOV else "westus"), env, 4)
    keys = [(e.host, e.port, e.component) for e in eps]
    assert len(keys) == len(set(keys))
