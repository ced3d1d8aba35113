"""Part 4 rules: site version, sizing, resource group, providers, roles (§9 V18-V28, V40).

Evidence read:

* ``arm.locations``: ``{"locations": [str, ...]}`` -- ARM location names the subscription offers.
* ``arm.providers``: ``{namespace: registrationState}``, e.g. ``{"Microsoft.Compute": "Registered"}``.
* ``arm.resource_group``: ``{"exists": bool, "location": str}`` plus optional ``"name"`` (the
  group that was looked up; a result for another name is stale).
* ``arm.owner``: ``{"is_owner": bool}``.
"""

from __future__ import annotations

from datetime import datetime

from cmgtui.domain.azure.locations import live_locations, locations_for
from cmgtui.domain.azure.sizing import (
    VMSS_GA_VERSION,
    cmgcp_needed,
    peak_clients_problem,
    per_vm_capacity,
    size_instances,
    size_label,
    vm_instances_problem,
)
from cmgtui.domain.hierarchy import connection_points, is_cas, total_peak_clients
from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, evidence_age, evidence_data, recorded_for, rule
from cmgtui.domain.validate import guid_problem, region_problem, resource_group_problem, site_code_problem
from cmgtui.model.enums import AzureEnvironment, DeploymentMethod, VmSize
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
E, W = Severity.ERROR, Severity.WARNING
GW = Phase.GATEWAY
REQUIRED_PROVIDERS = ("Microsoft.KeyVault", "Microsoft.Storage", "Microsoft.Network", "Microsoft.Compute")
USGOV_VMSS_VERSION = 2111
FIRST_VMSS_VERSION = 2010
CLASSIC_REMOVED_VERSION = 2203
_ENTER_VERSION = "Enter the site version (e.g. 2309) in the checklist."


@rule(RULES, "GW-SUBSCRIPTION", GW, E, "V30")
def subscription(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    sub = p.gateway.subscription_id.strip()
    if not sub:
        return v.needs("Enter or pick the Azure subscription ID for the CMG.")
    problem = guid_problem(sub)
    if problem:
        return v.failed(problem, "Copy the subscription ID from the Azure portal or sign in and pick it.", sub)
    return v.passed(f"Subscription {sub}.", sub)


@rule(RULES, "GW-REGION", GW, E, "cmg-domain §2 C2")
def region(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    return judge_region(v, p)


def judge_region(v: Verdicts, p: Profile) -> RuleResult:
    """The region check (§2 C2), shared by GW-REGION and the checklist's item 2.

    The subscription's live list decides when it was read for the chosen subscription;
    otherwise the environment's built-in list.
    """
    if not p.region.strip():
        return v.needs("Choose the Azure region in the checklist.")
    live = live_locations(p)
    if live and recorded_for(evidence_data(p, "arm.locations") or {}, "subscription_id", p.gateway.subscription_id):
        problem = region_problem(p.region, [name for name, _ in live])
        if problem:
            return v.failed(problem, "Choose a region the subscription offers.", evidence_age(p, "arm.locations"))
        return v.passed(f"The subscription offers {p.region}.", evidence_age(p, "arm.locations"))
    if p.environment is None:
        return v.needs("Choose the Azure environment to check the region.")
    other = (AzureEnvironment.PUBLIC if p.environment is AzureEnvironment.US_GOVERNMENT
             else AzureEnvironment.US_GOVERNMENT)
    if p.region.strip().lower() in {name for name, _ in locations_for(other)}:
        return v.failed(f"{p.region} belongs to the other Azure cloud.",
                        f"Choose a region of {p.environment.value}.", p.region)
    problem = region_problem(p.region, [name for name, _ in locations_for(p.environment)])
    form_problem = region_problem(p.region, [])
    if form_problem:
        return v.failed(form_problem, "Choose a region from the list.", p.region)
    if problem:
        return v.needs(f"{p.region} isn't in the built-in list; sign in to check the subscription offers it.")
    return v.passed(f"Region {p.region}.", p.region)


@rule(RULES, "SITE-CODE", GW, E, "V46")
def site_code(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    code = p.site.site_code.strip()
    if not code:
        return v.needs("Enter the three-character site code of the primary site.")
    problem = site_code_problem(code)
    if problem:
        return v.failed(problem, "Use the site code shown in Administration > Site Configuration > Sites.", code)
    return v.passed(f"Site code {code.upper()}.", code)


@rule(RULES, "SITE-VERSION-USGOV", GW, E, "V23")
def version_usgov(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if p.environment is None:
        return v.needs("Choose the Azure environment in the checklist.")
    if p.environment is AzureEnvironment.PUBLIC or p.deployment_method is DeploymentMethod.CLASSIC:
        return v.not_needed("Only a US Government VM scale set CMG has a minimum version.")
    version = p.site.site_version
    if version is None:
        return v.needs(_ENTER_VERSION)
    if version < USGOV_VMSS_VERSION:
        return v.failed(f"A US Government VM scale set CMG requires version {USGOV_VMSS_VERSION} or later "
                        f"(site is {version}).", f"Update the site to {USGOV_VMSS_VERSION} or later first.",
                        str(version))
    return v.passed(f"Version {version} supports US Government VM scale set CMGs.", str(version))


@rule(RULES, "SITE-VERSION-VMSS", GW, E, "V24")
def version_vmss(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    version = p.site.site_version
    if version is None:
        return v.needs(_ENTER_VERSION)
    if p.deployment_method is DeploymentMethod.CLASSIC:
        if version >= CLASSIC_REMOVED_VERSION:
            return v.failed(f"Version {version} can't create classic CMGs (removed in {CLASSIC_REMOVED_VERSION}).",
                            "Choose the virtual machine scale set deployment method.", str(version))
        return v.failed("Azure retired Cloud Services (classic) on 31 August 2024: a classic CMG can't run.",
                        f"Update the site to {VMSS_GA_VERSION} or later and choose the virtual machine scale set "
                        "deployment method.", str(version))
    if version < FIRST_VMSS_VERSION:
        return v.failed(f"Version {version} has no virtual machine scale set CMG (needs {FIRST_VMSS_VERSION}+).",
                        f"Update the site to {VMSS_GA_VERSION} or later.", str(version))
    if not p.optional_feature_enabled:
        return v.failed("The VM scale set feature isn't turned on.",
                        "Turn on 'Cloud management gateway with virtual machine scale set' first "
                        "(Administration > Updates and Servicing > Features), then tick it in the checklist.",
                        str(version))
    if version < VMSS_GA_VERSION:
        return v.warned(f"On {version} the VM scale set CMG is a pre-release feature for CSP subscriptions.",
                        f"Update to {VMSS_GA_VERSION} or later for the generally available version.", str(version))
    return v.passed(f"Version {version} with the VM scale set feature turned on.", str(version))


@rule(RULES, "GW-VM-SIZE", GW, E, "V24")
def vm_size(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    size = p.gateway.vm_size
    if size is VmSize.STANDARD:
        return v.passed(f"VM size {size_label(size)}.", size.value)
    version = p.site.site_version
    if version is None:
        return v.needs(_ENTER_VERSION)
    if version < VMSS_GA_VERSION or p.deployment_method is DeploymentMethod.CLASSIC:
        return v.failed(f"Choosing a VM size needs a VM scale set CMG on {VMSS_GA_VERSION} or later.",
                        "Use Standard A2_v2, or update the site.", size.value)
    return v.passed(f"VM size {size_label(size)}.", size.value)


@rule(RULES, "GW-VM-INSTANCES", GW, E, "V18")
def vm_instances(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    return judge_vm_instances(v, p)


def judge_vm_instances(v: Verdicts, p: Profile) -> RuleResult:
    """The VM count check (V18), shared by GW-VM-INSTANCES and the checklist's item 3."""
    draft = p.drafts.get("gateway.vm_instances")
    count = p.gateway.vm_instances
    if draft is None and count is None:
        return v.needs("Enter the number of VM instances (1-16).")
    typed = draft if draft is not None else str(count)
    problem = vm_instances_problem(typed)
    if problem:
        return v.failed(problem, "For more capacity than 16 VM instances add a second CMG.", typed)
    return v.passed(f"{count} VM instance(s).", str(count))


@rule(RULES, "GW-HA", GW, W, "V19")
def high_availability(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    count = p.gateway.vm_instances
    if count is None:
        return v.needs("Enter the number of VM instances.")
    if count < 2:
        return v.failed("A single VM has no redundancy during Azure updates.",
                        "Use at least 2 VM instances for production.", str(count))
    return v.passed(f"{count} VM instances keep the CMG up during Azure updates.", str(count))


@rule(RULES, "GW-LAB-SIZE", GW, W, "V20")
def lab_size(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if p.gateway.vm_size is VmSize.LAB:
        return v.failed("Lab size (B2s) supports about 10 clients; not for production.",
                        "Choose Standard A2_v2 or Large A4_v2 for production.", p.gateway.vm_size.value)
    return v.passed(f"{size_label(p.gateway.vm_size)} is a production size.", p.gateway.vm_size.value)


@rule(RULES, "GW-CAPACITY", GW, W, "V21")
def capacity(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    draft = p.drafts.get("gateway.peak_concurrent_clients")
    if draft is not None:
        return v.needs(peak_clients_problem(draft) or draft)
    peak, count = total_peak_clients(p), p.gateway.vm_instances
    if peak is None:
        return v.needs("Enter the peak internet clients of every primary site below the CAS." if is_cas(p)
                       else "Enter the expected peak of concurrent internet clients.")
    if count is None:
        return v.needs("Enter the number of VM instances.")
    per_vm, what = per_vm_capacity(p.gateway.vm_size, p.site.site_version, p.deployment_method)
    total = per_vm * count
    if peak > total:
        advice = size_instances(peak, p.gateway.vm_size, p.gateway.high_availability,
                                p.site.site_version, p.deployment_method)
        return v.failed(f"{peak:,} clients exceed the capacity of {count} × {what} ({total:,}).",
                        f"Use {advice.recommended} VM instances" + (
                            " and consider a larger size or a second CMG." if advice.capped else "."),
                        "; ".join(advice.steps))
    return v.passed(f"{count} × {what} serve {total:,} concurrent clients (peak {peak:,}).", f"{peak}/{total}")


@rule(RULES, "GW-CMGCP-COUNT", GW, W, "V22")
def cmgcp_count(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    servers = [cp.server for cp in connection_points(p) if cp.server]
    if not servers:
        return v.needs("Name the connection point server of each primary site below the CAS." if is_cas(p)
                       else "Enter the CMG connection point server(s) in the checklist.")
    count = p.gateway.vm_instances or 1
    needed = cmgcp_needed(count, p.gateway.high_availability, total_peak_clients(p))
    if len(servers) < needed:
        return v.failed(f"{len(servers)} CMG connection point(s) for {count} VM instance(s); {needed} recommended.",
                        "Add CMG connection points: 1 per 4 VM instances, at least 2 for high availability, "
                        "and 1 per 16,384 clients.", ", ".join(servers))
    return v.passed(f"{len(servers)} CMG connection point(s) (at least {needed} needed).", ", ".join(servers))


@rule(RULES, "GW-PROVIDERS", GW, E, "V25")
def providers(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = evidence_data(p, "arm.providers")
    if data is None:
        return v.needs("Run the Azure pre-flight to check the resource providers.")
    states = {str(k).lower(): str(s) for k, s in data.items()}
    missing = [ns for ns in REQUIRED_PROVIDERS if states.get(ns.lower(), "").lower() != "registered"]
    if missing:
        shown = ", ".join(f"{ns} ({states.get(ns.lower(), 'not reported')})" for ns in missing)
        return v.failed(f"Resource providers not registered: {shown}.",
                        f"Register provider {missing[0]} in subscription {p.gateway.subscription_id or '(chosen)'} "
                        "(Owner or Contributor can).", evidence_age(p, "arm.providers"))
    return v.passed("KeyVault, Storage, Network and Compute providers are registered.",
                    evidence_age(p, "arm.providers"))


@rule(RULES, "GW-RG-NAME", GW, E, "V27")
def rg_name(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    name = p.gateway.resource_group.strip()
    if not name:
        return v.needs("Enter the resource group name for the CMG.")
    problem = resource_group_problem(name, p.site.site_version)
    if problem:
        return v.failed(problem, "Choose a resource group name that fits these rules.", name)
    return v.passed(f"Resource group name {name}.", name)


@rule(RULES, "GW-RG-REGION", GW, E, "V26")
def rg_region(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if not p.gateway.use_existing_resource_group:
        return v.not_needed("The wizard creates a new resource group in the CMG's region.")
    name = p.gateway.resource_group.strip()
    if not name or not p.region.strip():
        return v.needs("Enter the resource group name and region to compare them.")
    data = evidence_data(p, "arm.resource_group")
    seen = evidence_age(p, "arm.resource_group")
    if data is None or ("name" in data and str(data["name"]).lower() != name.lower()):
        return v.needs(f"Run the Azure pre-flight to look up resource group {name}.")
    if not data.get("exists"):
        return v.failed(f"Resource group {name} doesn't exist.",
                        "Create it in the CMG region, or let the wizard create a new one.", seen)
    location = str(data.get("location", "")).lower()
    region_name = p.region.strip().lower()
    if location != region_name:
        return v.failed(f"Resource group is in '{location}' but CMG region is '{region_name}' -- deployment will fail.",
                        "Pick a resource group in the CMG region, or create a new one.", seen)
    return v.passed(f"Resource group {name} is in {location}.", seen)


@rule(RULES, "GW-OWNER", GW, E, "V28")
def owner(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = evidence_data(p, "arm.owner")
    if data is None or "is_owner" not in data:
        return v.needs("Sign in and run the Azure pre-flight to check the Owner role.")
    if not recorded_for(data, "subscription_id", p.gateway.subscription_id):
        return v.needs(f"Stale: the Owner role was checked on subscription {data['subscription_id']}; run the "
                       "Azure pre-flight again for the chosen subscription.")
    roles = [str(r) for r in data.get("roles", [])]
    found = f" (roles found: {', '.join(roles)})" if roles else ""
    if data["is_owner"] is True:
        return v.passed(f"The signed-in account is Owner of the subscription{found}.", evidence_age(p, "arm.owner"))
    return v.failed(f"You need the Owner role on the subscription to create the CMG{found or ' (no role found)'}.",
                    "Ask for Owner on the subscription, or have an Owner run the wizard.", evidence_age(p, "arm.owner"))


@rule(RULES, "GW-MP-CMG-TRAFFIC", GW, E, "V40")
def mp_traffic(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if p.gateway.mp_allows_cmg_traffic:
        return v.passed("The management point allows CMG traffic.")
    return v.needs("On the management point's Client Connections, tick 'Allow Configuration Manager cloud "
                   "management gateway traffic', then mark it done here.")
