"""The health history of a profile: one JSONL line per check, so "down since 09:12" can be told.

``NAME.health.jsonl`` sits next to the profile's activity log. Lines are appended to a regular
file only (a FIFO or device planted in its place is refused, never waited on), 0600 in the 0700
profiles folder; past :data:`MAX_BYTES` the newest :data:`KEEP` lines are rewritten atomically.
Reading goes through :mod:`cmgtui.safe_read` and validates every line: a damaged or foreign line
is skipped, never trusted.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime
from pathlib import Path

from cmgtui import paths
from cmgtui.domain.health import LEVELS, HealthReport, HistoryEntry
from cmgtui.private_files import PRIVATE_FILE, ensure_private_dir, write_atomic
from cmgtui.safe_read import ReadRefused, open_checked

MAX_BYTES = 512 * 1024
KEEP = 1000
STATES = frozenset({"healthy", "degraded", "down", "unknown"})
_APPEND_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


def history_file(profile_name: str) -> Path:
    """``NAME.health.jsonl`` beside ``NAME.activity.jsonl``."""
    log = paths.activity_log(profile_name)
    return log.with_name(log.name.removesuffix(".activity.jsonl") + ".health.jsonl")


def _summary(report: HealthReport) -> str:
    worst = max(report.findings, key=lambda f: (f.down, LEVELS.index(f.level)), default=None)
    return worst.message[:300] if worst is not None and worst.level != "ok" else ""


def record(profile_name: str, report: HealthReport) -> None:
    """Append the report's state and its worst finding (raises OSError when the file can't be written)."""
    path = history_file(profile_name)
    ensure_private_dir(path.parent)
    line = json.dumps({"at": report.checked_at.isoformat(), "state": report.state, "summary": _summary(report)})
    fd = os.open(path, _APPEND_FLAGS, PRIVATE_FILE)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file; remove it so the health history can be written")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        os.write(fd, (line + "\n").encode("utf-8"))
        grown = info.st_size > MAX_BYTES
    finally:
        os.close(fd)
    if grown:
        kept = [json.dumps({"at": e.at.isoformat(), "state": e.state, "summary": e.summary})
                for e in read(profile_name)[-KEEP:]]
        write_atomic(path, ("\n".join(kept) + "\n").encode("utf-8"))


def _entry(line: str) -> HistoryEntry | None:
    try:
        raw = json.loads(line)
        at = datetime.fromisoformat(raw["at"])
        state, summary = raw["state"], raw.get("summary", "")
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if state not in STATES or not isinstance(summary, str) or at.tzinfo is None:
        return None
    return HistoryEntry(at, state, summary[:300])


def read(profile_name: str) -> list[HistoryEntry]:
    """The recorded checks, oldest first (an unreadable file reads as no history)."""
    path = history_file(profile_name)
    if not path.exists():
        return []
    try:
        with open_checked(path, within=path.parent) as (handle, info):
            if info.st_size > MAX_BYTES * 2:
                handle.seek(info.st_size - MAX_BYTES * 2)
                handle.readline()
            text = handle.read(MAX_BYTES * 2).decode("utf-8", "replace")
    except (ReadRefused, OSError):
        return []
    return [entry for entry in map(_entry, text.splitlines()) if entry is not None]
