"""Reading files cmgtui did not write, checked before a byte is read.

Profiles, imports, password files and certificates all come in through :func:`read_checked`:

- only regular files: a FIFO, a device, a socket or a folder is refused. The file is opened
  with ``O_NONBLOCK`` (so a FIFO can never block the open) and the checks are made with
  ``fstat`` on the opened descriptor, so a file swapped after the check is still caught;
- with ``within`` (the folder the file belongs to, e.g. the profiles folder), a symbolic
  link is followed only when it stays inside that folder;
- the size is checked before reading and at most ``limit + 1`` bytes are ever read.

JSON from such files is decoded by :func:`loads_limited`, which also refuses nesting deeper
than :data:`MAX_JSON_DEPTH` (deep nesting otherwise ends in a RecursionError somewhere later).

Large inputs (a Logs folder of hundreds of MB) are streamed instead: :func:`read_chunks` yields a
file in chunks of :data:`CHUNK` bytes (memory never grows with the file), :func:`kind_of` and
:func:`list_folder` tell files from folders without opening anything, and :class:`ZipReader`
lists a zip's directory once under limits (entries, total expanded size, expansion ratio) and
streams its members the same way.
Every refusal is a :class:`ReadRefused` with a short reason in plain words and a slug
(``code``) that names it in file names. Only the standard library is used, so any layer may
import this module.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

MAX_JSON_DEPTH = 64
"""Deepest JSON nesting accepted; a profile needs fewer than ten levels."""

CHUNK = 1024 * 1024
"""Bytes :func:`read_chunks` reads at a time: large enough that a read costs little per byte."""

_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)
"""What reading a zip member can raise (zipfile, zlib and the stream)."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class ReadRefused(Exception):
    """A file that was not read (or not decoded); ``reason`` says why in a few plain words."""

    def __init__(self, reason: str, code: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.size = size


def _kind_problem(mode: int) -> tuple[str, str] | None:
    """(reason, code) when ``mode`` is not a regular file's, else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file", "folder"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), not a regular file", "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device, not a regular file", "device"
    if stat.S_ISSOCK(mode):
        return "it is a socket, not a regular file", "socket"
    return "it is not a regular file", "not-a-file"


def _os_problem(exc: OSError) -> ReadRefused:
    if isinstance(exc, FileNotFoundError):
        return ReadRefused("it does not exist", "missing")
    if isinstance(exc, PermissionError):
        return ReadRefused("permission denied", "denied")
    if isinstance(exc, IsADirectoryError):
        return ReadRefused("it is a folder, not a file", "folder")
    return ReadRefused(f"it could not be read ({exc.strerror or type(exc).__name__})", "unreadable")


def _target(path: Path, within: Path | None) -> Path:
    """The file to open: ``path`` itself, or its real path when it must stay inside ``within``."""
    if within is None:
        return path
    try:
        real = Path(os.path.realpath(path))
        folder = Path(os.path.realpath(within))
    except (OSError, ValueError) as exc:
        raise ReadRefused(f"its location could not be resolved ({exc})", "unreadable") from None
    if folder not in real.parents:
        raise ReadRefused(f"it is a symbolic link to {real}, outside {folder}", "symlink-outside")
    return real


def _bytes(size: int) -> str:
    return f"{size:,} bytes"


@contextmanager
def open_checked(path: str | os.PathLike[str], *, limit: int | None = None,
                 within: Path | None = None) -> Iterator[tuple[BinaryIO, os.stat_result]]:
    """Open ``path`` for reading after the checks above; yields the file and its ``fstat``.

    ``limit`` refuses a larger file from its size (None: no size limit, e.g. to copy a
    damaged file aside). Raises :class:`ReadRefused`.
    """
    target = _target(Path(path), within)
    try:
        before = os.stat(target)
    except (OSError, ValueError) as exc:
        raise (_os_problem(exc) if isinstance(exc, OSError) else ReadRefused("its name is unusable", "bad-name")) from None
    problem = _kind_problem(before.st_mode)
    if problem:  # refused without opening: opening a device can itself have effects
        raise ReadRefused(*problem)
    flags = _OPEN_FLAGS | (getattr(os, "O_NOFOLLOW", 0) if within is not None else 0)
    try:
        descriptor = os.open(target, flags)
    except OSError as exc:
        raise _os_problem(exc) from None
    try:
        info = os.fstat(descriptor)
        problem = _kind_problem(info.st_mode)
        if problem:
            raise ReadRefused(*problem)
        if limit is not None and info.st_size > limit:
            raise ReadRefused(f"it is {_bytes(info.st_size)}, more than the limit of {_bytes(limit)}", "too-large",
                              info.st_size)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        yield handle, info


def read_checked(path: str | os.PathLike[str], *, limit: int, within: Path | None = None) -> bytes:
    """The bytes of ``path`` (at most ``limit``), after the checks of :func:`open_checked`."""
    with open_checked(path, limit=limit, within=within) as (handle, _info):
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _os_problem(exc) from None
    if len(data) > limit:
        raise ReadRefused(f"it grew past the limit of {_bytes(limit)} while being read", "too-large")
    return data


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests deeper than ``limit`` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def loads_limited(data: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """Decode JSON ``data``; ReadRefused for bad text, bad JSON or nesting past ``max_depth``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadRefused("it is not valid JSON (not UTF-8 text)", "not-utf8") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise ReadRefused(f"its JSON is nested deeper than {max_depth} levels", "too-deep") from None
    except json.JSONDecodeError as exc:
        raise ReadRefused(f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                          "not-json") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise ReadRefused(f"it is not usable JSON ({exc})", "not-json") from None
    if _depth_exceeds(value, max_depth):
        raise ReadRefused(f"its JSON is nested deeper than {max_depth} levels", "too-deep")
    return value


def read_chunks(path: str | os.PathLike[str], *, chunk: int = CHUNK) -> Iterator[bytes]:
    """The bytes of the regular file ``path`` in chunks of at most ``chunk`` bytes.

    The checks of :func:`open_checked` run at the first ``next`` (a FIFO or ``/dev/zero`` is
    refused then, before a byte is read); a read error later is a :class:`ReadRefused` too.
    """
    with open_checked(path) as (handle, _info):
        while True:
            try:
                data = handle.read(chunk)
            except OSError as exc:
                raise _os_problem(exc) from None
            if not data:
                return
            yield data


def read_head(path: str | os.PathLike[str], size: int) -> bytes:
    """The first ``size`` bytes of the regular file ``path`` (fewer when it is shorter)."""
    with open_checked(path) as (handle, _info):
        try:
            return handle.read(size)
        except OSError as exc:
            raise _os_problem(exc) from None


@dataclass(frozen=True, slots=True)
class Kind:
    """What a path is, without opening it: a folder, a regular file (with its size and whether
    this user may read it), or neither (``problem`` says what it is instead)."""

    folder: bool = False
    size: int = 0
    readable: bool = True
    link: bool = False
    problem: ReadRefused | None = None


def kind_of(path: str | os.PathLike[str]) -> Kind:
    """What ``path`` is (a symbolic link is followed; ``link`` says it was one). Raises
    :class:`ReadRefused` when it does not exist or can't be looked at."""
    try:
        info = os.stat(path)
        link = os.path.islink(path)
    except (OSError, ValueError) as exc:
        raise (_os_problem(exc) if isinstance(exc, OSError) else ReadRefused("its name is unusable", "bad-name")) from None
    if stat.S_ISDIR(info.st_mode):
        return Kind(folder=True, link=link)
    problem = _kind_problem(info.st_mode)
    if problem:
        return Kind(link=link, problem=ReadRefused(*problem))
    return Kind(size=info.st_size, readable=os.access(path, os.R_OK), link=link)


def list_folder(folder: str | os.PathLike[str]) -> list[Path]:
    """The entries of ``folder``, sorted by name; :class:`ReadRefused` when it can't be listed."""
    try:
        return sorted(Path(folder).iterdir())
    except OSError as exc:
        raise _os_problem(exc) from None


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """What a zip may hold before it is refused (``entries``, ``total`` expanded bytes of the members
    asked for) or a member skipped (expanding more than ``ratio`` times its compressed size, when
    larger than ``ratio_from`` bytes)."""

    entries: int
    total: int
    ratio: int
    ratio_from: int = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipMember:
    """One member of a zip: its name inside the archive and its expanded and compressed sizes."""

    name: str
    size: int
    compressed: int


@dataclass(slots=True)
class ZipReader:
    """A zip opened once: its wanted members (sorted by name), those skipped as too expanding, and
    :meth:`chunks` to stream one. Close it when done (it is a context manager too)."""

    path: Path
    members: list[ZipMember] = field(default_factory=list)
    skipped: list[ZipMember] = field(default_factory=list)
    _archive: zipfile.ZipFile | None = None
    _infos: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @classmethod
    def open(cls, path: str | os.PathLike[str], wanted: Callable[[str], bool], limits: ZipLimits) -> ZipReader:
        """Read the directory of the zip ``path`` once and keep the members whose name ``wanted``
        accepts. :class:`ReadRefused` when it is not a regular file, not a readable zip, or past ``limits``."""
        with open_checked(path):
            pass  # the kind checks, before zipfile opens it
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ReadRefused(f"it is not a readable zip file ({exc})", "not-zip") from None
        reader = cls(Path(path), _archive=archive)
        try:
            infos = archive.infolist()
            if len(infos) > limits.entries:
                raise ReadRefused(f"the zip lists {len(infos):,} entries, more than the {limits.entries:,} allowed",
                                  "zip-entries", len(infos))
            chosen = sorted((i for i in infos if not i.is_dir() and wanted(i.filename)), key=lambda i: i.filename)
            total = sum(i.file_size for i in chosen)
            if total > limits.total:
                raise ReadRefused(f"its members would expand to {_bytes(total)}, more than the limit of "
                                  f"{_bytes(limits.total)}", "zip-total", total)
        except BaseException:
            archive.close()
            raise
        for info in chosen:
            member = ZipMember(info.filename, info.file_size, info.compress_size)
            if info.file_size > limits.ratio * max(info.compress_size, 1) and info.file_size > limits.ratio_from:
                reader.skipped.append(member)
            else:
                reader.members.append(member)
                reader._infos[info.filename] = info
        return reader

    def chunks(self, name: str, *, chunk: int = CHUNK) -> Iterator[bytes]:
        """The expanded bytes of the member ``name`` in chunks; a damaged member (bad CRC, corrupt
        data, bad header) is a :class:`ReadRefused` naming the damage."""
        if self._archive is None:
            raise ReadRefused("the zip was closed", "closed")
        try:
            with self._archive.open(self._infos[name]) as stream:
                while data := stream.read(chunk):
                    yield data
        except _MEMBER_ERRORS as exc:
            raise ReadRefused(f"damaged in the zip ({exc})", "zip-damaged") from None

    def close(self) -> None:
        """Close the archive (members can't be read after)."""
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def __enter__(self) -> ZipReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
