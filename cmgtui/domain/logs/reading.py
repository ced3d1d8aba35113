"""Where log text comes from: files, folders and zip files, decoded as a stream of text blocks.

Every file is opened through :mod:`cmgtui.safe_read`'s rules: only regular files (a FIFO, a
device such as ``/dev/zero``, a socket is refused before it is read, and the open never blocks).
Inputs are read in fixed-size chunks, so memory does not grow with the file; a line longer than
:data:`MAX_LINE_CHARS` is cut there and the rest of it skipped (and counted in
:class:`ReadStats`), so one endless line costs the same as a short one.

A zip is read with one pass over its directory (the archive stays open while its members are
read); it is refused when its directory holds more than :data:`MAX_ZIP_ENTRIES` entries or its
logs would expand to more than :data:`MAX_ZIP_TOTAL` bytes; a member that would expand more than
:data:`MAX_ZIP_RATIO` times its compressed size is skipped. A damaged member (bad CRC, corrupt
data, bad header) is reported on its own and the other members and files are still read.

The encoding comes from the byte-order mark (UTF-8, UTF-16 LE/BE); without one, UTF-8 is
assumed unless the first bytes look like BOM-less UTF-16 (every other byte zero). Undecodable
bytes become U+FFFD instead of stopping the read. Lines end at ``\\n`` (a ``\\r`` before it is
dropped).
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cmgtui.safe_read import ReadRefused, open_checked

CHUNK = 256 * 1024
#: Longest line kept, in characters; the rest of a longer line is skipped and counted.
MAX_LINE_CHARS = 256 * 1024
#: A zip whose directory lists more entries than this is refused (it is not a copied Logs folder).
MAX_ZIP_ENTRIES = 20_000
#: The logs of one zip may expand to at most this many bytes in all.
MAX_ZIP_TOTAL = 8 * 1024 * 1024 * 1024
#: A member expanding more than this many times its compressed size is skipped (a zip bomb;
#: real logs compress 10-30 times).
MAX_ZIP_RATIO = 200
#: Folders deeper than this below an input are not searched.
MAX_DEPTH = 32
#: Progress callback: (bytes read so far, total bytes of all inputs).
Progress = Callable[[int, int], None]

#: File names triage reads inside a folder or zip (ConfigMgr logs and their rotated copies).
LOG_SUFFIXES = (".log", ".lo_", ".txt")

#: What can go wrong while a zip member is read (zipfile, zlib and the stream raise these).
MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


class InputError(Exception):
    """A path that can't be read at all; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class LogSource:
    """One readable log: how to show it, its size, and how to open its bytes.

    ``opener`` returns a context manager over a binary stream (it may raise :class:`InputError`).
    """

    name: str
    size: int
    opener: Callable[[], AbstractContextManager[BinaryIO]]


@dataclass(slots=True)
class ReadStats:
    """What the reader had to leave out of one input: lines cut at the length limit."""

    cut_lines: int = 0
    skipped_chars: int = 0


@dataclass(slots=True)
class Discovery:
    """The logs found under the inputs, the problems with the ones that could not be used, and
    the archives to close once reading is over."""

    sources: list[LogSource] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    archives: list[zipfile.ZipFile] = field(default_factory=list)

    def close(self) -> None:
        """Close every zip that was opened."""
        for archive in self.archives:
            archive.close()
        self.archives.clear()


def _is_log_name(name: str) -> bool:
    return name.lower().endswith(LOG_SUFFIXES)


def _kind_problem(mode: int) -> str | None:
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a log file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a log file"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a log file"
    return "it is not a regular file"


@contextmanager
def _checked(path: Path) -> Iterator[BinaryIO]:
    try:
        with open_checked(path) as (handle, _info):
            yield handle
    except ReadRefused as exc:
        raise InputError(f"{path}: {exc.reason}; copy the log to a regular file and pass that.") from None


def _file_source(path: Path, size: int) -> LogSource:
    return LogSource(str(path), size, lambda: _checked(path))


def _zip_member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], AbstractContextManager[BinaryIO]]:
    def open_member() -> AbstractContextManager[BinaryIO]:
        try:
            return archive.open(info)  # type: ignore[return-value]  # ZipExtFile is a BufferedIOBase
        except MEMBER_ERRORS as exc:
            raise InputError(f"{archive.filename}!{info.filename}: damaged in the zip ({exc}); the other logs "
                             "were read.") from None
    return open_member


def _zip_sources(path: Path, found: Discovery) -> None:
    """Add the logs of the zip ``path`` (one directory read); problems go to ``found.errors``."""
    try:
        with _checked(path) as handle:
            handle.read(0)
    except InputError as exc:
        found.errors.append(str(exc))
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        found.errors.append(f"{path}: not a readable zip file ({exc}); unpack it or copy the Logs folder instead.")
        return
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        archive.close()
        found.errors.append(f"{path}: the zip lists {len(infos):,} entries, more than the {MAX_ZIP_ENTRIES:,} "
                            "a Logs folder has; unpack the logs you need and pass them.")
        return
    logs = sorted((i for i in infos if not i.is_dir() and _is_log_name(i.filename)), key=lambda i: i.filename)
    total = sum(i.file_size for i in logs)
    if total > MAX_ZIP_TOTAL:
        archive.close()
        found.errors.append(f"{path}: its logs would expand to {total:,} bytes, more than the limit of "
                            f"{MAX_ZIP_TOTAL:,}; unpack the logs you need and pass them.")
        return
    found.archives.append(archive)
    name = str(path)
    if not logs:
        found.errors.append(f"{name}: the zip holds no .log, .lo_ or .txt files.")
    for info in logs:
        if info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
            found.errors.append(f"{name}!{info.filename}: skipped, it would expand {info.file_size:,} bytes from "
                                f"{info.compress_size:,} (more than {MAX_ZIP_RATIO} times; a zip bomb?). Unpack it "
                                "yourself if you trust it.")
            continue
        found.sources.append(LogSource(f"{name}!{info.filename}", info.file_size, _zip_member_opener(archive, info)))


def _add_path(target: Path, found: Discovery, top: bool, depth: int = 0) -> None:
    try:
        info = target.stat()
    except FileNotFoundError:
        found.errors.append(f"{target}: no such file or folder.")
        return
    except OSError as exc:
        found.errors.append(f"{target}: can't be read ({exc.strerror or exc}).")
        return
    problem = _kind_problem(info.st_mode)
    if problem:
        if top:  # inside a folder, pipes and devices are simply not logs
            found.errors.append(f"{target}: {problem}; copy the log to a regular file and pass that.")
        return
    if stat.S_ISDIR(info.st_mode):
        before = (len(found.sources), len(found.errors))
        try:
            children = sorted(target.iterdir())
        except OSError as exc:
            found.errors.append(f"{target}: can't be read ({exc.strerror or exc}).")
            return
        for child in children:
            if child.is_dir():
                if not child.is_symlink() and depth < MAX_DEPTH:  # a linked folder may loop back
                    _add_path(child, found, top=False, depth=depth + 1)
            elif _is_log_name(child.name) or child.suffix.lower() == ".zip":
                _add_path(child, found, top=False, depth=depth + 1)
        if top and (len(found.sources), len(found.errors)) == before:
            found.errors.append(f"{target}: no .log, .lo_ or .txt files in this folder.")
        return
    if target.suffix.lower() == ".zip" or _looks_like_zip(target):
        _zip_sources(target, found)
        return
    if not os.access(target, os.R_OK):
        found.errors.append(f"{target}: permission denied; copy the file somewhere you can read it.")
        return
    found.sources.append(_file_source(target, info.st_size))


def _looks_like_zip(path: Path) -> bool:
    try:
        with _checked(path) as handle:
            return handle.read(4) == b"PK\x03\x04"
    except (InputError, OSError):
        return False


def discover_all(paths: list[str | os.PathLike[str]]) -> Discovery:
    """The logs under the input paths: files, folders' logs (recursive) and zips' logs.

    Nothing raises: what can't be used is one line in ``errors``, and the rest is still read.
    Call :meth:`Discovery.close` when done.
    """
    found = Discovery()
    for path in paths:
        _add_path(Path(path).expanduser(), found, top=True)
    return found


def discover(path: str | os.PathLike[str]) -> list[LogSource]:
    """The logs under one input path; :class:`InputError` when none can be read."""
    found = discover_all([path])
    if not found.sources:
        found.close()
        raise InputError(found.errors[0] if found.errors else f"{path}: no logs found.")
    return found.sources


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


def read_blocks(source: LogSource, on_bytes: Callable[[int], None] | None = None,
                stats: ReadStats | None = None) -> Iterator[str]:
    """The text of ``source`` as blocks of whole lines (each ends with ``\\n``, but maybe the last).

    ``on_bytes`` is called with the number of bytes consumed after each chunk. ``\\r\\n`` becomes
    ``\\n``. A line longer than :data:`MAX_LINE_CHARS` is cut there; the rest is skipped and
    counted in ``stats``. Work and memory are linear in the input and bounded per chunk.
    """
    stats = stats if stats is not None else ReadStats()
    with source.opener() as stream:
        head = stream.read(CHUNK)
        codec, bom = _sniff_encoding(head)
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        pending = ""  # the start of a line whose end has not been read yet
        skipping = False  # inside the rest of a cut line
        chunk = head[bom:]
        consumed = len(head)
        while True:
            final = not chunk
            text = decoder.decode(chunk, final=final)
            if text:
                if "\r" in text:
                    text = text.replace("\r\n", "\n")
                if skipping:
                    end = text.find("\n")
                    if end < 0:
                        stats.skipped_chars += len(text)
                        text = ""
                    else:
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
                        block = pending + text[: last + 1]
                    if block:
                        yield block
                    pending = text[last + 1:]
                if len(pending) > MAX_LINE_CHARS:
                    yield pending[:MAX_LINE_CHARS] + "\n"
                    stats.cut_lines += 1
                    stats.skipped_chars += len(pending) - MAX_LINE_CHARS
                    pending, skipping = "", True
            if on_bytes is not None:
                on_bytes(consumed)
            if final:
                break
            chunk = stream.read(CHUNK)
            consumed += len(chunk)
        if pending:
            yield pending.removesuffix("\r")


def read_lines(source: LogSource, on_bytes: Callable[[int], None] | None = None,
               stats: ReadStats | None = None) -> Iterator[str]:
    """The lines of ``source`` without line ends (see :func:`read_blocks`)."""
    for block in read_blocks(source, on_bytes, stats):
        lines = block.split("\n")
        if lines[-1] == "":
            lines.pop()
        yield from lines


def open_text(data: bytes, name: str = "<memory>") -> LogSource:
    """A source over bytes in memory (tests, pasted text)."""
    return LogSource(name, len(data), lambda: nullcontext(io.BytesIO(data)))


def excerpt(name: str, first: int, last: int) -> list[tuple[int, str]]:
    """Lines ``first``..``last`` (1-based, inclusive) of the input ``name``, with their numbers.

    ``name`` is a path or ``archive.zip!member`` as triage reported it. Streams up to ``last``
    only. Raises :class:`InputError` when the input can't be read.
    """
    archive, sep, member = name.partition("!")
    found = discover_all([archive if sep else name])
    try:
        wanted = [s for s in found.sources if s.name == name]
        if not wanted:
            raise InputError(f"{member} is no longer in {archive}." if sep and not found.errors
                             else (found.errors[0] if found.errors else f"{name}: no such file any more."))
        lines: list[tuple[int, str]] = []
        for number, line in enumerate(read_lines(wanted[0]), start=1):
            if number > last:
                break
            if number >= first:
                lines.append((number, line))
        return lines
    except MEMBER_ERRORS as exc:
        raise InputError(f"{name}: can't be read ({exc}).") from None
    finally:
        found.close()
