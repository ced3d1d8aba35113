"""Gather every piece of cloud evidence the rules need, concurrently.

One function feeds the checklist's live checks, Part 4's pre-flight and ``cmgtui check``,
so the three show the same results. Independent calls run at the same time; a failure of
one (a 403 on role assignments, say) is reported and does not stop the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cmgtui.cloud import evidence as ev
from cmgtui.cloud.credentials import CloudSession
from cmgtui.cloud.errors import CloudError
from cmgtui.domain.azure.names import PREFIX_PATTERN, derive_names
from cmgtui.model import Evidence, Profile

if TYPE_CHECKING:
    from cmgtui.cloud.arm import ArmGateway

LogFn = Callable[[str], None]
#: How many regions near the chosen one the VM size check also reads (to suggest where it is offered).
NEARBY = 6

#: What :func:`gather` can check; each name is also the evidence key's suffix.
CHECKS = ("roles", "organization", "subscriptions", "owner", "locations", "providers", "names",
          "resource_group", "skus", "usages", "policies", "dry_run")


@dataclass
class GatherResult:
    """Evidence collected, the subscription it is about, and the checks that failed."""

    subscription_id: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    errors: list[tuple[str, CloudError]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _quiet(_line: str) -> None:
    """A log sink that drops lines."""


async def choose_subscription(session: CloudSession, wanted: str, log: LogFn) -> str:
    """``wanted`` if given, else the first enabled subscription the principal can see."""
    from cmgtui.cloud.arm import ArmGateway

    if wanted:
        return wanted
    async with ArmGateway(session) as arm:
        subscriptions = await arm.list_subscriptions()
    enabled = [s for s in subscriptions if s.state == "Enabled"]
    if not enabled:
        raise CloudError("not_found", "No enabled Azure subscription is visible to this account.",
                         "Sign in with an account that has access to the CMG subscription.")
    log(f"Using subscription {enabled[0].display_name} ({enabled[0].subscription_id}); "
        "set it in Part 4 to choose another.")
    return enabled[0].subscription_id


async def _dry_run(arm: ArmGateway, sub: str, profile: Profile, prefix: str, log: LogFn) -> Evidence:
    """Validate the CMG's template with Resource Manager (nothing is created) and record the verdict."""
    from cmgtui.domain.azure.compute import sku_name
    from cmgtui.domain.azure.dry_run import (
        DryRunVerdict,
        cmg_resources,
        deployment_name,
        read_validation_error,
        resource_group_template,
        subscription_template,
    )

    region, group = profile.region.strip().lower(), profile.gateway.resource_group.strip()
    tags = dict(profile.gateway.tags)
    resources = cmg_resources(prefix, region, tags, sku_name(profile.gateway.vm_size, profile.site.site_version),
                              profile.gateway.vm_instances or 1)
    existing = await arm.get_resource_group(sub, group)
    name = deployment_name(prefix)
    log("Validating the CMG deployment with Resource Manager (a dry run: nothing is created)")
    if existing is not None:
        error = await arm.validate_deployment(sub, name, resource_group_template(resources),
                                              resource_group=existing.name)
    else:
        error = await arm.validate_deployment(sub, name, subscription_template(group, region, tags, resources),
                                              location=region)
    verdict = read_validation_error(error) if error else DryRunVerdict(True)
    types: dict[str, list[str]] = {group: ["Microsoft.Resources/resourceGroups"]}
    for res in resources:
        types.setdefault(str(res["name"]), []).append(str(res["type"]))
    plan = {"region": region, "resource_group": group, "prefix": prefix, "tags": tags}
    return ev.dry_run_evidence(sub, plan, verdict, types)


async def gather(session: CloudSession, profile: Profile, *, only: tuple[str, ...] = CHECKS,
                 log: LogFn = _quiet) -> GatherResult:
    """Run the requested checks for ``profile`` concurrently and return their evidence."""
    from cmgtui.cloud.arm import ArmGateway
    from cmgtui.cloud.graph import GraphGateway

    result = GatherResult()
    arm_needed = set(only) & {"owner", "locations", "providers", "names", "resource_group", "skus", "usages",
                              "policies", "dry_run"}
    if arm_needed:
        result.subscription_id = await choose_subscription(session, profile.gateway.subscription_id, log)
    sub = result.subscription_id
    names = derive_names(profile)
    region = profile.region.strip()
    group = profile.gateway.resource_group.strip()

    async with ArmGateway(session) as arm, GraphGateway(session) as graph:
        jobs: dict[str, Callable[[], Awaitable[Evidence]]] = {}

        async def roles() -> Evidence:
            return ev.roles_evidence(await graph.signed_in_user())

        async def organization() -> Evidence:
            return ev.organization_evidence(await graph.organization())

        async def subscriptions() -> Evidence:
            return ev.subscriptions_evidence(await arm.list_subscriptions())

        async def owner() -> Evidence:
            return ev.owner_evidence(await arm.is_owner(sub))

        async def locations() -> Evidence:
            return ev.locations_evidence(sub, await arm.list_locations(sub), session.environment)

        async def providers() -> Evidence:
            return ev.providers_evidence(sub, await arm.provider_states(sub))

        async def name_check() -> Evidence:
            assert names is not None
            return ev.names_evidence(await arm.check_all_names(sub, names.prefix.lower(), region, log=log))

        async def resource_group() -> Evidence:
            return ev.resource_group_evidence(await arm.check_resource_group(sub, group, region))

        async def skus() -> Evidence:
            from cmgtui.domain.azure.compute import cmg_skus, nearby_regions
            from cmgtui.domain.azure.locations import locations_for

            here = region.lower()
            regions = [here, *nearby_regions(here, [n for n, _ in locations_for(profile.environment)], NEARBY)]
            offers = await arm.resource_skus(sub, tuple(cmg_skus(profile.site.site_version)), regions)
            return ev.skus_evidence(sub, region, offers, regions)

        async def usages() -> Evidence:
            return ev.usages_evidence(sub, region, await arm.compute_usages(sub, region.lower()))

        async def policies() -> Evidence:
            return ev.policies_evidence(sub, await arm.policy_assignments(sub))

        async def dry_run() -> Evidence:
            assert names is not None
            return await _dry_run(arm, sub, profile, names.prefix, log)

        available = {"roles": roles, "organization": organization, "subscriptions": subscriptions, "owner": owner,
                     "locations": locations, "providers": providers}
        if session.app_only:
            from cmgtui.cloud.graph import APP_ONLY_SKIPS

            del available["roles"]
            if "roles" in only:
                result.skipped.append(f"{', '.join(APP_ONLY_SKIPS)}: a service principal sign-in has no "
                                      "signed-in user; sign in as the Entra administrator (device code or "
                                      "Azure CLI) to check them")
        if names is not None and region and PREFIX_PATTERN.match(names.prefix.lower()):
            available["names"] = name_check
        elif "names" in only:
            result.skipped.append("names (needs a valid service name prefix, environment and region)")
        if region:
            available.update(skus=skus, usages=usages)
        else:
            result.skipped += [f"{what} (needs the region)" for key, what in
                               (("skus", "VM size"), ("usages", "vCPU quota")) if key in only]
        available["policies"] = policies
        if names is not None and region and group and PREFIX_PATTERN.match(names.prefix.lower()):
            available["dry_run"] = dry_run
        elif "dry_run" in only:
            result.skipped.append("dry run (needs a valid service name prefix, the region and the resource group)")
        if group and region:
            available["resource_group"] = resource_group
        elif "resource_group" in only:
            result.skipped.append("resource group (needs its name and the region)")
        jobs = {key: job for key, job in available.items() if key in only}

        async def run(key: str, job: Callable[[], Awaitable[Evidence]]) -> None:
            log(f"Checking {key.replace('_', ' ')}…")
            try:
                found = await job()
            except CloudError as error:
                result.errors.append((key, error))
                log(f"{key.replace('_', ' ')}: {error.message}")
                return
            result.evidence.append(found)
            log(f"{key.replace('_', ' ')}: {found.summary}")

        await asyncio.gather(*(run(key, job) for key, job in jobs.items()))
    return result
