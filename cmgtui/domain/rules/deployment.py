"""Part 4 rules for what really fails a CMG deployment in Azure (domain sheet §5.5, §0.2).

* ``GW-VM-SIZE-REGION``: the size ConfigMgr deploys is offered to the subscription in the region
  (Compute resource SKUs, ``restrictions`` ``NotAvailableForSubscription`` / ``QuotaId``).
* ``GW-VCPU-FAMILY`` / ``GW-VCPU-REGIONAL``: instances × vCPUs fit the size family's quota and
  the regional total (Compute usages), via :func:`cmgtui.domain.azure.compute.vcpu_quota_checks`.
* ``GW-POLICY``: Resource Manager's validation of the CMG's template (a dry run) meets no policy
  denial (``RequestDisallowedByPolicy``).
* ``GW-DRY-RUN``: the dry run reports no other validation error.
* ``GW-PUBLIC-IP-2503``: the 2503 update rollup's public IP maintenance failure, fixed by the
  2503 hotfix KB35958849 that 2509 includes.
* ``GW-CLASSIC-RETIRED``: Azure Cloud Services (classic) is retired; a classic CMG no longer runs.

Evidence read (written by :mod:`cmgtui.cloud.evidence`):
``arm.skus`` ``{"subscription_id", "region", "offered": {sku: [region]}, "restricted": {sku:
{region: reasonCode}}}``; ``arm.usages`` ``{"subscription_id", "region", "usages": {name:
{"limit", "used"}}}``; ``arm.dry_run`` ``{"subscription_id", "region", "resource_group",
"prefix", "tags", "valid", "denials": [{"assignment", "effect", "resource", "definition"}],
"errors": [{"code", "message", "target"}]}``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from cmgtui.domain.azure.compute import (
    deployed_size,
    sku_name,
    nearby_regions,
    offered_sizes,
    vcpu_quota_checks,
)
from cmgtui.domain.azure.dry_run import TYPE_LABELS
from cmgtui.domain.azure.locations import display_region
from cmgtui.domain.azure.names import derive_names
from cmgtui.domain.azure.sizing import size_label
from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, evidence_age, evidence_data, recorded_for, rule
from cmgtui.domain.rules.versions import PUBLIC_IP_FIXED_VERSION, PUBLIC_IP_HOTFIX, PUBLIC_IP_ISSUE_VERSION
from cmgtui.model.enums import DeploymentMethod
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
E, W = Severity.ERROR, Severity.WARNING
GW = Phase.GATEWAY


def _current(p: Profile, key: str) -> dict[str, Any] | None:
    """Evidence ``key`` when it was read for the plan's subscription and region, else None."""
    data = evidence_data(p, key)
    if data is None:
        return None
    if not recorded_for(data, "subscription_id", p.gateway.subscription_id):
        return None
    if not recorded_for(data, "region", p.region):
        return None
    return data


def _vmss(p: Profile) -> bool:
    return p.deployment_method is DeploymentMethod.VMSS


@rule(RULES, "GW-VM-SIZE-REGION", GW, E, "cmg-domain §5.5")
def size_in_region(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _vmss(p):
        return v.not_needed("Only a VM scale set CMG has a VM size to check.")
    region = p.region.strip().lower()
    if not region:
        return v.needs("Choose the Azure region in the checklist.")
    data = _current(p, "arm.skus")
    if data is None:
        return v.needs("Run the pre-flight signed in to check the VM size is offered in the region.")
    size = deployed_size(p.gateway.vm_size, p.site.site_version)
    sku = sku_name(p.gateway.vm_size, p.site.site_version)
    offered: dict[str, list[str]] = {k.lower(): list(r) for k, r in (data.get("offered") or {}).items()}
    restricted: dict[str, dict[str, str]] = {k.lower(): dict(r) for k, r in (data.get("restricted") or {}).items()}
    seen = evidence_age(p, "arm.skus")
    if region in offered.get(sku.lower(), []):
        return v.passed(f"{sku} ({size_label(size)}) is offered to the subscription in {region}.", seen)
    reason = restricted.get(sku.lower(), {}).get(region, "")
    why = f" ({reason})" if reason else " (not listed for the region)"
    near = nearby_regions(region, offered.get(sku.lower(), []))
    version = p.site.site_version
    others = [f"{size_label(s)} ({sku_name(s, version)})" for s in offered_sizes(version)
              if s is not size and region in offered.get(sku_name(s, version).lower(), [])]
    fix = []
    if near:
        fix.append(f"choose a region where it is offered, such as {', '.join(near)}")
    if others:
        fix.append(f"choose another size offered in {region}: {', '.join(others)}")
    fix.append("or ask Microsoft Support for an exception")
    text = "; ".join(fix)
    return v.failed(f"The VM size {sku} is currently not available in the region {display_region(p)} for this "
                    f"subscription{why}: the CMG deployment would fail.", text[0].upper() + text[1:] + ".", seen)


def _quota_rule(v: Verdicts, p: Profile, which: str) -> RuleResult:
    if not _vmss(p):
        return v.not_needed("Only a VM scale set CMG uses vCPU quota in the subscription.")
    instances = p.gateway.vm_instances
    if instances is None or "gateway.vm_instances" in p.drafts:
        return v.needs("Enter the VM instance count.")
    data = _current(p, "arm.usages")
    if data is None:
        return v.needs("Run the pre-flight signed in to check the vCPU quota in the region.")
    usages = {str(k): dict(u) for k, u in (data.get("usages") or {}).items() if isinstance(u, dict)}
    checks = vcpu_quota_checks(instances, p.gateway.vm_size, usages, p.site.site_version)
    check = next((c for c in checks if (c.name == "cores") == (which == "regional")), None)
    seen = evidence_age(p, "arm.usages")
    if check is None:
        return v.needs("The region's usages list no quota for this; run the pre-flight again.")
    what = f"{instances} × {sku_name(p.gateway.vm_size, p.site.site_version)}"
    if check.shortfall:
        result = v.failed(
            f"{check.label} ({check.name}) in {p.region}: {what} needs {check.needed} vCPUs, but only "
            f"{check.free} of {check.limit} are free ({check.used} used); {check.shortfall} short.",
            f"Before creating the CMG, request a quota increase in the Azure portal (Quotas, Compute): "
            f"{check.label} ({check.name}) in {p.region} to at least {check.new_limit}. Or use fewer instances.",
            seen)
    else:
        result = v.passed(f"{check.label}: {what} needs {check.needed} vCPUs; {check.free} of "
                          f"{check.limit} are free.", seen)
    return replace(result, numbers=check.numbers())


@rule(RULES, "GW-VCPU-FAMILY", GW, E, "cmg-domain §5.5")
def vcpu_family(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    return _quota_rule(v, p, "family")


@rule(RULES, "GW-VCPU-REGIONAL", GW, E, "cmg-domain §5.5")
def vcpu_regional(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    return _quota_rule(v, p, "regional")


def _dry_run(p: Profile) -> dict[str, Any] | None:
    """The dry run's evidence when it was for the current plan (subscription, region, group, prefix, tags)."""
    data = _current(p, "arm.dry_run")
    if data is None:
        return None
    names = derive_names(p)
    if names is None or not recorded_for(data, "prefix", names.prefix):
        return None
    if not recorded_for(data, "resource_group", p.gateway.resource_group):
        return None
    if dict(data.get("tags") or {}) != dict(p.gateway.tags):
        return None
    return data


def _resource(name: str, data: dict[str, Any]) -> str:
    """``key vault, storage account grcmg``: what a denied name is (several CMG resources share the prefix)."""
    kinds = (data.get("resource_types") or {}).get(name) or []
    labels = ", ".join(TYPE_LABELS.get(str(k), str(k)) for k in kinds)
    return f"{labels} {name}".strip() if name else "a resource"


@rule(RULES, "GW-POLICY", GW, E, "cmg-domain §5.5")
def policy(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _vmss(p):
        return v.not_needed("The dry run covers a VM scale set CMG.")
    data = _dry_run(p)
    if data is None:
        return v.needs("Run the pre-flight signed in: it validates the CMG's deployment with Resource "
                       "Manager (a dry run; nothing is created).")
    seen = evidence_age(p, "arm.dry_run")
    denials = [d for d in data.get("denials") or [] if isinstance(d, dict)]
    if denials:
        denied: dict[tuple[str, str], list[str]] = {}
        for d in denials:
            names = denied.setdefault((str(d.get("assignment")), str(d.get("effect") or "deny")), [])
            if str(d.get("resource", "")) not in names:
                names.append(str(d.get("resource", "")))
        every = {n for n in (data.get("resource_types") or {}) if "Microsoft.Resources/resourceGroups"
                 not in (data.get("resource_types") or {}).get(n, [])}
        parts = []
        for (assignment, effect), names in denied.items():
            what = ("every CMG resource" if every and set(names) >= every
                    else "the " + "; the ".join(_resource(n, data) for n in names))
            parts.append(f"'{assignment}' ({effect}) denies {what}")
        return v.failed("Azure Policy would stop the deployment (RequestDisallowedByPolicy): " + "; ".join(parts) + ".",
                        "Ask the policy owner for an exemption for the CMG's resource group, or change what the "
                        "policy needs (the region, or the tags in Part 4), then run the pre-flight again.", seen)
    return v.passed("No Azure Policy assignment denies the CMG's resources (dry run; nothing was created).", seen)


@rule(RULES, "GW-DRY-RUN", GW, E, "cmg-domain §5.5")
def dry_run(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not _vmss(p):
        return v.not_needed("The dry run covers a VM scale set CMG.")
    data = _dry_run(p)
    if data is None:
        return v.needs("Run the pre-flight signed in: it validates the CMG's deployment with Resource "
                       "Manager (a dry run; nothing is created).")
    seen = evidence_age(p, "arm.dry_run")
    errors = [e for e in data.get("errors") or [] if isinstance(e, dict)]
    if errors:
        parts = [f"{e.get('code')}: {e.get('message')}" for e in errors[:3]]
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        return v.failed("Resource Manager's validation of the CMG deployment failed: " + " | ".join(parts) + more,
                        "Correct what each error names, then run the pre-flight again.", seen)
    if data.get("denials"):
        return v.passed("Apart from the Azure Policy denials (GW-POLICY), Resource Manager found no error in the "
                        "CMG deployment (dry run; nothing was created).", seen)
    return v.passed("Resource Manager validated the CMG deployment (dry run; nothing was created).", seen)


@rule(RULES, "GW-PUBLIC-IP-2503", GW, W, "cmg-domain §0.2")
def public_ip_2503(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    version = p.site.site_version
    if version is None:
        return v.needs("Enter the site version (Part 4, Site) for the version-specific warnings.")
    if version < PUBLIC_IP_ISSUE_VERSION or not _vmss(p):
        return v.not_needed(f"The public IP maintenance issue starts with the {PUBLIC_IP_ISSUE_VERSION} update rollup.")
    if version >= PUBLIC_IP_FIXED_VERSION:
        return v.passed(f"{version} includes the fix for the {PUBLIC_IP_ISSUE_VERSION} public IP maintenance "
                        f"issue ({PUBLIC_IP_HOTFIX}).", str(version))
    return v.failed(f"On {version} with the update rollup, the CMG's maintenance task can fail to update the "
                    "public IP on availability-zone constraints (CloudMgr.log: DeploymentFailed every 20 minutes).",
                    f"Install hotfix {PUBLIC_IP_HOTFIX} or update to {PUBLIC_IP_FIXED_VERSION}; new CMGs are "
                    "not affected.", str(version))


@rule(RULES, "GW-CLASSIC-RETIRED", GW, E, "cmg-domain §0.2")
def classic_retired(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if p.deployment_method is not DeploymentMethod.CLASSIC:
        return v.not_needed("The CMG is a VM scale set.")
    return v.failed("Azure Cloud Services (classic) was retired on 2024-08-31: a classic CMG no longer runs and "
                    "can't be created.",
                    "Plan a VM scale set CMG: create it with its own connection point, wait at least 24 hours "
                    "for clients to refresh policy, then delete the classic one.")
