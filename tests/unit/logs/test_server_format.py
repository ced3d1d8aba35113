"""The site-server (``$$<component>``) format on public lines: severity from the text, ``~~``, the entry's component.

Sources (quoted verbatim below):

* MicrosoftDocs/memdocs ``memdocs/configmgr/core/clients/manage/azure-ccmsetup.md`` shows a raw
  CMGService.log line with its ``$$<CMGService><…+00><thread=…>`` trailer.
* MicrosoftDocs/SupportArticles-docs ``support/mem/configmgr/cloud-services/public-ip-creation-error.md``
  shows CloudMgr.log entries (``ERROR: Exception occured …``, ``ERROR: TaskManager: Task […] has failed …``)
  with the trailer left out; here they get the trailer of CloudMgr.log's component,
  SMS_CLOUD_SERVICES_MANAGER (memdocs ``memdocs/configmgr/core/get-started/2021/technical-preview-2105.md``:
  "lines from the SMS_CLOUD_SERVICES_MANAGER … in the cloudmgr.log").
* SupportArticles-docs, "Troubleshoot co-management: Bootstrap with modern provisioning": mpfdm.log's
  ``~**ERROR: Cannot connect to the inbox source, …`` from SMS_MP_FILE_DISPATCH_MANAGER, thread 3828 (0xef4).
"""

from __future__ import annotations

import codecs
from datetime import UTC, datetime

import pytest

from cmgtui.domain.logs import LogFormat
from cmgtui.domain.logs.parsing import parse_entries, sniff_format
from cmgtui.domain.logs.decoding import open_text, read_lines
from tests.unit.logs.logbuilder import cm_line

CMGSERVICE_LINE = (
    "RequestUri: /CCM_PROXY_SERVERAUTH/72057594037937981/CCM_STS  RequestCount: 1  RequestSize: 1974 Bytes  "
    "ResponseCount: 1  ResponseSize: 1566 Bytes  AverageElapsedTime: 218 ms~~  "
    "$$<CMGService><06-24-2020 15:31:46.376+00><thread=4992 (0x1380)>")

TRAILER = "  $$<SMS_CLOUD_SERVICES_MANAGER><10-28-2025 12:00:{s:02d}.000+480><thread=5032 (0x13A8)>"

CREATING_IP = ("Resource Manager - Creating Public IP Address <Name of CMG> with deployment "
               "CreatePublicIPAddressXXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX~~")
EXCEPTION_LINES = (
    "ERROR: Exception occured for service <Name of CMG> : System.AggregateException: One or more errors occurred.",
    "---> Azure.RequestFailedException: At least one resource deployment operation failed. Please list deployment "
    "operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.~~Status: 200 (OK)"
    "~~ErrorCode: DeploymentFailed~~~~Service request succeeded. Response content and headers are not included to "
    "avoid logging sensitive data.~~~~",
    "at Azure.Core.OperationInternal`1.GetResponseFromState(OperationState`1 state)~~",
)
FAULTED = "TaskManager: Task [Deployment Maintenance for service <Name of CMG>] status is Faulted~~"
TASK_FAILED = (
    "ERROR: TaskManager: Task [Deployment Maintenance for service <Name of CMG>] has failed. Exception "
    "Azure.RequestFailedException, At least one resource deployment operation failed. Please list deployment "
    "operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.~~Status: 200 (OK)"
    "~~ErrorCode: DeploymentFailed~~~~Service request succeeded. Response content and headers are not included to "
    "avoid logging sensitive data.~~.~~")
INBOX = "~**ERROR: Cannot connect to the inbox source, sleep 30 seconds and try again."


def _cloudmgr_text() -> str:
    lines = [CREATING_IP + TRAILER.format(s=1), *EXCEPTION_LINES[:-1], EXCEPTION_LINES[-1] + TRAILER.format(s=2),
             FAULTED + TRAILER.format(s=3), TASK_FAILED + TRAILER.format(s=4)]
    return "\r\n".join(lines) + "\r\n"


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def _entries(data: bytes, name: str):
    lines = list(read_lines(open_text(data, name)))
    fmt = sniff_format(lines)
    return fmt, list(parse_entries(name, lines, fmt))


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le-bom"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_raw_cmgservice_line_gives_component_time_thread_and_no_severity(encoding: str) -> None:
    fmt, entries = _entries(_encode(CMGSERVICE_LINE + "\r\n", encoding), "CMG-GraniteFalls-ProxyService_IN_0-CMGService.log")
    assert fmt is LogFormat.SMS
    [entry] = entries
    assert entry.component == "CMGService"
    assert entry.thread == "4992 (0x1380)"
    assert entry.time == datetime(2020, 6, 24, 15, 31, 46, 376000, tzinfo=UTC)
    assert entry.entry_type == 0
    assert entry.message.endswith("AverageElapsedTime: 218 ms")  # the trailing ~~ is the entry's own line end


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_cloudmgr_error_entries_are_errors_with_their_component(encoding: str) -> None:
    fmt, entries = _entries(_encode(_cloudmgr_text(), encoding), "CloudMgr.log")
    assert fmt is LogFormat.SMS
    assert [(e.line, e.line_count, e.entry_type) for e in entries] == [(1, 1, 0), (2, 3, 3), (5, 1, 0), (6, 1, 3)]
    assert {e.component for e in entries} == {"SMS_CLOUD_SERVICES_MANAGER"}
    exception, failed = entries[1], entries[3]
    # ~~ inside one entry is a line break: each part of the Azure exception is its own line.
    assert "ErrorCode: DeploymentFailed" in exception.message.splitlines()
    assert exception.message.splitlines()[0] == EXCEPTION_LINES[0]
    assert failed.message.splitlines()[:3] == [
        TASK_FAILED.split("~~")[0], "Status: 200 (OK)", "ErrorCode: DeploymentFailed"]
    assert failed.time == datetime(2025, 10, 28, 20, 0, 4, tzinfo=UTC)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_tilde_star_error_is_an_error(encoding: str) -> None:
    text = INBOX + "  $$<SMS_MP_FILE_DISPATCH_MANAGER><10-28-2025 12:00:00.000+480><thread=3828 (0xef4)>\r\n"
    _, [entry] = _entries(_encode(text, encoding), "mpfdm.log")
    assert entry.entry_type == 3 and entry.component == "SMS_MP_FILE_DISPATCH_MANAGER"
    assert entry.message == INBOX


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_cmtrace_keeps_its_type_attribute_in_every_encoding(encoding: str) -> None:
    text = cm_line(INBOX, component="SMS_MP_FILE_DISPATCH_MANAGER", entry_type=3) + "\r\n" + cm_line("ok") + "\r\n"
    fmt, entries = _entries(_encode(text, encoding), "mpfdm.log")
    assert fmt is LogFormat.CMTRACE
    assert [(e.entry_type, e.component) for e in entries] == [(3, "SMS_MP_FILE_DISPATCH_MANAGER"), (1, "LocationServices")]


def test_severity_comes_only_from_how_the_text_begins() -> None:
    from cmgtui.domain.logs.parsing import sms_entry_type

    assert sms_entry_type(TASK_FAILED) == 3
    assert sms_entry_type(INBOX) == 3
    assert sms_entry_type("WARNING: x") == 2
    assert sms_entry_type(FAULTED) == 0  # "Faulted" later in the text is no severity
    assert sms_entry_type("Deployment error count is 0") == 0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_cloudmgr_error_lines_are_findings_at_their_lines(encoding: str, tmp_path) -> None:
    from cmgtui.services.triage import triage

    path = tmp_path / "CloudMgr.log"
    path.write_bytes(_encode(_cloudmgr_text(), encoding))
    result = triage([path])
    assert sorted({f.entry.line for f in result.findings}) == [2, 6]
    assert all(f.entry.component == "SMS_CLOUD_SERVICES_MANAGER" for f in result.findings)
