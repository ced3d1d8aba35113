"""``cmgtui check``: the rules engine from the command line, offline and on the sandbox."""

from __future__ import annotations

import json

import pytest

from cmgtui.cli import main
from cmgtui.model import AzureEnvironment, Evidence
from cmgtui.store import ProfileStore

KEYS = {"rule", "phase", "status", "severity", "message"}


def _json(capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    return json.loads(capsys.readouterr().out)


def test_offline_empty_profile_fails_nothing_and_has_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("fresh")
    assert main(["check", "--profile", "fresh", "--format", "json"]) == 0
    data = _json(capsys)
    assert set(data) == {"version", "profile", "results", "summary"} and data["version"] == 1
    assert data["profile"] == "fresh"
    assert set(data["summary"]) == {"pass", "warn", "fail", "skip", "error"}
    assert data["results"] and all(set(r) == KEYS for r in data["results"])
    assert data["summary"]["fail"] == 0


def test_offline_check_reads_evidence_recorded_by_the_tui(capsys: pytest.CaptureFixture[str]) -> None:
    store = ProfileStore()
    profile = store.create("seen")
    profile.evidence["arm.providers"] = Evidence(
        source="arm.providers", data={"Microsoft.Compute": "Registered", "Microsoft.Network": "Registered",
                                      "Microsoft.Storage": "Registered", "Microsoft.KeyVault": "NotRegistered"})
    store.save(profile)
    assert main(["check", "--profile", "seen", "--format", "json"]) == 1
    failing = [r for r in _json(capsys)["results"] if r["status"] == "fail"]
    assert [r["rule"] for r in failing] == ["GW-PROVIDERS"]
    assert "Microsoft.KeyVault" in failing[0]["message"]


def test_sandbox_check_runs_live_cloud_rules(capsys: pytest.CaptureFixture[str]) -> None:
    store = ProfileStore()
    profile = store.create("sandbox")
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "westus"
    profile.certificate.service_name = "contosocmg.contoso.com"
    store.save(profile)
    assert main(["check", "--sandbox", "--format", "json"]) == 1
    data = _json(capsys)
    by_rule = {r["rule"]: r for r in data["results"]}
    assert by_rule["GW-PROVIDERS"]["status"] == "fail"
    assert by_rule["GW-OWNER"]["status"] == "pass"
    assert by_rule["ENTRA-GA"]["status"] == "pass"
    taken = [r for r in data["results"] if r["rule"].startswith("NAME-") and r["status"] == "fail"]
    assert taken, "the seeded sandbox has contosocmg taken"


def test_unknown_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--profile", "ghost"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_service_principal_without_variables_is_a_connection_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH",
                 "AZURE_USERNAME", "AZURE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    ProfileStore().create("real")
    assert main(["check", "--profile", "real", "--sign-in", "env"]) == 2
    err = capsys.readouterr().err
    assert "AZURE_TENANT_ID" in err
    assert "Traceback" not in err


def _sandbox_profile() -> None:
    store = ProfileStore()
    profile = store.create("sandbox")
    profile.environment = AzureEnvironment.PUBLIC
    profile.region = "westus"
    store.save(profile)


@pytest.mark.parametrize("errors", ["1", "20"])
def test_a_live_check_that_could_not_run_is_an_error_and_exits_2(
    errors: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 500 on /providers leaves the rules reading that check unjudged: error, exit 2 (issue 13.4)."""
    _sandbox_profile()
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", f"errors={errors},error-status=500,match=/providers")
    assert main(["check", "--sandbox", "--format", "json"]) == 2
    data = _json(capsys)
    errored = {r["rule"]: r for r in data["results"] if r["status"] == "error"}
    assert data["summary"]["error"] == len(errored) >= 1
    # The provider, permission and (since the deployment checks) SKU, usage, policy and
    # validation reads all go through /providers, concurrently, so a single fault may hit any of
    # them; every one that was hit reports "could not run", none is silently skipped or passed.
    assert set(errored) & {"GW-PROVIDERS", "GW-OWNER", "GW-VM-SIZE-REGION", "GW-VCPU-FAMILY", "GW-VCPU-REGIONAL",
                           "GW-POLICY", "GW-DRY-RUN"}
    assert all("could not run" in r["message"] for r in errored.values())
    if errors == "20":
        assert {"GW-PROVIDERS", "GW-OWNER"} <= set(errored)


def test_a_live_check_that_feeds_no_rule_still_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The policy assignments list feeds no rule: when it can't be read, the run still exits 2 (README)."""
    _sandbox_profile()
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", "errors=20,error-status=500,match=/policyAssignments")
    assert main(["check", "--sandbox", "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert "cmgtui: policies: " in captured.err
    assert json.loads(captured.out)["summary"].get("error", 0) == 0


def test_text_output_marks_errors_and_counts_them(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sandbox_profile()
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", "errors=20,error-status=500,match=/providers")
    assert main(["check", "--sandbox"]) == 2
    out = capsys.readouterr().out
    assert "ERR   GW-PROVIDERS" in out
    assert " error" in out.splitlines()[-1] and not out.splitlines()[-1].startswith("0 ")


def test_a_provider_read_that_fails_makes_gw_providers_error_not_skip(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fault aimed at one provider read only: GW-PROVIDERS could not be judged (was: skip, exit 0)."""
    _sandbox_profile()
    monkeypatch.setenv("CMGTUI_SANDBOX_FAULTS", "errors=1,error-status=500,match=/providers/Microsoft.KeyVault")
    assert main(["check", "--sandbox", "--format", "json"]) == 2
    by_rule = {r["rule"]: r for r in _json(capsys)["results"]}
    assert by_rule["GW-PROVIDERS"]["status"] == "error"
    assert by_rule["GW-OWNER"]["status"] == "pass"
