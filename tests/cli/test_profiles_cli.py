"""``cmgtui profiles``: list, show, export, import and delete, with their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui import paths
from cmgtui.cli import main
from cmgtui.model import AzureEnvironment
from cmgtui.store import ProfileStore, write_atomic

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _make(name: str, region: str = "westus") -> None:
    store = ProfileStore()
    profile = store.create(name)
    profile.region = region
    profile.environment = AzureEnvironment.PUBLIC
    store.save(profile)


def test_list_shows_profiles_and_which_are_open(capsys: pytest.CaptureFixture[str]) -> None:
    _make("alpha")
    _make("beta")
    session = ProfileStore().open("beta")
    try:
        assert main(["profiles", "list", "--format", "json"]) == 0
    finally:
        session.close()
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert set(rows) == {"alpha", "beta"}
    assert rows["beta"]["in_use"] and not rows["alpha"]["in_use"]


def test_export_then_import_under_a_new_name_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _make("prod", region="uksouth")
    target = tmp_path / "prod.json"
    assert main(["profiles", "export", "prod", "-o", str(target)]) == 0
    assert main(["profiles", "import", str(target), "--name", "prod copy"]) == 0
    assert ProfileStore().load("prod copy").region == "uksouth"
    assert main(["profiles", "import", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_export_drops_unknown_keys_that_could_carry_secrets(capsys: pytest.CaptureFixture[str]) -> None:
    _make("leaky")
    path = paths.profile_file("leaky")
    data = json.loads(path.read_text())
    data["entra"]["server_app"]["client_secret"] = "SuperSecretValue123"
    data["pfx_password"] = "hunter22"
    write_atomic(path, json.dumps(data).encode())
    assert main(["profiles", "export", "leaky"]) == 0
    out = capsys.readouterr().out
    assert "SuperSecretValue123" not in out and "hunter22" not in out
    assert json.loads(out)["name"] == "leaky"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json at all", "not valid JSON"),
        (b'{"schema_version": 7, "name": "x"}', "newer cmgtui"),
        (b'{"schema_version": 2, "name": "../../etc"}', "valid profile name"),
        (b'{"schema_version": 2, "name": "ok", "gateway": {"vm_size": "huge"}}', "gateway.vm_size"),
    ],
)
def test_import_refuses_damaged_files_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    assert main(["profiles", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert reason in err
    assert "Traceback" not in err
    assert ProfileStore().list() == []


def test_import_migrates_a_v1_file() -> None:
    assert main(["profiles", "import", str(FIXTURES / "profile_v1.json")]) == 0
    assert ProfileStore().load("legacy").region == "usgovvirginia"


def test_show_unknown_profile_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "show", "nobody"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_delete_needs_confirmation_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    _make("doomed")
    assert main(["profiles", "delete", "doomed"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert ProfileStore().exists("doomed")
    assert main(["profiles", "delete", "doomed", "--yes"]) == 0
    assert not ProfileStore().exists("doomed")


def test_delete_refuses_a_profile_open_in_a_session(capsys: pytest.CaptureFixture[str]) -> None:
    _make("busy")
    session = ProfileStore().open("busy")
    try:
        assert main(["profiles", "delete", "busy", "--yes"]) == 2
    finally:
        session.close()
    assert "open in another" in capsys.readouterr().err
