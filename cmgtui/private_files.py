"""Writing files that only their owner can read: 0600 files in 0700 folders, written atomically.

Exports, reports, scripts and hand-off packages hold tenant, app and subscription IDs, so
cmgtui never leaves them to the umask: every file it writes is born 0600 (a temporary file
in the same folder, flushed, fsynced and moved over the target with ``os.replace``, so a
crash leaves the old or the new file whole and an existing 0644 file does not keep its
mode), and every folder it creates is 0700. A user who wants another mode names it
(``mode=``). Only the standard library is used, so any layer may import this module.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


class OutputRefused(OSError):
    """A target that cmgtui will not write to; the message says why and what to do."""


def ensure_private_dir(folder: Path) -> Path:
    """Create ``folder`` (and missing parents) 0700; an existing folder is made 0700 too.

    For cmgtui's own folders (profiles, quarantine); see :func:`make_dirs` for folders a
    user names, whose existing parents are left as they are.
    """
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    os.chmod(folder, PRIVATE_FOLDER)
    return folder


def make_dirs(folder: Path) -> Path:
    """Create ``folder`` and any missing parents 0700, leaving existing folders alone."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            continue
        os.chmod(path, PRIVATE_FOLDER)  # the umask may have narrowed mkdir's mode, never widened it
    return folder


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> None:
    """Replace ``path`` with ``data`` (mode ``mode``) so that a crash leaves the old or the new file whole.

    The temporary file is ``.NAME.*.tmp`` in the same folder; the profile store removes
    ones a killed process left behind.
    """
    write_atomic_from(path, [data], mode)


def write_atomic_from(path: Path, chunks: Iterable[bytes], mode: int = PRIVATE_FILE, *,
                      durable: bool = True) -> None:
    """:func:`write_atomic` for content that comes in ``chunks`` (a large copy never sits in memory whole).

    ``durable=False`` skips the fsyncs, for a note whose loss in a power cut costs nothing
    (who holds a lock): it is still whole or absent, never half written, and still 0600.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows: only the read-only bit exists
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_dir(path.parent)


def write_new_private(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) readable by the owner only, write all of ``data`` and
    make it durable (file and folder fsynced) before returning.

    For one-time values (a client secret) that exist nowhere else: a short ``os.write`` (a
    nearly full disk, a file size limit) is continued until every byte is written, and any
    failure removes the partial file and raises, so a file that exists holds the whole value.
    Raises FileExistsError for an existing path, OSError when the file cannot be written.
    """
    # O_BINARY: on Windows a descriptor opened without it turns each \n written into \r\n
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            if written <= 0:
                raise OSError(28, os.strerror(28), str(path))  # ENOSPC: nothing more would fit
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)
    fsync_dir(path.parent)


def write_secret_file(path: Path, secret: str) -> None:
    """Write a one-time ``secret`` (and a newline) to the new 0600 file ``path``, durably."""
    write_new_private(path, (secret + "\n").encode("utf-8"))


def write_user_file(target: str | os.PathLike[str], data: bytes, mode: int | None = None) -> Path:
    """Write ``data`` to the file a user named (replacing it), 0600 unless ``mode`` is given.

    A symbolic link is followed to the file it names; a folder, device or FIFO is refused
    (writing to a FIFO could block, and a device is no place for a report).
    Raises OutputRefused or OSError.
    """
    path = Path(target).expanduser()
    real = Path(os.path.realpath(path))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputRefused(f"{path} is {kind}; name a file, or leave out -o to write to standard output")
    if not real.parent.is_dir():
        raise OutputRefused(f"the folder {real.parent} does not exist; create it first or name another file")
    write_atomic(real, data, PRIVATE_FILE if mode is None else mode)
    return path


def parse_mode(text: str) -> int:
    """An octal file mode such as ``644`` or ``0o640``; ValueError with a plain message."""
    try:
        mode = int(text.removeprefix("0o"), 8)
    except ValueError:
        raise ValueError(f"'{text}' is not an octal file mode such as 600 or 644") from None
    if not 0 <= mode <= 0o777:
        raise ValueError(f"'{text}' is not a file mode between 000 and 777")
    if not mode & stat.S_IRUSR:
        raise ValueError(f"mode {text} would leave the file unreadable by you; use e.g. 600 or 644")
    return mode


def open_private_append(target: str | os.PathLike[str]) -> int:
    """Open the file a user named for appending, creating it 0600; returns the descriptor.

    For logs that grow line by line (the debug log). A folder, device or FIFO is refused as in
    :func:`write_user_file`, and an existing file keeps its own mode. Raises OutputRefused or OSError.
    """
    path = Path(target).expanduser()
    real = Path(os.path.realpath(path))
    if real.exists() and not real.is_file():
        raise OutputRefused(f"{path} is not a regular file; name a file for the log")
    if not real.parent.is_dir():
        raise OutputRefused(f"the folder {real.parent} does not exist; create it first or name another file")
    return os.open(real, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0), PRIVATE_FILE)
