"""What a log signature is: the text it matches, where, how bad it is, and what it means for health.

A signature is tied to the logs it appears in (by base name, see
:func:`cmgtui.domain.logs.names.base_log_name`). ``source`` names the public page that shows
the matched text and ``evidence`` says what that page really shows: a verbatim log line, a
console message, or only an error code (then the signature matches the code, nothing more).
``area`` names the part of the CMG the entry is about, so the health timeline can say when that
part last worked and when it started failing; a success marker (``success=True``) records that
the part worked and never becomes a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.facts import ProfileFacts
from cmgtui.domain.logs.prefilter import quicker


class Severity(StrEnum):
    """How bad a finding is; ``fail`` makes ``cmgtui logs triage`` exit 1."""

    FAIL = "fail"
    WARN = "warn"
    INFO = "info"


class Area(StrEnum):
    """The parts of a CMG the health timeline follows, named as the admin knows them."""

    DEPLOYMENT = "Azure deployment (cloud services manager)"
    SERVICE = "CMG service in Azure"
    CONNECTION_POINT = "CMG connection point"
    TOKEN_SERVICE = "management point token service"
    CLIENTS = "client communication through the CMG"
    SIGN_IN = "Microsoft Entra sign-in"

    @property
    def short(self) -> str:
        """A few words for a narrow pane."""
        return _SHORT[self]


_SHORT = {Area.DEPLOYMENT: "Azure deployment", Area.SERVICE: "CMG service", Area.CONNECTION_POINT: "connection point",
          Area.TOKEN_SERVICE: "MP token service", Area.CLIENTS: "clients via CMG", Area.SIGN_IN: "Entra sign-in"}


class Evidence(StrEnum):
    """What the cited public source shows of the matched text."""

    LOG_LINE = "verbatim log line"
    CONSOLE_MESSAGE = "verbatim console message"
    EVENT_TEXT = "verbatim event log text"
    AZURE_MESSAGE = "verbatim Azure error text (no public ConfigMgr log line shows it)"
    CATCH_ALL = "any error entry of a log the source names"
    ERROR_CODE = "error code only (no public log line shows it in a ConfigMgr log)"


@dataclass(frozen=True, slots=True)
class Signature:
    """One known log signature (a problem) or success marker."""

    id: str
    logs: tuple[str, ...]
    severity: Severity
    title: str
    meaning: str
    fix: Callable[[ProfileFacts], str]
    source: str
    patterns: tuple[re.Pattern[str], ...] = field(default=())
    error_entries_only: bool = False
    #: A timeline marker: matches the first entry of each file of its logs, nothing else.
    first_entry_only: bool = False
    #: What the matched entry itself names (e.g. the provider), said before the fix.
    detail: Callable[[LogEntry], str] | None = None
    evidence: Evidence = Evidence.LOG_LINE
    #: The part of the CMG whose health this entry tells about (None: not followed).
    area: Area | None = None
    #: A success marker: the area worked at this entry (recorded in the timeline, not a finding).
    success: bool = False
    #: Minutes this failure is expected after provisioning; the timeline says when it lasts longer.
    settles_within: int | None = None
    #: ``patterns`` as matched: the same matches, found sooner (see :func:`quicker`).
    matching: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "matching", tuple(map(quicker, self.patterns)))

    def fix_for(self, facts: ProfileFacts, entry: LogEntry) -> str:
        """The fix for this entry, filled from the profile and from the entry."""
        lead = self.detail(entry) if self.detail is not None else ""
        return f"{lead} {self.fix(facts)}" if lead else self.fix(facts)

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` shows this signature (first-entry markers are matched by triage)."""
        if self.first_entry_only:
            return False
        if self.error_entries_only and entry.entry_type != 3:
            return False
        if not self.patterns:
            return self.error_entries_only
        return any(p.search(entry.message) for p in self.matching)


def patterns(*texts: str) -> tuple[re.Pattern[str], ...]:
    """Case-insensitive patterns (triage joins them into one prefilter, so no other flags: a pattern
    that must cross the line breaks of a multi-line entry says ``[\\s\\S]``)."""
    return tuple(re.compile(t, re.IGNORECASE) for t in texts)
