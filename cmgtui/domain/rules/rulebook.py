"""How a profile rule is declared: an ID, a phase, a severity, a source and a check function.

Rule modules (``rules_service``, ``rules_gateway``, ``rules_entra``, ``rules_clients``)
declare their rules with :func:`rule`; :mod:`cmgtui.domain.rules.profile_rules` collects them.
A check receives a :class:`Verdicts` helper bound to its rule, so every result carries the
rule's ID, phase, severity and source without repeating them.

Conventions every rule follows:

* inputs missing -> ``needs(...)``: SKIP whose message says what to enter;
* the rule doesn't apply to this plan -> ``not_needed(...)``: SKIP with severity INFO;
* broken -> ``failed(...)``: FAIL for an error rule, WARN for a warning rule;
* fine -> ``passed(...)``;
* the live check whose evidence the rule reads could not run (the evidence record is an
  error record, see :func:`error_evidence_data`) -> ERROR, produced by :meth:`ProfileRule.run`
  when :func:`evidence_data` meets that record, so no rule has to handle it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
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

#: Key of an evidence record's data that marks a live check that could not run.
ERROR_KEY = "error"


class EvidenceUnavailable(Exception):
    """The live check behind an evidence key errored; the rule reading it cannot judge."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def error_evidence_data(message: str, what_to_do: str) -> dict[str, str]:
    """The ``data`` of an evidence record for a live check that could not run."""
    return {ERROR_KEY: message, "what_to_do": what_to_do}


@dataclass(frozen=True, slots=True)
class ProfileRule:
    """A declared rule: metadata plus the function that judges a profile."""

    verdicts: Verdicts
    check: Check

    @property
    def rule_id(self) -> str:
        return self.verdicts.rule_id

    def run(self, profile: Profile, now: datetime) -> RuleResult:
        """Judge ``profile`` at time ``now``; ERROR when a live check it reads could not run."""
        try:
            return self.check(self.verdicts, profile, now)
        except EvidenceUnavailable as exc:
            ev = profile.evidence[exc.key]
            fix = str(ev.data.get("what_to_do", "")) or "Run the live checks again."
            return RuleResult(self.rule_id, self.verdicts.phase, Status.ERROR, self.verdicts.severity,
                              f"The live check ({exc.key}) could not run: {exc.message}", fix,
                              evidence_age(profile, exc.key), self.verdicts.source)


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
    """``profile.evidence[key].data``, or None when that check hasn't run.

    Raises :class:`EvidenceUnavailable` when the latest run of that check errored, which
    :meth:`ProfileRule.run` turns into an ERROR result.
    """
    ev = profile.evidence.get(key)
    if ev is None:
        return None
    if ERROR_KEY in ev.data:
        raise EvidenceUnavailable(key, str(ev.data[ERROR_KEY]))
    return ev.data


def evidence_age(profile: Profile, key: str) -> str:
    """'observed <time>' for an evidence record, for a result's evidence text."""
    ev = profile.evidence.get(key)
    return f"{key} observed {ev.observed_at:%Y-%m-%d %H:%M} UTC" if ev is not None else ""


def recorded_for(data: dict[str, Any], key: str, current: str) -> bool:
    """True unless ``data`` records ``key`` for another value than ``current`` (stale evidence).

    A record without the key, or no current value to compare, is taken as current.
    """
    seen = str(data.get(key, "") or "").strip().lower()
    now = current.strip().lower()
    return not seen or not now or seen == now
