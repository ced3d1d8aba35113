"""Turn gateway results into the profile ``Evidence`` records the domain rules read.

The rules in ``cmgtui.domain`` (V15-V17 names, V25 providers, V26 resource group, V28 Owner,
V29 roles, V31-V36 apps, the region check) judge ``profile.evidence[key].data``; this module
is the one place that knows those keys and shapes, so a screen, a worker and ``cmgtui check``
feed the rules identically. Each function returns an Evidence whose ``source`` is its key.
"""

from __future__ import annotations

from collections.abc import Iterable

from cmgtui.cloud.models import (
    GroupPlacement,
    Location,
    NameReport,
    Organization,
    OwnerCheck,
    ProviderState,
    SignedInUser,
    Subscription,
)
from cmgtui.model.enums import AzureEnvironment
from cmgtui.model.profile import Evidence

_NAME_KEYS = {"dns_label": "dns", "key_vault": "keyvault", "storage": "storage"}


def locations_evidence(subscription_id: str, locations: Iterable[Location],
                       environment: AzureEnvironment | None = None) -> Evidence:
    """``arm.locations``: the region names the subscription offers, their display names, and the
    cloud they were read in (a list from the other cloud is stale for the plan)."""
    found = list(locations)
    data: dict[str, object] = {"locations": [loc.name for loc in found], "subscription_id": subscription_id,
                               "display_names": {loc.name: loc.display_name for loc in found if loc.display_name}}
    if environment is not None:
        data["environment"] = environment.value
    return Evidence(source="arm.locations", summary=f"{len(found)} regions offered", data=data)


def providers_evidence(subscription_id: str, states: Iterable[ProviderState]) -> Evidence:
    """``arm.providers``: ``{namespace: registrationState}``."""
    data = {s.namespace: s.state for s in states}
    missing = [ns for ns, state in data.items() if state != "Registered"]
    summary = "all registered" if not missing else f"not registered: {', '.join(missing)}"
    return Evidence(source="arm.providers", summary=summary, data=data)


def resource_group_evidence(placement: GroupPlacement) -> Evidence:
    """``arm.resource_group``: whether the named group exists and where."""
    summary = (f"{placement.name} in {placement.location}" if placement.exists
               else f"{placement.name} does not exist")
    return Evidence(source="arm.resource_group", summary=summary, data={
        "name": placement.name, "exists": placement.exists, "location": placement.location})


def owner_evidence(check: OwnerCheck) -> Evidence:
    """``arm.owner``: whether the signed-in principal is subscription Owner."""
    return Evidence(source="arm.owner", summary=check.evidence, data={
        "is_owner": check.is_owner, "subscription_id": check.subscription_id})


def names_evidence(report: NameReport) -> Evidence:
    """``arm.names``: availability per name kind for the checked prefix (and a suggestion)."""
    data: dict[str, object] = {"prefix": report.prefix, "region": report.region,
                               "suggestion": report.suggestion}
    for check in report.checks:
        data[_NAME_KEYS[check.kind]] = check.available
    taken = [c.kind for c in report.checks if not c.available]
    summary = "all free" if not taken else f"taken: {', '.join(taken)}"
    return Evidence(source="arm.names", summary=summary, data=data)


def organization_evidence(org: Organization) -> Evidence:
    """``graph.organization``: tenant ID and verified domains."""
    return Evidence(source="graph.organization", summary=f"{org.display_name} ({org.tenant_id})", data={
        "tenant_id": org.tenant_id, "display_name": org.display_name,
        "verified_domains": list(org.verified_domains), "initial_domain": org.initial_domain})


def roles_evidence(user: SignedInUser) -> Evidence:
    """``graph.roles``: the signed-in user's CMG-relevant directory roles."""
    return Evidence(source="graph.roles", summary=", ".join(user.roles) or "no admin roles", data={
        "roles": list(user.roles), "user": user.user_principal_name})


def subscriptions_evidence(subscriptions: list[Subscription]) -> Evidence:
    """``arm.subscriptions``: every visible subscription with its tenant and state."""
    items = [{"id": s.subscription_id, "name": s.display_name, "tenant_id": s.tenant_id, "state": s.state}
             for s in subscriptions]
    enabled = sum(s.enabled for s in subscriptions)
    return Evidence(source="arm.subscriptions", summary=f"{len(items)} subscription(s), {enabled} enabled",
                    data={"subscriptions": items})
