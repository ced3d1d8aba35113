"""How a profile rule is declared: an ID, a phase, a severity, a source and a check function.

Rule modules (``rules_service``, ``rules_gateway``, ``rules_entra``, ``rules_clients``)
declare their rules with :func:`rule`; :mod:`cmgtui.domain.profile_rules` collects them.
A check receives a :class:`Verdicts` helper bound to its rule, so every result carries the
rule's ID, phase, severity and source without repeating them.

Conventions every rule follows:

* inputs missing -> ``needs(...)``: SKIP whose message says what to enter;
* the rule doesn't apply to this plan -> ``not_needed(...)``: SKIP with severity INFO;
* broken -> ``failed(...)``: FAIL for an error rule, WARN for a warning rule;
* fine -> ``passed(...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cmgtui.domain.rules import Phase, RuleResult, Severity, Status
from cmgtui.model.profile import Profile


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Result builders for one rule."""

    rule_id: str
    phase: Phase
    severity: Severity
    source: str

    def _make(self, status: Status, message: str, fix: str = "", evidence: str = "",
              severity: Severity | None = None) -> RuleResult:
        return RuleResult(self.rule_id, self.phase, status, severity or self.severity,
                          message, fix, evidence, self.source)

    def passed(self, message: str, evidence: str = "") -> RuleResult:
        """The rule holds."""
        return self._make(Status.PASS, message, evidence=evidence)

    def failed(self, message: str, fix: str, evidence: str = "") -> RuleResult:
        """The rule is broken: FAIL for an error rule, WARN for a warning rule."""
        status = Status.FAIL if self.severity is Severity.ERROR else Status.WARN
        return self._make(status, message, fix, evidence)

    def warned(self, message: str, fix: str, evidence: str = "") -> RuleResult:
        """A warning from a rule that can also fail (e.g. a secret expiring soon)."""
        return self._make(Status.WARN, message, fix, evidence, Severity.WARNING)

    def needs(self, message: str) -> RuleResult:
        """Inputs are missing; ``message`` says what to enter or run."""
        return self._make(Status.SKIP, message, fix=message)

    def not_needed(self, message: str) -> RuleResult:
        """The rule doesn't apply to this plan."""
        return self._make(Status.SKIP, message, severity=Severity.INFO)


Check = Callable[[Verdicts, Profile, datetime], RuleResult]


@dataclass(frozen=True, slots=True)
class ProfileRule:
    """A declared rule: metadata plus the function that judges a profile."""

    verdicts: Verdicts
    check: Check

    @property
    def rule_id(self) -> str:
        return self.verdicts.rule_id

    def run(self, profile: Profile, now: datetime) -> RuleResult:
        """Judge ``profile`` at time ``now``."""
        return self.check(self.verdicts, profile, now)


def rule(
    registry: list[ProfileRule], rule_id: str, phase: Phase, severity: Severity, ref: str
) -> Callable[[Check], Check]:
    """Decorator adding a check to ``registry``; ``ref`` is the domain-sheet entry, e.g. 'V18'."""

    def register(check: Check) -> Check:
        source = ref if ref.startswith("cmg-domain") else f"cmg-domain §9 {ref}"
        registry.append(ProfileRule(Verdicts(rule_id, phase, severity, source), check))
        return check

    return register


def is_not_applicable(result: RuleResult) -> bool:
    """True for a SKIP meaning 'does not apply', as opposed to 'inputs missing'."""
    return result.status is Status.SKIP and result.severity is Severity.INFO


def evidence_data(profile: Profile, key: str) -> dict[str, Any] | None:
    """``profile.evidence[key].data``, or None when that check hasn't run."""
    ev = profile.evidence.get(key)
    return ev.data if ev is not None else None


def evidence_age(profile: Profile, key: str) -> str:
    """'observed <time>' for an evidence record, for a result's evidence text."""
    ev = profile.evidence.get(key)
    return f"{key} observed {ev.observed_at:%Y-%m-%d %H:%M} UTC" if ev is not None else ""
