"""A file lock that says who holds it: one writer at a time, and a refusal that names the holder.

Every writer of a file cmgtui keeps (a profile, the sandbox tenant's state) takes that file's
lock for as long as it writes. The lock is an OS lock (``filelock``), so a killed process
releases it. Next to the lock the holder leaves a small 0600 note of who it is (process ID,
host, command, since when), so that a writer that waited in vain can say who holds the file
instead of only that someone does. The lock file itself cannot carry the note: every process
that tries the lock opens it for truncation.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from cmgtui.private_files import PRIVATE_FILE, ensure_private_dir, write_atomic_from
from cmgtui.safe_read import ReadRefused, loads_limited, read_checked

_MAX_NOTE_BYTES = 4096


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its holder described itself."""

    pid: int
    host: str
    command: str
    since: str

    def describe(self) -> str:
        """``process 1234 on jump01 (cmgtui --sandbox), since 2026-12-07 08:15:02 UTC``."""
        return f"process {self.pid} on {self.host} ({self.command}), since {self.since}"


class LockBusy(Exception):
    """Another process (or another writer in this one) holds the lock; ``holder`` says who, when known."""

    def __init__(self, holder: Holder | None) -> None:
        super().__init__(holder.describe() if holder else "another process (it left no note of who it is)")
        self.holder = holder


def _this_process() -> Holder:
    command = " ".join([Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python", *sys.argv[1:]])
    printable = "".join(ch if ch.isprintable() else "?" for ch in command)
    return Holder(os.getpid(), socket.gethostname(), printable[:160],
                  datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))


def read_holder(note: Path) -> Holder | None:
    """The holder described in ``note`` (None when there is no usable note)."""
    try:
        raw = loads_limited(read_checked(note, limit=_MAX_NOTE_BYTES, within=note.parent))
        holder = Holder(int(raw["pid"]), str(raw["host"])[:100], str(raw["command"])[:160], str(raw["since"])[:40])
    except (ReadRefused, OSError, KeyError, TypeError, ValueError):
        return None
    return Holder(holder.pid, *("".join(ch if ch.isprintable() else "?" for ch in part)
                                for part in (holder.host, holder.command, holder.since)))


class HolderLock:
    """The lock at ``path`` plus its holder's note (``path`` + ``.holder``).

    Not re-entrant by design: :meth:`acquire` while this object holds the lock does nothing,
    and one :meth:`release` lets it go. It may be released from another thread than the one
    that took it (the TUI takes it on the UI thread and its saving thread may finish with it).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.note = path.with_name(path.name + ".holder")
        from filelock import FileLock  # loaded with the first lock, not at import: the picker takes none

        self._lock = FileLock(path, timeout=0, mode=PRIVATE_FILE, thread_local=False)

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._lock.is_locked

    def acquire(self, wait: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait`` seconds; LockBusy (naming the holder) if it stays taken."""
        if self.held:
            return
        from filelock import Timeout

        ensure_private_dir(self.path.parent)
        try:
            self._lock.acquire(timeout=wait)
        except Timeout:
            raise LockBusy(read_holder(self.note)) from None
        holder = _this_process()
        try:
            write_atomic_from(self.note, [json.dumps(holder.__dict__).encode()], durable=False)
        except OSError:
            pass  # the lock holds all the same; only the description of who holds it is missing

    def release(self) -> None:
        """Let the lock go (nothing when this object does not hold it)."""
        if not self.held:
            return
        try:
            self.note.unlink(missing_ok=True)
        except OSError:
            pass
        self._lock.release(force=True)

    def __enter__(self) -> HolderLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
