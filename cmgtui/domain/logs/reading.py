"""Where log text comes from: files, folders and zip files, decoded as a stream of lines.

Inputs are read in fixed-size chunks, so a 500 MB log costs the same memory as a 5 MB one;
a progress callback is told how many bytes of all inputs have been read. The encoding comes
from the byte-order mark (UTF-8, UTF-16 LE/BE); without one, UTF-8 is assumed unless the
first bytes look like BOM-less UTF-16 (every other byte zero). Undecodable bytes become
U+FFFD instead of stopping the read.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 256 * 1024
#: Progress callback: (bytes read so far, total bytes of all inputs).
Progress = Callable[[int, int], None]

#: File names triage reads inside a folder or zip (ConfigMgr logs and their rotated copies).
LOG_SUFFIXES = (".log", ".lo_", ".txt")


class InputError(Exception):
    """A path that can't be read at all; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class LogSource:
    """One readable log: how to show it, its size, and how to open its bytes."""

    name: str
    size: int
    opener: Callable[[], BinaryIO]


def _is_log_name(name: str) -> bool:
    return name.lower().endswith(LOG_SUFFIXES)


def _zip_sources(path: Path) -> list[LogSource]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir() and _is_log_name(i.filename)]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable zip file ({exc}); unpack it or copy the logs folder instead.") from exc

    def opener_for(member: str) -> Callable[[], BinaryIO]:
        def open_member() -> BinaryIO:
            # The member stream keeps the archive file open until it is closed itself.
            with zipfile.ZipFile(path) as archive:
                return archive.open(member)  # type: ignore[return-value]
        return open_member

    return [LogSource(f"{path}!{i.filename}", i.file_size, opener_for(i.filename))
            for i in sorted(infos, key=lambda i: i.filename)]


def _file_source(path: Path) -> LogSource:
    return LogSource(str(path), path.stat().st_size, lambda: open(path, "rb"))


def discover(path: str | os.PathLike[str]) -> list[LogSource]:
    """The logs under one input path: the file itself, a folder's logs (recursive) or a zip's.

    Raises :class:`InputError` when the path is missing, unreadable, or holds no logs.
    """
    target = Path(path).expanduser()
    try:
        if target.is_dir():
            found: list[LogSource] = []
            for child in sorted(target.rglob("*")):
                if child.is_file() and _is_log_name(child.name):
                    found.append(_file_source(child))
                elif child.is_file() and child.suffix.lower() == ".zip":
                    found.extend(_zip_sources(child))
            if not found:
                raise InputError(f"{target}: no .log, .lo_ or .txt files in this folder.")
            return found
        if not target.exists():
            raise InputError(f"{target}: no such file or folder.")
        if zipfile.is_zipfile(target) or target.suffix.lower() == ".zip":
            found = _zip_sources(target)
            if not found:
                raise InputError(f"{target}: the zip holds no .log, .lo_ or .txt files.")
            return found
        if not os.access(target, os.R_OK):
            raise InputError(f"{target}: permission denied; copy the file somewhere you can read it.")
        return [_file_source(target)]
    except OSError as exc:
        raise InputError(f"{target}: can't be read ({exc.strerror or exc}).") from exc


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


def read_lines(source: LogSource, on_bytes: Callable[[int], None] | None = None) -> Iterator[str]:
    """The lines of ``source`` without line ends, decoded incrementally.

    ``on_bytes`` is called with the number of bytes consumed after each chunk. A line that
    never ends (no newline for a whole chunk) is still split at chunk boundaries of 1 MiB so
    one pathological line cannot take unbounded memory.
    """
    with source.opener() as stream:
        head = stream.read(CHUNK)
        codec, bom = _sniff_encoding(head)
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        pending = ""
        chunk = head[bom:]
        consumed = len(head)
        while True:
            final = not chunk
            text = decoder.decode(chunk, final=final)
            if text:
                pending += text
                parts = pending.splitlines(keepends=True)
                pending = ""
                if parts and not parts[-1].endswith(("\n", "\r")):
                    pending = parts.pop()
                for part in parts:
                    yield part.rstrip("\r\n")
                while len(pending) > 1024 * 1024:
                    yield pending[: 1024 * 1024]
                    pending = pending[1024 * 1024:]
            if on_bytes is not None:
                on_bytes(consumed)
            if final:
                break
            chunk = stream.read(CHUNK)
            consumed += len(chunk)
        if pending:
            yield pending


def open_text(data: bytes, name: str = "<memory>") -> LogSource:
    """A source over bytes in memory (tests, pasted text)."""
    return LogSource(name, len(data), lambda: io.BytesIO(data))


def source_named(name: str) -> LogSource:
    """The source a triage input was called (``path`` or ``archive.zip!member``), opened again."""
    archive, sep, member = name.partition("!")
    if sep and zipfile.is_zipfile(archive):
        for source in _zip_sources(Path(archive)):
            if source.name == name:
                return source
        raise InputError(f"{member} is no longer in {archive}.")
    path = Path(name)
    if not path.is_file():
        raise InputError(f"{name}: no such file any more.")
    return _file_source(path)


def excerpt(name: str, first: int, last: int) -> list[tuple[int, str]]:
    """Lines ``first``..``last`` (1-based, inclusive) of the input ``name``, with their numbers.

    Streams up to ``last`` only. Raises :class:`InputError` when the input can't be read.
    """
    found: list[tuple[int, str]] = []
    try:
        for number, line in enumerate(read_lines(source_named(name)), start=1):
            if number > last:
                break
            if number >= first:
                found.append((number, line))
    except OSError as exc:
        raise InputError(f"{name}: can't be read ({exc.strerror or exc}).") from exc
    return found
