"""The block scanner finds exactly what parsing and matching every entry finds, at any block size."""

from __future__ import annotations

import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.names import base_log_name
from cmgtui.domain.logs.parsing import parse_entries, sniff_format
from cmgtui.domain.logs.decoding import open_text, read_lines
from cmgtui.domain.logs.signature import Area
from cmgtui.domain.logs.signatures import CATALOGUE
from cmgtui.domain.logs.timeline import HealthTimeline
from cmgtui.domain.logs.triage import Matcher, TriageResult, triage_source
from tests.unit.logs import public_lines as L
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
    result = TriageResult()
    triage_source(open_text(data, name, chunk), ProfileFacts(), result)
    assert not result.errors
    assert sorted((f.signature.id, f.entry.line) for f in result.findings) == _reference(data, name)


# Success markers and a connection-point failure, each a public line (tests/unit/logs/public_lines.py
# names its source); the CMGService line is memdocs' raw line without its trailer; one entry spans two lines.
TIMELINE_TEXTS = [L.PROXY_200.text, L.TRAFFIC_REPORT.text, L.CMGSERVICE_RAW.split("~~  $$<")[0], L.AAD_USER_TOKEN.text,
                  L.BUILD_CONNECTION.text, L.ISSUED_TOKEN.text, "routine", "a first line\r\n" + L.PROXY_200.text]
TIMELINE_COMPONENTS = ["SMS_CLOUD_PROXYCONNECTOR", "CMGService", "ccmsetup", "CCM_STS", "AppEnforce"]
#: Each log's name and the component that writes it.
TIMELINE_NAMES = {"SMS_Cloud_ProxyConnector.log": "SMS_CLOUD_PROXYCONNECTOR",
                  "CMG-x-ProxyService_IN_0-CMGService.log": "CMGService", "ccmsetup.log": "ccmsetup",
                  "notes.txt": "CCM_STS"}


def _timeline_reference(data: bytes, name: str) -> HealthTimeline:
    """The timeline when every entry is parsed and every match recorded, the way triage first built it."""
    lines = list(read_lines(open_text(data, name)))
    fmt = sniff_format(lines[:200])
    matcher = Matcher()
    base = base_log_name(name).lower()
    markers = [s for s in CATALOGUE if s.first_entry_only and base in (n.lower() for n in s.logs)]
    health = HealthTimeline()
    for index, entry in enumerate(parse_entries(name, lines, fmt)):
        for signature in (markers if index == 0 else []) + matcher.match(entry):
            health.saw(signature, entry)
    return health


def _state(health: HealthTimeline) -> object:
    """Everything the timeline keeps, in comparable form."""
    return {area.value: (h.successes, {file: (ok.where, ok.time, ok.signature.id) for file, ok in h.last_ok_by_file.items()},
                         [(f.where, f.signature.id) for f in h.failures], h.dropped)
            for area, h in health.areas.items()}


timeline_entry = st.tuples(st.sampled_from(TIMELINE_TEXTS), st.sampled_from(TIMELINE_COMPONENTS), st.integers(0, 59),
                           st.booleans(), st.booleans())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(timeline_entry, min_size=1, max_size=40), st.sampled_from(sorted(TIMELINE_NAMES)),
       st.sampled_from([64, 300, 4096]), st.sampled_from(["utf-8", "utf-16"]), st.booleans(), st.booleans())
def test_scanner_keeps_the_timeline_every_entry_parsed_keeps(entries, name, chunk, encoding, server_format,
                                                             one_component) -> None:
    # Success lines are checked on their own line and only the last of a stretch is built: the
    # timeline (counts, last success per file, failures, and its sentences) must not change. A log
    # written by its own component alone (the usual case) is where lines are checked on their own.
    made = []
    for text, component, minute, timed, _ in entries:
        component = TIMELINE_NAMES[name] if one_component else component
        if server_format:
            made.append(sms_line(text, component=component,
                                 stamp=f"10-28-2020 12:{minute:02d}:00.000+480" if timed else "damaged"))
        else:
            made.append(cm_line(text, component=component, time=f"12:{minute:02d}:00.000+480" if timed else "x",
                                entry_type=3 if text == L.BUILD_CONNECTION.text else 1))
    text = "".join(line + ("\r\n" if crlf else "\n") for line, (*_, crlf) in zip(made, entries, strict=True))
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16" else text.encode()
    result = TriageResult()
    triage_source(open_text(data, name, chunk), ProfileFacts(), result)
    expected = _timeline_reference(data, name)
    assert _state(result.health) == _state(expected)
    assert result.health.lines() == expected.lines()
    assert result.health.brief_lines() == expected.brief_lines()


def test_a_success_text_on_an_entry_s_second_line_is_placed_at_the_entry_s_first() -> None:
    # The connection point's line continues an entry that began a line earlier: the timeline names
    # the entry's first line, as parsing every entry does, not the line the text is on.
    proxy = "SMS_CLOUD_PROXYCONNECTOR"
    text = "\r\n".join([sms_line("routine", component=proxy), sms_line(L.PROXY_200.text, component=proxy),
                        sms_line("a first line\r\n" + L.PROXY_200.text, component=proxy)]) + "\r\n"
    name = "SMS_Cloud_ProxyConnector.log"
    result = TriageResult()
    triage_source(open_text(text.encode(), name), ProfileFacts(), result)
    assert _state(result.health) == _state(_timeline_reference(text.encode(), name))
    [ok] = result.health.areas[Area.CONNECTION_POINT].last_ok_by_file.values()
    assert (ok.where, result.health.areas[Area.CONNECTION_POINT].successes) == (f"{name}:3", 2)


#: Logs written by one component whose lines are mostly success lines (the connection point's
#: forwarded requests, CMGService's request counts), with problems, errors and a multi-line entry among them.
SUCCESS_HEAVY = {"SMS_Cloud_ProxyConnector.log": ("SMS_CLOUD_PROXYCONNECTOR", [L.PROXY_200.text] * 6 + [
                     L.TRAFFIC_REPORT.text, "Filtered cert count with client auth: 0", "ERROR: deployment failed"]),
                 "CMG-x-ProxyService_IN_0-CMGService.log": ("CMGService", [L.CMGSERVICE_RAW.split("~~  $$<")[0]] * 6 + [
                     "ERROR: deployment failed", "~**ERROR: Cannot connect to the inbox source"])}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SUCCESS_HEAVY)), st.data(), st.sampled_from([300, 4096, 1 << 20]),
       st.sampled_from(["utf-8", "utf-16"]))
def test_success_heavy_logs_give_what_every_entry_parsed_gives(name, data, chunk, encoding) -> None:
    # Where most lines are whole success entries of the log's own component, the lines are checked
    # all at once; findings and the timeline must be those of parsing every entry.
    component, texts = SUCCESS_HEAVY[name]
    odd = ["routine", "a first line\r\n" + texts[0], texts[0] + "~~~", "  " + texts[0]]
    chosen = data.draw(st.lists(st.tuples(st.sampled_from(texts + odd), st.booleans(), st.booleans(), st.booleans()),
                                min_size=1, max_size=120))
    made = [sms_line(text, component=component if own else "SMS_CLOUD_SERVICES_MANAGER",
                     stamp="10-28-2020 12:00:00.000+480" if timed else "damaged")
            for text, timed, own, _ in chosen]
    text = "".join(line + ("\r\n" if crlf else "\n") for line, (*_, crlf) in zip(made, chosen, strict=True))
    raw = codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16" else text.encode()
    result = TriageResult()
    triage_source(open_text(raw, name, chunk), ProfileFacts(), result)
    successes = {s.id for s in CATALOGUE if s.success}
    assert sorted((f.signature.id, f.entry.line) for f in result.findings) == [
        (sig, line) for sig, line in _reference(raw, name) if sig not in successes]
    expected = _timeline_reference(raw, name)
    assert _state(result.health) == _state(expected)
    assert result.health.lines() == expected.lines()
