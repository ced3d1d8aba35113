"""``cmgtui entra create`` / ``verify``: flags, exit codes, JSON shape, and the secret's one file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore


def _json(capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:  # type: ignore[type-arg]
    out = capsys.readouterr()
    return json.loads(out.out), out.out + out.err


def test_create_writes_the_secret_only_to_its_file_and_records_the_ids(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("lab")
    target = tmp_path / "secret.txt"
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(target),
                 "--format", "json"]) == 0
    data, everything = _json(capsys)
    assert set(data) == {"version", "profile", "tenant_id", "server_app", "client_app", "secret", "verified"}
    assert set(data["server_app"]) == set(data["client_app"]) == {"app_id", "object_id", "created"}
    assert set(data["secret"]) == {"key_id", "expires", "file"}
    assert data["server_app"]["created"] and data["client_app"]["created"] and data["verified"] is True
    assert target.stat().st_mode & 0o777 == 0o600
    secret = target.read_text(encoding="utf-8").strip()
    assert len(secret) >= 16 and secret not in everything
    profile = ProfileStore().load("lab")
    assert profile.entra.server_app.app_id == data["server_app"]["app_id"]
    assert profile.entra.client_app.object_id == data["client_app"]["object_id"]
    assert profile.entra.server_app.secret_key_id == data["secret"]["key_id"]
    assert secret not in profile.model_dump_json()
    # Again: both apps are found, nothing is created, no second secret, no file.
    again = tmp_path / "again.txt"
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(again),
                 "--format", "json"]) == 0
    second, _ = _json(capsys)
    assert not second["server_app"]["created"] and not second["client_app"]["created"]
    assert second["secret"] is None and not again.exists()
    assert second["server_app"]["app_id"] == data["server_app"]["app_id"]


def test_create_refuses_an_existing_secret_file_before_anything(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("lab")
    target = tmp_path / "secret.txt"
    target.write_text("keep me\n", encoding="utf-8")
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(target)]) == 2
    assert "never overwritten" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert main(["sandbox", "show", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["applications"] == []


@pytest.mark.parametrize("argv", [
    ["entra", "create", "--profile", "nobody", "--sandbox", "--secret-file", "x.txt"],
    ["entra", "verify", "--profile", "lab", "--sandbox"],                 # no app IDs yet
])
def test_usage_errors_are_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("lab")
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("cmgtui: ")


def test_create_needs_exactly_one_target(capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("lab")
    assert main(["entra", "create", "--profile", "lab", "--secret-file", "x.txt"]) == 2
    assert "Choose the tenant: --sandbox (the sandbox tenant) or --sign-in cli|env." in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["entra", "create", "--profile", "lab", "--sandbox", "--sign-in", "cli", "--secret-file", "x.txt"])
    assert info.value.code == 2


def test_verify_finds_a_difference_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cmgtui import paths
    from cmgtui.sandbox.state import STATE_FILE

    ProfileStore().create("lab")
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--secret-file",
                 str(tmp_path / "s.txt")]) == 0
    capsys.readouterr()
    assert main(["entra", "verify", "--profile", "lab", "--sandbox", "--format", "json"]) == 0
    ok, _ = _json(capsys)
    assert ok["verified"] is True and all(r["status"] in ("pass", "skip") for r in ok["results"])
    tenant_file = paths.sandbox_dir() / STATE_FILE
    tenant = json.loads(tenant_file.read_text(encoding="utf-8"))
    client = next(a for a in tenant["applications"].values() if a["displayName"] == "CMG-ClientApp")
    client["publicClient"]["redirectUris"] = []
    tenant_file.write_text(json.dumps(tenant), encoding="utf-8")
    assert main(["entra", "verify", "--profile", "lab", "--sandbox"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  ENTRA-CLIENT-APP" in out and "Verification found a difference." in out


def test_create_in_the_wrong_tenant_names_both_and_creates_nothing(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from cmgtui.sandbox.state import TENANT_ID

    ProfileStore().create("lab")
    other = "0c0ffee0-1111-4222-8333-444455556666"
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--tenant", "contoso.com",
                 "--secret-file", str(tmp_path / "a.txt")]) == 0  # a verified domain names this tenant
    capsys.readouterr()
    assert ProfileStore().load("lab").entra.tenant_id == TENANT_ID
    # A sign-in that lands in another directory (a guest's home tenant) is refused by name.
    assert main(["entra", "create", "--profile", "lab", "--sandbox", "--tenant", other,
                 "--secret-file", str(tmp_path / "b.txt")]) == 2
    err = capsys.readouterr().err
    assert f"signed in to tenant {other}" in err and TENANT_ID in err
    assert not (tmp_path / "b.txt").exists()
