"""A rule's fixed facts (ID, phase, severity, source) and helpers that build its results.

Severity follows :class:`cmgtui.domain.rules.results.Severity`: it states how bad a failure of the
rule is, so a passing result carries the rule's own severity, and a warning carries
``warning`` (or ``info`` where the rule says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule: its stable ID, where it belongs, how bad failing it is, and its source."""

    id: str
    severity: Severity
    source: str
    phase: Phase = Phase.CERTIFICATE

    def passed(self, message: str, evidence: str = "") -> RuleResult:
        """The rule holds."""
        return self._result(Status.PASS, self.severity, message, "", evidence)

    def failed(self, message: str, fix: str, evidence: str = "") -> RuleResult:
        """The rule is broken; ``fix`` says what to do."""
        return self._result(Status.FAIL, self.severity, message, fix, evidence)

    def warned(
        self, message: str, fix: str, evidence: str = "", severity: Severity = Severity.WARNING
    ) -> RuleResult:
        """Worth attention but not blocking."""
        return self._result(Status.WARN, severity, message, fix, evidence)

    def skipped(self, message: str) -> RuleResult:
        """Another rule's failure makes this one meaningless (the part is not done)."""
        return self._result(Status.SKIP, self.severity, message, "", "")

    def not_applicable(self, message: str) -> RuleResult:
        """The rule does not apply to this certificate: never counted as missing (INFO skip)."""
        return self._result(Status.SKIP, Severity.INFO, message, "", "")

    def _result(
        self, status: Status, severity: Severity, message: str, fix: str, evidence: str
    ) -> RuleResult:
        return RuleResult(
            rule=self.id,
            phase=self.phase,
            status=status,
            severity=severity,
            message=message,
            fix=fix,
            evidence=evidence,
            source=self.source,
        )
