"""The per-profile activity log: an append-only JSONL record of what the app did.

Entries are short, human-readable lines with a time and a kind. Callers must never pass
secrets; :func:`redact` is applied as a second line of defence for anything that looks
like a bearer token or a client secret.
"""

from __future__ import annotations

import json
import os
import re
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

from cmgtui import paths

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
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"at": entry.at.isoformat(), "kind": kind, "message": entry.message})
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return entry


def read_tail(profile_name: str, limit: int = 500) -> list[ActivityEntry]:
    """The last ``limit`` readable entries; damaged lines are skipped, not fatal."""
    path = paths.activity_log(profile_name)
    if not path.exists():
        return []
    entries: deque[ActivityEntry] = deque(maxlen=limit)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            try:
                raw = json.loads(line)
                entries.append(
                    ActivityEntry(datetime.fromisoformat(raw["at"]), str(raw["kind"]), str(raw["message"]))
                )
            except (ValueError, KeyError, TypeError):
                continue
    return list(entries)
