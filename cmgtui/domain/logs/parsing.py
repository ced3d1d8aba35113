"""Turn a stream of lines into log entries: CMTrace, the server ``$$<…>`` format, or plain text.

* CMTrace: ``<![LOG[message]LOG]!><time="…" date="…" component="…" context="…" type="…"
  thread="…" file="…">``; the message may span lines, so an entry runs from the line with
  ``<![LOG[`` to the line that closes it with ``]LOG]!><…>``.
* Server component logs (CloudMgr.log, SMS_Cloud_ProxyConnector.log on a site system, the synced
  CMG logs): ``message  $$<component><MM-DD-YYYY HH:MM:SS.mmm+bias><thread=N (0xN)>``; lines
  without the trailer belong to the next trailer-terminated entry. ``~~`` inside a message is a
  line break written by the component (shown as one). These entries have no ``type``: the
  text says the severity, an entry that begins ``ERROR`` (or ``~**ERROR``) is an error (type 3),
  one that begins ``WARNING`` a warning (type 2). The component is the one in the trailer.
* Anything else: each non-empty line is an entry.

An entry that never closes (a truncated last line, a cut copy) is still returned, marked
``truncated``; an entry longer than :data:`MAX_ENTRY_LINES` lines is cut there, so damaged
input cannot hold the whole file in memory. Nothing here raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from cmgtui.domain.logs.entries import LogEntry, LogFormat

MAX_ENTRY_LINES = 2000
MAX_ENTRY_CHARS = 256 * 1024

_CM_OPEN = "<![LOG["
_CM_CLOSE = re.compile(r"\]LOG\]!><(?P<attrs>[^<>]*)>\s*$")
_SMS_TRAILER = re.compile(r"\$\$<(?P<component>[^<>]*)><(?P<stamp>[^<>]*)><thread=(?P<thread>[^<>]*)>\s*$")
SNIFF_LINES = 200


def sniff_format(lines: Iterable[str]) -> LogFormat:
    """The format of a file, judged from its first lines."""
    for count, line in enumerate(lines):
        if _CM_OPEN in line:
            return LogFormat.CMTRACE
        if _SMS_TRAILER.search(line):
            return LogFormat.SMS
        if count >= SNIFF_LINES:
            break
    return LogFormat.TEXT


def cmtrace_attributes(attrs: str) -> dict[str, str]:
    """The ``name="value"`` pairs of a CMTrace entry's attribute part, in one linear pass.

    Split at the quotes: even pieces end with ``name=``, odd pieces are values. A damaged part
    gives fewer pairs, never an error, and its cost never grows faster than its length.
    """
    values: dict[str, str] = {}
    pieces = attrs.split('"')
    for index in range(0, len(pieces) - 1, 2):
        head = pieces[index].rstrip()
        if not head.endswith("="):
            continue
        words = head[:-1].split()
        if words:
            values.setdefault(words[-1], pieces[index + 1])
    return values


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _cmtrace_message(text: str) -> str:
    """The message of a closed CMTrace entry's text: between ``<![LOG[`` and the last ``]LOG]!><``."""
    opening = text.find(_CM_OPEN)
    message = text[opening + len(_CM_OPEN):] if opening >= 0 else text
    end = message.rfind("]LOG]!><")
    return (message[:end] if end >= 0 else message).strip()


def sms_message(raw: str) -> str:
    """The message of a server-format entry's text before its trailer (``~~`` is a line break)."""
    return raw.rstrip("~ \t").replace("~~", "\n").strip()


def one_line_entry(line: str, fmt: LogFormat) -> tuple[str, str] | None:
    """(message, component) of ``line`` read as a whole entry of its own, exactly as
    :func:`parse_entries` gives them when the line before it closed an entry; None when the line
    does not close the entry it opens (it is then part of a longer one) or the format has no entries.

    Triage uses it to check a success marker on its line alone, without building an entry.
    """
    if fmt is LogFormat.SMS:
        trailer = _SMS_TRAILER.search(line)
        if trailer is None:
            return None
        return sms_message(line[: trailer.start()]), trailer.group(1).strip()
    if fmt is LogFormat.CMTRACE and _CM_OPEN in line:
        closing = _CM_CLOSE.search(line)
        if closing is None:
            return None
        return _cmtrace_message(line), cmtrace_attributes(closing.group("attrs")).get("component", "")
    return None


def _cmtrace_entry(file: str, start: int, body: list[str], attrs: str | None) -> LogEntry:
    text = body[0] if len(body) == 1 else "\n".join(body)
    if attrs is None:
        opening = text.find(_CM_OPEN)
        message = text[opening + len(_CM_OPEN):] if opening >= 0 else text
        return LogEntry(file, start, message.strip(), truncated=True, line_count=len(body))
    message = _cmtrace_message(text)
    values = cmtrace_attributes(attrs)
    clock, date = values.get("time", ""), values.get("date", "")
    return LogEntry(
        file, start, message, component=values.get("component", ""),
        local_time=f"{date} {clock}".strip() if date and clock else "",
        thread=values.get("thread", ""), entry_type=_int(values.get("type", "")), line_count=len(body),
    )


def _parse_cmtrace(file: str, lines: Iterable[str], first: int = 1) -> Iterator[LogEntry]:
    body: list[str] = []
    start = 0
    size = 0
    for number, line in enumerate(lines, start=first):
        if not body:
            if _CM_OPEN not in line:
                if line.strip():
                    yield LogEntry(file, number, line.strip())
                continue
            start = number
        elif _CM_OPEN in line and _CM_CLOSE.search(body[-1]) is None and line.lstrip().startswith(_CM_OPEN):
            # A new entry begins before the previous one closed: the previous one was cut.
            yield _cmtrace_entry(file, start, body, None)
            body, size, start = [], 0, number
        body.append(line)
        size += len(line)
        closing = _CM_CLOSE.search(line)
        if closing is not None:
            yield _cmtrace_entry(file, start, body, closing.group("attrs"))
            body, size = [], 0
        elif len(body) >= MAX_ENTRY_LINES or size >= MAX_ENTRY_CHARS:
            yield _cmtrace_entry(file, start, body, None)
            body, size = [], 0
    if body:
        yield _cmtrace_entry(file, start, body, None)


def _parse_sms(file: str, lines: Iterable[str], first: int = 1) -> Iterator[LogEntry]:
    body: list[str] = []
    start = 0
    size = 0
    for number, line in enumerate(lines, start=first):
        if not body:
            if not line.strip():
                continue
            start = number
        body.append(line)
        size += len(line)
        trailer = _SMS_TRAILER.search(line)
        if trailer is not None:
            body[-1] = line[: trailer.start()]
            raw = "\n".join(body)
            message = sms_message(raw)
            yield LogEntry(file, start, message, component=trailer.group("component").strip(),
                           local_time=trailer.group("stamp").strip(), thread=trailer.group("thread").strip(),
                           entry_type=sms_entry_type(raw), line_count=len(body))
            body, size = [], 0
        elif len(body) >= MAX_ENTRY_LINES or size >= MAX_ENTRY_CHARS:
            yield LogEntry(file, start, "\n".join(body).strip(), truncated=True, line_count=len(body))
            body, size = [], 0
    if body:
        yield LogEntry(file, start, "\n".join(body).strip(), truncated=True, line_count=len(body))


def sms_entry_type(text: str) -> int:
    """The CMTrace-equivalent type of a server-format entry, from how its text begins.

    ``ERROR`` or ``~**ERROR`` (the form file-dispatch and inbox components write) is 3, ``WARNING``
    is 2, anything else 0 (no severity written). Only the upper-case words count: an entry that
    merely says "error" somewhere is information.
    """
    head = text.lstrip(" \t\r\n~*")[:8]
    if head.startswith("ERROR"):
        return 3
    if head.startswith("WARNING"):
        return 2
    return 0


def _parse_text(file: str, lines: Iterable[str], first: int = 1) -> Iterator[LogEntry]:
    for number, line in enumerate(lines, start=first):
        if line.strip():
            yield LogEntry(file, number, line.strip())


def parse_entries(file: str, lines: Iterable[str], fmt: LogFormat, first: int = 1) -> Iterator[LogEntry]:
    """The entries of one file in file order, for the format ``fmt``; ``first`` numbers the first line."""
    if fmt is LogFormat.CMTRACE:
        return _parse_cmtrace(file, lines, first)
    if fmt is LogFormat.SMS:
        return _parse_sms(file, lines, first)
    return _parse_text(file, lines, first)
