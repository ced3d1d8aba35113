"""``cmgtui sandbox``: scenarios, reset, show, one kept tenant, and attaching to a running sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore


def _json(capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    return json.loads(capsys.readouterr().out)


def test_bad_scenario_file_is_exit_2_naming_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[behaviour]\ndevice_code = 'maybe'\n", encoding="utf-8")
    assert main(["sandbox", "serve", "--scenario", str(bad)]) == 2
    assert "[behaviour] device_code must be one of approve, decline, expire" in capsys.readouterr().err
    assert main(["sandbox", "reset", "--scenario", str(tmp_path / "missing.toml")]) == 2
    assert "Can't read the scenario file" in capsys.readouterr().err


def test_bad_scenario_in_the_environment_stops_check_with_exit_2(tmp_path: Path, monkeypatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[user]\ndirectory_roles = ['Emperor']\n", encoding="utf-8")
    monkeypatch.setenv("CMGTUI_SANDBOX_SCENARIO", str(bad))
    ProfileStore().create("sandbox")
    assert main(["check", "--sandbox"]) == 2
    assert "'Emperor' is not known" in capsys.readouterr().err


def test_the_tenant_is_kept_across_runs_until_reset(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ProfileStore().create("lab")
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file",
                 str(tmp_path / "s.txt"), "--format", "json"]) == 0
    created = _json(capsys)
    assert main(["sandbox", "show", "--format", "json"]) == 0
    shown = _json(capsys)
    apps = {a["display_name"]: a for a in shown["applications"]}
    assert apps["CMG-ServerApp"]["app_id"] == created["server_app"]["app_id"]
    assert [s["key_id"] for s in apps["CMG-ServerApp"]["secrets"]] == [created["secret"]["key_id"]]
    assert len(shown["service_principals"]) == 2 and len(shown["grants"]) == 2
    assert main(["sandbox", "show"]) == 0
    text = capsys.readouterr().out
    assert created["server_app"]["app_id"] in text and "secrets: 1" in text
    assert main(["sandbox", "reset"]) == 0
    capsys.readouterr()
    assert main(["sandbox", "show", "--format", "json"]) == 0
    assert _json(capsys)["applications"] == []


def test_attach_to_a_running_sandbox(monkeypatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cmgtui.sandbox.server import SandboxServer

    with SandboxServer(tmp_path / "served") as served:
        monkeypatch.setenv("CMGTUI_SANDBOX_URL", served.url)
        monkeypatch.setenv("CMGTUI_SANDBOX_CA", str(served.ca_path))
        ProfileStore().create("lab")
        assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file",
                     str(tmp_path / "s.txt")]) == 0
        assert sorted(a["displayName"] for a in served.state.applications.values()) == [
            "CMG-ClientApp", "CMG-ServerApp"]
    monkeypatch.setenv("CMGTUI_SANDBOX_CA", str(tmp_path / "gone.pem"))
    assert main(["entra", "verify", "--profile", "lab", "--sandbox"]) == 2
    assert "CMGTUI_SANDBOX_CA" in capsys.readouterr().err


def test_schema_prints_the_scenario_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sandbox", "schema"]) == 0
    schema = _json(capsys)
    assert schema["title"] == "cmgtui sandbox scenario" and schema["additionalProperties"] is False


def test_a_bad_deployment_key_is_exit_2_naming_file_and_key(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[subscriptions]]\nid = "11111111-2222-4333-8444-555555555555"\nname = "x"\n'
                   'quota = { "cores" = { limit = -1 } }\n', encoding="utf-8")
    assert main(["sandbox", "reset", "--scenario", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: [[subscriptions]] #1 quota.cores.limit" in err and "Traceback" not in err
