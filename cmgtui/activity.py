"""The per-profile activity log: an append-only JSONL record of what the app did.

Entries are short, human-readable lines with a time and a kind. Callers must never pass
secrets; :func:`redact` is applied as a second line of defence for anything that looks
like a bearer token or a client secret.

The log is the profile file's companion (``NAME.activity.jsonl`` for ``NAME.json``), so it
follows the file's name, never a name written inside a file. It is appended to only when it
is a regular file (a FIFO or device planted in its place is refused, never waited on) and read
through :mod:`cmgtui.safe_read`, from at most its last :data:`MAX_TAIL_BYTES`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from cmgtui import paths
from cmgtui.private_files import PRIVATE_FILE, ensure_private_dir
from cmgtui.safe_read import ReadRefused, open_checked

MAX_TAIL_BYTES = 4 * 1024 * 1024
_APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)

_SECRETISH = re.compile(r"(?i)(bearer\s+[A-Za-z0-9._~+/=-]{8,}|eyJ[A-Za-z0-9._-]{20,}|secret\w*\s*[=:]\s*\S+)")


def redact(text: str) -> str:
    """Replace anything that looks like a token or a secret assignment with ``[redacted]``."""
    return _SECRETISH.sub("[redacted]", text)


@dataclass(frozen=True)
class ActivityEntry:
    """One line of the activity log."""

    at: datetime
    kind: str
    message: str


def append(profile_name: str, kind: str, message: str) -> ActivityEntry:
    """Append one entry to the profile's activity log and return it."""
    entry = ActivityEntry(datetime.now(UTC), kind, redact(message))
    path = paths.activity_log(profile_name)
    ensure_private_dir(path.parent)
    line = json.dumps({"at": entry.at.isoformat(), "kind": kind, "message": entry.message})
    fd = os.open(path, _APPEND_FLAGS, PRIVATE_FILE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file; remove it so the activity log can be written")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return entry


def read_tail(profile_name: str, limit: int = 500) -> list[ActivityEntry]:
    """The last ``limit`` readable entries; damaged lines are skipped, not fatal."""
    path = paths.activity_log(profile_name)
    if not path.exists():
        return []
    entries: deque[ActivityEntry] = deque(maxlen=limit)
    try:
        with open_checked(path, within=path.parent) as (handle, info):
            if info.st_size > MAX_TAIL_BYTES:
                handle.seek(info.st_size - MAX_TAIL_BYTES)
                handle.readline()  # the first line is cut: start at the next one
            lines = handle.read(MAX_TAIL_BYTES).decode("utf-8", "replace").splitlines()
    except (ReadRefused, OSError):
        return []
    for line in lines:
        try:
            raw = json.loads(line)
            entries.append(ActivityEntry(datetime.fromisoformat(raw["at"]), str(raw["kind"]), str(raw["message"])))
        except (ValueError, KeyError, TypeError, RecursionError):
            continue
    return list(entries)
