"""Log triage for a running CMG: read ConfigMgr logs, match known signatures, order the findings.

No textual, azure or msgraph import here: the pane and the ``cmgtui logs triage`` command
both call :func:`triage`.
"""

from cmgtui.domain.logs.entries import LogEntry, LogFormat, cmtrace_time
from cmgtui.domain.logs.facts import ProfileFacts, facts_from
from cmgtui.domain.logs.reading import InputError, LogSource, discover, read_lines
from cmgtui.domain.logs.signatures import BY_ID, CATALOGUE, Severity, Signature
from cmgtui.domain.logs.triage import Finding, InputResult, TriageResult, triage

__all__ = [
    "BY_ID", "CATALOGUE", "Finding", "InputError", "InputResult", "LogEntry", "LogFormat", "LogSource",
    "ProfileFacts", "Severity", "Signature", "TriageResult", "cmtrace_time", "discover", "facts_from",
    "read_lines", "triage",
]
