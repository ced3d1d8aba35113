"""Part 4 rules beyond :mod:`rules_gateway`, and what the Part 4 pre-flight runs and can fix.

New rules (domain sheet §3.4, §5.4, §9 V26, V40, V42, V49):

* ``GW-SUBSCRIPTION-LIVE``: the chosen subscription is visible, enabled, and in the tenant.
* ``GW-RG-NEW-EXISTS``: a resource group to be *created* must not already exist elsewhere.
* ``GW-ALERTS``: alert thresholds are usable (GB at least 1, warning below critical).
* ``GW-CERT-LINT``: the server certificate's stored lint (Part 1) has no failure.
* ``GW-CONTENT-EARLY-VMSS``: on 2010/2103 a VM scale set CMG must serve content.
* ``GW-SUP-CMG-TRAFFIC``: listed software update points allow CMG traffic.
* ``GW-SCP``: the service connection point is named and in online mode.
* ``GW-REDEPLOY``: changing subscription, region, resource group or service name of a
  created CMG means a redeploy.

Evidence read: ``arm.subscriptions`` (``{"subscriptions": [{"id", "name", "tenant_id",
"state"}]}``, written by Part 4's "Load subscriptions"), ``arm.resource_group``,
``arm.providers``, ``arm.names`` (see :mod:`rules_gateway`, :mod:`rules_service`) and
``cert.lint`` (see :mod:`cmgtui.domain.rules.checks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cmgtui.domain.azure.cost import planned_cost
from cmgtui.domain.azure.names import derive_names, effective_service_name
from cmgtui.domain.azure.sizing import size_label
from cmgtui.domain.rules.gateway import REQUIRED_PROVIDERS
from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, evidence_age, evidence_data, is_not_applicable, rule
from cmgtui.domain.rules.versions import EARLY_VMSS_VERSIONS
from cmgtui.domain.validate import fqdn_problem, guid_problem, resource_group_problem
from cmgtui.model.enums import DeploymentMethod, VmSize
from cmgtui.model.profile import AlertThreshold, Profile

RULES: list[ProfileRule] = []
E, W = Severity.ERROR, Severity.WARNING
GW = Phase.GATEWAY


@rule(RULES, "GW-SUBSCRIPTION-LIVE", GW, E, "cmg-domain §5.4")
def subscription_live(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    sub = p.gateway.subscription_id.strip().strip("{}").lower()
    data = evidence_data(p, "arm.subscriptions")
    if data is None:
        return v.not_needed("The subscription list wasn't loaded; the Owner check (GW-OWNER) covers access.")
    if not sub or guid_problem(sub):
        return v.needs("Pick the subscription from the loaded list.")
    seen = evidence_age(p, "arm.subscriptions")
    entry = next((s for s in data.get("subscriptions", []) if str(s.get("id", "")).lower() == sub), None)
    if entry is None:
        return v.failed(f"Subscription {sub} isn't visible to the signed-in account.",
                        "Pick one from the loaded list, or sign in with an account that has access to it.", seen)
    name = entry.get("name") or sub
    if str(entry.get("state", "")).lower() != "enabled":
        return v.failed(f"Subscription {name} is {entry.get('state') or 'not enabled'}.",
                        "Choose an enabled subscription.", seen)
    tenant = p.entra.tenant_id.strip().lower()
    owner_tenant = str(entry.get("tenant_id", "")).lower()
    if tenant and owner_tenant and tenant != owner_tenant:
        return v.warned(f"Subscription {name} belongs to tenant {owner_tenant}, not to the Part 2 tenant {tenant}.",
                        "Choose a subscription of the tenant that holds the CMG apps, or correct Part 2.", seen)
    return v.passed(f"Subscription {name} is enabled" + (" and in the tenant." if tenant else "."), seen)


@rule(RULES, "GW-RG-NEW-EXISTS", GW, E, "V26")
def rg_new_exists(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    if p.gateway.use_existing_resource_group:
        return v.not_needed("An existing resource group is used (GW-RG-REGION checks it).")
    name, region = p.gateway.resource_group.strip(), p.region.strip().lower()
    if not name or not region:
        return v.needs("Enter the new resource group name and the region.")
    data = evidence_data(p, "arm.resource_group")
    if data is None or str(data.get("name", name)).lower() != name.lower():
        return v.needs(f"Run the pre-flight to see whether resource group {name} already exists.")
    seen = evidence_age(p, "arm.resource_group")
    if not data.get("exists"):
        return v.passed(f"Resource group {name} doesn't exist yet; the wizard creates it in {region}.", seen)
    location = str(data.get("location", "")).lower()
    if location != region:
        return v.failed(f"Resource group {name} already exists in '{location}', not in '{region}': the wizard "
                        "can neither create it nor deploy into it.",
                        f"Choose another name, or set the CMG region to {location}.", seen)
    return v.warned(f"Resource group {name} already exists in {location}.",
                    "Choose 'Use existing' for it, or enter a new name.", seen)


def _alert_problem(alert: AlertThreshold, what: str) -> str | None:
    if not alert.enabled:
        return None
    if alert.gigabytes is not None and alert.gigabytes < 1:
        return f"The {what} threshold must be at least 1 GB (got {alert.gigabytes})."
    for label, value in (("warning", alert.warning_percent), ("critical", alert.critical_percent)):
        if not 1 <= value <= 100:
            return f"The {what} {label} level must be 1-100 % (got {value})."
    if alert.warning_percent >= alert.critical_percent:
        return (f"The {what} warning level ({alert.warning_percent} %) must be below the critical level "
                f"({alert.critical_percent} %).")
    return None


@rule(RULES, "GW-ALERTS", GW, W, "cmg-domain §3.4")
def alerts(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    g = p.gateway
    drafts = [path for path in p.drafts if path.startswith(("gateway.traffic_alert.", "gateway.storage_alert."))]
    if drafts:
        return v.failed(f"'{p.drafts[drafts[0]]}' isn't a whole number ({drafts[0].split('.', 1)[1]}).",
                        "Enter whole numbers for the alert thresholds.")
    for alert, what in ((g.traffic_alert, "14-day outbound data"), (g.storage_alert, "storage")):
        problem = _alert_problem(alert, what)
        if problem:
            return v.failed(problem, "Correct the alert settings (defaults: warning 50 %, critical 90 %).")
    traffic = g.traffic_alert
    if not traffic.enabled:
        outbound = "no 14-day outbound alert"
    elif traffic.gigabytes is None:
        planned = planned_cost(p, None)
        outbound = (f"14-day outbound alert at cmgtui's suggested {planned.alert_gb:,} GB (Part 4, Cost)" if planned
                    else "14-day outbound alert at the console's default GB (check it in the wizard)")
    else:
        outbound = f"14-day outbound alert at {traffic.gigabytes:,} GB"
    if traffic.enabled and g.traffic_stop_service:
        outbound += ", service stops at critical"
    storage = (f"storage alert at {g.storage_alert.gigabytes or 2:,} GB" if g.storage_alert.enabled
               else "no storage alert")
    return v.passed(f"Alerts: {outbound}; {storage}.")


def cert_lint_staleness(p: Profile) -> str | None:
    """Why the stored certificate check (``cert.lint``) isn't about the current certificate, or None.

    It is stale when it was made for another service name or another certificate (thumbprint).
    """
    ev = p.evidence.get("cert.lint")
    if ev is None:
        return None
    checked = str(ev.data.get("service_name", "")).strip().lower()
    current = effective_service_name(p.certificate.service_name, p.certificate.wildcard_prefix).strip().lower()
    if checked and current and checked != current:
        return (f"Stale: the certificate was checked for {ev.data.get('service_name')}, but the service name is "
                f"now {current}; check it again in Part 1.")
    seen, mine = str(ev.data.get("thumbprint", "")).strip().lower(), p.certificate.thumbprint.strip().lower()
    if seen and mine and seen != mine:
        return (f"Stale: the check was of certificate {seen}, but the profile's certificate is {mine}; "
                "check it again in Part 1.")
    return None


@rule(RULES, "GW-CERT-LINT", GW, E, "cmg-domain §3.1")
def cert_lint(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    data = evidence_data(p, "cert.lint")
    if data is None:
        return v.needs("Load and check the server certificate (PFX) in Part 1.")
    stale = cert_lint_staleness(p)
    if stale:
        return v.needs(stale)
    raw = data.get("results")
    items = [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
    failing = [str(r.get("rule", "?")) for r in items if r.get("status") == "fail"]
    warning = [str(r.get("rule", "?")) for r in items if r.get("status") == "warn"]
    seen = evidence_age(p, "cert.lint")
    if failing:
        return v.failed(f"The server certificate fails {len(failing)} check(s): {', '.join(failing)}.",
                        "Fix the certificate in Part 1 before creating the CMG.", seen)
    if not items:
        return v.needs("Check the server certificate again in Part 1 (no stored results).")
    if data.get("lab") is True and p.gateway.vm_size is not VmSize.LAB:
        return v.warned(f"The server certificate is LAB ONLY, but the CMG is sized for production "
                        f"({size_label(p.gateway.vm_size)}): clients outside the lab don't trust its root.",
                        "Use a certificate from your PKI or a public CA for production, or choose the Lab "
                        "B2s size for a test CMG.", seen)
    extra = f" ({len(warning)} warning(s): {', '.join(warning)})" if warning else ""
    return v.passed(f"The server certificate passes its {len(items)} check(s){extra}.", seen)


@rule(RULES, "GW-CONTENT-EARLY-VMSS", GW, E, "cmg-domain §3.4")
def content_early_vmss(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    version = p.site.site_version
    if version not in EARLY_VMSS_VERSIONS or p.deployment_method is not DeploymentMethod.VMSS:
        return v.not_needed("Only a 2010/2103 VM scale set CMG must serve content.")
    if not p.gateway.content_enabled:
        return v.failed(f"On {version} a VM scale set CMG must have content enabled.",
                        "Tick 'Allow CMG to function as a cloud distribution point', or update the site.", str(version))
    return v.passed(f"Content is enabled, as {version} requires.", str(version))


@rule(RULES, "GW-SUP-CMG-TRAFFIC", GW, E, "V40")
def sup_traffic(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    sups = [s for s in p.site.software_update_points if s.strip()]
    if not sups:
        return v.not_needed("No software update point is listed for internet clients.")
    if p.gateway.sup_allows_cmg_traffic:
        return v.passed(f"Software update point(s) {', '.join(sups)} allow CMG traffic.")
    return v.needs("On each software update point listed, tick 'Allow Configuration Manager cloud management "
                   "gateway traffic', then confirm it here (SUPs behind a load balancer don't work).")


@rule(RULES, "GW-SCP", GW, E, "V42")
def service_connection_point(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    server = p.site.service_connection_point.strip()
    if not server:
        return v.needs("Enter the service connection point server (it deploys and monitors the CMG).")
    problem = fqdn_problem(server)
    if problem:
        return v.failed(problem, "Enter the server's fully qualified name.", server)
    if not p.site.scp_online:
        return v.needs(f"Confirm that the service connection point on {server} is in online mode.")
    return v.passed(f"Service connection point {server} is online.", server)


_REDEPLOY_FIELDS = (("subscription_id", "subscription"), ("region", "region"),
                    ("resource_group", "resource group"), ("service_name", "service name"))


def planned_deployment(p: Profile) -> dict[str, str]:
    """The four settings that can't change without a redeploy, as the plan now has them."""
    return {"subscription_id": p.gateway.subscription_id.strip().lower(), "region": p.region.strip().lower(),
            "resource_group": p.gateway.resource_group.strip(),
            "service_name": p.certificate.service_name.strip()}


@rule(RULES, "GW-REDEPLOY", GW, W, "V49")
def redeploy(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    deployed = p.gateway.deployed
    if deployed is None:
        return v.not_needed("The CMG hasn't been created yet.")
    plan = planned_deployment(p)
    changed = [f"{label} {getattr(deployed, key) or '(none)'} → {plan[key] or '(none)'}"
               for key, label in _REDEPLOY_FIELDS
               if (getattr(deployed, key) or "").strip().lower() != plan[key].lower()]
    if changed:
        return v.failed("This change needs a redeploy: " + "; ".join(changed) + ".",
                        "Create a new CMG and CMG connection point; keep the old CMG for at least 24 hours "
                        "until clients refresh policy, then delete it.")
    return v.passed("The plan matches the created CMG.")


# -- the pre-flight ---------------------------------------------------------------------------

#: Rules of other parts that must hold before the CMG is created (the names must be free).
PREFLIGHT_EXTRA = ("NAME-PREFIX", "NAME-AZURE-REGION", "NAME-DNS-FREE", "NAME-KEYVAULT-FREE",
                   "NAME-STORAGE-FREE", "CA-TRUSTED-ROOTS")

#: Each cloud check of the pre-flight: what it is called and the rules it feeds.
CLOUD_CHECKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "owner": ("Owner role on the subscription", ("GW-OWNER",)),
    "providers": ("resource provider registration", ("GW-PROVIDERS",)),
    "names": ("name availability (DNS label, key vault, storage)",
              ("NAME-DNS-FREE", "NAME-KEYVAULT-FREE", "NAME-STORAGE-FREE")),
    "resource_group": ("resource group location", ("GW-RG-REGION", "GW-RG-NEW-EXISTS")),
    "locations": ("regions the subscription offers", ("GW-REGION",)),
    "skus": ("VM size offered in the region", ("GW-VM-SIZE-REGION",)),
    "usages": ("vCPU quota", ("GW-VCPU-FAMILY", "GW-VCPU-REGIONAL")),
    "policies": ("Azure Policy assignments", ()),
    "dry_run": ("a dry run of the deployment (nothing is created)", ("GW-POLICY", "GW-DRY-RUN")),
}


def preflight_results(results: Iterable[RuleResult]) -> tuple[list[RuleResult], int]:
    """The pre-flight's results (Part 4 plus :data:`PREFLIGHT_EXTRA`) and how many don't apply."""
    mine = [r for r in results if r.phase is GW or r.rule in PREFLIGHT_EXTRA]
    shown = [r for r in mine if not is_not_applicable(r)]
    return shown, len(mine) - len(shown)


@dataclass(frozen=True, slots=True)
class Fixes:
    """What the pre-flight can do about its findings.

    ``providers`` and ``create_group`` change the tenant (confirm first); ``prefix_suggestion``
    is only advice: the prefix comes from the certificate CN, so it needs a new certificate.
    """

    providers: list[str] = field(default_factory=list)
    create_group: str = ""
    region: str = ""
    prefix_suggestion: str = ""
    suggested_service_name: str = ""

    @property
    def changes_tenant(self) -> bool:
        """True when there is something to register or create."""
        return bool(self.providers or self.create_group)


def fixes_for(p: Profile) -> Fixes:
    """Fixes the stored evidence supports for the plan as it is now."""
    states = {str(k).lower(): str(s) for k, s in (evidence_data(p, "arm.providers") or {}).items()}
    providers = [ns for ns in REQUIRED_PROVIDERS
                 if ns.lower() in states and states[ns.lower()].lower() != "registered"]
    group, region = p.gateway.resource_group.strip(), p.region.strip().lower()
    create = ""
    rg = evidence_data(p, "arm.resource_group")
    if (not p.gateway.use_existing_resource_group and group and region and rg is not None
            and str(rg.get("name", "")).lower() == group.lower() and not rg.get("exists")
            and resource_group_problem(group, p.site.site_version) is None):
        create = group
    suggestion, service = "", ""
    names = derive_names(p)
    found = evidence_data(p, "arm.names")
    if names is not None and found is not None and found.get("suggestion"):
        same = str(found.get("prefix", "")).lower() == names.prefix.lower()
        taken = any(found.get(k) is False for k in ("dns", "keyvault", "storage"))
        if same and taken:
            suggestion = str(found["suggestion"])
            rest = names.service_name.split(".", 1)[1] if "." in names.service_name else ""
            service = f"{suggestion}.{rest}" if rest else suggestion
    return Fixes(providers, create, region if create else "", suggestion, service)
