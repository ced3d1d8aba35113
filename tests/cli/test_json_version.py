"""Every JSON document a command prints carries ``"version": 1`` (README, "JSON outputs")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _document(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    main(argv)
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("argv", [
    ["check", "--profile", "plan", "--format", "json"],
    ["sandbox", "show", "--format", "json"],
    ["report", "--profile", "plan", "--format", "json"],
])
def test_json_outputs_start_with_their_shape_version(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    ProfileStore().create("plan")
    document = _document(argv, capsys)
    assert next(iter(document)) == "version" and document["version"] == 1


def test_logs_triage_json_has_the_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "ccmsetup.log"
    log.write_text("plain line\n", encoding="utf-8")
    assert _document(["logs", "triage", str(log), "--format", "json"], capsys)["version"] == 1
