"""The block scanner finds exactly what parsing and matching every entry finds, at any block size."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui.domain.logs import reading
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.names import base_log_name
from cmgtui.domain.logs.parsing import parse_entries, sniff_format
from cmgtui.domain.logs.reading import open_text, read_lines
from cmgtui.domain.logs.signatures import CATALOGUE
from cmgtui.domain.logs.triage import Matcher, TriageResult, triage_source
from tests.unit.logs.logbuilder import cm_line, sms_line

TEXTS = ["Deployment instance status for service GraniteFalls is ReadyRole.", "StatusText= CMGConnector_Forbidden",
         "ERROR: Code: AuthorizationFailed", "ERROR: deployment failed", "WARNING: retrying",
         "Filtered cert count with client auth: 0", "AADSTS7000222: The provided client secret keys are expired.",
         "line one\r\nline two CMGService_Invalid_Token", "Ünïcode İstanbul ✓ 0x87d0027e", "~**ERROR: Cannot connect"
         " to the inbox source", "routine"]
COMPONENTS = ["LocationServices", "SMS_CLOUD_SERVICES_MANAGER", "AppEnforce", "CMGSetup", "ccmsetup", "CMGService"]
NAMES = ["CloudMgr.log", "LocationServices.log", "AppEnforce.log", "CMG-x-ProxyService_IN_0-CMGSetup.log", "notes.txt"]


def _reference(data: bytes, name: str) -> list[tuple[str, int]]:
    """Every entry parsed and matched, the way triage worked before it skipped anything."""
    lines = list(read_lines(open_text(data, name)))
    fmt = sniff_format(lines[:200])
    matcher = Matcher()
    base = base_log_name(name).lower()
    markers = [s for s in CATALOGUE if s.first_entry_only and base in (n.lower() for n in s.logs)]
    found = []
    for index, entry in enumerate(parse_entries(name, lines, fmt)):
        matched = matcher.match(entry)
        if index == 0:
            matched = markers + matched
        found.extend((s.id, entry.line) for s in matched)
    return sorted(found)


entry = st.tuples(st.sampled_from(TEXTS), st.sampled_from(COMPONENTS), st.sampled_from([1, 2, 3]), st.booleans())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entry, min_size=1, max_size=40), st.sampled_from(NAMES), st.sampled_from([64, 300, 4096]),
       st.sampled_from(["utf-8", "utf-16"]), st.booleans())
def test_scanner_finds_what_every_entry_parsed_finds(entries, name, chunk, encoding, server_format) -> None:
    made = [sms_line(text, component=component) if server_format else cm_line(text, component=component,
                                                                               entry_type=kind)
            for text, component, kind, _ in entries]
    text = "".join(line + ("\r\n" if crlf else "\n") for line, (_, _, _, crlf) in zip(made, entries, strict=True))
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16" else text.encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reading, "CHUNK", chunk)
        result = TriageResult()
        triage_source(open_text(data, name), ProfileFacts(), result)
    assert not result.errors
    assert sorted((f.signature.id, f.entry.line) for f in result.findings) == _reference(data, name)
