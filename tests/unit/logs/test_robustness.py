"""Random bytes and random CMTrace fragments never raise; a big log is triaged in bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui.domain.logs.decoding import open_text, read_lines
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.parsing import parse_entries, sniff_format
from cmgtui.domain.logs.triage import TriageResult, triage_source
from cmgtui.services.triage import triage
from tests.unit.logs.logbuilder import cm_line

FRAGMENTS = ["<![LOG[", "]LOG]!>", '<time="12:34:56.789+480"', ' date="10-28-2020"', ' component="CloudMgr"',
             ' type="3"', ' thread="1"', ">", "\r\n", "\n", "$$<", "><", "<thread=1 (0x1)>", "CMGConnector_Forbidden",
             "0x87d0027e", "\ufeff", "\x00", "é", "AADSTS50011", '"', "~"]


def _run(data: bytes, name: str) -> TriageResult:
    result = TriageResult()
    triage_source(open_text(data, name), ProfileFacts(), result)
    return result


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=4096), st.sampled_from(["CloudMgr.log", "LocationServices.lo_", "x.txt"]))
def test_random_bytes_never_raise(data: bytes, name: str) -> None:
    result = _run(data, name)
    assert not result.errors
    for finding in result.findings:
        assert finding.entry.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab\r\né", max_size=80), st.integers(1, 9), st.sampled_from(["utf-8", "utf-16"]))
def test_lines_are_the_same_whatever_the_chunks(text: str, chunk: int, encoding: str) -> None:
    # CRLF is a line end, a lone CR stays text, a CR at the very end is dropped, wherever the chunks split.
    data = text.encode(encoding)
    expected = text.replace("\r\n", "\n").removesuffix("\r").split("\n")
    if expected[-1] == "":
        expected.pop()
    assert list(read_lines(open_text(data, chunk=chunk))) == expected
    assert list(read_lines(open_text(data))) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=60),
       st.sampled_from(["utf-8", "utf-16", "utf-16-be"]))
def test_random_cmtrace_fragments_never_raise(parts: list[str], encoding: str) -> None:
    text = "".join(parts)
    data = text.encode(encoding, errors="surrogatepass")
    result = _run(data, "SMS_Cloud_ProxyConnector.log")
    assert not result.errors
    lines = list(read_lines(open_text(data)))
    entries = list(parse_entries("x", lines, sniff_format(lines)))
    assert [e.line for e in entries] == sorted(e.line for e in entries)


def test_streaming_memory_stays_bounded_on_a_large_log(tmp_path: Path) -> None:
    path = tmp_path / "CMGService.log"
    block = "\r\n".join(cm_line(f"Request {i} forwarded to the connection point", component="CMGService")
                        for i in range(2000)) + "\r\n"
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < 40 * 1024 * 1024:
            out.write(block)
        out.write(cm_line("StatusText=CMGService_Invalid_Token", entry_type=3) + "\r\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        result = triage([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.inputs[0].entries > 200_000
    assert [f.signature.id for f in result.findings] == ["LOG-CLIENT-INVALID-TOKEN"]
    # Peak stays far below the file size: a few chunks and one entry, not the file.
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes for a {size}-byte log"
