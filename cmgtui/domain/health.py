"""The CMG's health after day one: one judgement, shown by ``cmgtui status`` and the Health pane.

Inputs are plain values: the profile (where the CMG lives, its certificate and secret expiry),
the Azure record :mod:`cmgtui.cloud.cmg_health` read (or why it could not be read) and the
results of the existing service-name probe rules (``PROBE-*``, :mod:`cmgtui.domain.rules.probe`).
The output is one line per finding with its fix and an overall state:

- ``healthy`` (exit 0): everything seen is as it should be;
- ``degraded`` (exit 1): clients are served, but something needs attention (an instance not
  running, a supporting resource gone, a certificate or secret expiring within 30 days);
- ``down`` (exit 1): clients can't be served (scale set missing or failed, no instance running,
  public IP or load balancer gone, the server certificate expired, the service name not answering);
- ``unknown`` (exit 2): cmgtui cannot tell (no deployment to look at, Azure could not be read).

Facts used: power and provisioning codes (MicrosoftDocs/azure-docs
``includes/virtual-machines-common-states-lifecycle.md``: a stopped VM "is not removed from the
host" and is billed for hardware, a deallocated one is removed from the host); the resources a
scale-set CMG deploys (Configuration Manager blog, "A Deep Dive look into CMG Cloud Components
(Part 2)"); all CMG traffic passes through the load balancer (domain sheet §5.1); changes made to
the CMG's resources outside ConfigMgr aren't supported (same blog; domain sheet §5.1), so every
fix goes through the console or its cmdlets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cmgtui.domain.azure.names import derive_names
from cmgtui.domain.expiry import ExpiryLevel, describe, expiry_calendar
from cmgtui.domain.rules.results import RuleResult, Severity, Status
from cmgtui.model.enums import DeploymentMethod
from cmgtui.model.profile import Profile

HEALTHY, DEGRADED, DOWN, UNKNOWN = "healthy", "degraded", "down", "unknown"
EXIT_CODES = {HEALTHY: 0, DEGRADED: 1, DOWN: 1, UNKNOWN: 2}
#: Levels of a finding, least to most serious for the overall state.
LEVELS = ("ok", "info", "warn", "fail", "unknown")

_CONSOLE = ("in the console (Administration > Cloud Services > Cloud Management Gateway) or with "
            "Start-CMCloudManagementGateway")
_REDEPLOY = ("Changes to the CMG's Azure resources made outside Configuration Manager aren't supported: "
             "redeploy the CMG from the console (delete and create it again with the same settings).")
#: Types besides the named four that a scale-set CMG's resource group holds, and what losing one does.
_BY_TYPE = (("Microsoft.Network/loadBalancers", "load balancer", True),
            ("Microsoft.Network/virtualNetworks", "virtual network", False),
            ("Microsoft.Network/networkSecurityGroups", "network security group", False))


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the health view: what was seen, how bad, and what to do."""

    id: str
    area: str  # "azure", "service" or "expiry"
    level: str  # one of LEVELS
    message: str
    fix: str = ""
    down: bool = False  # True when this finding alone means clients can't be served

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "area": self.area, "level": self.level, "message": self.message,
                "fix": self.fix, "down": self.down}


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The findings and the state they add up to."""

    state: str
    findings: list[Finding] = field(default_factory=list)
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: The CMG's scale set was found in its resource group: the CMG exists, whatever its health.
    found_deployed: bool = False

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.state]

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state, "checked_at": self.checked_at.isoformat(),
                "findings": [f.to_json() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class Location:
    """Where the CMG lives in Azure, from the profile (the deployed record first, else the plan)."""

    subscription_id: str
    resource_group: str
    prefix: str
    deployment_name: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One earlier check of the health history: when, the state, its worst finding."""

    at: datetime
    state: str
    summary: str = ""


def since(history: list[HistoryEntry], state: str) -> datetime | None:
    """When the CMG entered ``state`` and stayed in it: the first of the latest unbroken run of
    checks in that state (None for ``healthy`` or when the last recorded check was another state)."""
    if state == HEALTHY or not history or history[-1].state != state:
        return None
    start = history[-1].at
    for entry in reversed(history):
        if entry.state != state:
            break
        start = entry.at
    return start


def cmg_location(profile: Profile) -> Location | str:
    """Where to look, or a sentence saying what the profile lacks."""
    if profile.deployment_method is DeploymentMethod.CLASSIC:
        return ("cmgtui reads a virtual machine scale set CMG; a classic (cloud service) CMG has none of its "
                "resources: convert it to a scale set in the console.")
    gateway = profile.gateway
    deployed = gateway.deployed
    subscription = ((deployed.subscription_id if deployed else "") or gateway.subscription_id).strip()
    group = ((deployed.resource_group if deployed else "") or gateway.resource_group).strip()
    names = derive_names(profile)
    missing = [what for what, value in (("the service name (Part 1) and region", names),
                                        ("the subscription (Part 4)", subscription),
                                        ("the resource group (Part 4)", group)) if not value]
    if missing or names is None:
        return "cmgtui doesn't know where the CMG is: enter " + ", ".join(missing) + "."
    return Location(subscription, group, names.prefix, names.deployment_name)


def state_of(findings: list[Finding]) -> str:
    """The overall state of a list of findings."""
    if any(f.down for f in findings):
        return DOWN
    if any(f.level == "unknown" for f in findings):
        return UNKNOWN
    if any(f.level in ("warn", "fail") for f in findings):
        return DEGRADED
    return HEALTHY


def _instances(scale: dict[str, Any]) -> list[Finding]:
    instances = list(scale.get("instances", []))
    total = len(instances)
    running = [i for i in instances if i.get("power") == "PowerState/running"
               and not str(i.get("provisioning", "")).startswith("ProvisioningState/failed")]
    others = [i for i in instances if i not in running]
    if total == 0:
        return [Finding("AZ-INSTANCES", "azure", "fail", f"Scale set {scale['name']} has no instances.",
                        f"Start the CMG {_CONSOLE}.", down=True)]
    listed = ", ".join(f"instance {i['id']} {(i.get('power') or i.get('provisioning') or 'state unknown')}"
                       .replace("PowerState/", "").replace("ProvisioningState/", "provisioning ")
                       for i in others)
    if not running:
        deallocated = all(i.get("power") == "PowerState/deallocated" for i in instances)
        why = "the CMG is stopped (every instance deallocated)" if deallocated else listed
        return [Finding("AZ-INSTANCES", "azure", "fail", f"0 of {total} instances running: {why}.",
                        f"Start the CMG {_CONSOLE}; CloudMgr.log on the service connection point says why it "
                        "stopped.", down=True)]
    if others:
        return [Finding("AZ-INSTANCES", "azure", "warn", f"{len(running)} of {total} instances running ({listed}).",
                        f"Clients are served by fewer instances; stop and start the CMG {_CONSOLE} rather than "
                        "starting VMs in Azure. A stopped VM is still billed for its hardware.")]
    return [Finding("AZ-INSTANCES", "azure", "ok", f"{total} of {total} instances running.")]


def _scale_set(location: Location, record: dict[str, Any]) -> list[Finding]:
    scale = record.get("scale_set")
    if scale is None:
        return [Finding("AZ-SCALE-SET", "azure", "fail", f"Scale set {location.prefix} is missing from resource "
                        f"group {location.resource_group}.", _REDEPLOY, down=True)]
    state = scale.get("provisioning_state", "")
    if state.lower() == "failed":
        detail = next((s["message"] or s["display"] for s in scale.get("statuses", [])
                       if s.get("level") == "Error"), "")
        return [Finding("AZ-SCALE-SET", "azure", "fail", f"Scale set {scale['name']} provisioning failed"
                        + (f": {detail}" if detail else "."),
                        "Look up the failed deployment in the resource group's deployments in the Azure portal and "
                        "CloudMgr.log, fix the cause, then restart the CMG from the console.", down=True)]
    findings = [Finding("AZ-SCALE-SET", "azure", "ok", f"Scale set {scale['name']}: provisioning {state or 'unknown'}, "
                        f"{scale.get('sku') or 'size unknown'}.")]
    return findings + _instances(scale)


def _public_ip(location: Location, record: dict[str, Any]) -> Finding:
    ip = record.get("public_ip")
    if ip is None:
        return Finding("AZ-PUBLIC-IP", "azure", "fail", f"Public IP address {location.prefix} is missing: clients "
                       "can't reach the CMG.", _REDEPLOY, down=True)
    fqdn = ip.get("fqdn", "")
    message = f"Public IP {ip['name']}: {ip.get('ip_address') or 'no address yet'}, DNS label " \
              f"{ip.get('label') or 'none'} ({fqdn or 'no name'})."
    if fqdn.lower() != location.deployment_name.lower():
        return Finding("AZ-PUBLIC-IP", "azure", "fail", message + f" Clients look for {location.deployment_name}.",
                       "The public IP's DNS name must be the CMG's deployment name; " + _REDEPLOY, down=True)
    return Finding("AZ-PUBLIC-IP", "azure", "ok", message)


def _supporting(location: Location, record: dict[str, Any]) -> list[Finding]:
    findings = []
    for key, what, name in (("key_vault", "Key vault", location.prefix),
                            ("storage", "Storage account", location.prefix.lower())):
        item = record.get(key)
        if item is None:
            findings.append(Finding(f"AZ-{key.upper().replace('_', '-')}", "azure", "warn",
                                    f"{what} {name} is missing from {location.resource_group}.",
                                    "The CMG keeps serving until its instances need it again. " + _REDEPLOY))
        else:
            findings.append(Finding(f"AZ-{key.upper().replace('_', '-')}", "azure", "ok",
                                    f"{what} {item['name']} present ({item.get('provisioning_state') or 'state unknown'})."))
    types = {r.get("type", "").lower(): r.get("name", "") for r in record.get("resources", [])}
    for kind, what, fatal in _BY_TYPE:
        found = types.get(kind.lower())
        rule = "AZ-" + what.upper().replace(" ", "-")
        if found is None:
            findings.append(Finding(rule, "azure", "fail" if fatal else "warn",
                                    f"The CMG's {what} is missing from {location.resource_group}"
                                    + (": all client traffic passes through it." if fatal else "."),
                                    _REDEPLOY, down=fatal))
        else:
            findings.append(Finding(rule, "azure", "ok", f"{what.capitalize()} {found} present."))
    return findings


def azure_findings(location: Location, record: dict[str, Any] | None, error: str = "") -> list[Finding]:
    """What the Azure record says (``error``: why it could not be read)."""
    if record is None:
        return [Finding("AZ-READ", "azure", "unknown", f"Azure could not be read: {error or 'no answer'}",
                        "Sign in with an account that can read the CMG's resource group, then refresh.")]
    if not record.get("group_exists"):
        return [Finding("AZ-GROUP", "azure", "fail", f"Resource group {location.resource_group} doesn't exist in "
                        f"subscription {location.subscription_id}.",
                        "Check the subscription and resource group in Part 4; if the CMG was deleted, create it again.",
                        down=True)]
    if not record.get("resources"):
        return [Finding("AZ-GROUP", "azure", "fail", f"Resource group {location.resource_group} holds no CMG "
                        "resources.", "Create the CMG in the console (Part 4), or correct the resource group.",
                        down=True)]
    return [*_scale_set(location, record), _public_ip(location, record), *_supporting(location, record)]


def service_findings(probe_results: list[RuleResult], live: bool) -> list[Finding]:
    """The service-name probe's rule results as findings (``live``: run now rather than recorded)."""
    findings = []
    for result in probe_results:
        when = "" if live else " (last recorded probe)"
        if result.status is Status.PASS:
            findings.append(Finding(result.rule, "service", "ok", result.message + when))
        elif result.status in (Status.FAIL, Status.WARN, Status.ERROR):
            serious = result.status is not Status.WARN and result.severity is Severity.ERROR
            findings.append(Finding(result.rule, "service", "fail" if serious else "warn", result.message + when,
                                    result.fix, down=serious))
        elif all(f.message != result.message for f in findings):  # one line for rules skipped for one reason
            findings.append(Finding(result.rule, "service", "info", result.message,
                                    "" if result.fix == result.message else result.fix))
    return findings


def expiry_findings(profile: Profile, now: datetime) -> list[Finding]:
    """Certificate and secret expiry from the profile: expired, within 30 days, within 90 days."""
    findings = []
    for entry in expiry_calendar(profile, now):
        runbook = entry.runbook
        fix = f"Run 'cmgtui script --runbook {runbook}' for the steps." if runbook else "Renew it before that date."
        server_certificate = entry.what.startswith("Server authentication certificate")
        if entry.level is ExpiryLevel.EXPIRED:
            findings.append(Finding("EXPIRY", "expiry", "fail", describe(entry)
                                    + (" The CMG can't serve clients with it." if server_certificate else ""),
                                    fix, down=server_certificate))
        elif entry.level is ExpiryLevel.WITHIN_30:
            findings.append(Finding("EXPIRY", "expiry", "warn", describe(entry), fix))
        elif entry.level in (ExpiryLevel.WITHIN_60, ExpiryLevel.WITHIN_90):
            findings.append(Finding("EXPIRY", "expiry", "info", describe(entry), fix))
    return findings


def assess(profile: Profile, record: dict[str, Any] | None, *, error: str = "",
           probe_results: list[RuleResult] | None = None, live_probe: bool = False,
           now: datetime | None = None) -> HealthReport:
    """The health of the profile's CMG from what was read: the one judgement the CLI and the pane show."""
    moment = now or datetime.now(UTC)
    location = cmg_location(profile)
    if isinstance(location, str):
        findings = [Finding("AZ-WHERE", "azure", "unknown", location,
                            "Fill in Parts 1 and 4 (or mark the CMG deployed in Part 4), then check again.")]
    else:
        findings = azure_findings(location, record, error)
    findings += service_findings(probe_results or [], live_probe)
    findings += expiry_findings(profile, moment)
    found = record is not None and bool(record.get("group_exists")) and record.get("scale_set") is not None
    return HealthReport(state_of(findings), findings, moment, found_deployed=found)
