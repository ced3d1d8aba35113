"""Triage the logs a user names (files, Logs folders, zips): the Logs pane and ``cmgtui logs triage``.

:func:`triage` finds the logs under the paths, streams each one through :mod:`cmgtui.safe_read`
(only regular files: a FIFO, a device such as ``/dev/zero`` or a socket is refused before a byte
is read, and an open never blocks; bounded chunks, so memory does not grow with a file) into
the domain's :func:`~cmgtui.domain.logs.triage_sources`, and returns its typed
:class:`~cmgtui.domain.logs.TriageResult`. It reports progress in bytes and stops between two
chunks when asked. :func:`excerpt` reads the raw lines around a finding the same way.

A zip is read with one pass over its directory (it stays open while its members are read); it
is refused when its directory holds more than :data:`MAX_ZIP_ENTRIES` entries or its logs would
expand to more than :data:`MAX_ZIP_TOTAL` bytes; a member that would expand more than
:data:`MAX_ZIP_RATIO` times its compressed size is skipped. A damaged member is reported on its
own and the other members and files are still read. Nothing here raises for a bad input: what
can't be used is one line in the result's ``errors``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cmgtui.domain.logs import InputError, LogSource, ProfileFacts, TriageResult, read_lines, triage_sources
from cmgtui.domain.logs.decoding import MAX_LINE_CHARS, Progress, lines_between
from cmgtui.safe_read import Kind, ReadRefused, ZipLimits, ZipReader, kind_of, list_folder, read_chunks, read_head

#: File names triage reads inside a folder or zip (ConfigMgr logs and their rotated copies).
LOG_SUFFIXES = (".log", ".lo_", ".txt")
#: A zip whose directory lists more entries than this is refused (it is not a copied Logs folder).
MAX_ZIP_ENTRIES = 20_000
#: The logs of one zip may expand to at most this many bytes in all.
MAX_ZIP_TOTAL = 8 * 1024 * 1024 * 1024
#: A member expanding more than this many times its compressed size is skipped (a zip bomb;
#: real logs compress 10-30 times).
MAX_ZIP_RATIO = 200
#: Folders deeper than this below an input are not searched.
MAX_DEPTH = 32
#: Bytes read at a time: large enough that per-block work is small beside the text, small enough
#: that a block's copies (lower case, lines) keep a run within a few MiB.
CHUNK = 256 * 1024

_ZIP_LIMITS = ZipLimits(MAX_ZIP_ENTRIES, MAX_ZIP_TOTAL, MAX_ZIP_RATIO)
_COPY = "copy the log to a regular file and pass that."


class TriageCancelled(Exception):
    """The run was stopped (``should_stop`` answered true); nothing of it is reported."""


@dataclass(slots=True)
class Discovery:
    """The logs found under the inputs, the problems with the ones that could not be used, and
    the zips to close once reading is over."""

    sources: list[LogSource] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    archives: list[ZipReader] = field(default_factory=list)

    def close(self) -> None:
        """Close every zip that was opened."""
        for archive in self.archives:
            archive.close()
        self.archives.clear()


def _is_log_name(name: str) -> bool:
    return name.lower().endswith(LOG_SUFFIXES)


def _file_chunks(path: Path) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        try:
            yield from read_chunks(path, chunk=CHUNK)
        except ReadRefused as exc:
            raise InputError(f"{path}: {exc.reason}; {_COPY}") from None
    return chunks


def _member_chunks(archive: ZipReader, shown: str, member: str) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        try:
            yield from archive.chunks(member, chunk=CHUNK)
        except ReadRefused as exc:
            raise InputError(f"{shown}: {exc.reason}; the other logs were read.") from None
    return chunks


def _zip_sources(path: Path, found: Discovery) -> None:
    """Add the logs of the zip ``path`` (one directory read); problems go to ``found.errors``."""
    try:
        archive = ZipReader.open(path, _is_log_name, _ZIP_LIMITS)
    except ReadRefused as exc:
        if exc.code == "zip-entries":
            found.errors.append(f"{path}: the zip lists {exc.size:,} entries, more than the {MAX_ZIP_ENTRIES:,} "
                                "a Logs folder has; unpack the logs you need and pass them.")
        elif exc.code == "zip-total":
            found.errors.append(f"{path}: its logs would expand to {exc.size:,} bytes, more than the limit of "
                                f"{MAX_ZIP_TOTAL:,}; unpack the logs you need and pass them.")
        elif exc.code == "not-zip":
            found.errors.append(f"{path}: {exc.reason.replace('it is ', '', 1)}; unpack it or copy the Logs "
                                "folder instead.")
        else:
            found.errors.append(f"{path}: {exc.reason}; {_COPY}")
        return
    found.archives.append(archive)
    if not archive.members and not archive.skipped:
        found.errors.append(f"{path}: the zip holds no .log, .lo_ or .txt files.")
    for member in archive.skipped:
        found.errors.append(f"{path}!{member.name}: skipped, it would expand {member.size:,} bytes from "
                            f"{member.compressed:,} (more than {MAX_ZIP_RATIO} times; a zip bomb?). Unpack it "
                            "yourself if you trust it.")
    for member in archive.members:
        shown = f"{path}!{member.name}"
        found.sources.append(LogSource(shown, member.size, _member_chunks(archive, shown, member.name)))


def _looks_like_zip(path: Path) -> bool:
    try:
        return read_head(path, 4) == b"PK\x03\x04"
    except ReadRefused:
        return False


def _add_folder(folder: Path, found: Discovery, top: bool, depth: int) -> None:
    before = (len(found.sources), len(found.errors))
    try:
        children = list_folder(folder)
    except ReadRefused as exc:
        found.errors.append(f"{folder}: can't be read ({exc.reason}).")
        return
    for child in children:
        try:
            kind: Kind | None = kind_of(child)
        except ReadRefused:  # a dangling link or an entry gone since the listing: said below if it is a log's
            kind = None
        if kind is not None and kind.folder:
            if not kind.link and depth < MAX_DEPTH:  # a linked folder may loop back
                _add_path(child, found, top=False, depth=depth + 1)
        elif _is_log_name(child.name) or child.suffix.lower() == ".zip":
            _add_path(child, found, top=False, depth=depth + 1)
    if top and (len(found.sources), len(found.errors)) == before:
        found.errors.append(f"{folder}: no .log, .lo_ or .txt files in this folder.")


def _add_path(target: Path, found: Discovery, top: bool, depth: int = 0) -> None:
    try:
        kind = kind_of(target)
    except ReadRefused as exc:
        found.errors.append(f"{target}: no such file or folder." if exc.code == "missing"
                            else f"{target}: can't be read ({exc.reason}).")
        return
    if kind.problem is not None:
        if top:  # inside a folder, pipes and devices are simply not logs
            found.errors.append(f"{target}: {kind.problem.reason}; {_COPY}")
        return
    if kind.folder:
        _add_folder(target, found, top, depth)
    elif target.suffix.lower() == ".zip" or _looks_like_zip(target):
        _zip_sources(target, found)
    elif not kind.readable:
        found.errors.append(f"{target}: permission denied; copy the file somewhere you can read it.")
    else:
        found.sources.append(LogSource(str(target), kind.size, _file_chunks(target)))


def discover(paths: Iterable[str | os.PathLike[str]]) -> Discovery:
    """The logs under the input paths: files, folders' logs (recursive) and zips' logs.

    Nothing raises: what can't be used is one line in ``errors``, and the rest is still read.
    Call :meth:`Discovery.close` when done.
    """
    found = Discovery()
    for path in paths:
        _add_path(Path(path).expanduser(), found, top=True)
    return found


def _metered(source: LogSource, base: int, total: int, progress: Progress | None,
             should_stop: Callable[[], bool] | None) -> LogSource:
    """``source`` whose chunks report ``progress`` (bytes of all inputs) after each one is used and
    raise :class:`TriageCancelled` before the next when ``should_stop`` answers true."""
    def chunks() -> Iterator[bytes]:
        done = base
        for chunk in source.chunks():
            if should_stop is not None and should_stop():
                raise TriageCancelled
            yield chunk
            done += len(chunk)
            if progress is not None:
                progress(min(done, total), total)
    return LogSource(source.name, source.size, chunks)


def triage(paths: Sequence[str | os.PathLike[str]], facts: ProfileFacts | None = None,
           progress: Progress | None = None, should_stop: Callable[[], bool] | None = None) -> TriageResult:
    """Triage every log under ``paths``; ``progress(done_bytes, total_bytes)`` follows the reading.

    ``should_stop`` is asked before each chunk; when it answers true, :class:`TriageCancelled` is raised.
    """
    found = discover(paths)
    try:
        total = sum(s.size for s in found.sources) or 1
        metered, done = [], 0
        for source in found.sources:
            metered.append(_metered(source, done, total, progress, should_stop))
            done += source.size
        result = triage_sources(metered, facts, found.errors)
    finally:
        found.close()
    if progress is not None:
        progress(total, total)
    return result


def cut_lines_notes(result: TriageResult) -> list[str]:
    """One sentence per input whose over-long lines were cut (what was not read)."""
    return [f"{item.path}: {item.cut_lines:,} line(s) longer than {MAX_LINE_CHARS:,} characters were cut there "
            f"({item.skipped_chars:,} characters not read)." for item in result.inputs if item.cut_lines]


def excerpt(name: str, first: int, last: int) -> list[tuple[int, str]]:
    """Lines ``first``..``last`` (1-based, inclusive) of the input ``name``, with their numbers.

    ``name`` is a path or ``archive.zip!member`` as triage reported it. Streams up to ``last``
    only. Raises :class:`InputError` when the input can't be read.
    """
    archive, sep, member = name.partition("!")
    found = discover([archive if sep else name])
    try:
        wanted = [s for s in found.sources if s.name == name]
        if not wanted:
            raise InputError(f"{member} is no longer in {archive}." if sep and not found.errors
                             else (found.errors[0] if found.errors else f"{name}: no such file any more."))
        return lines_between(read_lines(wanted[0]), first, last)
    finally:
        found.close()
