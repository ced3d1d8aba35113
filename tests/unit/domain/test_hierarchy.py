"""The hierarchy: where the CMG is created, which primaries get a connection point, sizing
for every primary's clients, and the one-line lists the pane edits.

Every fact is tested on the verbatim text of the page it comes from (MicrosoftDocs/memdocs).
"""

from __future__ import annotations

import pytest

from cmgtui.domain import hierarchy
from cmgtui.domain.rules.results import Status
from cmgtui.model import ChildPrimary, Profile, SecondarySite, TopLevelSite

from .factories import complete_profile, result

#: memdocs/configmgr/core/clients/manage/cmg/plan-hierarchy-design.md (the "Hierarchy design"
#: section that plan-cloud-management-gateway.md says has moved there).
HIERARCHY_DESIGN = ("Create the CMG at the top-tier site of your hierarchy. If that's a CAS, then create CMG "
                    "connection points at child primary sites.")
#: Same page, "Example 2: Hierarchy".
EXAMPLE_2 = ("On the CAS, they create a CMG service in the West US Azure region. They scale the number of VMs "
             "for the expected load of roaming clients in the entire hierarchy.")
EXAMPLE_2_ROUTING = ("The CMG forwards this communication to the CMG connection point in the client's assigned "
                     "primary site.")
#: memdocs/configmgr/core/clients/manage/cmg/setup-cloud-management-gateway.md, "Set up a CMG".
SETUP_SITE = ("Do this procedure on the top-level site. That site is either a standalone primary site, or the "
              "central administration site.")
#: memdocs/configmgr/core/plan-design/configs/includes/scale-cmgcp.md
CMGCP_AT_PRIMARIES = "You can install multiple instances of the CMG connection point at primary sites."
#: memdocs/configmgr/core/clients/manage/cmg/plan-cloud-management-gateway.md,
#: "Limitations with versions 2010 and 2103" (virtual machine scale sets).
EARLY_VMSS_STANDALONE = "It's only supported with a standalone primary site."


def cas_with_three_primaries() -> Profile:
    """Fourth Coffee's design (Example 2) with a third primary: a CAS and three child primaries."""
    p = complete_profile()
    p.site.site_code = "CAS"
    p.site.cmgcp_servers = []
    p.hierarchy.top_level = TopLevelSite.CAS
    p.hierarchy.child_primaries = [
        ChildPrimary(site_code="SEA", peak_clients=9_000, cmgcp_server="cmgcp.sea.contoso.com"),
        ChildPrimary(site_code="PAR", peak_clients=4_000, cmgcp_server="cmgcp.par.contoso.com"),
        ChildPrimary(site_code="TOK", peak_clients=2_000, cmgcp_server="cmgcp.tok.contoso.com"),
    ]
    p.hierarchy.secondaries = [SecondarySite(site_code="LYO", parent="PAR", site_server="cm.lyo.contoso.com")]
    p.gateway.vm_instances = 3
    return p


# -- where the CMG is created --------------------------------------------------------------------

def test_the_cmg_is_created_at_the_cas_of_a_hierarchy() -> None:
    assert "top-tier site of your hierarchy" in HIERARCHY_DESIGN
    r = result(cas_with_three_primaries(), "HIER-CMG-SITE")
    assert r.status is Status.PASS
    assert "at the CAS CAS, the top-level site" in r.message


def test_the_cmg_is_created_at_a_standalone_primary() -> None:
    assert "either a standalone primary site, or the central administration site" in SETUP_SITE
    r = result(complete_profile(), "HIER-CMG-SITE")
    assert r.status is Status.PASS
    assert r.message == "Create the CMG at the standalone primary site ABC, the top-level site."


def test_a_child_primary_as_the_cmg_site_fails() -> None:
    p = cas_with_three_primaries()
    p.site.site_code = "SEA"
    r = result(p, "HIER-CMG-SITE")
    assert r.status is Status.FAIL and "created at the CAS" in r.message


def test_a_secondary_site_as_the_cmg_site_fails() -> None:
    p = complete_profile()
    p.hierarchy.secondaries = [SecondarySite(site_code="ABC", parent="XYZ")]
    assert result(p, "HIER-CMG-SITE").status is Status.FAIL


def test_a_cas_on_2103_cannot_have_a_scale_set_cmg() -> None:
    assert EARLY_VMSS_STANDALONE.startswith("It's only supported with a standalone primary")
    p = cas_with_three_primaries()
    p.site.site_version = 2103
    r = result(p, "HIER-CMG-SITE")
    assert r.status is Status.FAIL and "only supported with a standalone primary site" in r.message
    standalone = complete_profile()
    standalone.site.site_version = 2103
    assert result(standalone, "HIER-CMG-SITE").status is Status.PASS


# -- connection points per primary ---------------------------------------------------------------

def test_each_primary_whose_clients_use_the_cmg_has_a_connection_point() -> None:
    assert "create CMG connection points at child primary sites" in HIERARCHY_DESIGN
    assert "in the client's assigned primary site" in EXAMPLE_2_ROUTING
    p = cas_with_three_primaries()
    r = result(p, "HIER-CMGCP-PRIMARIES")
    assert r.status is Status.PASS
    assert "SEA on cmgcp.sea.contoso.com, PAR on cmgcp.par.contoso.com, TOK on cmgcp.tok.contoso.com" in r.message
    p.hierarchy.child_primaries[2].cmgcp_server = ""
    r = result(p, "HIER-CMGCP-PRIMARIES")
    assert r.status is Status.FAIL and r.message.startswith("Primary site(s) TOK have internet clients")


def test_a_primary_without_internet_clients_needs_no_connection_point() -> None:
    p = cas_with_three_primaries()
    p.hierarchy.child_primaries[2] = ChildPrimary(site_code="TOK", peak_clients=0)
    assert result(p, "HIER-CMGCP-PRIMARIES").status is Status.PASS
    assert [cp.site_code for cp in hierarchy.connection_points(p)] == ["SEA", "PAR"]


def test_a_primary_with_unknown_clients_is_asked_for() -> None:
    p = cas_with_three_primaries()
    p.hierarchy.child_primaries[1].peak_clients = None
    r = result(p, "HIER-CMGCP-PRIMARIES")
    assert r.status is Status.SKIP and "PAR" in r.message
    assert result(p, "GW-CAPACITY").status is Status.SKIP


def test_a_standalone_primary_keeps_part_4s_connection_points() -> None:
    p = complete_profile()
    assert result(p, "HIER-CMGCP-PRIMARIES").status is Status.SKIP
    assert [(cp.site_code, cp.server) for cp in hierarchy.connection_points(p)] == [
        ("ABC", "cmgcp01.contoso.com"), ("ABC", "cmgcp02.contoso.com")]
    assert result(p, "GW-CMGCP-COUNT").status is Status.PASS


def test_a_secondary_site_cannot_host_the_connection_point() -> None:
    assert CMGCP_AT_PRIMARIES.endswith("at primary sites.")
    p = cas_with_three_primaries()
    assert result(p, "HIER-CMGCP-SITE-TYPE").status is Status.PASS
    p.hierarchy.child_primaries[1].cmgcp_server = "CM.LYO.contoso.com"
    r = result(p, "HIER-CMGCP-SITE-TYPE")
    assert r.status is Status.FAIL
    assert r.message == "A secondary site can't host the CMG connection point: cm.lyo.contoso.com (LYO)."


def test_connection_points_listed_for_the_cas_itself_fail() -> None:
    p = cas_with_three_primaries()
    p.site.cmgcp_servers = ["cmgcp.cas.contoso.com"]
    r = result(p, "HIER-CMGCP-SITE-TYPE")
    assert r.status is Status.FAIL and "connection points go at primary sites" in r.message


def test_a_secondary_under_an_unknown_primary_fails() -> None:
    p = cas_with_three_primaries()
    p.hierarchy.secondaries.append(SecondarySite(site_code="OSA", parent="OSK"))
    r = result(p, "HIER-CMGCP-SITE-TYPE")
    assert r.status is Status.FAIL and "OSA under OSK" in r.message


# -- sizing counts every primary's clients -------------------------------------------------------

def test_sizing_counts_every_primarys_clients() -> None:
    assert "roaming clients in the entire hierarchy" in EXAMPLE_2
    p = cas_with_three_primaries()
    p.gateway.peak_concurrent_clients = 100  # a standalone primary's field: not the hierarchy's count
    assert hierarchy.total_peak_clients(p) == 15_000
    p.gateway.vm_instances = 2  # 2 × 6,000 < 15,000
    r = result(p, "GW-CAPACITY")
    assert r.status is Status.WARN
    assert "15,000 clients exceed the capacity of 2 × Standard A2_v2 VM (12,000)" in r.message
    assert "Use 3 VM instances" in r.fix
    p.gateway.vm_instances = 3
    assert result(p, "GW-CAPACITY").status is Status.PASS


def test_a_standalone_primary_is_sized_for_part_4s_peak() -> None:
    p = complete_profile()
    p.gateway.peak_concurrent_clients = 7_000
    assert hierarchy.total_peak_clients(p) == 7_000


def test_the_connection_point_count_counts_the_primaries_servers() -> None:
    p = cas_with_three_primaries()
    r = result(p, "GW-CMGCP-COUNT")
    assert r.status is Status.PASS and "3 CMG connection point(s)" in r.message


# -- the one-line lists the pane edits -----------------------------------------------------------

def test_child_primaries_round_trip_through_their_line() -> None:
    text = "sea 9000 cmgcp.sea.contoso.com, PAR 4000 cmgcp.par.contoso.com, TOK 0"
    parsed = hierarchy.parse_child_primaries(text)
    assert parsed == [ChildPrimary(site_code="SEA", peak_clients=9000, cmgcp_server="cmgcp.sea.contoso.com"),
                      ChildPrimary(site_code="PAR", peak_clients=4000, cmgcp_server="cmgcp.par.contoso.com"),
                      ChildPrimary(site_code="TOK", peak_clients=0)]
    assert hierarchy.format_child_primaries(parsed) == (
        "SEA 9000 cmgcp.sea.contoso.com, PAR 4000 cmgcp.par.contoso.com, TOK 0")
    assert hierarchy.parse_child_primaries("") == []


@pytest.mark.parametrize(("text", "problem"), [
    ("SEA", "'SEA' isn't a primary site; write its site code, its peak internet clients and the server for its "
            "connection point, e.g. P01 12000 cmgcp.p01.contoso.com."),
    ("SEA many", "SEA: 'many' isn't a whole number"),
    ("SEATTLE 10", "SEATTLE: Site code 'SEATTLE' must be exactly three letters or digits"),
    ("SEA 10 not_a_host", "SEA: "),
    ("SEA 10, sea 20", "SEA is listed twice; list each site once."),
])
def test_a_bad_primary_line_says_what_to_write(text: str, problem: str) -> None:
    found = hierarchy.child_primaries_problem(text)
    assert found is not None and found.startswith(problem)
    assert hierarchy.parse_child_primaries(text) is None


def test_secondaries_round_trip_and_refuse_a_bad_line() -> None:
    parsed = hierarchy.parse_secondaries("lyo par cm.lyo.contoso.com, OSA TOK")
    assert parsed == [SecondarySite(site_code="LYO", parent="PAR", site_server="cm.lyo.contoso.com"),
                      SecondarySite(site_code="OSA", parent="TOK")]
    assert hierarchy.format_secondaries(parsed) == "LYO PAR cm.lyo.contoso.com, OSA TOK"
    assert hierarchy.secondaries_problem("LYO") is not None
    assert hierarchy.parse_secondaries("LYO") is None


def test_the_summary_names_every_site() -> None:
    assert hierarchy.summary(cas_with_three_primaries()) == (
        "Central administration site CAS with primary sites SEA (9,000 clients, connection point "
        "cmgcp.sea.contoso.com), PAR (4,000 clients, connection point cmgcp.par.contoso.com), TOK (2,000 clients, "
        "connection point cmgcp.tok.contoso.com); the CMG is sized for 15,000 clients; secondary sites (no "
        "connection point): LYO under PAR.")
    assert hierarchy.site_count(cas_with_three_primaries()) == 5
    assert hierarchy.site_count(complete_profile()) == 1


def test_the_cost_and_the_outbound_alert_count_every_primarys_clients() -> None:
    """plan-hierarchy-design.md sizes a CAS's CMG "for the expected load of roaming clients in
    the entire hierarchy"; the outbound data and its alert follow the same count."""
    from cmgtui.domain.azure.cost import profile_usage

    assert "in the entire hierarchy" in EXAMPLE_2
    profile = cas_with_three_primaries()
    profile.gateway.peak_concurrent_clients = 500  # Part 4's own field is not the CAS's count
    usage = profile_usage(profile)
    assert usage is not None and usage.clients == 9_000 + 4_000 + 2_000
