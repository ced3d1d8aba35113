"""Which signatures apply is decided by the entry's component; logs not about the CMG give no finding.

Public lines used:

* DataTransferService.log error entries (type 3), quoted in full CMTrace form in a public ConfigMgr
  update-troubleshooting PowerShell script on GitHub ("Error sending DAV request. HTTP code 600, status ''",
  "GetDirectoryList_HTTP mapping original error 0x80072efd to 0x800704cf.").
* AppEnforce.log: "Unmatched exit code (2147500037) is considered an execution failure." (Patch My PC's
  public release notes, 1.8.9).
* CloudMgr.log ``ERROR: TaskManager: Task […] has failed …`` (SupportArticles-docs
  ``support/mem/configmgr/cloud-services/public-ip-creation-error.md``), trailer of SMS_CLOUD_SERVICES_MANAGER.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from cmgtui.cli import main
from cmgtui.domain.logs import CATALOGUE, ProfileFacts
from cmgtui.services.triage import triage
from cmgtui.domain.logs.signatures import GENERIC_IDS, Severity
from tests.unit.logs.logbuilder import cm_line, log_text

DTS = (
    '<![LOG[Error sending DAV request. HTTP code 600, status \'\']LOG]!><time="01:40:28.864+240" date="07-15-2019" '
    'component="DataTransferService" context="" type="3" thread="3180" file="util.cpp:703">',
    '<![LOG[GetDirectoryList_HTTP mapping original error 0x80072efd to 0x800704cf.]LOG]!><time="01:40:28.864+240" '
    'date="07-15-2019" component="DataTransferService" context="" type="3" thread="3180" file="util.cpp:718">',
)
APPENFORCE = cm_line("Unmatched exit code (2147500037) is considered an execution failure.", component="AppEnforce",
                     entry_type=3)
TASK_FAILED = ("ERROR: TaskManager: Task [Deployment Maintenance for service <Name of CMG>] has failed. Exception "
               "Azure.RequestFailedException, At least one resource deployment operation failed.~~ErrorCode: "
               "DeploymentFailed~~  $$<SMS_CLOUD_SERVICES_MANAGER><10-28-2025 12:00:04.000+480><thread=5032 (0x13A8)>")


@pytest.mark.parametrize("name, lines", [("DataTransferService.log", DTS), ("AppEnforce.log", (APPENFORCE,)),
                                         ("min.log", DTS), ("pasted.txt", (APPENFORCE,))])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le-bom"])
def test_error_entries_of_logs_not_about_the_cmg_give_nothing(name: str, lines: tuple[str, ...], encoding: str,
                                                              tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = log_text(*lines)
    path = tmp_path / name
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding != "utf-8" else text.encode())
    assert main(["logs", "triage", str(path)]) == 0
    assert "No known CMG problem found." in capsys.readouterr().out


def test_the_component_decides_not_the_file_name(tmp_path: Path) -> None:
    # The same server-format CloudMgr entry gives the same finding whatever the file is called.
    found = {}
    for name in ("CloudMgr.log", "min.log", "AppEnforce.log"):
        path = tmp_path / name
        path.write_text(TASK_FAILED + "\r\n")
        found[name] = [(f.signature.id, f.signature.severity.value) for f in triage([path]).findings]
    assert found["CloudMgr.log"] == found["min.log"] == found["AppEnforce.log"] != []
    # A client component's entry in a file named CloudMgr.log is not a CloudMgr error.
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(APPENFORCE))
    assert triage([path]).findings == []


def test_catch_alls_are_warn_and_never_beside_a_specific_finding(tmp_path: Path) -> None:
    assert GENERIC_IDS and all(s.severity is not Severity.FAIL for s in CATALOGUE if s.id in GENERIC_IDS)
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(cm_line("ERROR: Code: AuthorizationFailed", entry_type=3, component="SMS_CLOUD_SERVICES_MANAGER"),
                             cm_line("Some other failure", entry_type=3, component="SMS_CLOUD_SERVICES_MANAGER")))
    found = [(f.entry.line, f.signature.id) for f in triage([path]).findings]
    assert found == [(1, "LOG-CLOUDMGR-AUTHORIZATION-FAILED"), (2, "LOG-CLOUDMGR-ERROR")]


def test_no_fix_says_a_word_twice_with_or_without_a_profile() -> None:
    full = ProfileFacts(profile="contoso", service_name="GraniteFalls.contoso.com", subscription_id="sub",
                        resource_group="rg", region="westeurope", tenant_id="72f988bf-86f1-41af-91ab-2d7cd011db47", server_app_id="app",
                        server_app_name="CMG-ServerApp", client_app_id="client", site_code="ABC", site_version=2207)
    doubled = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
    for facts in (ProfileFacts(), full):
        for signature in CATALOGUE:
            fix = signature.fix(facts)
            assert doubled.search(fix) is None, (signature.id, fix)
