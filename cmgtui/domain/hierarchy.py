"""The hierarchy around the CMG: which sites there are, whose clients it serves, where its
connection points go (domain sheet §3.4, §6; memdocs ``cmg/plan-hierarchy-design.md``).

The CMG is created at the top-level site (:attr:`Profile.site`): a standalone primary, or a
central administration site (CAS). A standalone primary is the one primary site, so its
clients (Part 4's peak) and connection points (Part 4's list) are the profile's own. Below a
CAS, every child primary whose clients use the CMG gets a CMG connection point, and the CMG is
sized for the clients of every primary. Secondary sites are listed as such: they host none.

Both lists are typed in one line each, entries separated by commas, as the other lists of
the panes are: ``P01 12000 cmgcp.p01.contoso.com`` (site code, peak internet clients, the
server for its connection point) and ``S01 P01`` (secondary site code, its parent primary,
optionally its server). This module parses, checks and formats them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cmgtui.domain.azure.sizing import MAX_PEAK_CLIENTS
from cmgtui.domain.validate import fqdn_problem, int_range_problem, site_code_problem
from cmgtui.model.enums import TopLevelSite
from cmgtui.model.profile import ChildPrimary, Profile, SecondarySite

PRIMARY_EXAMPLE = "P01 12000 cmgcp.p01.contoso.com"
SECONDARY_EXAMPLE = "S01 P01"


def _entries(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _primary_problem(entry: str) -> str | None:
    parts = entry.split()
    if len(parts) not in (2, 3):
        return (f"'{entry}' isn't a primary site; write its site code, its peak internet clients and "
                f"the server for its connection point, e.g. {PRIMARY_EXAMPLE}.")
    code, clients, *server = parts
    problem = site_code_problem(code) or int_range_problem(clients, 0, MAX_PEAK_CLIENTS)
    if problem is None and server:
        problem = fqdn_problem(server[0])
    return f"{code}: {problem}" if problem else None


def _secondary_problem(entry: str) -> str | None:
    parts = entry.split()
    if len(parts) not in (2, 3):
        return (f"'{entry}' isn't a secondary site; write its site code and its parent primary's, "
                f"e.g. {SECONDARY_EXAMPLE}.")
    code, parent, *server = parts
    problem = site_code_problem(code) or site_code_problem(parent)
    if problem is None and server:
        problem = fqdn_problem(server[0])
    return f"{code}: {problem}" if problem else None


def _duplicate_problem(codes: list[str]) -> str | None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            return f"{code} is listed twice; list each site once."
        seen.add(code)
    return None


def child_primaries_problem(text: str) -> str | None:
    """None when ``text`` lists usable child primaries, else what is wrong and how to write them."""
    entries = _entries(text)
    problems = [p for entry in entries if (p := _primary_problem(entry))]
    if problems:
        return "; ".join(problems)
    return _duplicate_problem([entry.split()[0].upper() for entry in entries])


def secondaries_problem(text: str) -> str | None:
    """None when ``text`` lists usable secondary sites, else what is wrong and how to write them."""
    entries = _entries(text)
    problems = [p for entry in entries if (p := _secondary_problem(entry))]
    if problems:
        return "; ".join(problems)
    return _duplicate_problem([entry.split()[0].upper() for entry in entries])


def parse_child_primaries(text: str) -> list[ChildPrimary] | None:
    """The child primaries ``text`` lists, or None when :func:`child_primaries_problem` finds one."""
    if child_primaries_problem(text) is not None:
        return None
    out = []
    for entry in _entries(text):
        code, clients, *server = entry.split()
        out.append(ChildPrimary(site_code=code.upper(), peak_clients=int(clients.replace("_", "")),
                                cmgcp_server=server[0] if server else ""))
    return out


def parse_secondaries(text: str) -> list[SecondarySite] | None:
    """The secondary sites ``text`` lists, or None when :func:`secondaries_problem` finds one."""
    if secondaries_problem(text) is not None:
        return None
    out = []
    for entry in _entries(text):
        code, parent, *server = entry.split()
        out.append(SecondarySite(site_code=code.upper(), parent=parent.upper(), site_server=server[0] if server else ""))
    return out


def format_child_primaries(primaries: list[ChildPrimary]) -> str:
    """The inverse of :func:`parse_child_primaries`."""
    return ", ".join(
        " ".join(part for part in (p.site_code, "" if p.peak_clients is None else str(p.peak_clients),
                                   p.cmgcp_server) if part)
        for p in primaries)


def format_secondaries(secondaries: list[SecondarySite]) -> str:
    """The inverse of :func:`parse_secondaries`."""
    return ", ".join(" ".join(part for part in (s.site_code, s.parent, s.site_server) if part) for s in secondaries)


def is_cas(profile: Profile) -> bool:
    """True when the top-level site is a central administration site."""
    return profile.hierarchy.top_level is TopLevelSite.CAS


def uses_cmg(primary: ChildPrimary) -> bool:
    """Whether a child primary's clients use the CMG, so it needs a CMG connection point.

    A primary with no internet clients (0) needs none; an unknown count is taken as "uses it".
    """
    return primary.peak_clients != 0


def site_count(profile: Profile) -> int:
    """How many sites the profile describes (the top-level site, child primaries, secondaries)."""
    h = profile.hierarchy
    children = len(h.child_primaries) if is_cas(profile) else 0
    return 1 + children + len(h.secondaries)


def total_peak_clients(profile: Profile) -> int | None:
    """The peak concurrent internet clients the CMG is sized for: every primary's clients.

    A standalone primary's are Part 4's peak; below a CAS, the sum over the child primaries
    (None while there are none, or one's count is unknown).
    """
    if not is_cas(profile):
        return profile.gateway.peak_concurrent_clients
    counts = [p.peak_clients for p in profile.hierarchy.child_primaries]
    if not counts or any(c is None for c in counts):
        return None
    return sum(c for c in counts if c is not None)


@dataclass(frozen=True, slots=True)
class ConnectionPointPlan:
    """One CMG connection point to add: the site it belongs to and the server it goes on."""

    site_code: str
    server: str


def connection_points(profile: Profile) -> list[ConnectionPointPlan]:
    """The CMG connection points the plan adds, per site.

    A standalone primary: Part 4's servers, at its site code. Below a CAS: one per child
    primary whose clients use the CMG, on the server named for it (empty when not named yet).
    """
    if not is_cas(profile):
        code = profile.site.site_code.strip().upper()
        return [ConnectionPointPlan(code, s.strip()) for s in profile.site.cmgcp_servers if s.strip()]
    return [ConnectionPointPlan(p.site_code, p.cmgcp_server.strip())
            for p in profile.hierarchy.child_primaries if uses_cmg(p)]


def _clients(count: int | None) -> str:
    return "clients not entered" if count is None else f"{count:,} clients"


def summary(profile: Profile) -> str:
    """The hierarchy in one sentence, for the glossary, the checklist and the report."""
    h = profile.hierarchy
    code = profile.site.site_code.strip().upper() or "(site code not entered)"
    secondaries = ("; secondary sites (no connection point): "
                   + ", ".join(f"{s.site_code} under {s.parent}" for s in h.secondaries)) if h.secondaries else ""
    if not is_cas(profile):
        return f"Standalone primary site {code} ({_clients(profile.gateway.peak_concurrent_clients)}){secondaries}."
    if not h.child_primaries:
        return f"Central administration site {code}; no child primary sites listed yet{secondaries}."
    primaries = ", ".join(
        f"{p.site_code} ({_clients(p.peak_clients)}"
        + (", no CMG use)" if not uses_cmg(p) else f", connection point {p.cmgcp_server or 'not named'})")
        for p in h.child_primaries)
    total = total_peak_clients(profile)
    sized = f"; the CMG is sized for {total:,} clients" if total is not None else ""
    return f"Central administration site {code} with primary sites {primaries}{sized}{secondaries}."
