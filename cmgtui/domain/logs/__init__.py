"""Log triage for a running CMG: read ConfigMgr logs, match known signatures, order the findings.

Logic over plain values: logs come in as iterables of byte chunks and results go out as values.
No file access and no textual, azure or msgraph import here; finding and reading the files is
:mod:`cmgtui.services.triage`'s, which the pane and ``cmgtui logs triage`` both call.
"""

from cmgtui.domain.logs.decoding import InputError, LogSource, read_lines
from cmgtui.domain.logs.entries import LogEntry, LogFormat, cmtrace_time
from cmgtui.domain.logs.facts import ProfileFacts, facts_from
from cmgtui.domain.logs.signatures import BY_ID, CATALOGUE, Severity, Signature
from cmgtui.domain.logs.triage import Finding, InputResult, TriageResult, triage_sources

__all__ = [
    "BY_ID", "CATALOGUE", "Finding", "InputError", "InputResult", "LogEntry", "LogFormat", "LogSource",
    "ProfileFacts", "Severity", "Signature", "TriageResult", "cmtrace_time", "facts_from",
    "read_lines", "triage_sources",
]
