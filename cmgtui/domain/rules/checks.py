"""All checks of a profile in one place: results, part status and the next step.

``evaluate`` is what ``cmgtui check``, the rule report and the readiness report show.
Certificate lint runs on the certificate screen (it needs the PFX and its password); that
screen stores its results (for one service name and certificate: a record for another one
is stale and judges nothing) in ``profile.evidence["cert.lint"].data["results"]`` as a list of
``RuleResult.to_json()`` dicts plus ``"fix"`` (and optionally ``"evidence"``, ``"source"``),
and they are included here as RuleResults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from cmgtui.domain.rules.checklist import CHECKLIST_ENTRIES, ItemState, item_reason, state_of
from cmgtui.domain.rules.part4 import cert_lint_staleness
from cmgtui.domain.rules.profile_rules import PART_ORDER, evaluate_profile, is_not_applicable
from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
from cmgtui.model.profile import Profile

PART_LABELS: dict[Phase, str] = {
    Phase.CHECKLIST: "Checklist",
    Phase.CERTIFICATE: "Part 1 (server certificate)",
    Phase.ENTRA: "Part 2 (Microsoft Entra apps)",
    Phase.CLIENT_AUTH: "Part 3 (client authentication)",
    Phase.GATEWAY: "Part 4 (CMG and connection point)",
    Phase.CLIENTS: "Part 5 (clients)",
}
CERT_LINT_KEY = "cert.lint"


class PartState(StrEnum):
    """Computed state of a checklist or setup part."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    PROBLEM = "problem"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class PartStatus:
    """A part's state with the counts it rests on.

    ``counts`` are by item state for the checklist and by rule status (pass/warn/fail/skip,
    not counting rules that don't apply) for the five parts.
    """

    phase: Phase
    state: PartState
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _cert_results(profile: Profile) -> list[RuleResult]:
    """Stored certificate lint results, or one SKIP asking for the certificate."""
    ev = profile.evidence.get(CERT_LINT_KEY)
    if ev is None:
        return [RuleResult("CERT-CHECKED", Phase.CERTIFICATE, Status.SKIP, Severity.ERROR,
                           "Load the server certificate (PFX) in Part 1 to check it.",
                           "Load the server certificate (PFX) in Part 1 to check it.", "",
                           "cmg-domain §3.1")]
    stale = cert_lint_staleness(profile)
    if stale:
        return [RuleResult("CERT-CHECKED", Phase.CERTIFICATE, Status.SKIP, Severity.ERROR, stale, stale,
                           ev.summary, "cmg-domain §3.1")]
    out: list[RuleResult] = []
    unreadable = 0
    raw: Any = ev.data.get("results", [])
    for item in raw if isinstance(raw, list) else []:
        try:
            out.append(RuleResult(
                rule=str(item["rule"]), phase=Phase(item.get("phase", Phase.CERTIFICATE.value)),
                status=Status(item["status"]), severity=Severity(item["severity"]),
                message=str(item["message"]), fix=str(item.get("fix", "")),
                evidence=str(item.get("evidence", "")), source=str(item.get("source", "")),
            ))
        except (KeyError, ValueError, TypeError, AttributeError):
            unreadable += 1
    if unreadable or not isinstance(raw, list):
        out.append(RuleResult("CERT-CHECKED", Phase.CERTIFICATE, Status.WARN, Severity.WARNING,
                              "Some stored certificate results couldn't be read.",
                              "Check the certificate again in Part 1.", f"{unreadable} unreadable",
                              "cmg-domain §3.1"))
    return out


def evaluate(profile: Profile, now: datetime | None = None) -> list[RuleResult]:
    """Every profile rule plus the stored certificate lint, in part order."""
    results = _cert_results(profile) + evaluate_profile(profile, now or datetime.now(UTC))
    return sorted(results, key=lambda r: PART_ORDER.index(r.phase))


def _checklist_status(results: list[RuleResult]) -> PartStatus:
    """The checklist's state from its eight rules' results, counted by item state."""
    states = [state_of(r) for r in results if r.phase is Phase.CHECKLIST]
    counts = {s.value: states.count(s) for s in ItemState}
    if counts[ItemState.PROBLEM.value]:
        state = PartState.PROBLEM
    elif counts[ItemState.DONE.value] == len(states):
        state = PartState.DONE
    elif counts[ItemState.DONE.value] == 0:
        state = PartState.NOT_STARTED
    else:
        state = PartState.IN_PROGRESS
    return PartStatus(Phase.CHECKLIST, state, counts)


def _state_of(results: list[RuleResult]) -> PartState:
    statuses = [r.status for r in results]
    if Status.FAIL in statuses:
        return PartState.PROBLEM
    if Status.SKIP not in statuses and Status.ERROR not in statuses:
        return PartState.DONE
    if Status.PASS not in statuses and Status.WARN not in statuses:
        return PartState.NOT_STARTED
    return PartState.IN_PROGRESS


def part_status(
    profile: Profile, phase: Phase, now: datetime | None = None,
    results: list[RuleResult] | None = None,
) -> PartStatus:
    """The computed status of the checklist or one part.

    Pass ``results`` from :func:`evaluate` to avoid re-running the rules for every part.
    A part is *problem* when a rule fails, *done* when every applicable rule passed or
    warned, *not started* when none has its inputs yet, else *in progress* (also while a
    live check could not run).
    """
    phase = Phase(phase)
    pool = results if results is not None else evaluate(profile, now)
    if phase is Phase.CHECKLIST:
        return _checklist_status(pool)
    mine = [r for r in pool if r.phase is phase and not is_not_applicable(r)]
    counts = {s.value: sum(r.status is s for r in mine) for s in Status}
    return PartStatus(phase, _state_of(mine), counts)


def next_step(profile: Profile, now: datetime | None = None, results: list[RuleResult] | None = None) -> str:
    """One line telling the administrator what to do next.

    The first checklist item not done; else, part by part, the first failing rule and then
    the first rule still waiting for input; else a closing line. Pass ``results`` from
    :func:`evaluate` when they are at hand, so the rules are not run twice.
    """
    if results is None:
        results = evaluate(profile, now)
    by_rule = {r.rule: r for r in results}
    for number, item in enumerate(CHECKLIST_ENTRIES, start=1):
        found = by_rule[item.rule_id]
        if state_of(found) is not ItemState.DONE:
            return f"Checklist {number}. {item.title}: {item_reason(found)}"
    for phase in PART_ORDER[1:]:
        mine = [r for r in results if r.phase is phase and not is_not_applicable(r)]
        failed = next((r for r in mine if r.status is Status.FAIL), None)
        if failed is not None:
            fix = f" {failed.fix}" if failed.fix else ""
            return f"{PART_LABELS[phase]}: {failed.message}{fix}"
        errored = next((r for r in mine if r.status is Status.ERROR), None)
        if errored is not None:
            return f"{PART_LABELS[phase]}: {errored.message} {errored.fix}".rstrip()
        waiting = next((r for r in mine if r.status is Status.SKIP), None)
        if waiting is not None:
            return f"{PART_LABELS[phase]}: {waiting.message}"
    warnings = sum(r.status is Status.WARN for r in results)
    if warnings:
        return f"Every check passes; review {warnings} warning(s) in the report."
    return "Every check passes: the CMG plan is ready."


def missing_line(phase: Phase, results: list[RuleResult]) -> str:
    """What a part still needs, in one line: the first failure, else the first missing input.

    Every part's status line ends with this, so "in progress" always says what is missing.
    """
    mine = [r for r in results if r.phase is Phase(phase) and not is_not_applicable(r)]
    for status, lead in ((Status.FAIL, "Fix"), (Status.ERROR, "Could not check"), (Status.SKIP, "Still missing")):
        found = [r for r in mine if r.status is status]
        if found:
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            return f"{lead}: {found[0].message}{more}"
    warnings = sum(r.status is Status.WARN for r in mine)
    if warnings:
        return f"Nothing missing; {warnings} warning(s) to review."
    return "Nothing missing: every check of this part passes."


def status_line(profile: Profile, phase: Phase, results: list[RuleResult], also_shown: Iterable[str] = ()) -> str:
    """``Status: <state>. <what is still missing>`` for a part's pane.

    ``results`` must be the evaluation the pane's tables show, so the headline and the tables
    never disagree. ``also_shown`` names rules of other parts that the pane's tables show too
    (Part 4's pre-flight shows Part 1's name checks): the part's own state stays as the
    navigation shows it, and the first of those still failing or waiting is named after it.
    """
    status = part_status(profile, phase, results=results)
    line = f"Status: {status.state.value}. {missing_line(phase, results)}"
    wanted = set(also_shown)
    others = [r for r in results if r.rule in wanted and r.phase is not Phase(phase) and not is_not_applicable(r)]
    for state in (Status.FAIL, Status.ERROR, Status.SKIP):
        found = next((r for r in others if r.status is state), None)
        if found is not None:
            return f"{line} Also shown here, from {PART_LABELS[found.phase]}: {found.message}"
    return line
