"""One log entry as triage sees it, and the CMTrace time stamp with its time-zone bias.

CMTrace-format logs stamp an entry with the local time and the Windows time-zone *bias*:
``time="12:34:56.789+480"`` is 12:34:56.789 local time with a bias of 480 minutes. Windows
defines the bias as "the difference, in minutes, between UTC and local time", with
``UTC = local time + bias`` (TIME_ZONE_INFORMATION.Bias; learn.microsoft.com,
TimeZoneInformation.Bias). So 12:34 with +480 (Pacific standard time) is 20:34 UTC, and
``-060`` (Central Europe) is one hour *earlier* in UTC. Entries from logs written in different
time zones are ordered by this UTC time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum


class LogFormat(StrEnum):
    """How a file's entries are written."""

    CMTRACE = "cmtrace"  # <![LOG[message]LOG]!><time="…" date="…" component="…" …>
    SMS = "sms"  # message  $$<component><MM-DD-YYYY HH:MM:SS.mmm+bias><thread=…>
    TEXT = "text"  # anything else: one entry per line


#: CMTrace ``type`` attribute: 1 information, 2 warning, 3 error.
ENTRY_TYPES = {1: "info", 2: "warning", 3: "error"}

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?\s*([+-])\s*(\d{1,4})\s*$")
_DATE = re.compile(r"^\s*(\d{1,2})-(\d{1,2})-(\d{4})\s*$")


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One entry: where it starts (1-based line), what it says and when.

    ``local_time`` is the stamp as written (``MM-DD-YYYY HH:MM:SS.mmm+bias``); :attr:`time`
    turns it into UTC only when asked, since most entries of a large log are never shown.
    """

    file: str
    line: int
    message: str
    component: str = ""
    local_time: str = ""
    thread: str = ""
    entry_type: int = 0
    truncated: bool = False
    line_count: int = 1

    @property
    def time(self) -> datetime | None:
        """UTC time of the entry (bias applied), or None when it has no valid stamp."""
        return sms_time(self.local_time) if self.local_time else None


def cmtrace_time(date: str, clock: str) -> datetime | None:
    """UTC time of a CMTrace ``date="MM-DD-YYYY"`` and ``time="HH:MM:SS.mmm+bias"``.

    The bias is added (UTC = local + bias). Returns None when either part is not a valid
    time, so a damaged stamp never stops triage.
    """
    day = _DATE.match(date or "")
    tick = _CLOCK.match(clock or "")
    if day is None or tick is None:
        return None
    month, mday, year = (int(g) for g in day.groups())
    hour, minute, second = (int(tick.group(i)) for i in (1, 2, 3))
    fraction = (tick.group(4) or "0")[:6].ljust(6, "0")
    bias = int(tick.group(6)) * (1 if tick.group(5) == "+" else -1)
    try:
        local = datetime(year, month, mday, hour, minute, second, int(fraction))
        return (local + timedelta(minutes=bias)).replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def sms_time(stamp: str) -> datetime | None:
    """UTC time of a server-log stamp ``MM-DD-YYYY HH:MM:SS.mmm+bias`` (same bias rule)."""
    date, _, clock = (stamp or "").strip().partition(" ")
    return cmtrace_time(date, clock)
