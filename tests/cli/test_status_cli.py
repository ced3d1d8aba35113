"""``cmgtui status`` on the rehearsal tenant: each health state, the history, the site check and the refusals.

The rehearsal CMG comes from ``cmgtui sandbox deploy`` (``cmgtui.sandbox.cmg_routes``, shapes from the
azure-rest-api-specs examples named there); power codes from MicrosoftDocs/azure-docs
``includes/virtual-machines-common-states-lifecycle.md``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from cmgtui.cli import main
from cmgtui.model import AzureEnvironment
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION
from cmgtui.store import ProfileStore


def _profile(not_after: datetime | None = None, subscription: str = OWNER_SUBSCRIPTION) -> None:
    store = ProfileStore()
    profile = store.create("lab")
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "eastus"
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.certificate.not_after = not_after
    profile.gateway.subscription_id = subscription
    profile.gateway.resource_group = "cmg-rg"
    profile.gateway.vm_instances = 2
    store.save(profile)


def _status(capsys: pytest.CaptureFixture[str], health: str | None) -> tuple[int, dict]:  # type: ignore[type-arg]
    if health is not None:
        assert main(["sandbox", "deploy", "--profile", "lab", "--health", health]) == 0
        capsys.readouterr()
    code = main(["status", "--profile", "lab", "--sandbox", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def _levels(data: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {f["id"]: f["level"] for f in data["findings"] if f["area"] == "azure"}


def test_all_running_is_healthy(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    code, data = _status(capsys, "running")
    assert code == 0 and data["version"] == 1 and data["state"] == "healthy" and data["since"] is None
    assert _levels(data)["AZ-INSTANCES"] == "ok"
    assert any(f["message"] == "2 of 2 instances running." for f in data["findings"])
    ip = next(f for f in data["findings"] if f["id"] == "AZ-PUBLIC-IP")
    assert "granitefalls.eastus.cloudapp.azure.com" in ip["message"]
    service = [f for f in data["findings"] if f["area"] == "service"]
    assert [(f["level"], f["message"]) for f in service] == [("info", "Run the live probe of the service name in Part 5.")]


def test_the_recorded_service_probe_is_judged_in_the_same_view(capsys: pytest.CaptureFixture[str]) -> None:
    from cmgtui.model.profile import DeployedCmg, Evidence

    _profile()
    store = ProfileStore()
    profile = store.load("lab")
    profile.gateway.deployed = DeployedCmg(subscription_id=OWNER_SUBSCRIPTION, region="eastus",
                                           resource_group="cmg-rg", service_name="GraniteFalls.contoso.com")
    profile.evidence["probe.service"] = Evidence(source="probe.service", data={
        "service_name": "GraniteFalls.contoso.com", "expected_target": "GraniteFalls.eastus.cloudapp.azure.com",
        "needs_cname": True, "target_addresses": [], "dns": {"ok": False, "error": "name not found"}})
    store.save(profile)
    code, data = _status(capsys, "running")
    assert code == 1 and data["state"] == "down"
    dns = next(f for f in data["findings"] if f["id"] == "PROBE-DNS")
    assert dns["level"] == "fail" and "doesn't resolve: name not found" in dns["message"]
    assert "(last recorded probe)" in dns["message"] and "CNAME" in dns["fix"]


def test_one_instance_stopped_is_degraded(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    code, data = _status(capsys, "one-stopped")
    assert code == 1 and data["state"] == "degraded"
    finding = next(f for f in data["findings"] if f["id"] == "AZ-INSTANCES")
    assert finding["level"] == "warn" and "1 of 2 instances running (instance 0 stopped)" in finding["message"]
    assert "console" in finding["fix"]


@pytest.mark.parametrize("health,fragment", [
    ("deallocated", "0 of 2 instances running: the CMG is stopped (every instance deallocated)."),
    ("failed", "provisioning failed: Operation abandoned due to internal error. Please try again later."),
])
def test_deallocated_or_failed_is_down(capsys: pytest.CaptureFixture[str], health: str, fragment: str) -> None:
    _profile()
    code, data = _status(capsys, health)
    assert code == 1 and data["state"] == "down"
    assert any(fragment in f["message"] and f["down"] for f in data["findings"])


def test_a_missing_resource_is_named_with_its_fix(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    code, data = _status(capsys, "missing")
    assert code == 1 and data["state"] == "degraded"
    finding = next(f for f in data["findings"] if f["id"] == "AZ-KEY-VAULT")
    assert finding["message"] == "Key vault GraniteFalls is missing from cmg-rg."
    assert "redeploy the CMG from the console" in finding["fix"]


def test_certificate_expiring_then_expired(capsys: pytest.CaptureFixture[str]) -> None:
    _profile(not_after=datetime.now(UTC) + timedelta(days=10, hours=1))
    code, data = _status(capsys, "running")
    assert code == 1 and data["state"] == "degraded"
    expiry = next(f for f in data["findings"] if f["area"] == "expiry")
    assert expiry["level"] == "warn" and "expires in 10 days" in expiry["message"]
    assert "renew-certificate" in expiry["fix"]


def test_an_expired_certificate_is_down(capsys: pytest.CaptureFixture[str]) -> None:
    _profile(not_after=datetime.now(UTC) - timedelta(days=2))
    code, data = _status(capsys, "running")
    assert code == 1 and data["state"] == "down"


def test_nothing_deployed_and_no_plan(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    code, data = _status(capsys, None)
    assert code == 1 and data["state"] == "down"
    assert any(f["id"] == "AZ-GROUP" and "holds no CMG resources" in f["message"] for f in data["findings"])
    ProfileStore().delete("lab")
    _profile(subscription="")
    code, data = _status(capsys, None)
    assert code == 2 and data["state"] == "unknown"
    assert "enter the subscription (Part 4)" in data["findings"][0]["message"]


def test_text_output_and_down_since(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    assert _status(capsys, "deallocated")[0] == 1
    first = datetime.fromisoformat(json.loads(json.dumps(_status(capsys, None)[1]))["history"][0]["at"])
    assert main(["status", "--profile", "lab", "--sandbox"]) == 1
    out = capsys.readouterr().out
    assert f"DOWN since {first.astimezone(UTC):%H:%M} UTC" in out
    assert "[Azure]" in out and "FAIL" in out and "→ Start the CMG in the console" in out
    assert main(["sandbox", "deploy", "--profile", "lab", "--health", "running"]) == 0
    capsys.readouterr()
    code, data = _status(capsys, None)
    assert code == 0 and data["since"] is None and [e["state"] for e in data["history"]][-2:] == ["down", "healthy"]


def test_a_damaged_history_is_read_around(capsys: pytest.CaptureFixture[str]) -> None:
    from cmgtui.health_history import history_file

    _profile()
    path = history_file("lab")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('not json\n{"at": "2026-01-01T00:00:00+00:00", "state": "<b>evil</b>"}\n', encoding="utf-8")
    code, data = _status(capsys, "running")
    assert code == 0 and [e["state"] for e in data["history"]] == ["healthy"]


def test_usage_errors_are_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    assert main(["status", "--profile", "lab"]) == 2
    assert "--sandbox (the rehearsal tenant) or --sign-in" in capsys.readouterr().err
    assert main(["status", "--profile", "nobody", "--sandbox"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_site_check_prints_the_read_only_script(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    assert main(["status", "--profile", "lab", "--site-check"]) == 0
    out = capsys.readouterr().out
    assert "Get-CMCloudManagementGatewayConnectionPoint -AllSite" in out
    assert "[string]$ServiceName = 'GraniteFalls.contoso.com'" in out


def test_sandbox_deploy_refuses_a_profile_without_a_place(capsys: pytest.CaptureFixture[str]) -> None:
    _profile(subscription="")
    assert main(["sandbox", "deploy", "--profile", "lab"]) == 2
    err = capsys.readouterr().err
    assert "nothing to deploy yet. Choose the subscription and resource group in Part 4." in err
    assert "Traceback" not in err


@pytest.mark.parametrize("health", ["running", "deallocated"])
def test_a_cmg_found_in_azure_is_recorded_as_deployed(capsys: pytest.CaptureFixture[str], health: str) -> None:
    """Found in its resource group (healthy or stopped alike), the CMG is recorded in the profile's
    ``gateway.deployed`` with the plan it was found at; the health history is kept as before."""
    _profile()
    assert ProfileStore().load("lab").gateway.deployed is None
    code, data = _status(capsys, health)
    deployed = ProfileStore().load("lab").gateway.deployed
    assert deployed is not None
    assert (deployed.subscription_id, deployed.region, deployed.resource_group, deployed.service_name) == (
        OWNER_SUBSCRIPTION, "eastus", "cmg-rg", "GraniteFalls.contoso.com")
    assert [e["state"] for e in data["history"]] == [data["state"]]
    recorded_at = deployed.recorded_at
    assert main(["status", "--profile", "lab", "--sandbox"]) == code
    assert "Recorded in profile" not in capsys.readouterr().out  # already known: kept as it was
    assert ProfileStore().load("lab").gateway.deployed.recorded_at == recorded_at  # type: ignore[union-attr]


def test_a_cmg_not_found_is_not_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    _profile()
    assert main(["status", "--profile", "lab", "--sandbox"]) == 1
    out = capsys.readouterr().out
    assert "holds no CMG resources" in out and "Recorded in profile" not in out
    assert ProfileStore().load("lab").gateway.deployed is None
