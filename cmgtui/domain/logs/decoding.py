"""Log text from bytes: the encoding told from the first bytes, lines cut at a bounded length.

Triage is given each log as an iterable of byte chunks (the reading itself, checked and bounded,
is :mod:`cmgtui.safe_read`'s, driven by :mod:`cmgtui.services.triage`); nothing here opens a file.
Memory does not grow with the input: a line longer than :data:`MAX_LINE_CHARS` is cut there and
the rest of it skipped (and counted in :class:`ReadStats`), so one endless line costs the same as
a short one.

The encoding comes from the byte-order mark (UTF-8, UTF-16 LE/BE); without one, UTF-8 is
assumed unless the first bytes look like BOM-less UTF-16 (every other byte zero). Undecodable
bytes become U+FFFD instead of stopping the read. Lines end at ``\\n`` (a ``\\r`` before it is
dropped).
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

#: Longest line kept, in characters; the rest of a longer line is skipped and counted.
MAX_LINE_CHARS = 256 * 1024
#: Bytes looked at to tell the encoding (a chunk shorter than this is joined with the next ones).
SNIFF_BYTES = 64
#: A CR that no LF follows (kept as text).
_LONE_CR = re.compile(rb"\r(?!\n)")
#: Progress callback: (bytes read so far, total bytes of all inputs).
Progress = Callable[[int, int], None]


class InputError(Exception):
    """A log that can't be read (or read on); the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class LogSource:
    """One log: how to show it, its size, and its bytes as an iterable of chunks (made on demand,
    once per read; iterating it may raise :class:`InputError`)."""

    name: str
    size: int
    chunks: Callable[[], Iterable[bytes]]


@dataclass(slots=True)
class ReadStats:
    """What the reader had to leave out of one input: lines cut at the length limit."""

    cut_lines: int = 0
    skipped_chars: int = 0


def _sniff_encoding(head: bytes) -> tuple[str, int]:
    """(codec, BOM length) from the first bytes of a file."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    sample = head[:64]
    if len(sample) >= 8:
        odd_zero = sample[1::2].count(0) >= len(sample) // 2 * 0.9
        even_zero = sample[0::2].count(0) >= len(sample) // 2 * 0.9
        if odd_zero and not even_zero:
            return "utf-16-le", 0
        if even_zero and not odd_zero:
            return "utf-16-be", 0
    return "utf-8", 0


def _first_and_rest(chunks: Iterable[bytes]) -> tuple[bytes, Iterator[bytes]]:
    """The first chunk (joined with the next ones until it holds :data:`SNIFF_BYTES`) and the rest."""
    rest = iter(chunks)
    head = b""
    for chunk in rest:
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    return head, rest


def read_blocks(source: LogSource, stats: ReadStats | None = None) -> Iterator[str]:
    """The text of ``source`` as blocks of whole lines (each ends with ``\\n``, but maybe the last).

    One block per chunk of bytes (fewer when a line spans chunks). ``\\r\\n`` becomes ``\\n``. A line
    longer than :data:`MAX_LINE_CHARS` is cut there; the rest is skipped and counted in ``stats``.
    Work and memory are linear in the input and bounded per chunk.
    """
    stats = stats if stats is not None else ReadStats()
    pending = ""  # the start of a line whose end has not been read yet
    skipping = False  # inside the rest of a cut line
    for text in _texts(source.chunks()):
        if skipping:
            end = text.find("\n")
            if end < 0:
                stats.skipped_chars += len(text)
                continue
            stats.skipped_chars += end
            text = text[end + 1:]
            skipping = False
        last = text.rfind("\n")
        if last < 0:
            pending += text
        else:
            first = text.find("\n")
            if len(pending) + first > MAX_LINE_CHARS:
                yield pending[:MAX_LINE_CHARS] + text[: max(0, MAX_LINE_CHARS - len(pending))] + "\n"
                stats.cut_lines += 1
                stats.skipped_chars += len(pending) + first - MAX_LINE_CHARS
                block = text[first + 1: last + 1]
            else:
                block = pending + text[: last + 1] if pending else text[: last + 1]
            if block:
                yield block
            pending = text[last + 1:]
        if len(pending) > MAX_LINE_CHARS:
            yield pending[:MAX_LINE_CHARS] + "\n"
            stats.cut_lines += 1
            stats.skipped_chars += len(pending) - MAX_LINE_CHARS
            pending, skipping = "", True
    if pending:
        yield pending


def _crlf_to_lf(data: bytes) -> bytes:
    """``data`` (ASCII-compatible) with every CRLF made LF: by deleting every CR when none stands
    alone (two quick passes), else by replacing the pairs."""
    if _LONE_CR.search(data) is None:
        return data.replace(b"\r", b"")
    return data.replace(b"\r\n", b"\n")


def _texts(chunks: Iterable[bytes]) -> Iterator[str]:
    """The decoded text of ``chunks`` (the encoding told from the first bytes), every CRLF made LF,
    also where a chunk ends between the two; a CR that ends the input is dropped."""
    head, rest = _first_and_rest(chunks)
    codec, bom = _sniff_encoding(head)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    in_bytes = codec == "utf-8"  # CR and LF are single bytes that never occur inside a character
    held = False  # the last text ended with a CR, held back until the next text shows whether LF follows
    for chunk in itertools.chain((head[bom:],), rest):
        if in_bytes and b"\r" in chunk:
            chunk = _crlf_to_lf(chunk)
        text = decoder.decode(chunk)
        if held and not text.startswith("\n"):
            text = "\r" + text
        if not text:
            continue
        held = text.endswith("\r")
        if held:
            text = text[:-1]
        if not in_bytes and "\r" in text:
            text = text.replace("\r\n", "\n")
        yield text
    text = decoder.decode(b"", final=True)
    if held and not text.startswith("\n"):
        text = "\r" + text
    yield text.removesuffix("\r")


def read_lines(source: LogSource, stats: ReadStats | None = None) -> Iterator[str]:
    """The lines of ``source`` without line ends (see :func:`read_blocks`)."""
    for block in read_blocks(source, stats):
        lines = block.split("\n")
        if lines[-1] == "":
            lines.pop()
        yield from lines


def open_text(data: bytes, name: str = "<memory>", chunk: int | None = None) -> LogSource:
    """A source over bytes in memory (tests, pasted text), in chunks of ``chunk`` bytes (default: one)."""
    if chunk is None:
        return LogSource(name, len(data), lambda: (data,))
    return LogSource(name, len(data), lambda: (data[at:at + chunk] for at in range(0, len(data), chunk)))


def lines_between(lines: Iterable[str], first: int, last: int) -> list[tuple[int, str]]:
    """Lines ``first``..``last`` (1-based, inclusive) of ``lines`` with their numbers; stops at ``last``."""
    return list(itertools.islice(enumerate(lines, start=1), max(first, 1) - 1, max(last, 0)))
