"""A healthy copy of every catalogued log, with error entries about something else, gives no fail: exit 0.

Healthy lines are the public ones (tests/unit/logs/public_lines.py); the unrelated error is an
MP_Status.log entry from a public blog post, written as an error entry of each log's format.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.services.triage import triage
from cmgtui.domain.logs.signature import Severity
from cmgtui.domain.logs.signatures import KNOWN_LOGS
from tests.unit.logs import public_lines as L
from tests.unit.logs.test_signatures import file_name, render, write_log

COMPONENT = {"CloudMgr": "SMS_CLOUD_SERVICES_MANAGER", "SMS_Cloud_ProxyConnector": "SMS_CLOUD_PROXYCONNECTOR",
             "mpfdm": "SMS_MP_FILE_DISPATCH_MANAGER"}
SMS_LOGS = {"CloudMgr", "SMS_Cloud_ProxyConnector", "mpfdm", "CMGService", "CMGSetup", "CMGContentService"}
TEXT_LOGS = {"SMSAdminUI", "CAPI2", "ConsoleMessage"}

HEALTHY: dict[str, list[L.PublicLine]] = {
    "CloudMgr": [L.CREATING_PUBLIC_IP],
    "SMS_Cloud_ProxyConnector": [L.MAINTAINING, L.PROXY_200, L.TRAFFIC_REPORT],
    "mpfdm": [L.MOVED_SMX],
    "LocationServices": [L.ASYNC_CALLBACK],
    "ccmsetup": [L.AAD_INFO, L.AAD_USER_TOKEN],
    "CcmMessaging": [L.TOKEN_HEADER],
    "ClientLocation": [L.ROTATING_MP],
    "CCM_STS": [L.PROCESS_REQUEST, L.ISSUED_TOKEN],
    "ClientIDManagerStartup": [L.REGISTERED],
    "CcmAad": [L.AAD_USER_TOKEN_REQUEST],
    "ADALOperationProvider": [dataclasses.replace(L.AAD_USER_TOKEN_REQUEST, log="ADALOperationProvider",
                                                  component="ADALOperationProvider")],
    "DataTransferService": [L.DTS_SCHEME],
}


def _log_name(lower: str) -> str:
    for name in (*HEALTHY, *SMS_LOGS, *TEXT_LOGS):
        if name.lower() == lower:
            return name
    raise AssertionError(f"no healthy log written for {lower}")


def healthy_log(folder: Path, log: str, encoding: str) -> Path:
    """The healthy public lines of ``log`` and an unrelated error entry, in the log's own format."""
    fmt = "sms" if log in SMS_LOGS else "text" if log in TEXT_LOGS else "cm"
    texts = [render(line, minute=i) for i, line in enumerate(HEALTHY.get(log, []))]
    if log == "CMGService":
        texts.append(L.CMGSERVICE_RAW)
    unrelated = L.PublicLine(log, fmt, L.UNRELATED_ERROR, "", COMPONENT.get(log, log))
    texts.append(render(unrelated, minute=30, entry_type=3))
    return write_log(folder / file_name(log), texts, encoding)


@pytest.mark.parametrize("log", sorted(KNOWN_LOGS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le-bom"])
def test_healthy_log_with_an_unrelated_error_gives_no_finding(log: str, encoding: str, tmp_path: Path) -> None:
    name = _log_name(log)
    result = triage([healthy_log(tmp_path, name, encoding)])
    assert result.inputs and result.inputs[0].entries >= 1
    assert [f.signature.id for f in result.findings if f.signature.severity is not Severity.INFO] == []


def test_healthy_site_logs_folder_exits_0_and_the_timeline_says_it_worked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "Logs"
    folder.mkdir()
    for log in KNOWN_LOGS:
        healthy_log(folder, _log_name(log), "utf-16-le-bom")
    assert main(["logs", "triage", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Health timeline (UTC):" in out
    assert ("CMG connection point: last worked 2020-10-28 10:02 UTC (SMS_Cloud_ProxyConnector.log:3); "
            "no failure after it.") in out
    assert "0 fail" in out
