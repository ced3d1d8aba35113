"""The seed article's pre-setup checklist: eight items, each judged by one rule of the engine.

Every item is a rule with a stable ID (``CHECKLIST-REGION`` ...) in the ``checklist`` phase
of :mod:`cmgtui.domain.rules.profile_rules`, so ``cmgtui check``, the report, the navigation badge
and the checklist pane show the same verdict in the same words. An item's state is read off
its rule's result (:func:`item_state`): pass or warn -> done, skip -> to do, fail -> problem,
error (a live check could not run) -> to do. Checks shared with a part (the region, the VM
count) call that part's judge, so each check exists once.

Evidence read (``profile.evidence[key].data``):

* ``graph.roles``: ``{"roles": [str, ...]}`` -- display names of the signed-in user's
  directory roles, e.g. ``"Global Administrator"``.
* ``arm.owner``: ``{"is_owner": bool, "subscription_id": str}`` -- whether the signed-in
  account is Owner of that subscription (a record for another subscription is stale).
* ``probe.internet``: ``{"failures": [str, ...], "from_host": str}`` -- one line per endpoint
  that could not be reached from the machine ``from_host`` (empty list: all reachable).
* ``arm.locations``: see :func:`cmgtui.domain.rules.gateway.judge_region`.

Drafts read (``profile.drafts``, keyed by dotted field path): an item whose field holds
unusable typed text is a problem until the text is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from cmgtui.domain.azure.sizing import peak_clients_problem
from cmgtui.domain.rules.gateway import judge_region, judge_vm_instances
from cmgtui.domain.hierarchy import connection_points, is_cas, total_peak_clients
from cmgtui.domain.rules.results import Phase, RuleResult, Severity, Status
from cmgtui.domain.rules.rulebook import Check, ProfileRule, Verdicts, evidence_age, evidence_data, recorded_for, rule
from cmgtui.domain.validate import fqdn_problem
from cmgtui.model.enums import AzureEnvironment, EntraRole
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
E = Severity.ERROR
CL = Phase.CHECKLIST
#: Each item's row in the domain sheet's checklist table (§2).
_SOURCES = {"environment": "C1", "region": "C2", "vm_instances": "C3", "entra_role": "C4",
            "subscription_owner": "C5", "cmgcp_server": "C7", "internet_access": "C9", "optional_feature": "C10"}


class ItemState(StrEnum):
    """Computed state of one checklist item, read off its rule's result."""

    DONE = "done"
    TODO = "todo"
    PROBLEM = "problem"


_STATE_OF = {Status.PASS: ItemState.DONE, Status.WARN: ItemState.DONE, Status.SKIP: ItemState.TODO,
             Status.ERROR: ItemState.TODO, Status.FAIL: ItemState.PROBLEM}


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """One checklist item: its id (the key in ``profile.checklist``), rule ID, title and explanation.

    ``fields`` are the dotted profile paths the item's values live in; a draft on any of them
    makes the item a problem.
    """

    id: str
    rule_id: str
    title: str
    explanation: str
    fields: tuple[str, ...] = ()


CHECKLIST_ENTRIES: tuple[ChecklistEntry, ...] = (
    ChecklistEntry(
        "environment",
        "CHECKLIST-ENVIRONMENT",
        "Azure environment",
        "Which Azure cloud hosts the CMG: the global Azure public cloud or Azure US Government. "
        "It decides where you sign in, which Resource Manager and Graph endpoints are used and "
        "which DNS suffixes the CMG's names get; it can't be changed without redeploying.",
        ("environment",),
    ),
    ChecklistEntry(
        "region",
        "CHECKLIST-REGION",
        "Azure region",
        "The Azure location the CMG's scale set, key vault and storage account are created in. "
        "Clients don't pick a CMG by region, so choose one close to most internet clients that "
        "your data-residency policy allows. The region is part of the CMG deployment name.",
        ("region",),
    ),
    ChecklistEntry(
        "vm_instances",
        "CHECKLIST-VM-INSTANCES",
        "VM instances for scale and redundancy",
        "How many virtual machines run the CMG (1 to 16). Each VM serves a fixed number of "
        "concurrent clients depending on its size; two or more keep the service up while Azure "
        "updates one of them. Enter the expected peak of concurrent internet clients to get a "
        "recommendation, or confirm the count you chose.",
        ("gateway.vm_instances", "gateway.peak_concurrent_clients"),
    ),
    ChecklistEntry(
        "entra_role",
        "CHECKLIST-ENTRA-ROLE",
        "Microsoft Entra role to register apps",
        "Somebody must register the CMG's server and client apps in Microsoft Entra ID. That "
        "person needs the Application Developer, Application Administrator, Cloud Application "
        "Administrator or Global Administrator role; if Configuration Manager creates the apps "
        "and grants consent, plan on a Global Administrator. Choose the role that person holds.",
        ("entra.app_registrar_role",),
    ),
    ChecklistEntry(
        "subscription_owner",
        "CHECKLIST-SUBSCRIPTION-OWNER",
        "Azure subscription owner",
        "Creating the CMG deploys resources into your Azure subscription, so the account that "
        "signs in to the Create Cloud Management Gateway wizard must hold the Owner role on that "
        "subscription. Sign in here to check it, or confirm that such an account is available.",
    ),
    ChecklistEntry(
        "cmgcp_server",
        "CHECKLIST-CMGCP-SERVER",
        "Server for the CMG connection point",
        "The CMG connection point is an on-premises site system role that keeps an outbound "
        "channel to the CMG and forwards client requests to your management points. It goes on "
        "an existing site system server; list its fully qualified name (one connection point "
        "per four CMG VMs, two or more for high availability).",
        ("site.cmgcp_servers",),
    ),
    ChecklistEntry(
        "internet_access",
        "CHECKLIST-INTERNET-ACCESS",
        "Internet access requirements",
        "The service connection point, the CMG connection point, clients and the console each "
        "need to reach particular Microsoft and CMG endpoints over HTTPS. Review the list below "
        "with your firewall and proxy team and confirm once the rules are in place.",
    ),
    ChecklistEntry(
        "optional_feature",
        "CHECKLIST-OPTIONAL-FEATURE",
        "Optional feature turned on",
        "The VM scale set CMG is an optional Configuration Manager feature: 'Cloud management "
        "gateway with virtual machine scale set' must be turned on in Administration > Updates "
        "and Servicing > Features (at the top-level site) before the wizard offers it.",
        ("site.site_version", "optional_feature_enabled"),
    ),
)

_BY_ID = {entry.id: entry for entry in CHECKLIST_ENTRIES}


def entry(item_id: str) -> ChecklistEntry:
    """The checklist entry with ``item_id``; KeyError names the valid ids."""
    try:
        return _BY_ID[item_id]
    except KeyError:
        raise KeyError(f"unknown checklist item {item_id!r}; known: {', '.join(_BY_ID)}") from None


def _draft(v: Verdicts, p: Profile, item_id: str) -> RuleResult | None:
    """A FAIL for unusable text typed into one of the item's fields."""
    for path in _BY_ID[item_id].fields:
        if path in p.drafts:
            return v.failed(f"'{p.drafts[path]}' isn't a valid value.", "Correct the value in this item.",
                            p.drafts[path])
    return None


def _item_rule(item_id: str) -> Callable[[Check], Check]:
    """Register the rule judging checklist item ``item_id`` under the item's rule ID."""
    return rule(RULES, _BY_ID[item_id].rule_id, CL, E, f"cmg-domain §2 {_SOURCES[item_id]}")


@_item_rule("environment")
def environment(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if (found := _draft(v, p, "environment")) is not None:
        return found
    if p.environment is None:
        return v.needs("Choose the Azure public cloud or Azure US Government.")
    label = "Azure public cloud" if p.environment is AzureEnvironment.PUBLIC else "Azure US Government"
    return v.passed(label, p.environment.value)


@_item_rule("region")
def region(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    return _draft(v, p, "region") or judge_region(v, p)


@_item_rule("vm_instances")
def vm_instances(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    peak_draft = p.drafts.get("gateway.peak_concurrent_clients")
    if peak_draft is not None:
        return v.failed(peak_clients_problem(peak_draft) or peak_draft,
                        "Enter the peak number of concurrent internet clients.", peak_draft)
    judged = judge_vm_instances(v, p)
    if judged.status is not Status.PASS:
        return judged
    count = p.gateway.vm_instances
    if total_peak_clients(p) is None and not p.checklist.vm_instances.confirmed:
        return v.needs(f"{count} VM instance(s) is the default; enter the peak client count or confirm it.")
    return v.passed(f"{count} VM instance(s) of size {p.gateway.vm_size.value}.", str(count))


def held_registrar_role(roles: dict[str, object] | None) -> EntraRole | None:
    """The first app-registration role the signed-in account holds, from ``graph.roles`` data."""
    held = roles.get("roles", []) if roles is not None else []
    if not isinstance(held, list):
        return None
    accepted = {role.value: role for role in EntraRole}
    return next((accepted[r] for r in held if isinstance(r, str) and r in accepted), None)


@_item_rule("entra_role")
def entra_role(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if (found := _draft(v, p, "entra_role")) is not None:
        return found
    roles = evidence_data(p, "graph.roles")
    seen = evidence_age(p, "graph.roles")
    held = held_registrar_role(roles)
    if held is not None:
        if p.entra.app_registrar_role is None:  # the field would still read "Choose…"
            return v.needs(f"The signed-in account holds {held.value}; choose it (or who else registers the apps).")
        return v.passed(f"The signed-in account holds {held.value}.", seen)
    confirmed = p.checklist.entra_role.confirmed
    if confirmed and p.entra.app_registrar_role is not None:
        reason = f"Confirmed: the app registrar holds {p.entra.app_registrar_role.value}."
        if roles is not None:
            reason += " (The signed-in account holds none of the roles.)"
        return v.passed(reason, seen)
    if roles is not None:
        return v.failed("The signed-in account holds none of the app-registration roles.",
                        "Name who will register the apps and confirm.", seen)
    if confirmed:
        return v.needs("Choose the role the app registrar holds.")
    return v.needs("Choose the registrar's role and confirm, or sign in to check.")


@_item_rule("subscription_owner")
def subscription_owner(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    owner = evidence_data(p, "arm.owner")
    if owner is not None and not recorded_for(owner, "subscription_id", p.gateway.subscription_id):
        owner = None  # recorded for another subscription: stale
    seen = evidence_age(p, "arm.owner")
    if owner is not None and owner.get("is_owner") is True:
        return v.passed("The signed-in account is Owner of the subscription.", seen)
    if p.checklist.subscription_owner.confirmed:
        return v.passed("Confirmed: a subscription Owner will create the CMG.")
    if owner is not None:
        return v.failed("The signed-in account isn't Owner of the subscription.",
                        "Use an Owner, or confirm one will create the CMG.", seen)
    return v.needs("Sign in to check the Owner role, or confirm an Owner is available.")


@_item_rule("cmgcp_server")
def cmgcp_server(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if (found := _draft(v, p, "cmgcp_server")) is not None:
        return found
    if is_cas(p):
        planned = connection_points(p)
        missing = [cp.site_code for cp in planned if not cp.server]
        if not planned or missing:
            return v.needs("Name the connection point server of each primary site whose clients use the CMG"
                           + (f" ({', '.join(missing)})." if missing else "."))
        servers = [cp.server for cp in planned]
    else:
        servers = [s for s in p.site.cmgcp_servers if s.strip()]
    if not servers:
        return v.needs("Enter the FQDN of the server for the CMG connection point.")
    for server in servers:
        problem = fqdn_problem(server)
        if problem:
            return v.failed(problem, "Enter the server's fully qualified name.", server)
    return v.passed(", ".join(servers), ", ".join(servers))


@_item_rule("internet_access")
def internet_access(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    """The administrator's confirmation decides: the probe runs from this machine, maybe not a site system."""
    probe = evidence_data(p, "probe.internet")
    confirmed = p.checklist.internet_access.confirmed
    if probe is not None:
        failures = [str(f) for f in probe.get("failures", [])]
        where = str(probe.get("from_host", "")) or "this machine"
        seen = evidence_age(p, "probe.internet")
        if failures:
            more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
            found = f"From {where} (where cmgtui ran the probe), unreachable: {failures[0]}{more}."
            if confirmed:
                return v.warned(f"Confirmed by you. {found}",
                                "Make sure the site systems, not this machine, reach the endpoints.", seen)
            return v.failed(found, "Open the endpoints for the site systems; if the probe ran on a machine "
                            "that isn't a site system, confirm once the site systems can reach them.", seen)
        return v.passed(f"Every probed endpoint was reachable from {where}.", seen)
    if confirmed:
        return v.passed("Confirmed: the firewall and proxy allow the endpoints.")
    return v.needs("Review the endpoints with your network team, then confirm.")


@_item_rule("optional_feature")
def optional_feature(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if (found := _draft(v, p, "optional_feature")) is not None:
        return found
    if p.optional_feature_enabled:
        return v.passed("The VM scale set feature is turned on.")
    if p.checklist.optional_feature.confirmed:
        return v.needs("Tick that the feature is turned on once it is.")
    return v.needs("Turn on 'Cloud management gateway with virtual machine scale set', then tick it here.")


_BY_RULE = {r.rule_id: r for r in RULES}


def item_result(profile: Profile, item_id: str, now: datetime | None = None) -> RuleResult:
    """The result of checklist item ``item_id``'s rule (KeyError for an unknown id)."""
    return _BY_RULE[entry(item_id).rule_id].run(profile, now or datetime.now(UTC))


def state_of(result: RuleResult) -> ItemState:
    """The item state a checklist rule's result stands for."""
    return _STATE_OF[result.status]


def item_state(profile: Profile, item_id: str) -> ItemState:
    """The computed state of checklist item ``item_id``."""
    return state_of(item_result(profile, item_id))


def item_reason(result: RuleResult) -> str:
    """The one line explaining an item's state: the finding and, when something is wrong, the fix."""
    if result.status in (Status.FAIL, Status.WARN, Status.ERROR) and result.fix:
        return f"{result.message} {result.fix}"
    return result.message
