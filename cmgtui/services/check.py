"""``check``: every rule for a profile, after recording what live checks read; ``cmgtui check`` runs it.

The TUI's badges show the same rule results (the App evaluates them once per change). Both
fronts record live evidence through :func:`cmgtui.services.evidence.record_evidence` before
the rules read it, so they keep the same evidence the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import RuleResult, Summary, summarize

if TYPE_CHECKING:
    from cmgtui.model import Profile


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every rule's result for one profile, in part order, their counts by status, and the live
    checks that could not run (by key, e.g. ``policies``)."""

    profile_name: str
    results: tuple[RuleResult, ...]
    summary: Summary
    could_not_run: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        """``cmgtui check``'s exit code: 2 when a live check could not run (also one that no rule
        reads, such as the policy assignments list), 1 when a rule failed, else 0."""
        return 2 if self.could_not_run else self.summary.exit_code

    def to_json(self) -> dict[str, Any]:
        """The body of ``cmgtui check --format json`` (without the version key the command adds)."""
        return {"profile": self.profile_name, "results": [r.to_json() for r in self.results],
                "summary": self.summary.to_json()}


def check(profile: Profile, now: datetime | None = None, could_not_run: Iterable[str] = ()) -> CheckReport:
    """Evaluate every rule for ``profile`` (at ``now``, default the current time); ``could_not_run``
    names the live checks of this run that failed (their error records are in the profile)."""
    results = evaluate(profile, now)
    return CheckReport(profile.name, tuple(results), summarize(results), tuple(could_not_run))
