"""Triage: read every input as a stream, match each entry against the catalogue, order the findings.

Findings are ordered as they happened: by UTC time (CMTrace bias applied), entries without a
time after the timed ones of the same file, ties kept in input order. Memory stays bounded:
only matched entries are kept (at most :data:`MAX_FINDINGS_PER_SIGNATURE` per signature; the
rest are counted in ``suppressed``).
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cmgtui.domain.logs.entries import LogEntry, LogFormat, sms_time
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.names import base_log_name
from cmgtui.domain.logs.parsing import SNIFF_LINES, parse_entries, sniff_format
from cmgtui.domain.logs.reading import InputError, LogSource, Progress, discover, read_lines
from cmgtui.domain.logs.components import log_of
from cmgtui.domain.logs.signatures import CATALOGUE, GENERIC_IDS, Severity, Signature
from cmgtui.domain.logs.timeline import HealthTimeline

MAX_FINDINGS_PER_SIGNATURE = 200
MAX_MESSAGE_CHARS = 2000


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


def prefilter(signatures: Iterable[Signature]) -> re.Pattern[str]:
    """One pattern that matches wherever any of the signatures' patterns could (a fast first pass)."""
    parts = [p.pattern for s in signatures for p in s.patterns]
    return re.compile("|".join(f"(?:{p})" for p in parts) if parts else r"(?!)", re.IGNORECASE)


class Matcher:
    """Which signatures an entry shows: decided by the entry's component, then by its text."""

    def __init__(self, catalogue: Sequence[Signature] = CATALOGUE) -> None:
        self.known_logs = frozenset(name.lower() for s in catalogue for name in s.logs)
        self.quick = prefilter(catalogue)
        self._by_log: dict[tuple[str | None, bool], tuple[Signature, ...]] = {}

    def applicable(self, entry: LogEntry) -> tuple[Signature, ...]:
        """The signatures for the log ``entry`` belongs to (by component, else by file name)."""
        scope = log_of(entry.component, entry.file, self.known_logs)
        if scope not in self._by_log:
            self._by_log[scope] = signatures_for(*scope)
        return self._by_log[scope]

    def match(self, entry: LogEntry) -> list[Signature]:
        """The signatures ``entry`` shows; a catch-all only when nothing specific matched."""
        if entry.entry_type != 3 and self.quick.search(entry.message) is None:
            return []
        hits = [s for s in self.applicable(entry) if s.matches(entry)]
        specific = [s for s in hits if s.id not in GENERIC_IDS]
        return specific or hits


def triage_source(source: LogSource, facts: ProfileFacts, result: TriageResult,
                  on_bytes: Callable[[int], None] | None = None, matcher: Matcher | None = None) -> None:
    """Read one log into ``result`` (an unreadable one becomes an error line)."""
    try:
        lines = read_lines(source, on_bytes)
        head = list(itertools.islice(lines, SNIFF_LINES))
        fmt = sniff_format(head)
        record = InputResult(source.name, fmt)
        result.inputs.append(record)
        matcher = matcher or Matcher()
        kept: Counter[str] = Counter(f.signature.id for f in result.findings)
        base = base_log_name(source.name).lower()
        markers = [s for s in CATALOGUE if s.first_entry_only and base in (n.lower() for n in s.logs)]
        for entry in parse_entries(source.name, itertools.chain(head, lines), fmt):
            record.entries += 1
            record.note_stamp(entry.local_time)
            matched = matcher.match(entry)
            if record.entries == 1:
                matched = markers + matched
            for signature in matched:
                result.health.saw(signature, entry)
                if signature.success:
                    continue
                if kept[signature.id] >= MAX_FINDINGS_PER_SIGNATURE:
                    result.suppressed[signature.id] += 1
                    continue
                kept[signature.id] += 1
                result.findings.append(Finding(signature, entry, signature.fix_for(facts, entry), len(result.findings),
                                               entry.time))
    except (OSError, EOFError, RuntimeError, ValueError) as exc:
        if result.inputs and result.inputs[-1].path == source.name:
            result.inputs.pop()
        result.errors.append(f"{source.name}: can't be read ({exc}).")


def triage(paths: Sequence[str | os.PathLike[str]], facts: ProfileFacts | None = None,
           progress: Progress | None = None) -> TriageResult:
    """Triage every log under ``paths``; ``progress(done_bytes, total_bytes)`` follows the reading."""
    facts = facts or ProfileFacts()
    result = TriageResult()
    sources: list[LogSource] = []
    for path in paths:
        try:
            sources.extend(discover(path))
        except InputError as exc:
            result.errors.append(str(exc))
    total = sum(s.size for s in sources) or 1
    done = 0
    matcher = Matcher()
    for source in sources:
        base = done

        def on_bytes(consumed: int, base: int = base) -> None:
            if progress is not None:
                progress(min(base + consumed, total), total)

        triage_source(source, facts, result, on_bytes, matcher)
        done += source.size
    result.findings.sort(key=lambda f: f.sort_key)
    if progress is not None:
        progress(total, total)
    return result
