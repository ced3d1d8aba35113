"""Turn gateway results into the profile ``Evidence`` records the domain rules read.

The rules in ``cmgtui.domain`` (V15-V17 names, V25 providers, V26 resource group, V28 Owner,
V29 roles, V31-V36 apps, the region check) judge ``profile.evidence[key].data``; this module
is the one place that knows those keys and shapes, so a screen, a worker and ``cmgtui check``
feed the rules identically. Each function returns an Evidence whose ``source`` is its key.
"""

from __future__ import annotations

from collections.abc import Iterable

from cmgtui.cloud.errors import CloudError
from cmgtui.cloud.models import (
    GroupPlacement,
    Location,
    NameReport,
    Organization,
    OwnerCheck,
    PolicyAssignment,
    ProviderState,
    SignedInUser,
    SkuOffer,
    Subscription,
    Usage,
)
from cmgtui.domain.azure.dry_run import DryRunVerdict
from cmgtui.domain.rules.rulebook import error_evidence_data
from cmgtui.model.enums import AzureEnvironment
from cmgtui.model.profile import Evidence

#: The evidence key each :func:`cmgtui.cloud.preflight.gather` check records.
GATHER_SOURCES = {"roles": "graph.roles", "organization": "graph.organization", "owner": "arm.owner",
                  "locations": "arm.locations", "providers": "arm.providers", "names": "arm.names",
                  "resource_group": "arm.resource_group", "skus": "arm.skus", "usages": "arm.usages",
                  "policies": "arm.policies", "dry_run": "arm.dry_run"}

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
        "is_owner": check.is_owner, "subscription_id": check.subscription_id, "roles": list(check.roles)})


def names_evidence(report: NameReport) -> Evidence:
    """``arm.names``: availability per name kind for the checked prefix (and a suggestion)."""
    data: dict[str, object] = {"prefix": report.prefix, "region": report.region,
                               "suggestion": report.suggestion}
    not_registered: dict[str, str] = {}
    for check in report.checks:
        if check.unregistered_namespace:
            # Unknown, not taken: the rules then ask to register the namespace first.
            not_registered[_NAME_KEYS[check.kind]] = check.unregistered_namespace
        else:
            data[_NAME_KEYS[check.kind]] = check.available
    if not_registered:
        data["not_registered"] = not_registered
    taken = [c.kind for c in report.checks if not c.available and not c.unregistered_namespace]
    parts = [f"register {ns} first" for ns in sorted(set(not_registered.values()))]
    parts += [f"taken: {', '.join(taken)}"] if taken else []
    summary = "; ".join(parts) or "all free"
    return Evidence(source="arm.names", summary=summary, data=data)


def skus_evidence(subscription_id: str, region: str, offers: Iterable[SkuOffer], regions: list[str]) -> Evidence:
    """``arm.skus``: the ``regions`` read and, per CMG size, those that offer it and the
    restriction reason in the others."""
    found = list(offers)
    here = [o.name.removeprefix("Standard_") for o in found if region.lower() in o.offered]
    summary = f"{', '.join(here)} offered in {region}" if here else f"no CMG size offered in {region}"
    return Evidence(source="arm.skus", summary=summary, data={
        "subscription_id": subscription_id, "region": region.lower(), "regions": list(regions),
        "offered": {o.name: sorted(o.offered) for o in found},
        "restricted": {o.name: dict(o.restricted) for o in found}})


def usages_evidence(subscription_id: str, region: str, usages: Iterable[Usage]) -> Evidence:
    """``arm.usages``: ``{name: {"limit", "used"}}`` of the region's compute quotas."""
    data = {u.name: {"limit": u.limit, "used": u.used} for u in usages if u.name}
    cores = data.get("cores")
    summary = (f"{cores['used']}/{cores['limit']} regional vCPUs used" if cores
               else f"{len(data)} quotas in {region}")
    return Evidence(source="arm.usages", summary=summary, data={
        "subscription_id": subscription_id, "region": region.lower(), "usages": data})


def policies_evidence(subscription_id: str, assignments: Iterable[PolicyAssignment]) -> Evidence:
    """``arm.policies``: the assignments that apply and the tag names enforced ones require."""
    found = list(assignments)
    tags = sorted({t for a in found if a.enforced for t in a.required_tags})
    summary = f"{len(found)} assignment(s)" + (f"; tags: {', '.join(tags)}" if tags else "")
    return Evidence(source="arm.policies", summary=summary, data={
        "subscription_id": subscription_id, "required_tags": tags,
        "assignments": [{"name": a.display_name, "enforced": a.enforced, "required_tags": a.required_tags}
                        for a in found]})


def dry_run_evidence(subscription_id: str, plan: dict[str, object], verdict: DryRunVerdict,
                     resource_types: dict[str, list[str]]) -> Evidence:
    """``arm.dry_run``: the plan it validated (``region``, ``resource_group``, ``prefix``, ``tags``),
    the policy denials and every other validation error."""
    summary = ("valid; nothing was created" if verdict.valid
               else f"{len(verdict.denials)} denied by policy, {len(verdict.errors)} other error(s)")
    return Evidence(source="arm.dry_run", summary=summary, data={
        "subscription_id": subscription_id, **plan, "valid": verdict.valid, "resource_types": resource_types,
        "denials": [{"assignment": d.assignment, "effect": d.effect, "resource": d.resource,
                     "definition": d.definition} for d in verdict.denials],
        "errors": list(verdict.errors)})


def organization_evidence(org: Organization) -> Evidence:
    """``graph.organization``: tenant ID and verified domains."""
    return Evidence(source="graph.organization", summary=f"{org.display_name} ({org.tenant_id})", data={
        "tenant_id": org.tenant_id, "display_name": org.display_name,
        "verified_domains": list(org.verified_domains), "initial_domain": org.initial_domain})


def roles_evidence(user: SignedInUser) -> Evidence:
    """``graph.roles``: the signed-in user's CMG-relevant directory roles."""
    summary = ", ".join(user.roles) or "no admin roles"
    if user.eligible_roles:
        summary += f"; eligible (not active): {', '.join(user.eligible_roles)}"
    return Evidence(source="graph.roles", summary=summary, data={
        "roles": list(user.roles), "eligible_roles": list(user.eligible_roles),
        "user": user.user_principal_name})


def subscriptions_evidence(subscriptions: list[Subscription]) -> Evidence:
    """``arm.subscriptions``: every visible subscription with its tenant and state."""
    items = [{"id": s.subscription_id, "name": s.display_name, "tenant_id": s.tenant_id, "state": s.state}
             for s in subscriptions]
    enabled = sum(s.enabled for s in subscriptions)
    return Evidence(source="arm.subscriptions", summary=f"{len(items)} subscription(s), {enabled} enabled",
                    data={"subscriptions": items})


def error_evidence(check: str, error: CloudError) -> Evidence:
    """The record of a ``gather`` check that could not run: the rules reading it report ERROR."""
    source = GATHER_SOURCES.get(check, check)
    return Evidence(source=source, summary=f"could not run: {error.message}",
                    data=error_evidence_data(error.message, error.what_to_do))


def missing_apps_evidence(server_app_id: str, client_app_id: str, error: CloudError) -> Evidence:
    """``graph.apps`` after a verification found no app with one of the IDs: the app rules fail."""
    return Evidence(source="graph.apps", summary=error.message, data={
        "server_app_id": server_app_id.strip(), "client_app_id": client_app_id.strip(), "missing": error.message})


def gathered_evidence(found: Iterable[Evidence], errors: Iterable[tuple[str, CloudError]]) -> list[Evidence]:
    """What a ``gather`` run observed, a check that could not run included as its error record.

    Recording both keeps the latest evidence of every check the truth: a failed re-run does not
    leave an older success standing, and the rules reading it report ``error``.
    """
    return [*found, *(error_evidence(check, error) for check, error in errors)]
