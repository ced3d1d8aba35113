"""The health timeline: one line per CMG part saying when it last worked and since when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.services.triage import triage
from cmgtui.domain.logs.signature import Area
from tests.unit.logs import public_lines as L
from tests.unit.logs.test_signatures import render, write_log


def _proxy_log(folder: Path) -> Path:
    # Forwarded at 10:40 and 10:42, then the channel breaks at 10:47 and 10:52 (public lines).
    return write_log(folder / "SMS_Cloud_ProxyConnector.log", [
        render(L.PROXY_200, minute=40), render(L.MAINTAINING, minute=41), render(L.PROXY_200, minute=42),
        render(L.BUILD_CONNECTION, minute=47), render(L.BUILD_CONNECTION, minute=52)], "utf-16-le-bom")


def test_connection_point_has_not_worked_since_its_last_success(tmp_path: Path) -> None:
    result = triage([_proxy_log(tmp_path)])
    assert result.health.lines() == [
        "CMG connection point: has not worked since 2020-10-28 10:42 UTC (last success "
        "SMS_Cloud_ProxyConnector.log:3); failing since 2020-10-28 10:47 UTC: Connection point can't build its "
        "connection to the CMG (2 entries, first at SMS_Cloud_ProxyConnector.log:4). Expected for up to 10 minutes "
        "after provisioning."]
    # The successes are timeline points, not findings.
    assert [f.signature.id for f in result.findings] == ["LOG-CP-BUILD-CONNECTION-FAILED"] * 2


def test_the_connection_build_failure_is_flagged_when_it_outlasts_provisioning(tmp_path: Path) -> None:
    # The lab guide: ignore "Failed to build Http connection" for about 10 minutes; after that it's a problem.
    path = write_log(tmp_path / "SMS_Cloud_ProxyConnector.log", [
        render(L.BUILD_CONNECTION, minute=5), render(L.BUILD_CONNECTION, minute=30)], "utf-8")
    [line] = triage([path]).health.lines()
    assert line.endswith("It has lasted 25 minutes, longer than the 10 expected after provisioning.")


def test_a_failure_before_the_last_success_is_over(tmp_path: Path) -> None:
    path = write_log(tmp_path / "SMS_Cloud_ProxyConnector.log", [
        render(L.BUILD_CONNECTION, minute=5), render(L.PROXY_200, minute=20)], "utf-8")
    assert triage([path]).health.lines() == [
        "CMG connection point: last worked 2020-10-28 10:20 UTC (SMS_Cloud_ProxyConnector.log:2); no failure "
        "after it."]


def test_failures_without_any_success(tmp_path: Path) -> None:
    path = write_log(tmp_path / "CloudMgr.log", [render(L.CREATING_PUBLIC_IP, minute=1),
                                                 render(L.TASK_FAILED_2503, minute=3),
                                                 render(L.RETRY_2503, minute=4)], "utf-8")
    result = triage([path])
    assert result.health.lines() == [
        "Azure deployment (cloud services manager): failing since 2020-10-28 10:03 UTC: Deployment Maintenance "
        "task failed (DeploymentFailed) (first at CloudMgr.log:2); no success in these logs."]
    # The site-server ERROR line gives the specific signature, not the catch-all beside it.
    assert [f.signature.id for f in result.findings] == ["LOG-CLOUDMGR-DEPLOYMENT-MAINTENANCE"]


def test_areas_are_followed_across_logs_in_utc(tmp_path: Path) -> None:
    # The client worked at 10:30 local with bias -060 (09:30 UTC); the CMG token check failed at 10:00 UTC.
    client = tmp_path / "ClientIDManagerStartup.log"
    client.write_text(render(L.REGISTERED).replace('time="10:00:00.000+000"', 'time="10:30:00.000-060"') + "\r\n")
    ccmsetup = write_log(tmp_path / "ccmsetup.log", [render(L.INVALID_TOKEN, minute=0, entry_type=3)], "utf-8")
    health = triage([client, ccmsetup]).health
    clients = health.areas[Area.CLIENTS]
    assert clients.last_ok is not None and clients.last_ok.time is not None
    assert clients.last_ok.time.hour == 9 and clients.last_ok.time.minute == 30
    assert health.lines() == [
        "client communication through the CMG: has not worked since 2020-10-28 09:30 UTC (last success "
        "ClientIDManagerStartup.log:1); failing since 2020-10-28 10:00 UTC: 401 CMGService_Invalid_Token (1 "
        "entry, first at ccmsetup.log:1)."]


def test_text_report_shows_the_timeline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "triage", str(_proxy_log(tmp_path))]) == 0  # warn only
    out = capsys.readouterr().out
    assert "Health timeline (UTC):\n  CMG connection point: has not worked since 2020-10-28 10:42 UTC" in out


def test_json_shape_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json
    main(["logs", "triage", str(_proxy_log(tmp_path)), "--format", "json"])
    assert set(json.loads(capsys.readouterr().out)) == {"version", "inputs", "findings", "summary"}


def test_the_exception_entry_is_detail_not_a_second_failure(tmp_path: Path) -> None:
    path = write_log(tmp_path / "CloudMgr.log", [render(L.EXCEPTION_2503, minute=1)], "utf-8")
    # The exception entry alone is detail (info): the task's failure is what fails.
    assert [(f.signature.id, f.signature.severity.value) for f in triage([path]).findings] == [
        ("LOG-CLOUDMGR-ARM-EXCEPTION", "info")]


def test_brief_lines_for_the_pane(tmp_path: Path) -> None:
    health = triage([_proxy_log(tmp_path), write_log(tmp_path / "ccmsetup.log", [render(L.AAD_USER_TOKEN, 1)],
                                                       "utf-8")]).health
    assert health.brief_lines() == [
        ("connection point: failing since 10-28 10:47 UTC, worked until 10-28 10:42 UTC", True),
        ("Entra sign-in: worked 10-28 10:01 UTC", False)]
