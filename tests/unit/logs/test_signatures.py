"""One test per catalogue signature, on the line its public source shows, in a log of the right format.

Each sample is a :class:`~tests.unit.logs.public_lines.PublicLine` (verbatim text + source); it is
written after a healthy public line of the same log, in UTF-8 and in UTF-16 LE with a BOM, and
must give exactly its signature, at its line, once.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from cmgtui.domain.logs import CATALOGUE, ProfileFacts
from cmgtui.services.triage import triage
from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.signature import Evidence, Severity
from cmgtui.domain.logs.signatures import BY_ID
from tests.unit.logs import public_lines as L
from tests.unit.logs.public_lines import PublicLine

SAMPLES: dict[str, tuple[PublicLine, ...]] = {
    "LOG-CLOUDMGR-DEPLOYMENT-MAINTENANCE": (L.TASK_FAILED_2503,),
    "LOG-CLOUDMGR-ARM-EXCEPTION": (L.EXCEPTION_2503,),
    "LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED": (L.PROVIDER_NOT_REGISTERED,),
    "LOG-CLOUDMGR-VAULT-SOFT-DELETED": (L.VAULT_DELETED,),
    "LOG-CLOUDMGR-NAME-IN-USE": (L.VAULT_NAME_IN_USE, L.VAULT_EXISTS),
    "LOG-CLOUDMGR-AUTHORIZATION-FAILED": (L.AUTHORIZATION_FAILED,),
    "LOG-CLOUDMGR-SUBSCRIPTION-NOT-FOUND": (L.SUBSCRIPTION_NOT_FOUND,),
    "LOG-CP-BUILD-CONNECTION-FAILED": (L.BUILD_CONNECTION,),
    "LOG-CP-MISSING-ROLE-CERT": (L.MISSING_ROLE_CERT,),
    "LOG-CP-CLIENTCERT-REQUIRED": (L.CLIENTCERT_403, L.PROXY_403),
    "LOG-CP-NO-CLIENT-AUTH-CERT": (L.NO_CLIENT_AUTH,),
    "LOG-CP-CRL-OFFLINE": (L.CHAIN_OFFLINE,),
    "LOG-CAPI2-REVOCATION-OFFLINE": (L.CAPI2_OFFLINE,),
    "LOG-CP-FORBIDDEN": (L.FORBIDDEN_403,),
    "LOG-CP-INBOX-ACCESS": (L.INBOX,),
    "LOG-CMGCONTENT-TLS12": (L.CONTENT_TLS,),
    "LOG-CONSOLE-VM-SIZE-UNAVAILABLE": (L.VM_SIZE,),
    "LOG-CONSOLE-MSAL-UI-REQUIRED": (L.MSAL_UI,),
    "LOG-CONSOLE-TLS12": (L.TLS_ADMINUI,),
    "LOG-ENTRA-AADSTS": (L.AADSTS,),
    "LOG-CLIENT-WINHTTP-SECURE-FAILURE": (L.SECURE_FAILURE,),
    "LOG-CLIENT-CERT-REV-FAILED": (L.REV_FAILED,),
    "LOG-CLIENT-INVALID-CA": (L.INVALID_CA,),
    "LOG-CLIENT-CERT-CN-INVALID": (L.CN_INVALID,),
    "LOG-CLIENT-CERT-DATE-INVALID": (L.DATE_INVALID,),
    "LOG-CLIENT-INVALID-TOKEN": (L.INVALID_TOKEN,),
    "LOG-STS-TOKEN-EXPIRED": (L.STS_EXPIRED,),
    "LOG-CLIENT-BAD-HTTP-STATUS": (L.SITE_SIGNING_0X87D0027E, L.CCMHTTP_STATUS_0X87D0027E),
    "LOG-CCMSETUP-WAM-TOKEN-FAILED": (L.WAM_FAILED, L.WAM_API_ERROR),
}
MARKER_SAMPLES: dict[str, PublicLine] = {
    "OK-CP-FORWARDED": L.PROXY_200,
    "OK-CP-TRAFFIC-REPORT": L.TRAFFIC_REPORT,
    "OK-STS-ISSUED-TOKEN": L.ISSUED_TOKEN,
    "OK-CLIENT-REGISTERED": L.REGISTERED,
    "OK-CLIENT-INTERNET-MP": L.ROTATING_MP,
    "OK-ENTRA-TOKEN": L.AAD_USER_TOKEN,
}
#: Healthy public lines written before a sample, per log.
NEIGHBOUR: dict[str, PublicLine] = {
    "CloudMgr": L.CREATING_PUBLIC_IP, "SMS_Cloud_ProxyConnector": L.MAINTAINING, "mpfdm": L.MOVED_SMX,
    "LocationServices": L.ASYNC_CALLBACK, "ccmsetup": L.AAD_INFO, "CcmMessaging": L.TOKEN_HEADER,
    "CCM_STS": L.PROCESS_REQUEST,
}
#: Signatures tested elsewhere: the first-entry marker, the catch-alls (error entries), the CMGService marker.
ELSEWHERE = {"LOG-CMGSETUP-PHASE2", "LOG-CMGSETUP-ERROR", "LOG-CLOUDMGR-ERROR", "OK-CMG-SERVICE-REQUESTS"}

FACTS = ProfileFacts(profile="contoso", service_name="GraniteFalls.contoso.com",
                     subscription_id="11111111-2222-3333-4444-555555555555", resource_group="GraniteFalls-rg",
                     region="westus3", tenant_id="aaaa-tenant", server_app_id="99999999-0000-0000-0000-000000000001",
                     server_app_name="CMG-ServerApp", site_code="ABC", site_version=2503)

ENCODINGS = ("utf-8", "utf-16-le-bom")


def stamp(minute: int) -> tuple[str, str]:
    """(date, time) for CMTrace at 10:<minute> local, bias 0."""
    return "10-28-2020", f"10:{minute:02d}:00.000+000"


def render(line: PublicLine, minute: int = 0, entry_type: int = 1) -> str:
    """The text as its log writes it: a CMTrace entry, a site-server entry, or plain lines."""
    date, clock = stamp(minute)
    if line.fmt == "cm":
        return (f'<![LOG[{line.text}]LOG]!><time="{clock}" date="{date}" component="{line.component}" '
                f'context="" type="{entry_type}" thread="4200" file="">').replace("\n", "\r\n")
    if line.fmt == "sms":
        return (f"{line.text}  $$<{line.component}><{date} {clock}><thread=5032 (0x13A8)>").replace("\n", "\r\n")
    return line.text.replace("\n", "\r\n")


def write_log(path: Path, texts: list[str], encoding: str) -> Path:
    body = "\r\n".join(texts) + "\r\n"
    data = codecs.BOM_UTF16_LE + body.encode("utf-16-le") if encoding == "utf-16-le-bom" else body.encode("utf-8")
    path.write_bytes(data)
    return path


def file_name(log: str) -> str:
    if log.startswith("CMG"):
        return f"CMG-GraniteFalls-ProxyService_IN_0-{log}.log"  # synced from Azure (logs-cmg.md note 1)
    return f"{log}.txt" if log in ("ConsoleMessage", "CAPI2") else f"{log}.log"


def expected_line(sig_id: str, sample: PublicLine, offset: int) -> int:
    """The line the finding must point at: the entry's first line, or (plain text) the matching line."""
    if sample.fmt != "text":
        return offset + 1
    signature = BY_ID[sig_id]
    for number, text in enumerate(sample.text.split("\n"), start=1):
        if signature.matches(LogEntry("x", number, text)):
            return offset + number
    raise AssertionError("the sample doesn't contain a matching line")


CASES = [(sig_id, index, encoding) for sig_id, samples in SAMPLES.items()
         for index in range(len(samples)) for encoding in ENCODINGS]


def test_every_signature_has_a_public_sample_and_a_source() -> None:
    tested = set(SAMPLES) | set(MARKER_SAMPLES) | ELSEWHERE
    assert tested == {s.id for s in CATALOGUE}
    for signature in CATALOGUE:
        assert signature.source and signature.meaning and signature.logs
    for sig_id, samples in SAMPLES.items():
        for sample in samples:
            # The sample's source is one the signature cites.
            assert sample.source in BY_ID[sig_id].source, (sig_id, sample.source)


@pytest.mark.parametrize(("sig_id", "index", "encoding"), CASES)
def test_signature_matches_its_public_line(sig_id: str, index: int, encoding: str, tmp_path: Path) -> None:
    sample = SAMPLES[sig_id][index]
    neighbour = NEIGHBOUR.get(sample.log)
    texts = [render(neighbour, minute=1)] if neighbour is not None else []
    offset = len(texts)
    texts.append(render(sample, minute=2, entry_type=3))
    result = triage([write_log(tmp_path / file_name(sample.log), texts, encoding)], FACTS)
    found = result.findings
    assert [f.signature.id for f in found] == [sig_id]
    finding = found[0]
    assert finding.entry.line == expected_line(sig_id, sample, offset)
    assert "the the" not in finding.fix and "  " not in finding.fix
    if sample.fmt != "text":
        assert finding.to_json()["message"].startswith(sample.text.split("\n")[0].rstrip("~")[:60])
        assert finding.time is not None and finding.time.minute == 2


@pytest.mark.parametrize("sig_id", sorted(MARKER_SAMPLES))
def test_success_marker_is_a_timeline_point_not_a_finding(sig_id: str, tmp_path: Path) -> None:
    sample = MARKER_SAMPLES[sig_id]
    result = triage([write_log(tmp_path / file_name(sample.log), [render(sample, minute=42)], "utf-8")], FACTS)
    assert result.findings == []
    area = BY_ID[sig_id].area
    assert area is not None
    health = result.health.areas[area]
    assert health.last_ok is not None and health.last_ok.signature.id == sig_id
    assert health.last_ok.time is not None and health.last_ok.time.minute == 42


def test_cmgservice_raw_line_from_memdocs_is_a_success(tmp_path: Path) -> None:
    name = "CMG-GraniteFalls-ProxyService_IN_0-CMGService.log"
    result = triage([write_log(tmp_path / name, [L.CMGSERVICE_RAW], "utf-16-le-bom")])
    assert result.findings == []
    [line] = result.health.lines()
    assert line == ("CMG service in Azure: last worked 2020-06-24 15:31 UTC "
                    f"({name}:1); no failure after it.")


def test_cmgsetup_first_entry_marks_the_second_phase(tmp_path: Path) -> None:
    name = "CMG-GraniteFalls-ProxyService_IN_0-CMGSetup.log"
    path = write_log(tmp_path / name, [render(L.PublicLine("CMGSetup", "cm", "Setup failed", "", "CMGSetup"),
                                              entry_type=3)], "utf-8")
    findings = triage([path], FACTS).findings
    assert [(f.signature.id, f.entry.line, f.signature.severity.value) for f in findings] == [
        ("LOG-CMGSETUP-PHASE2", 1, "info"), ("LOG-CMGSETUP-ERROR", 1, "warn")]


def test_hresult_form_of_0x2f8f_is_caught() -> None:
    signature = BY_ID["LOG-CLIENT-WINHTTP-SECURE-FAILURE"]
    assert signature.matches(LogEntry("x", 1, "Failed with 0x80072f8f"))
    assert signature.matches(LogEntry("x", 1, "error 0x2f8f"))
    assert not signature.matches(LogEntry("x", 1, "error 0x80072f8e"))


def test_0x87d0027e_names_the_status_beside_it(tmp_path: Path) -> None:
    sample = L.CCMHTTP_STATUS_0X87D0027E
    result = triage([write_log(tmp_path / "CcmMessaging.log", [render(sample)], "utf-8")], FACTS)
    [finding] = result.findings
    assert finding.fix.startswith("The HTTP status beside it is 500.")
    assert "drop /mp" not in finding.fix and "without /mp" not in finding.fix


def test_provider_finding_names_the_namespace() -> None:
    entry = LogEntry("CloudMgr.log", 1, "The subscription is not registered to use namespace 'Microsoft.KeyVault'.")
    assert BY_ID["LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED"].fix_for(FACTS, entry).startswith(
        "This entry names Microsoft.KeyVault.")


def test_unknown_log_name_is_checked_against_everything(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text("StatusText= CMGConnector_Forbidden\n\nVaultAlreadyExists\n")
    assert [(f.signature.id, f.entry.line) for f in triage([path]).findings] == [
        ("LOG-CP-FORBIDDEN", 1), ("LOG-CLOUDMGR-NAME-IN-USE", 3)]


def test_evidence_says_what_the_source_really_shows() -> None:
    # Signatures whose source shows only a code or an Azure message say so.
    assert BY_ID["LOG-ENTRA-AADSTS"].evidence is Evidence.ERROR_CODE
    assert BY_ID["LOG-CLIENT-CERT-DATE-INVALID"].evidence is Evidence.ERROR_CODE
    assert BY_ID["LOG-CLOUDMGR-VAULT-SOFT-DELETED"].evidence is Evidence.AZURE_MESSAGE
    assert BY_ID["LOG-CONSOLE-VM-SIZE-UNAVAILABLE"].evidence is Evidence.CONSOLE_MESSAGE
    assert BY_ID["LOG-CP-BUILD-CONNECTION-FAILED"].evidence is Evidence.LOG_LINE
    # The expired-certificate signature is the CMG's (client side), not the cloud DP's status 9425.
    assert "LOG-CLOUDMGR-CERT-EXPIRED" not in BY_ID
    assert "cloud-based-distribution" not in BY_ID["LOG-CLIENT-CERT-DATE-INVALID"].source


def test_severities_are_the_three_the_json_counts() -> None:
    assert {s.severity for s in CATALOGUE} <= {Severity.FAIL, Severity.WARN, Severity.INFO}
    assert all(s.severity is Severity.INFO for s in CATALOGUE if s.success)
