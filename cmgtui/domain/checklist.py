"""The seed article's pre-setup checklist: eight items and their computed status.

Each item's status is derived on demand from the values in the profile, the administrator's
confirmation and, where a cloud check has run, its evidence. Nothing here is stored.

Evidence read (``profile.evidence[key].data``):

* ``graph.roles``: ``{"roles": [str, ...]}`` -- display names of the signed-in user's
  directory roles, e.g. ``"Global Administrator"``.
* ``arm.owner``: ``{"is_owner": bool}`` -- whether the signed-in account is Owner of the
  chosen subscription.
* ``probe.internet``: ``{"failures": [str, ...]}`` -- one line per endpoint that could not
  be reached (empty list: every probe succeeded).
* ``arm.locations``: ``{"locations": [str, ...]}`` -- ARM location names the subscription
  offers; when present, the region is checked against it instead of the built-in list.

Drafts read (``profile.drafts``, keyed by dotted field path): an item whose field holds
unusable typed text is a problem until the text is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cmgtui.domain.locations import PUBLIC_LOCATIONS, USGOV_LOCATIONS, live_locations, locations_for
from cmgtui.domain.validate import fqdn_problem, region_problem
from cmgtui.model.enums import AzureEnvironment, EntraRole
from cmgtui.model.profile import Profile

MIN_VM_INSTANCES = 1
MAX_VM_INSTANCES = 16


class ItemState(StrEnum):
    """Computed state of one checklist item."""

    DONE = "done"
    TODO = "todo"
    PROBLEM = "problem"


@dataclass(frozen=True, slots=True)
class ItemStatus:
    """An item's state and the one line explaining it (what to do next, or what was seen)."""

    state: ItemState
    reason: str


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """One checklist item: its id (the key in ``profile.checklist``), title and explanation.

    ``fields`` are the dotted profile paths the item's values live in; a draft on any of them
    makes the item a problem.
    """

    id: str
    title: str
    explanation: str
    fields: tuple[str, ...] = ()


CHECKLIST_ENTRIES: tuple[ChecklistEntry, ...] = (
    ChecklistEntry(
        "environment",
        "Azure environment",
        "Which Azure cloud hosts the CMG: the global Azure public cloud or Azure US Government. "
        "It decides where you sign in, which Resource Manager and Graph endpoints are used and "
        "which DNS suffixes the CMG's names get; it can't be changed without redeploying.",
        ("environment",),
    ),
    ChecklistEntry(
        "region",
        "Azure region",
        "The Azure location the CMG's scale set, key vault and storage account are created in. "
        "Clients don't pick a CMG by region, so choose one close to most internet clients that "
        "your data-residency policy allows. The region is part of the CMG deployment name.",
        ("region",),
    ),
    ChecklistEntry(
        "vm_instances",
        "VM instances for scale and redundancy",
        "How many virtual machines run the CMG (1 to 16). Each VM serves a fixed number of "
        "concurrent clients depending on its size; two or more keep the service up while Azure "
        "updates one of them. Enter the expected peak of concurrent internet clients to get a "
        "recommendation, or confirm the count you chose.",
        ("gateway.vm_instances", "gateway.peak_concurrent_clients"),
    ),
    ChecklistEntry(
        "entra_role",
        "Microsoft Entra role to register apps",
        "Somebody must register the CMG's server and client apps in Microsoft Entra ID. That "
        "person needs the Application Developer, Application Administrator, Cloud Application "
        "Administrator or Global Administrator role; if Configuration Manager creates the apps "
        "and grants consent, plan on a Global Administrator. Choose the role that person holds.",
        ("entra.app_registrar_role",),
    ),
    ChecklistEntry(
        "subscription_owner",
        "Azure subscription owner",
        "Creating the CMG deploys resources into your Azure subscription, so the account that "
        "signs in to the Create Cloud Management Gateway wizard must hold the Owner role on that "
        "subscription. Sign in here to check it, or confirm that such an account is available.",
    ),
    ChecklistEntry(
        "cmgcp_server",
        "Server for the CMG connection point",
        "The CMG connection point is an on-premises site system role that keeps an outbound "
        "channel to the CMG and forwards client requests to your management points. It goes on "
        "an existing site system server; list its fully qualified name (one connection point "
        "per four CMG VMs, two or more for high availability).",
        ("site.cmgcp_servers",),
    ),
    ChecklistEntry(
        "internet_access",
        "Internet access requirements",
        "The service connection point, the CMG connection point, clients and the console each "
        "need to reach particular Microsoft and CMG endpoints over HTTPS. Review the list below "
        "with your firewall and proxy team and confirm once the rules are in place.",
    ),
    ChecklistEntry(
        "optional_feature",
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


def _data(profile: Profile, key: str) -> dict[str, Any] | None:
    ev = profile.evidence.get(key)
    return ev.data if ev is not None else None


def _draft(profile: Profile, item: ChecklistEntry) -> ItemStatus | None:
    for path in item.fields:
        if path in profile.drafts:
            return ItemStatus(
                ItemState.PROBLEM, f"'{profile.drafts[path]}' isn't a valid value; correct it."
            )
    return None


def _environment(p: Profile) -> ItemStatus:
    if p.environment is None:
        return ItemStatus(ItemState.TODO, "Choose the Azure public cloud or Azure US Government.")
    label = "Azure public cloud" if p.environment is AzureEnvironment.PUBLIC else "Azure US Government"
    return ItemStatus(ItemState.DONE, label)


def _region(p: Profile) -> ItemStatus:
    if not p.region.strip():
        return ItemStatus(ItemState.TODO, "Choose the Azure region for the CMG.")
    live = live_locations(p)
    if live:
        problem = region_problem(p.region, [name for name, _ in live])
        if problem:
            return ItemStatus(ItemState.PROBLEM, f"{problem} (the subscription doesn't offer it)")
        return ItemStatus(ItemState.DONE, f"{p.region} is offered by the subscription.")
    known = [name for name, _ in locations_for(p.environment)]
    other = USGOV_LOCATIONS if p.environment is not AzureEnvironment.US_GOVERNMENT else PUBLIC_LOCATIONS
    if p.environment is not None and p.region.strip().lower() in {n for n, _ in other}:
        return ItemStatus(ItemState.PROBLEM, f"{p.region} belongs to the other Azure cloud; choose again.")
    problem = region_problem(p.region, known)
    if problem is None:
        return ItemStatus(ItemState.DONE, p.region)
    if region_problem(p.region, []) is None:
        return ItemStatus(
            ItemState.DONE, f"{p.region} isn't in the built-in list; sign in to check it's offered."
        )
    return ItemStatus(ItemState.PROBLEM, problem)


def _vm_instances(p: Profile) -> ItemStatus:
    count = p.gateway.vm_instances
    if count is None:
        return ItemStatus(ItemState.TODO, "Enter the number of VM instances (1-16).")
    if not MIN_VM_INSTANCES <= count <= MAX_VM_INSTANCES:
        return ItemStatus(ItemState.PROBLEM, f"{count} VM instances is out of range; use 1 to 16.")
    if p.gateway.peak_concurrent_clients is None and not p.checklist.vm_instances.confirmed:
        return ItemStatus(
            ItemState.TODO,
            f"{count} VM instance(s) is the default; enter the peak client count or confirm it.",
        )
    return ItemStatus(ItemState.DONE, f"{count} VM instance(s) of size {p.gateway.vm_size.value}.")


def _entra_role(p: Profile) -> ItemStatus:
    accepted = {role.value for role in EntraRole}
    roles = _data(p, "graph.roles")
    if roles is not None:
        held = [r for r in roles.get("roles", []) if r in accepted]
        if held:
            return ItemStatus(ItemState.DONE, f"The signed-in account holds {held[0]}.")
    confirmed = p.checklist.entra_role.confirmed
    if confirmed and p.entra.app_registrar_role is not None:
        reason = f"Confirmed: the app registrar holds {p.entra.app_registrar_role.value}."
        if roles is not None:
            reason += " (The signed-in account holds none of the roles.)"
        return ItemStatus(ItemState.DONE, reason)
    if roles is not None:
        return ItemStatus(
            ItemState.PROBLEM,
            "The signed-in account holds none of the app-registration roles; "
            "name who will register the apps and confirm.",
        )
    if confirmed:
        return ItemStatus(ItemState.TODO, "Choose the role the app registrar holds.")
    return ItemStatus(ItemState.TODO, "Choose the registrar's role and confirm, or sign in to check.")


def _subscription_owner(p: Profile) -> ItemStatus:
    owner = _data(p, "arm.owner")
    if owner is not None and owner.get("is_owner") is True:
        return ItemStatus(ItemState.DONE, "The signed-in account is Owner of the subscription.")
    if p.checklist.subscription_owner.confirmed:
        return ItemStatus(ItemState.DONE, "Confirmed: a subscription Owner will create the CMG.")
    if owner is not None:
        return ItemStatus(
            ItemState.PROBLEM,
            "The signed-in account isn't Owner of the subscription; use an Owner or confirm one will.",
        )
    return ItemStatus(ItemState.TODO, "Sign in to check the Owner role, or confirm an Owner is available.")


def _cmgcp_server(p: Profile) -> ItemStatus:
    servers = [s for s in p.site.cmgcp_servers if s.strip()]
    if not servers:
        return ItemStatus(ItemState.TODO, "Enter the FQDN of the server for the CMG connection point.")
    for server in servers:
        problem = fqdn_problem(server)
        if problem:
            return ItemStatus(ItemState.PROBLEM, problem)
    return ItemStatus(ItemState.DONE, ", ".join(servers))


def _internet_access(p: Profile) -> ItemStatus:
    probe = _data(p, "probe.internet")
    if probe is not None:
        failures = list(probe.get("failures", []))
        if failures:
            more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
            return ItemStatus(ItemState.PROBLEM, f"Unreachable: {failures[0]}{more}")
        return ItemStatus(ItemState.DONE, "Every probed endpoint was reachable.")
    if p.checklist.internet_access.confirmed:
        return ItemStatus(ItemState.DONE, "Confirmed: the firewall and proxy allow the endpoints.")
    return ItemStatus(ItemState.TODO, "Review the endpoints with your network team, then confirm.")


def _optional_feature(p: Profile) -> ItemStatus:
    if p.optional_feature_enabled:
        return ItemStatus(ItemState.DONE, "The VM scale set feature is turned on.")
    if p.checklist.optional_feature.confirmed:
        return ItemStatus(ItemState.TODO, "Tick that the feature is turned on once it is.")
    return ItemStatus(
        ItemState.TODO,
        "Turn on 'Cloud management gateway with virtual machine scale set', then tick it here.",
    )


_RULES = {
    "environment": _environment,
    "region": _region,
    "vm_instances": _vm_instances,
    "entra_role": _entra_role,
    "subscription_owner": _subscription_owner,
    "cmgcp_server": _cmgcp_server,
    "internet_access": _internet_access,
    "optional_feature": _optional_feature,
}


def item_status(profile: Profile, item_id: str) -> ItemStatus:
    """The computed status of checklist item ``item_id`` (KeyError for an unknown id)."""
    item = entry(item_id)
    return _draft(profile, item) or _RULES[item_id](profile)


def checklist_status(profile: Profile) -> list[tuple[ChecklistEntry, ItemStatus]]:
    """Every item in order with its status."""
    return [(item, item_status(profile, item.id)) for item in CHECKLIST_ENTRIES]
