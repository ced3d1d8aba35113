"""``cmgtui logs triage --profile``: a public failure is reported once, at its line, with the profile's values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore
from tests.unit.logs import public_lines as L
from tests.unit.logs.test_signatures import render, write_log


def _profile(version: int) -> None:
    store = ProfileStore()
    profile = store.create("contoso")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.gateway.subscription_id = "11111111-2222-3333-4444-555555555555"
    profile.gateway.resource_group = "GraniteFalls-rg"
    profile.site.site_version = version
    store.save(profile)


@pytest.mark.parametrize(("version", "advice"), [(2503, "Microsoft says to ignore it"),
                                                 (2509, "Version 2509 and later include the fix")])
def test_2503_maintenance_failure_once_at_its_line_with_version_advice(
        version: int, advice: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _profile(version)
    folder = tmp_path / "Logs"
    folder.mkdir()
    # The sequence public-ip-creation-error.md shows: creating, exception, task failed, retry.
    write_log(folder / "CloudMgr.log", [render(L.CREATING_PUBLIC_IP, 0), render(L.EXCEPTION_2503, 1),
                                        render(L.TASK_FAILED_2503, 2), render(L.RETRY_2503, 3)], "utf-16-le-bom")
    assert main(["logs", "triage", str(folder), "--profile", "contoso", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    warn = [f for f in findings if f["severity"] != "info"]
    assert [(f["id"], f["line"]) for f in warn] == [("LOG-CLOUDMGR-DEPLOYMENT-MAINTENANCE", 5)]
    assert advice in warn[0]["fix"] and "GraniteFalls-rg" in warn[0]["fix"]
    assert f"This site is version {version}." in warn[0]["fix"]


def test_text_report_says_what_each_source_shows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_log(tmp_path / "SMSAdminUI.log", [render(L.AADSTS)], "utf-8")
    assert main(["logs", "triage", str(path)]) == 0
    out = capsys.readouterr().out
    assert "(shows: error code only (no public log line shows it in a ConfigMgr log))" in out
    assert "Conditional Access policies exclude it" in out
