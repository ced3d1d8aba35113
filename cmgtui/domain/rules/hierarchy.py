"""Hierarchy rules: where the CMG is created, which primaries need a CMG connection point,
and that secondary sites (and a CAS) host none (domain sheet §3.4, §6).

memdocs ``cmg/plan-hierarchy-design.md``: "Create the CMG at the top-tier site of your
hierarchy. If that's a CAS, then create CMG connection points at child primary sites."
``cmg/setup-cloud-management-gateway.md``: the CMG is set up "on the top-level site. That site
is either a standalone primary site, or the central administration site."
``plan-design/configs/includes/scale-cmgcp.md``: connection points are installed "at primary
sites". ``cmg/plan-cloud-management-gateway.md``: a scale set CMG on 2010 and 2103 "is only
supported with a standalone primary site". Sizing for every primary's clients is :func:`cmgtui.domain.hierarchy.total_peak_clients`,
which GW-CAPACITY and GW-CMGCP-COUNT read.
"""

from __future__ import annotations

from datetime import datetime

from cmgtui.domain.azure.sizing import VMSS_GA_VERSION
from cmgtui.domain.hierarchy import connection_points, is_cas, uses_cmg
from cmgtui.domain.rules.results import Phase, RuleResult, Severity
from cmgtui.domain.rules.rulebook import ProfileRule, Verdicts, rule
from cmgtui.model.enums import DeploymentMethod
from cmgtui.model.profile import Profile

RULES: list[ProfileRule] = []
E = Severity.ERROR
GW = Phase.GATEWAY
_SOURCE = "cmg-domain §3.4 (cmg/plan-hierarchy-design.md)"


def _lower(values: list[str]) -> set[str]:
    return {v.strip().lower() for v in values if v.strip()}


@rule(RULES, "HIER-CMG-SITE", GW, E, _SOURCE)
def cmg_site(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    """The CMG is created at the top-level site: the CAS, or the standalone primary."""
    code = p.site.site_code.strip().upper()
    if not code:
        return v.not_needed("No site code yet (SITE-CODE asks for the top-level site's).")
    h = p.hierarchy
    if code in {s.site_code.upper() for s in h.secondaries}:
        return v.failed(f"Site {code} is listed as a secondary site; the CMG can't be created there.",
                        "Create the CMG at the top-level site: enter the CAS or the standalone primary as the site.",
                        code)
    if not is_cas(p):
        return v.passed(f"Create the CMG at the standalone primary site {code}, the top-level site.", code)
    if code in {c.site_code.upper() for c in h.child_primaries}:
        return v.failed(f"Site {code} is listed as a child primary; in a hierarchy the CMG is created at the CAS.",
                        "Enter the CAS as the site, and list the primary sites below it.", code)
    version = p.site.site_version
    if version is not None and version < VMSS_GA_VERSION and p.deployment_method is DeploymentMethod.VMSS:
        return v.failed(f"On {version} a VM scale set CMG is only supported with a standalone primary site.",
                        f"Update the hierarchy to {VMSS_GA_VERSION} or later before creating the CMG at the CAS.",
                        str(version))
    if not h.child_primaries:
        return v.needs(f"List the primary sites below the CAS {code} with their internet clients.")
    return v.passed(f"Create the CMG at the CAS {code}, the top-level site; its primary sites get connection points.",
                    code)


@rule(RULES, "HIER-CMGCP-PRIMARIES", GW, E, _SOURCE)
def primaries_need_connection_points(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    """Below a CAS, each child primary whose clients use the CMG has a CMG connection point."""
    if not is_cas(p):
        return v.not_needed("A standalone primary's connection points are Part 4's list (GW-CMGCP-COUNT).")
    children = p.hierarchy.child_primaries
    if not children:
        return v.needs("List the primary sites below the CAS, each with its clients and connection point server.")
    unknown = [c.site_code for c in children if c.peak_clients is None]
    if unknown:
        return v.needs(f"Enter the peak internet clients of {', '.join(unknown)} (0 when none use the CMG).")
    missing = [cp.site_code for cp in connection_points(p) if not cp.server]
    if missing:
        return v.failed(f"Primary site(s) {', '.join(missing)} have internet clients but no CMG connection point.",
                        "Name a server of each of these sites for its connection point, e.g. "
                        "P01 12000 cmgcp.p01.contoso.com.", ", ".join(missing))
    serving = [c.site_code for c in children if uses_cmg(c)]
    if not serving:
        return v.failed("No primary site has internet clients, so no client would use the CMG.",
                        "Enter the peak internet clients of the primary sites whose clients use the CMG.")
    shown = ", ".join(f"{cp.site_code} on {cp.server}" for cp in connection_points(p))
    return v.passed(f"Connection points at every primary site whose clients use the CMG: {shown}.", shown)


@rule(RULES, "HIER-CMGCP-SITE-TYPE", GW, E, "cmg-domain §6 (configs/includes/scale-cmgcp.md)")
def connection_points_at_primaries_only(v: Verdicts, p: Profile, now: datetime) -> RuleResult:
    """Connection points go at primary sites: never on a secondary site, nor at the CAS."""
    h = p.hierarchy
    planned = _lower([cp.server for cp in connection_points(p)])
    on_secondary = [f"{s.site_server.strip()} ({s.site_code})" for s in h.secondaries
                    if s.site_server.strip().lower() in planned]
    if on_secondary:
        return v.failed(f"A secondary site can't host the CMG connection point: {', '.join(on_secondary)}.",
                        "Put the connection point on a server of a primary site.", ", ".join(on_secondary))
    if is_cas(p) and _lower(p.site.cmgcp_servers):
        servers = ", ".join(s.strip() for s in p.site.cmgcp_servers if s.strip())
        return v.failed(f"Connection point server(s) {servers} are listed for the CAS; connection points go "
                        "at primary sites.",
                        "Clear Part 4's connection point list and name each child primary's server instead.", servers)
    primaries = {c.site_code.upper() for c in h.child_primaries} | {p.site.site_code.strip().upper()}
    orphans = [f"{s.site_code} under {s.parent}" for s in h.secondaries if s.parent.upper() not in primaries]
    if orphans:
        return v.failed(f"Secondary site(s) {', '.join(orphans)}: the parent isn't a primary site of this plan.",
                        "A secondary site's parent is a primary site: list that primary, or correct the parent.",
                        ", ".join(orphans))
    if not h.secondaries:
        if not planned:
            return v.not_needed("No connection point server is named yet.")
        return v.passed("Connection points are planned at primary sites only.")
    return v.passed(f"Secondary site(s) {', '.join(s.site_code for s in h.secondaries)} host no connection point.")
