"""Build real-shaped ConfigMgr log text in tests (CMTrace and server ``$$<…>`` format)."""

from __future__ import annotations


def cm_line(message: str, *, time: str = "12:34:56.789+480", date: str = "10-28-2020",
            component: str = "LocationServices", entry_type: int = 1, thread: int = 4200,
            file: str = "lsad.cpp:1045") -> str:
    """One CMTrace entry (the message may contain newlines: a multi-line entry)."""
    return (f'<![LOG[{message}]LOG]!><time="{time}" date="{date}" component="{component}" context="" '
            f'type="{entry_type}" thread="{thread}" file="{file}">')


def sms_line(message: str, *, component: str = "SMS_CLOUD_SERVICES_MANAGER",
             stamp: str = "10-28-2020 12:00:00.000+480", thread: str = "5032 (0x13A8)") -> str:
    """One server-component entry."""
    return f"{message}~  $$<{component}><{stamp}><thread={thread}>"


def log_text(*entries: str) -> str:
    """Entries joined as Windows writes them (CRLF, final newline)."""
    return "\r\n".join(entries) + "\r\n"
