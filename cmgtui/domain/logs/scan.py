"""One pass over a log that builds entries only where a signature could match.

Most of a Logs folder is routine: requests forwarded, downloads finished. Building an entry
(splitting lines, reading attributes, making a :class:`LogEntry`) for each costs more than
reading the file. So the text is taken a block at a time, cut after its last complete entry,
and for each block:

* the entries are counted (one ``]LOG]!><`` or one ``$$<`` trailer per entry);
* when every entry of the block was written by one component (the usual case) only the
  literals of that component's signatures are looked for (:mod:`cmgtui.domain.logs.prefilter`),
  and error markers (``type="3"``, ``ERROR``) only when a catch-all applies to it; a block of a
  log not about the CMG costs two counts;
* the entries around a hit are parsed exactly (:func:`parse_entries`, the same parser a slow
  read uses) and handed on; so are the first entry (the timeline marker) and the last (the
  time window).

Every step is ``str.count``, ``str.find`` or ``str.lower`` over the block: time is linear in the
input, memory bounded by a block plus one entry.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cmgtui.domain.logs.entries import LogEntry, LogFormat
from cmgtui.domain.logs.parsing import MAX_ENTRY_CHARS, one_line_entry, parse_entries, sms_message
from cmgtui.domain.logs.prefilter import quicker, search_plan
from cmgtui.domain.logs.signature import Signature
from cmgtui.domain.logs.timeline import HealthTimeline


@dataclass(frozen=True, slots=True)
class Lookout:
    """What to look for in a block: literals (None: parse every entry) and whether error entries count.

    ``quick`` are literals only the success ``markers`` need: a line they hit that holds a whole
    entry and nothing else worth an entry is checked on its own (no entry built), counted, and
    only the last such line of a stretch becomes an entry, for the health timeline.
    """

    literals: tuple[str, ...] | None
    errors: bool
    quick: tuple[str, ...] = ()
    markers: tuple[Signature, ...] = ()
    #: For each marker, each pattern's leading literal (see :func:`leading_literal`) or None.
    starts: tuple[tuple[str | None, ...], ...] = ()


#: Components whose trailer pattern a scanner keeps (a bound for damaged logs).
MAX_CACHED_TRAILERS = 64

#: component -> what to look for in a block written by that component alone.
LookoutFor = Callable[[str], Lookout]


@dataclass(frozen=True, slots=True)
class _Marks:
    close: str  # one per entry, on its last line
    component: str  # what precedes the component's name
    component_end: str
    error: str  # an error entry contains this


_MARKS = {
    LogFormat.CMTRACE: _Marks("]LOG]!><", 'component="', '"', 'type="3"'),
    LogFormat.SMS: _Marks("$$<", "$$<", ">", "ERROR"),
}


def block_lines(text: str) -> list[str]:
    """The lines of a block of whole lines (no empty line after its final line end)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class BlockScanner:
    """Scans one file of format CMTrace or server log; ``on_entry`` gets each entry worth matching.

    ``lookout(component)`` says what to look for in a block whose entries all come from
    ``component``; ``mixed`` is used for a block with several components.
    """

    def __init__(self, file: str, fmt: LogFormat, lookout: LookoutFor, mixed: Lookout,
                 on_entry: Callable[[LogEntry, bool], None], health: HealthTimeline) -> None:
        self.file = file
        self.fmt = fmt
        self.marks = _MARKS[fmt]
        self.lookout = lookout
        self.mixed = mixed
        self.on_entry = on_entry
        self.health = health
        self.entries = 0
        self.first_stamp = ""
        self.last_stamp = ""
        self._tail = ""  # the last complete entry seen, for the time window
        self._first_done = False
        #: component -> a pattern matching its trailers, one a line (see _one_line_entries)
        self._trailers: dict[str, re.Pattern[str]] = {}

    # Block bookkeeping -------------------------------------------------------------------

    def run(self, blocks: Iterable[str]) -> None:
        """Scan all ``blocks`` (whole lines) in order."""
        carry = ""
        line = 1
        for block in blocks:
            text = carry + block if carry else block
            cut = self._boundary(text)
            if cut == 0 and len(text) > MAX_ENTRY_CHARS:
                cut = len(text)  # an entry that never closes: the exact parser cuts it
            if cut:
                line += self._region(text[:cut], line)
            carry = text[cut:]
        if carry:
            self._exact(carry, line, count=True)
        if self._tail:
            stamps = [e.local_time for e in parse_entries(self.file, block_lines(self._tail), self.fmt) if e.local_time]
            if stamps:
                self.last_stamp = stamps[-1]

    def _boundary(self, text: str) -> int:
        """Index just after the last line holding an entry's end (0: none)."""
        close = text.rfind(self.marks.close)
        if close < 0:
            return 0
        end = text.find("\n", close)
        return end + 1 if end >= 0 else 0

    def _span(self, region: str, pos: int) -> tuple[int, int]:
        """(start, end) of the entry that holds ``pos``: from after the previous entry's last line
        to the end of the line that closes this one."""
        close = self.marks.close
        line_start = region.rfind("\n", 0, pos) + 1
        before = region.rfind(close, 0, line_start)
        start = region.find("\n", before) + 1 if before >= 0 else 0
        after = region.find(close, line_start)
        end = region.find("\n", after) + 1 if after >= 0 else 0
        return start, end if end > 0 else len(region)

    # One region (whole entries) ------------------------------------------------------------

    def _region(self, region: str, first_line: int) -> int:
        """Scan one region of whole entries starting at line ``first_line``; returns its number of lines."""
        marks = self.marks
        closes = region.count(marks.close)
        self.entries += closes
        done = 0
        if not self._first_done:
            self._first_done = True
            done = self._span(region, 0)[1]
            self._emit(region, 0, done, first_line, first=True)
        component, look = self._lookout(region, closes)
        walk = _Walk(self, region, first_line, done, component or "", look)
        low = region.lower() if look.literals is not None and (look.literals or look.quick) else None
        lines = self._one_line_entries(region, component, look, closes, low)
        if lines is not None:
            hits = self._hits(region, look, quick=False, checks_wanted=False, low=low)
            if hits is not None:
                walk.run_lines(hits[0], *lines)
        else:
            hits = self._hits(region, look, quick=component is not None, low=low) if look.literals is not None else None
            if hits is not None:
                walk.run(*hits)
        if hits is None:
            self._emit(region, done, len(region), walk.line(done))
        last = region.rfind(marks.close)
        if last >= 0:
            self._tail = region[self._span(region, last)[0]:]
        if lines is not None and hits is not None:
            return len(lines[0])  # its lines are counted already
        return walk.line(len(region)) - first_line

    def _lookout(self, region: str, closes: int) -> tuple[str | None, Lookout]:
        """(the one component that wrote every entry of ``region``, else None; what to look for)."""
        marks = self.marks
        at = region.find(marks.component)
        if at < 0 or closes == 0:
            return None, self.mixed
        at += len(marks.component)
        end = region.find(marks.component_end, at)
        component = region[at:end] if end >= 0 else ""
        if not component or end - at > 200:
            return None, self.mixed
        if region.count(marks.component + component + marks.component_end) != closes:
            return None, self.mixed
        return component, self.lookout(component)

    def _one_line_entries(self, region: str, component: str | None, look: Lookout, closes: int,
                          low: str | None) -> tuple[list[str], list[str], str] | None:
        """(lines, the text before each line's trailer, ``low``: the region in lower case) when
        ``region`` is a server-format block in which every line is a whole entry of ``component``
        and most lines hold a literal only its success markers need (a stretch of forwarded
        requests); else None.

        Then :func:`parse_entries` would give each line as an entry of its own whose message is the
        text before its trailer. A trailer starts at its line's last ``$$<`` (the only ``<`` in a
        trailer that ``$$`` can precede), so splitting there and matching all the trailers at once
        tells it without a pattern search per line.
        """
        if (self.fmt is not LogFormat.SMS or not component or not look.quick or low is None
                or not region.endswith("\n") or component != component.strip() or "<" in component
                or any("\n" in literal for literal in look.quick) or len(low) != len(region)
                or 2 * sum(low.count(q) for q in look.quick) < closes):
            return None  # not such a block, positions would shift, or few success lines (walking by hits is quicker)
        lines = region.split("\n")
        lines.pop()
        if len(lines) != closes:
            return None  # a multi-line entry (or two trailers on a line)
        parts = [line.rpartition("$$<") for line in lines]
        tails = self._trailers.get(component)
        if tails is None:
            if len(self._trailers) >= MAX_CACHED_TRAILERS:
                self._trailers.clear()
            tails = self._trailers[component] = re.compile(
                r"(?:\$\$<" + re.escape(component) + r"><[^<>\n]*><thread=[^<>\n]*>[^\S\n]*\n)*\Z")
        if tails.match("".join([sep + tail + "\n" for _, sep, tail in parts])) is None:
            return None
        return lines, [head for head, _, _ in parts], low

    def _hits(self, region: str, look: Lookout, quick: bool, checks_wanted: bool = True,
              low: str | None = None) -> tuple[list[int], list[int]] | None:
        """Sorted positions worth an entry (literal hits, error markers) and sorted positions of
        ``look.quick`` literals (with the first when ``quick``, else none: checked on their line
        alone only in a block of one component; not looked for without ``checks_wanted``).
        None: parse every entry. ``low``: ``region.lower()`` when already made."""
        found: list[int] = []
        checks: list[int] = []
        if look.literals or look.quick:
            low = region.lower() if low is None else low
            if len(low) != len(region):  # a character whose lower case is longer: positions would shift
                return None
            quick_literals = look.quick if checks_wanted else ()
            for literals, into in ((look.literals or (), found), (quick_literals, checks if quick else found)):
                for start, members in search_plan(literals):
                    at = low.find(start)
                    while at >= 0:
                        if len(members) == 1 or any(low.startswith(member, at) for member in members):
                            into.append(at)
                            at = low.find(start, at + len(start))
                        else:
                            at = low.find(start, at + 1)
        if look.errors:
            marker = self.marks.error
            at = region.find(marker)
            while at >= 0:
                found.append(at)
                at = region.find(marker, at + len(marker))
        found.sort()
        checks.sort()
        return found, checks

    def _emit(self, region: str, start: int, end: int, line: int, first: bool = False) -> None:
        if end <= start:
            return
        for index, entry in enumerate(parse_entries(self.file, block_lines(region[start:end]), self.fmt, line)):
            if first and index == 0:
                self.first_stamp = entry.local_time
            self.on_entry(entry, first and index == 0)

    def _exact(self, text: str, line: int, count: bool) -> None:
        """Parse ``text`` entry by entry (the end of a file that never closed its last entry)."""
        for entry in parse_entries(self.file, block_lines(text), self.fmt, line):
            if count:
                self.entries += 1
            first = not self._first_done
            self._first_done = True
            if first:
                self.first_stamp = entry.local_time
            if entry.local_time:
                self._tail = ""
                self.last_stamp = entry.local_time
            self.on_entry(entry, first)



def _closes_before(region: str, close: str, line_start: int) -> bool:
    """Whether the line before the one at ``line_start`` closes an entry (holds ``close``)."""
    at = region.rfind(close, 0, line_start)
    return at >= 0 and region.find("\n", at, line_start - 1) < 0


def _shows(pattern: re.Pattern[str], lead: str | None, message: str, low: str | None) -> bool:
    """``pattern.search(message)``, tried only where ``lead`` (the literal every match starts with)
    occurs when ``message`` is ASCII; ``low`` is ``message.lower()`` then (where ``str.lower`` is
    the case folding ``re`` uses), None otherwise. The caller lowers a message once for all markers."""
    if lead is None or low is None:
        return pattern.search(message) is not None
    if low.startswith(lead) and pattern.match(message) is not None:
        return True  # the usual success line: the marker's text opens the message
    at = low.find(lead, 1)
    while at >= 0:
        if pattern.match(message, at) is not None:
            return True
        at = low.find(lead, at + 1)
    return False


def _matched(patterns: list[tuple[int, tuple[tuple[re.Pattern[str], str | None], ...]]], message: str) -> int:
    """The set of success markers (bits, see :meth:`_Walk._patterns`) whose patterns ``message`` shows."""
    low = message.lower() if message.isascii() else None
    matched = 0
    for bit, options in patterns:
        for pattern, lead in options:
            if _shows(pattern, lead, message, low):
                matched |= bit
                break
    return matched


def _matched_all(patterns: list[tuple[int, tuple[tuple[re.Pattern[str], str | None], ...]]],
                 messages: list[str]) -> list[int]:
    """:func:`_matched` for each of ``messages``, pattern by pattern over all of them (the usual
    success line opens with its marker's leading literal and is settled by one ``match``)."""
    ascii_ = [message.isascii() for message in messages]
    matched = [0] * len(messages)
    for bit, options in patterns:
        for pattern, lead in options:
            if lead is None:
                shown = [pattern.search(message) is not None for message in messages]
            else:
                size = len(lead)
                shown = [(plain and message[:size].lower() == lead and pattern.match(message) is not None)
                         or _shows(pattern, lead, message, message.lower() if plain else None)
                         for message, plain in zip(messages, ascii_, strict=True)]
            matched = [kinds | bit if hit else kinds for kinds, hit in zip(matched, shown, strict=True)]
    return matched


class _Walk:
    """One region's hits in order: entries built around ``found`` positions; success lines at
    ``checks`` positions checked on their own and counted, and the last line of each set of
    matched markers before the next built entry (or the region's end) built for the timeline."""

    def __init__(self, scanner: BlockScanner, region: str, first_line: int, done: int, component: str,
                 look: Lookout) -> None:
        self.scanner = scanner
        self.region = region
        self.first_line = first_line
        self.done = done  # everything before this index has been handled
        self.component = component
        self.markers = look.markers
        self.starts = look.starts
        self.quick = look.quick
        self._counted_to = 0
        self._counted = 0
        #: set of matched markers (bit i: markers[i]) -> how many lines, and (start, end) of the last one
        self._counts: dict[int, int] = {}
        self._last: dict[int, tuple[int, int]] = {}

    def _patterns(self) -> list[tuple[int, tuple[tuple[re.Pattern[str], str | None], ...]]]:
        """(bit, ((pattern, its leading literal), ...)) for each success marker (bit i: markers[i])."""
        return [(1 << index, tuple(zip(map(quicker, marker.patterns), leads, strict=True)))
                for index, (marker, leads) in enumerate(zip(self.markers, self.starts, strict=True))]

    def line(self, at: int) -> int:
        """Line number of index ``at`` (asked in increasing order: linear in the region)."""
        self._counted += self.region.count("\n", self._counted_to, at)
        self._counted_to = at
        return self.first_line + self._counted

    def run(self, found: list[int], checks: list[int]) -> None:
        region = self.region
        close = self.scanner.marks.close
        fmt = self.scanner.fmt
        component = self.component
        patterns = self._patterns()
        counts, last = self._counts, self._last
        next_found, total = 0, len(found)
        upcoming = found[0] if found else len(region) + 1  # the next position worth an entry
        for pos in checks:
            if upcoming < pos:
                while next_found < total and found[next_found] < pos:
                    if found[next_found] >= self.done:
                        self._build(found[next_found])
                    next_found += 1
                upcoming = found[next_found] if next_found < total else len(region) + 1
            done = self.done
            if pos < done:
                continue
            line_start = region.rfind("\n", 0, pos) + 1
            line_end = region.find("\n", pos)
            line_end = len(region) if line_end < 0 else line_end
            # A whole entry by itself: nothing else worth an entry on the line, and the line before
            # closed an entry (so the exact parser would start one here too).
            got = None
            if upcoming > line_end and (line_start in (0, done) or _closes_before(region, close, line_start)):
                got = one_line_entry(region[line_start:line_end], fmt)
            if got is None or got[1] != component:
                self._build(pos)
                continue
            matched = _matched(patterns, got[0])
            if matched:
                counts[matched] = counts.get(matched, 0) + 1
                last[matched] = (line_start, line_end + 1)
            self.done = line_end + 1
        for pos in found[next_found:]:
            if pos >= self.done:
                self._build(pos)
        self._flush()

    def run_lines(self, found: list[int], lines: list[str], heads: list[str], low: str) -> None:
        """:meth:`run` for a region whose every line is a whole server-format entry of the block's
        component (``heads``: each line's text before its trailer; ``low``: the region in lower
        case): entries are built at ``found``; every other line holding a literal only success
        markers need is checked on its own, as :meth:`run` checks it, all such lines at once."""
        ends = list(map(operator.add, itertools.accumulate(map(len, lines)), itertools.count()))  # each line's \n
        lows = low.split("\n")
        if len(self.quick) == 1:
            wanted = [index for index, text in enumerate(lows) if self.quick[0] in text]
        else:
            wanted = [index for index, text in enumerate(lows) if any(q in text for q in self.quick)]
        matched = _matched_all(self._patterns(), [sms_message(heads[index]) for index in wanted])
        stops = [bisect.bisect_left(ends, pos) for pos in found if pos >= self.done]
        stops.append(len(lines))
        cursor = bisect.bisect_left(wanted, bisect.bisect_left(ends, self.done))  # the first line not yet handled
        for stop in stops:
            end = bisect.bisect_left(wanted, stop, cursor)
            self._tally(wanted[cursor:end], matched[cursor:end], ends)
            cursor = end
            if stop < len(lines) and (stop == 0 or ends[stop - 1] + 1 >= self.done):
                self.done = ends[stop - 1] + 1 if stop else 0
                self._build(self.done)
                if cursor < len(wanted) and wanted[cursor] == stop:
                    cursor += 1  # a success line that is also worth an entry was built above
        self._flush()

    def _tally(self, indexes: list[int], matched: list[int], ends: list[int]) -> None:
        """Count the lines ``indexes`` by the set of markers each matched and remember the last of each set."""
        counts, last = self._counts, self._last
        for kinds, count in Counter(matched).items():
            if kinds:
                counts[kinds] = counts.get(kinds, 0) + count
        for kinds, index in {kinds: index for index, kinds in zip(indexes, matched, strict=True) if kinds}.items():
            last[kinds] = (ends[index - 1] + 1 if index else 0, ends[index] + 1)

    def _build(self, pos: int) -> None:
        start, end = self.scanner._span(self.region, pos)
        start = max(start, self.done)
        self._flush()
        self.scanner._emit(self.region, start, end, self.line(start))
        self.done = end

    def _flush(self) -> None:
        """Count the success lines checked so far and record the last of each kind (in file order)
        as the timeline's latest."""
        scanner = self.scanner
        health = scanner.health
        for matched, count in self._counts.items():
            for index, marker in enumerate(self.markers):
                if matched >> index & 1:
                    health.count_success(marker, count)
        for matched, (start, end) in sorted(self._last.items(), key=lambda item: item[1]):
            chosen = [marker for index, marker in enumerate(self.markers) if matched >> index & 1]
            for entry in parse_entries(scanner.file, block_lines(self.region[start:end]), scanner.fmt,
                                       self.line(start)):
                for marker in chosen:
                    health.last_success(marker, entry)
        self._counts.clear()
        self._last.clear()
