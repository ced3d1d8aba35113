"""``check``: every rule for a profile, after recording what live checks read; ``cmgtui check`` runs it.

The TUI's badges show the same rule results (the App evaluates them once per change). Both
fronts record live evidence through :func:`cmgtui.services.evidence.record_evidence` before
the rules read it, so they keep the same evidence the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import RuleResult, Summary, summarize

if TYPE_CHECKING:
    from cmgtui.model import Profile


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every rule's result for one profile, in part order, and their counts by status."""

    profile_name: str
    results: tuple[RuleResult, ...]
    summary: Summary

    @property
    def exit_code(self) -> int:
        """``cmgtui check``'s exit code: 2 when a live check errored, 1 when a rule failed, else 0."""
        return self.summary.exit_code

    def to_json(self) -> dict[str, Any]:
        """The body of ``cmgtui check --format json`` (without the version key the command adds)."""
        return {"profile": self.profile_name, "results": [r.to_json() for r in self.results],
                "summary": self.summary.to_json()}


def check(profile: Profile, now: datetime | None = None) -> CheckReport:
    """Evaluate every rule for ``profile`` (at ``now``, default the current time)."""
    results = evaluate(profile, now)
    return CheckReport(profile.name, tuple(results), summarize(results))
