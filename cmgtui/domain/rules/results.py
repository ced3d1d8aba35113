"""The one vocabulary every check in cmgtui speaks: rule results and their summary.

Certificate lint, name checks, sizing, cloud pre-flight and client command lines all
return :class:`RuleResult` values. The TUI's badges, ``cmgtui check`` and the readiness
report read the same results, so a check is written once, here in ``cmgtui.domain``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Outcome of one rule."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    #: A live check the rule depends on could not run (connection or service error), so the
    #: rule could not judge; distinct from SKIP (inputs missing) and FAIL (judged and broken).
    ERROR = "error"


class Severity(StrEnum):
    """How bad a failure of the rule is: an error blocks the setup, a warning does not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Phase(StrEnum):
    """Where in the setup a rule belongs; matches the navigation entries."""

    CHECKLIST = "checklist"
    CERTIFICATE = "certificate"
    ENTRA = "entra"
    CLIENT_AUTH = "client_auth"
    GATEWAY = "gateway"
    CLIENTS = "clients"


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's verdict with what is wrong and how to fix it.

    ``message`` states the finding in the administrator's terms; ``fix`` says what to do
    (empty when the rule passed); ``evidence`` holds the observed value the verdict rests on;
    ``source`` names the domain-sheet entry the rule comes from.
    """

    rule: str
    phase: Phase
    status: Status
    severity: Severity
    message: str
    fix: str = ""
    evidence: str = ""
    source: str = ""
    #: The figures a verdict rests on (a quota's ``limit``, ``used``, ``needed``), for JSON outputs.
    numbers: dict[str, int] | None = field(default=None, hash=False, compare=False)

    def to_json(self) -> dict[str, object]:
        """The stable JSON shape shared by every command that prints results (``numbers`` when set)."""
        out: dict[str, object] = {
            "rule": self.rule,
            "phase": self.phase.value,
            "status": self.status.value,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.numbers is not None:
            out["numbers"] = dict(self.numbers)
        return out


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of results by status."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """True when at least one rule ran and failed."""
        return self.counts.get(Status.FAIL.value, 0) > 0

    @property
    def errored(self) -> bool:
        """True when at least one rule could not run because a live check errored."""
        return self.counts.get(Status.ERROR.value, 0) > 0

    @property
    def exit_code(self) -> int:
        """The documented exit code: 2 when a live check errored, 1 when a rule failed, else 0."""
        return 2 if self.errored else 1 if self.failed else 0

    def to_json(self) -> dict[str, int]:
        """``{"pass", "warn", "fail", "skip", "error"}`` with every key present (``cmgtui check``, report)."""
        return {s.value: self.counts.get(s.value, 0) for s in Status}

    def offline_json(self) -> dict[str, int]:
        """``{"pass", "warn", "fail", "skip"}``: the shape of checks that run no live call (``cert lint``)."""
        return {s.value: self.counts.get(s.value, 0) for s in Status if s is not Status.ERROR}


def summarize(results: Iterable[RuleResult]) -> Summary:
    """Count results by status."""
    return Summary(dict(Counter(r.status.value for r in results)))

