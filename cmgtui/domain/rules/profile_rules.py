"""Every rule over a whole profile, in part order, with stable IDs from the domain sheet §9.

The rules live in small modules by part: ``checklist`` (the pre-setup checklist's eight
items), ``rules_service`` (Part 1 names),
``rules_entra`` (Part 2), ``rules_clients`` (Parts 3 and 5), ``rules_gateway`` and
``rules_hierarchy`` (Part 4).
Each module documents the evidence keys it reads. A rule whose inputs are missing returns
SKIP with a message saying what to enter; a rule that doesn't apply returns SKIP with
severity INFO (see :func:`cmgtui.domain.rules.rulebook.is_not_applicable`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from cmgtui.domain.clients import auth_advice as client_auth_advice
from cmgtui.domain.rules import checklist, probe
from cmgtui.domain.rules import clients as rules_clients
from cmgtui.domain.rules import deployment as rules_deployment
from cmgtui.domain.rules import entra as rules_entra
from cmgtui.domain.rules import gateway as rules_gateway
from cmgtui.domain.rules import hierarchy as rules_hierarchy
from cmgtui.domain.rules import part4 as rules_part4
from cmgtui.domain.rules import service_name as rules_service
from cmgtui.domain.rules.results import Phase, RuleResult
from cmgtui.domain.rules.rulebook import ProfileRule, is_not_applicable
from cmgtui.model.profile import Profile

__all__ = ["PART_ORDER", "PROFILE_RULES", "evaluate_profile", "is_not_applicable", "rule_ids"]

#: The order of the setup parts (checklist first), used for sorting and for "next step".
PART_ORDER: tuple[Phase, ...] = (
    Phase.CHECKLIST,
    Phase.CERTIFICATE,
    Phase.ENTRA,
    Phase.CLIENT_AUTH,
    Phase.GATEWAY,
    Phase.CLIENTS,
)

PROFILE_RULES: tuple[ProfileRule, ...] = tuple(
    sorted(
        [*checklist.RULES, *rules_service.RULES, *rules_entra.RULES, *rules_clients.RULES, *rules_gateway.RULES, *rules_hierarchy.RULES,
         *client_auth_advice.RULES, *probe.RULES, *rules_part4.RULES,
         *rules_deployment.RULES],
        key=lambda r: PART_ORDER.index(r.verdicts.phase),
    )
)


def rule_ids() -> list[str]:
    """The IDs of every profile rule, in evaluation order."""
    return [r.rule_id for r in PROFILE_RULES]


def evaluate_profile(profile: Profile, now: datetime | None = None) -> list[RuleResult]:
    """Run every profile rule at time ``now`` (default: the current UTC time)."""
    moment = now or datetime.now(UTC)
    return [r.run(profile, moment) for r in PROFILE_RULES]
