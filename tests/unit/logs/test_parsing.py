"""Parsing real-shaped logs: CMTrace (multi-line, UTF-16, truncated), server format, plain text, rotation."""

from __future__ import annotations

import codecs
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from cmgtui.domain.logs import LogFormat, cmtrace_time
from cmgtui.domain.logs.names import base_log_name
from cmgtui.domain.logs.parsing import parse_entries, sniff_format
from cmgtui.domain.logs.decoding import open_text, read_lines
from cmgtui.services.triage import triage
from tests.unit.logs.logbuilder import cm_line, log_text, sms_line


def _entries(data: bytes, name: str = "LocationServices.log"):
    lines = list(read_lines(open_text(data, name)))
    fmt = sniff_format(lines)
    return fmt, list(parse_entries(name, lines, fmt))


def test_bias_is_added_to_local_time_to_get_utc() -> None:
    # UTC = local + bias: Pacific standard time (bias 480) 12:34 local is 20:34 UTC.
    assert cmtrace_time("10-28-2020", "12:34:56.789+480") == datetime(2020, 10, 28, 20, 34, 56, 789000, tzinfo=UTC)
    # A negative bias (Central Europe, -060) is one hour earlier in UTC; crossing midnight moves the date.
    assert cmtrace_time("01-01-2021", "00:30:00.000-060") == datetime(2020, 12, 31, 23, 30, tzinfo=UTC)
    assert cmtrace_time("13-45-2020", "12:00:00.000+000") is None
    assert cmtrace_time("10-28-2020", "garbage") is None


def test_multi_line_cmtrace_entry_keeps_its_start_line_and_whole_message() -> None:
    text = log_text(cm_line("first"), cm_line("Return code: 401, Description: PreAuth token validation failed\r\n"
                                              "IDX10223: Lifetime validation failed. The token is expired.\r\n"
                                              "   at System.IdentityModel.Tokens.Validators.ValidateLifetime",
                                              component="CCM_STS", entry_type=3), cm_line("third"))
    fmt, entries = _entries(text.encode())
    assert fmt is LogFormat.CMTRACE
    assert [e.line for e in entries] == [1, 2, 5]
    assert entries[1].component == "CCM_STS" and entries[1].entry_type == 3
    assert entries[1].message.splitlines()[1].startswith("IDX10223")
    assert entries[1].line_count == 3


def test_utf16_with_bom_decodes_like_utf8() -> None:
    text = log_text(cm_line("Ünïcode ✓ StatusText= CMGConnector_Forbidden"), cm_line("second"))
    for encoding in ("utf-16", "utf-16-be", "utf-8-sig"):
        data = text.encode(encoding) if encoding != "utf-16" else codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        fmt, entries = _entries(data)
        assert fmt is LogFormat.CMTRACE, encoding
        assert entries[0].message == "Ünïcode ✓ StatusText= CMGConnector_Forbidden"
        assert len(entries) == 2


def test_truncated_last_entry_is_kept_and_marked() -> None:
    text = log_text(cm_line("complete")) + '<![LOG[cut in the middle of a CMGService_Invalid_Token]LOG]!><time="12:3'
    _, entries = _entries(text.encode())
    assert len(entries) == 2
    assert entries[1].truncated and entries[1].line == 2
    assert "CMGService_Invalid_Token" in entries[1].message
    assert entries[1].time is None


def test_entry_cut_by_the_next_one_is_reported_not_merged() -> None:
    text = log_text("<![LOG[never closed", cm_line("next one"))
    _, entries = _entries(text.encode())
    assert [(e.line, e.truncated) for e in entries] == [(1, True), (2, False)]
    assert entries[1].message == "next one"


def test_server_format_entries_and_continuation_lines() -> None:
    text = log_text("ERROR: deployment failed", sms_line("  details on a second line"), sms_line("next"))
    fmt, entries = _entries(text.encode(), "CloudMgr.log")
    assert fmt is LogFormat.SMS
    assert [e.line for e in entries] == [1, 3]
    assert entries[0].message == "ERROR: deployment failed\n  details on a second line"
    assert entries[0].component == "SMS_CLOUD_SERVICES_MANAGER"
    assert entries[0].time == datetime(2020, 10, 28, 20, 0, tzinfo=UTC)


def test_plain_text_is_one_entry_per_line() -> None:
    fmt, entries = _entries(b"hello\n\nworld CMGConnector_Forbidden\n", "notes.txt")
    assert fmt is LogFormat.TEXT
    assert [(e.line, e.message) for e in entries] == [(1, "hello"), (3, "world CMGConnector_Forbidden")]


def test_rotated_and_synced_names_map_to_their_log() -> None:
    assert base_log_name(r"C:\Logs\CloudMgr.lo_") == "CloudMgr"
    assert base_log_name("LocationServices-20201028-130505.log") == "LocationServices"
    assert base_log_name("CMG-GraniteFalls-ProxyService_IN_0-CMGSetup.log") == "CMGSetup"
    assert base_log_name("logs.zip!Logs/SMS_Cloud_ProxyConnector.log") == "SMS_Cloud_ProxyConnector"


def test_folder_with_rotated_file_and_zip_is_read_in_full(tmp_path: Path) -> None:
    logs = tmp_path / "Logs"
    logs.mkdir()
    (logs / "CloudMgr.lo_").write_text(log_text(sms_line("ERROR: MissingSubscriptionRegistration")))
    (logs / "CloudMgr.log").write_text(log_text(sms_line("ok", stamp="10-28-2020 13:00:00.000+480")))
    (logs / "readme.md").write_text("not a log")
    with zipfile.ZipFile(logs / "client.zip", "w") as archive:
        archive.writestr("Logs/LocationServices.log", log_text(cm_line("StatusText= CMGConnector_Forbidden")))
    result = triage([logs])
    names = sorted(Path(i.path.split("!")[0]).name + ("!" + i.path.split("!")[1] if "!" in i.path else "")
                   for i in result.inputs)
    assert names == ["CloudMgr.lo_", "CloudMgr.log", "client.zip!Logs/LocationServices.log"]
    assert [f.signature.id for f in result.findings] == ["LOG-CLOUDMGR-PROVIDER-NOT-REGISTERED", "LOG-CP-FORBIDDEN"]


def test_findings_follow_utc_time_across_time_zones(tmp_path: Path) -> None:
    # 12:10 at bias +480 is 20:10 UTC; 21:05 at bias -060 is 20:05 UTC, so it happened first.
    (tmp_path / "LocationServices.log").write_text(log_text(
        cm_line("StatusText= CMGConnector_Forbidden", time="12:10:00.000+480")))
    (tmp_path / "ccmsetup.log").write_text(log_text(
        cm_line("StatusText=CMGService_Invalid_Token", time="21:05:00.000-060", component="ccmsetup")))
    result = triage([tmp_path])
    assert [f.signature.id for f in result.findings] == ["LOG-CLIENT-INVALID-TOKEN", "LOG-CP-FORBIDDEN"]


def test_unreadable_inputs_are_errors_not_exceptions(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    result = triage([tmp_path / "missing.log", tmp_path / "empty", tmp_path / "bad.zip"])
    assert result.inputs == []
    assert len(result.errors) == 3
    assert "no such file" in result.errors[0]
    assert "no .log" in result.errors[1]


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    path = tmp_path / "CloudMgr.log"
    path.write_text(log_text(*[sms_line(f"line {i}") for i in range(5000)]))
    seen: list[tuple[int, int]] = []
    triage([path], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_excerpt_reads_raw_lines_from_files_and_zip_members(tmp_path: Path) -> None:
    from cmgtui.services.triage import InputError, excerpt

    text = log_text(*[cm_line(f"entry {i}") for i in range(1, 11)])
    plain = tmp_path / "LocationServices.log"
    plain.write_text(text, encoding="utf-16")
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("Logs/LocationServices.log", text)
    for name in (str(plain), f"{archive}!Logs/LocationServices.log"):
        lines = excerpt(name, 3, 5)
        assert [n for n, _ in lines] == [3, 4, 5]
        assert "entry 4" in lines[1][1]
    try:
        excerpt(str(tmp_path / "gone.log"), 1, 2)
    except InputError as exc:
        assert "no such file" in str(exc)
    else:
        raise AssertionError("a missing file must raise InputError")
