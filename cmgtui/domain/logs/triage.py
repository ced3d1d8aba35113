"""Triage: read every input as a stream, match the entries that can matter, order the findings.

Findings are ordered as they happened: by UTC time (CMTrace bias applied), entries without a
time after the timed ones of the same file, ties kept in input order. Work is linear in the
input and memory bounded: entries are built only where a signature could match
(:mod:`cmgtui.domain.logs.scan`), and only matched entries are kept (at most
:data:`MAX_FINDINGS_PER_SIGNATURE` per signature; the rest are counted in ``suppressed``).
Each log comes as an iterable of byte chunks (:class:`LogSource`): finding and reading the
files, progress and stopping a run are :mod:`cmgtui.services.triage`'s.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from cmgtui.domain.logs.components import log_of
from cmgtui.domain.logs.entries import LogEntry, LogFormat, sms_time
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.names import base_log_name
from cmgtui.domain.logs.parsing import SNIFF_LINES, parse_entries, sniff_format
from cmgtui.domain.logs.prefilter import leading_literal, required_literals
from cmgtui.domain.logs.decoding import InputError, LogSource, ReadStats, read_blocks
from cmgtui.domain.logs.scan import BlockScanner, Lookout, block_lines
from cmgtui.domain.logs.signatures import CATALOGUE, GENERIC_IDS, Severity, Signature
from cmgtui.domain.logs.timeline import HealthTimeline

MAX_FINDINGS_PER_SIGNATURE = 200
MAX_MESSAGE_CHARS = 2000
#: (component, file) pairs whose scope the matcher remembers (a bound for damaged logs).
MAX_CACHED_SOURCES = 4096
#: The format is told from at most this many characters at the start of a log (and SNIFF_LINES lines).
SNIFF_CHARS = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Finding:
    """One matched entry and what to do about it."""

    signature: Signature
    entry: LogEntry
    fix: str
    order: int
    time: datetime | None = None

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """Happened-order: UTC time first; untimed entries keep their input position."""
        return (0 if self.time is not None else 1, self.time or datetime.min.replace(tzinfo=UTC), self.order)

    def to_json(self) -> dict[str, Any]:
        """The issue's finding shape."""
        entry = self.entry
        return {
            "id": self.signature.id,
            "severity": self.signature.severity.value,
            "file": entry.file,
            "line": entry.line,
            "time": self.time.isoformat() if self.time else None,
            "component": entry.component,
            "message": entry.message[:MAX_MESSAGE_CHARS],
            "fix": self.fix,
            "source": self.signature.source,
        }


@dataclass(slots=True)
class InputResult:
    """One log that was read: its name, format, number of entries and the UTC window it covers."""

    path: str
    format: LogFormat
    entries: int = 0
    first_stamp: str = ""
    last_stamp: str = ""
    #: Lines longer than the reader's limit, cut there, and the characters skipped after the cut.
    cut_lines: int = 0
    skipped_chars: int = 0

    def note_stamp(self, stamp: str) -> None:
        """Remember the first and the latest stamp as written (parsed only when shown)."""
        if stamp:
            self.first_stamp = self.first_stamp or stamp
            self.last_stamp = stamp

    @property
    def first_time(self) -> datetime | None:
        """UTC time of the first timed entry."""
        return sms_time(self.first_stamp) if self.first_stamp else None

    @property
    def last_time(self) -> datetime | None:
        """UTC time of the last timed entry."""
        return sms_time(self.last_stamp) if self.last_stamp else None

    def to_json(self) -> dict[str, Any]:
        """The issue's input shape (the time window is for the text report only)."""
        return {"path": self.path, "format": self.format.value, "entries": self.entries}


@dataclass(slots=True)
class TriageResult:
    """Everything a triage run found, plus what couldn't be read."""

    inputs: list[InputResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    suppressed: Counter[str] = field(default_factory=Counter)
    health: HealthTimeline = field(default_factory=HealthTimeline)

    @property
    def summary(self) -> dict[str, int]:
        """Findings per severity."""
        counts = Counter(f.signature.severity.value for f in self.findings)
        return {s.value: counts.get(s.value, 0) for s in (Severity.FAIL, Severity.WARN, Severity.INFO)}

    @property
    def has_fail(self) -> bool:
        """Whether any finding has severity fail."""
        return self.summary["fail"] > 0

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON document."""
        return {"inputs": [i.to_json() for i in self.inputs],
                "findings": [f.to_json() for f in self.findings],
                "summary": self.summary}


def signatures_for(log: str | None, catch_alls: bool) -> tuple[Signature, ...]:
    """The signatures that apply to an entry of the catalogued ``log`` (see :func:`log_of`).

    ``""`` (an entry about something else): none. None (no component, a file of unknown name):
    the specific ones of every log. Catch-alls only with ``catch_alls``; timeline markers never
    (triage adds them to a file's first entry).
    """
    if log == "":
        return ()
    return tuple(s for s in CATALOGUE
                 if (log is None or log in (n.lower() for n in s.logs)) and not s.first_entry_only
                 and (catch_alls or s.id not in GENERIC_IDS) and (log is not None or s.patterns))


def lookout_for(signatures: Iterable[Signature]) -> Lookout:
    """The literals these signatures need (None if one pattern has none), whether error entries count,
    and the literals only success markers need (with those markers), checked line by line."""
    literals: set[str] = set()
    quick: set[str] = set()
    markers: list[Signature] = []
    errors = False
    for signature in signatures:
        if signature.error_entries_only and not signature.patterns:
            errors = True
        marker = signature.success and bool(signature.patterns) and not signature.error_entries_only
        if marker:
            markers.append(signature)
        for pattern in signature.patterns:
            needed = required_literals(pattern)
            if needed is None:
                return Lookout(None, True)
            (quick if marker else literals).update(needed)
    return Lookout(tuple(sorted(literals)), errors, tuple(sorted(quick - literals)), tuple(markers),
                   tuple(tuple(leading_literal(p) for p in m.patterns) for m in markers))


class Matcher:
    """Which signatures an entry shows: decided by the entry's component, then by its text."""

    def __init__(self, catalogue: Sequence[Signature] = CATALOGUE) -> None:
        self.known_logs = frozenset(name.lower() for s in catalogue for name in s.logs)
        self._by_scope: dict[tuple[str | None, bool], tuple[tuple[Signature, ...], Lookout]] = {}
        #: (component, file) -> its scope's entry: a log's entries come from a handful of components, so
        #: the file name is parsed once per pair, not once per entry.
        self._by_source: dict[tuple[str, str], tuple[tuple[Signature, ...], Lookout]] = {}
        self.everything = lookout_for(s for s in catalogue if not s.first_entry_only)

    def _scope(self, component: str, file: str) -> tuple[tuple[Signature, ...], Lookout]:
        known = self._by_source.get((component, file))
        if known is not None:
            return known
        scope = log_of(component, file, self.known_logs)
        if scope not in self._by_scope:
            signatures = signatures_for(*scope)
            self._by_scope[scope] = (signatures, lookout_for(signatures))
        if len(self._by_source) >= MAX_CACHED_SOURCES:
            self._by_source.clear()  # damaged logs with a new component on every line stay bounded
        found = self._by_source[(component, file)] = self._by_scope[scope]
        return found

    def applicable(self, entry: LogEntry) -> tuple[Signature, ...]:
        """The signatures for the log ``entry`` belongs to (by component, else by file name)."""
        return self._scope(entry.component, entry.file)[0]

    def lookout(self, component: str, file: str) -> Lookout:
        """What to look for in a block of ``file`` whose entries all come from ``component``."""
        return self._scope(component, file)[1]

    def match(self, entry: LogEntry) -> list[Signature]:
        """The signatures ``entry`` shows; a catch-all only when nothing specific matched."""
        signatures = self.applicable(entry)
        if not signatures:
            return []
        hits = [s for s in signatures if s.matches(entry)]
        specific = [s for s in hits if s.id not in GENERIC_IDS]
        return specific or hits


def triage_source(source: LogSource, facts: ProfileFacts, result: TriageResult,
                  matcher: Matcher | None = None) -> None:
    """Read one log into ``result`` (one that can't be read, at its start or on the way, becomes an
    error line and leaves nothing of it in ``result``)."""
    matcher = matcher or Matcher()
    stats = ReadStats()
    record: InputResult | None = None
    kept: Counter[str] = Counter(f.signature.id for f in result.findings)
    base = base_log_name(source.name).lower()
    markers = [s for s in CATALOGUE if s.first_entry_only and base in (n.lower() for n in s.logs)]

    def on_entry(entry: LogEntry, first: bool) -> None:
        matched = matcher.match(entry)
        if first:
            matched = markers + matched
        for signature in matched:
            result.health.saw(signature, entry)
            if signature.success:
                continue
            if kept[signature.id] >= MAX_FINDINGS_PER_SIGNATURE:
                result.suppressed[signature.id] += 1
                continue
            kept[signature.id] += 1
            fix = signature.fix_for(facts, entry)
            shown = entry if len(entry.message) <= MAX_MESSAGE_CHARS else replace(
                entry, message=entry.message[:MAX_MESSAGE_CHARS])  # what is kept stays small whatever the entry
            result.findings.append(Finding(signature, shown, fix, len(result.findings), entry.time))

    try:
        blocks = read_blocks(source, stats)
        head: list[str] = []  # the first blocks, enough to tell the format (bounded in lines and size)
        lines = size = 0
        for block in blocks:
            head.append(block)
            lines += block.count("\n")
            size += len(block)
            if lines >= SNIFF_LINES or size >= SNIFF_CHARS:
                break
        fmt = sniff_format(itertools.islice(itertools.chain.from_iterable(b.split("\n", SNIFF_LINES) for b in head),
                                            SNIFF_LINES + 1))
        record = InputResult(source.name, fmt)
        result.inputs.append(record)
        everything = itertools.chain(head, blocks)
        if fmt is LogFormat.TEXT:
            text_lines = (line for block in everything for line in block_lines(block))
            for number, entry in enumerate(parse_entries(source.name, text_lines, fmt), start=1):
                record.entries += 1
                on_entry(entry, number == 1)
        else:
            scanner = BlockScanner(source.name, fmt, lambda component: matcher.lookout(component, source.name),
                                   matcher.everything, on_entry, result.health)
            scanner.run(everything)
            record.entries = scanner.entries
            record.first_stamp, record.last_stamp = scanner.first_stamp, scanner.last_stamp
        record.cut_lines, record.skipped_chars = stats.cut_lines, stats.skipped_chars
    except InputError as exc:
        _drop(result, record)
        result.errors.append(str(exc))


def _drop(result: TriageResult, record: InputResult | None) -> None:
    if record is not None and result.inputs and result.inputs[-1] is record:
        result.inputs.pop()
    if record is not None:
        result.findings[:] = [f for f in result.findings if f.entry.file != record.path]


def triage_sources(sources: Iterable[LogSource], facts: ProfileFacts | None = None,
                   errors: Iterable[str] = ()) -> TriageResult:
    """Triage every log of ``sources`` in turn; ``errors`` (inputs that could not be found or opened)
    head the result's own. Findings come back in the order they happened."""
    facts = facts or ProfileFacts()
    result = TriageResult(errors=list(errors))
    matcher = Matcher()
    for source in sources:
        triage_source(source, facts, result, matcher)
    result.findings.sort(key=lambda f: f.sort_key)
    return result
