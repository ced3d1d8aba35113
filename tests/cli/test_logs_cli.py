"""``cmgtui logs triage``: exit codes, the JSON shape, profile-filled fixes, text output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.store import ProfileStore
from tests.unit.logs.logbuilder import cm_line, log_text, sms_line


def _failed_deployment(folder: Path) -> Path:
    folder.mkdir()
    (folder / "CloudMgr.log").write_text(log_text(
        sms_line("Starting deployment", stamp="10-28-2020 12:00:00.000+480"),
        sms_line("ERROR: Code: MissingSubscriptionRegistration, Message: The subscription is not registered "
                 "to use namespace 'Microsoft.KeyVault'.", stamp="10-28-2020 12:01:00.000+480")))
    (folder / "LocationServices.log").write_text(log_text(
        cm_line("[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set", time="11:59:00.000+480")),
        encoding="utf-16")
    return folder


def test_json_shape_order_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ProfileStore()
    profile = store.create("contoso")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.gateway.subscription_id = "11111111-2222-3333-4444-555555555555"
    store.save(profile)
    logs = _failed_deployment(tmp_path / "Logs")
    assert main(["logs", "triage", str(logs), "--profile", "contoso", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"version", "inputs", "findings", "summary"} and data["version"] == 1
    assert all(set(i) == {"path", "format", "entries"} for i in data["inputs"])
    assert {i["format"] for i in data["inputs"]} == {"sms", "cmtrace"}
    keys = {"id", "severity", "file", "line", "time", "component", "message", "fix", "source"}
    assert all(set(f) == keys for f in data["findings"])
    assert [(f["id"], f["line"]) for f in data["findings"]] == [
        ("LOG-CLIENT-CERT-CN-INVALID", 1), ("LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED", 2)]
    assert "GraniteFalls.contoso.com" in data["findings"][0]["fix"]
    assert "11111111-2222-3333-4444-555555555555" in data["findings"][1]["fix"]
    assert data["findings"][1]["fix"].startswith("This entry names Microsoft.KeyVault.")
    assert data["summary"] == {"fail": 2, "warn": 0, "info": 0}


def test_clean_log_exits_0_with_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(sms_line("Service is ready")))
    assert main(["logs", "triage", str(path)]) == 0
    out = capsys.readouterr().out
    assert "No known CMG problem found." in out and "0 fail, 0 warn, 0 info" in out


def test_text_report_shows_entry_meaning_fix_and_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    logs = _failed_deployment(tmp_path / "Logs")
    assert main(["logs", "triage", str(logs)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED" in out
    assert "CloudMgr.log:2  2020-10-28 20:01:00 UTC" in out
    assert "Fix: This entry names Microsoft.KeyVault. Register the provider" in out
    assert "Source: MicrosoftDocs/memdocs" in out
    # Each log's window in UTC, with the CMTrace bias applied (12:00 at +480 is 20:00 UTC).
    assert "CloudMgr.log (sms, 2 entries, 2020-10-28 20:00:00 to 2020-10-28 20:01:00 UTC)" in out


def test_no_readable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "triage", str(tmp_path / "nope.log")]) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "no input could be read" in err


def test_some_unreadable_inputs_are_reported_and_the_rest_triaged(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(sms_line("fine")))
    assert main(["logs", "triage", str(path), str(tmp_path / "gone")]) == 0
    captured = capsys.readouterr()
    assert "gone: no such file" in captured.err and "No known CMG problem" in captured.out


def test_unknown_profile_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_text("x\n")
    assert main(["logs", "triage", str(path), "--profile", "nobody"]) == 2
    assert "cmgtui:" in capsys.readouterr().err


def test_progress_bar_on_stderr_only_when_it_is_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(*[sms_line(f"Deployment instance status for service {i} is ReadyRole.")
                               for i in range(20000)]))
    assert main(["logs", "triage", str(path)]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    clock = iter(range(0, 10_000, 1))
    monkeypatch.setattr("time.monotonic", lambda: float(next(clock)))  # one second per reading
    assert main(["logs", "triage", str(path)]) == 0
    captured = capsys.readouterr()
    assert "\r[" in captured.err and "MB/s" in captured.err and "left" in captured.err
    assert captured.err.endswith("\r\x1b[K")  # the bar is cleared before the report
    assert "No known CMG problem found." in captured.out


def test_progress_line_says_speed_and_time_left() -> None:
    from cmgtui.domain.logs.progress import Throughput

    ticks = iter([0.0, 2.0])
    meter = Throughput(clock=lambda: next(ticks))
    assert meter.line(100 * 1024 * 1024, 300 * 1024 * 1024) == " 33% · 100.0 of 300.0 MB · 50.0 MB/s · 0:04 left"
