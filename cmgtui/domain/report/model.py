"""The readiness report as data: built once, rendered as Markdown, HTML or JSON.

The report carries everything a change-board reviewer needs without the app: the design
with reasons, the rule results with evidence, the generated script (or what is still missing
for it), the client command lines and the expiry calendar. Rule results and client command
lines are passed in by the caller, so the report shows exactly what the other front ends show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cmgtui.domain.azure.cost import PlannedCost, PriceSheet, planned_cost
from cmgtui.domain.expiry import ExpiryEntry, expiry_calendar
from cmgtui.domain.powershell import ScriptIncomplete, generate_script
from cmgtui.domain.report.design import DesignItem, design_items
from cmgtui.domain.rules.results import RuleResult, Status, summarize
from cmgtui.model.profile import Profile

REPORT_FORMAT_VERSION = 1
#: Order in which rule results are listed: problems first.
_STATUS_ORDER = {Status.ERROR: 0, Status.FAIL: 1, Status.WARN: 2, Status.SKIP: 3, Status.PASS: 4}


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    """Every section of the report, ready to render."""

    profile_name: str
    generated_at: datetime
    tool_version: str
    design: list[DesignItem]
    results: list[RuleResult] | None
    script: str | None
    missing: list[str]
    client_commands: list[tuple[str, str]]
    expiry: list[ExpiryEntry]
    notes: list[str] = field(default_factory=list)
    cost: PlannedCost | None = None  # None while the client count is unknown

    @property
    def title(self) -> str:
        return f"CMG readiness report: {self.profile_name}"

    @property
    def exit_code(self) -> int:
        """What ``cmgtui check`` would exit with for these results (0 when none were run)."""
        return 0 if self.results is None else summarize(self.results).exit_code

    @property
    def verdict(self) -> str:
        """One sentence summing up readiness."""
        if self.results is None:
            checks = "rule results were not included"
        else:
            counts = summarize(self.results).to_json()
            warnings = "warning" if counts["warn"] == 1 else "warnings"
            checks = (f"{counts['fail']} failed, {counts['warn']} {warnings}, {counts['pass']} passed, "
                      f"{counts['skip']} skipped")
            if counts["error"]:
                checks = f"{counts['error']} could not run (live check error), " + checks
        script = "the setup script is ready" if self.script else f"{len(self.missing)} value(s) missing for the script"
        return f"{checks}; {script}."

    def to_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready data (stable keys, ISO 8601 times)."""
        return {
            "version": REPORT_FORMAT_VERSION,
            "format_version": REPORT_FORMAT_VERSION,
            "title": self.title,
            "profile": self.profile_name,
            "generated_at": self.generated_at.isoformat(),
            "tool_version": self.tool_version,
            "verdict": self.verdict,
            "design": [item.to_json() for item in self.design],
            "summary": summarize(self.results).to_json() if self.results is not None else None,
            "results": None if self.results is None else [
                {**r.to_json(), "fix": r.fix, "evidence": r.evidence, "source": r.source} for r in self.results
            ],
            "script": self.script,
            "missing_values": self.missing,
            "client_commands": [{"purpose": purpose, "command": cmd} for purpose, cmd in self.client_commands],
            "expiry_calendar": [e.to_json() for e in self.expiry],
            "notes": self.notes,
            "cost": _cost_json(self.cost),
        }


def _cost_json(cost: PlannedCost | None) -> dict[str, Any] | None:
    """The cost section as JSON: the usage, the suggested alert, and the estimate when prices were read."""
    if cost is None:
        return None
    usage, result = cost.usage, cost.estimate
    return {
        "usage": {"clients": usage.clients, "mb_per_client": usage.mb_per_client,
                  "content_stored_gb": usage.content_stored_gb, "content_downloads_gb": usage.content_downloads_gb},
        "recommended_outbound_alert_gb": cost.alert_gb,
        "estimate": None if result is None else {
            "currency": result.currency,
            "prices": {"origin": result.prices.origin, "region": result.prices.region,
                       "read_at": result.prices.read_at.isoformat()},
            "lines": [{"item": line.item, "quantity": line.quantity, "monthly": line.monthly, "source": line.source}
                      for line in result.lines],
            "total": result.total, "notes": result.notes},
    }


def sorted_results(results: list[RuleResult]) -> list[RuleResult]:
    """Results with failures first, then warnings, skips and passes; by rule ID within each."""
    return sorted(results, key=lambda r: (_STATUS_ORDER[r.status], r.rule))


def build_report(
    profile: Profile,
    results: list[RuleResult] | None,
    client_commands: list[tuple[str, str]],
    now: datetime | None = None,
    tool_version: str = "",
    notes: list[str] | None = None,
    prices: PriceSheet | None = None,
) -> ReadinessReport:
    """Assemble the report for ``profile``.

    ``results`` are the rule results of the rules engine (None when it was not run);
    ``client_commands`` are ``(purpose, command line)`` pairs. ``notes`` are extra remarks
    from the caller (for example why a section is empty). ``prices`` are the list prices read
    for the profile's region (the cached copy; None when none were read): the cost section shows
    :func:`~cmgtui.domain.azure.cost.planned_cost`, the figures Part 4 and ``cmgtui cost`` show.
    """
    now = now or datetime.now(UTC)
    if not tool_version:
        from cmgtui import __version__ as tool_version
    try:
        script: str | None = generate_script(profile, tool_version=tool_version)
        missing: list[str] = []
    except ScriptIncomplete as exc:
        script, missing = None, exc.missing
    return ReadinessReport(
        profile_name=profile.name,
        generated_at=now,
        tool_version=tool_version,
        design=design_items(profile),
        results=None if results is None else sorted_results(results),
        script=script,
        missing=missing,
        client_commands=list(client_commands),
        expiry=expiry_calendar(profile, now),
        notes=list(notes or []),
        cost=planned_cost(profile, prices),
    )
