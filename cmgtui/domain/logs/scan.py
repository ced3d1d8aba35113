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

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cmgtui.domain.logs.entries import LogEntry, LogFormat
from cmgtui.domain.logs.parsing import MAX_ENTRY_CHARS, parse_entries


@dataclass(frozen=True, slots=True)
class Lookout:
    """What to look for in a block: literals (None: parse every entry) and whether error entries count."""

    literals: tuple[str, ...] | None
    errors: bool


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
                 on_entry: Callable[[LogEntry, bool], None]) -> None:
        self.file = file
        self.fmt = fmt
        self.marks = _MARKS[fmt]
        self.lookout = lookout
        self.mixed = mixed
        self.on_entry = on_entry
        self.entries = 0
        self.first_stamp = ""
        self.last_stamp = ""
        self._tail = ""  # the last complete entry seen, for the time window
        self._first_done = False

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
                self._region(text[:cut], line)
                line += text.count("\n", 0, cut)
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

    def _region(self, region: str, first_line: int) -> None:
        marks = self.marks
        closes = region.count(marks.close)
        self.entries += closes
        done = 0
        if not self._first_done:
            self._first_done = True
            done = self._span(region, 0)[1]
            self._emit(region, 0, done, first_line, first=True)
        look = self._lookout(region, closes)
        positions = self._hits(region, look) if look.literals is not None else None
        if positions is None:
            self._emit(region, done, len(region), first_line + region.count("\n", 0, done))
        else:
            counted_to, counted = 0, 0
            for pos in sorted(positions):
                if pos < done:
                    continue
                start, end = self._span(region, pos)
                start = max(start, done)
                counted += region.count("\n", counted_to, start)
                counted_to = start
                self._emit(region, start, end, first_line + counted)
                done = end
        last = region.rfind(marks.close)
        if last >= 0:
            self._tail = region[self._span(region, last)[0]:]

    def _lookout(self, region: str, closes: int) -> Lookout:
        marks = self.marks
        at = region.find(marks.component)
        if at < 0 or closes == 0:
            return self.mixed
        at += len(marks.component)
        end = region.find(marks.component_end, at)
        component = region[at:end] if end >= 0 else ""
        if not component or end - at > 200:
            return self.mixed
        if region.count(marks.component + component + marks.component_end) != closes:
            return self.mixed
        return self.lookout(component)

    def _hits(self, region: str, look: Lookout) -> list[int] | None:
        """Positions worth an entry: literal hits and error markers (None: parse every entry)."""
        found: list[int] = []
        if look.literals:
            low = region.lower()
            if len(low) != len(region):  # a character whose lower case is longer: positions would shift
                return None
            for literal in look.literals:
                at = low.find(literal)
                while at >= 0:
                    found.append(at)
                    at = low.find(literal, at + len(literal))
        if look.errors:
            marker = self.marks.error
            at = region.find(marker)
            while at >= 0:
                found.append(at)
                at = region.find(marker, at + len(marker))
        return found

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

