"""The health judgement on plain records: states, "since", and what the profile alone tells.

Power codes are those of MicrosoftDocs/azure-docs ``includes/virtual-machines-common-states-lifecycle.md``
(``PowerState/running``, ``PowerState/stopped``, ``PowerState/deallocated``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cmgtui.domain.health import (
    DEGRADED,
    DOWN,
    HEALTHY,
    UNKNOWN,
    HistoryEntry,
    assess,
    since,
)
from cmgtui.model import AzureEnvironment, DeploymentMethod, Profile

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TYPES = ["Microsoft.Network/loadBalancers", "Microsoft.Network/virtualNetworks", "Microsoft.Network/networkSecurityGroups"]


def _profile() -> Profile:
    profile = Profile(name="p", environment=AzureEnvironment.PUBLIC, region="westus")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.gateway.subscription_id = "11111111-2222-4333-8444-555555555555"
    profile.gateway.resource_group = "cmg-rg"
    return profile


def _record(*powers: str, state: str = "Succeeded") -> dict:  # type: ignore[type-arg]
    return {"group_exists": True, "resources": [{"type": t, "name": t.rsplit("/", 1)[1]} for t in TYPES],
            "scale_set": {"name": "GraniteFalls", "provisioning_state": state, "sku": "Standard_A2_v2",
                          "statuses": [], "instances": [{"id": str(i), "provisioning": "ProvisioningState/succeeded",
                                                         "power": p} for i, p in enumerate(powers)]},
            "public_ip": {"name": "GraniteFalls", "ip_address": "20.1.2.3", "label": "granitefalls",
                          "fqdn": "granitefalls.westus.cloudapp.azure.com"},
            "key_vault": {"name": "GraniteFalls"}, "storage": {"name": "granitefalls"}}


def test_states_from_instances() -> None:
    p = _profile()
    assert assess(p, _record("PowerState/running", "PowerState/running"), now=NOW).state == HEALTHY
    assert assess(p, _record("PowerState/running", "PowerState/stopped"), now=NOW).state == DEGRADED
    assert assess(p, _record("PowerState/deallocated", "PowerState/deallocated"), now=NOW).state == DOWN
    assert assess(p, _record("PowerState/running", state="Failed"), now=NOW).state == DOWN
    assert assess(p, None, error="no sign-in", now=NOW).state == UNKNOWN


def test_a_public_ip_with_another_name_is_down() -> None:
    record = _record("PowerState/running")
    record["public_ip"]["fqdn"] = "other.westus.cloudapp.azure.com"
    report = assess(_profile(), record, now=NOW)
    assert report.state == DOWN
    assert any("Clients look for GraniteFalls.westus.cloudapp.azure.com" in f.message for f in report.findings)


def test_a_missing_load_balancer_is_down_a_missing_network_degraded() -> None:
    record = _record("PowerState/running")
    record["resources"] = [r for r in record["resources"] if r["type"] != "Microsoft.Network/virtualNetworks"]
    assert assess(_profile(), record, now=NOW).state == DEGRADED
    record["resources"] = []
    assert assess(_profile(), record, now=NOW).state == DOWN


def test_a_classic_cmg_cannot_be_told() -> None:
    profile = _profile()
    profile.deployment_method = DeploymentMethod.CLASSIC
    report = assess(profile, None, now=NOW)
    assert report.state == UNKNOWN and "classic" in report.findings[0].message


def test_since_is_the_start_of_the_latest_run() -> None:
    at = [NOW + timedelta(minutes=m) for m in range(4)]
    history = [HistoryEntry(at[0], DOWN), HistoryEntry(at[1], HEALTHY), HistoryEntry(at[2], DOWN),
               HistoryEntry(at[3], DOWN)]
    assert since(history, DOWN) == at[2]
    assert since(history, DEGRADED) is None and since(history, HEALTHY) is None and since([], DOWN) is None
