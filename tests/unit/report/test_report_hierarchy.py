"""The readiness report and the glossary speak of the hierarchy when it has more than one site,
and say nothing new for a single standalone primary."""

from __future__ import annotations

from datetime import UTC, datetime

from cmgtui.domain.glossary import glossary
from cmgtui.domain.report import build_report, render
from tests.unit.powershell.profiles import SCENARIOS, public_entra_2309

NOW = datetime(2026, 1, 15, 8, 30, tzinfo=UTC)


def _design(profile):  # type: ignore[no-untyped-def]
    report = build_report(profile, [], [], now=NOW, tool_version="test")
    return report, {d.topic: d for d in report.design}


def test_a_cas_report_names_its_sites_connection_points_and_sizing() -> None:
    report, topics = _design(SCENARIOS["cas-three-primaries-2503"]())
    hierarchy = topics["Hierarchy"]
    assert hierarchy.choice.startswith("Central administration site CAS with primary sites SEA (9,000 clients")
    assert "LAB (0 clients, no CMG use)" in hierarchy.choice
    assert "secondary sites (no connection point): LYO under PAR" in hierarchy.choice
    assert topics["CMG connection points"].choice == "SEA: cmgcp.sea.contoso.com, PAR: cmgcp.par.contoso.com"
    assert "Sizing for every primary site's clients: 13,000 peak clients" in topics["VM size and instances"].why
    assert report.script is not None and "-SiteCode $primarySite" in report.script
    assert "Central administration site CAS with primary sites" in render(report, "md")
    assert "Central administration site CAS with primary sites" in render(report, "html")


def test_a_standalone_primary_report_has_no_hierarchy_item() -> None:
    _, topics = _design(public_entra_2309())
    assert "Hierarchy" not in topics
    assert topics["CMG connection points"].choice == "cmgcp01.contoso.com, cmgcp02.contoso.com"


def test_the_glossary_explains_the_hierarchy_only_with_more_than_one_site() -> None:
    terms = {e.term: e for e in glossary(SCENARIOS["cas-three-primaries-2503"]())}
    assert terms["Hierarchy"].value.startswith("Central administration site CAS")
    assert terms["CMG connection point"].value == "SEA: cmgcp.sea.contoso.com, PAR: cmgcp.par.contoso.com"
    single = {e.term: e for e in glossary(public_entra_2309())}
    assert "Hierarchy" not in single
    assert single["CMG connection point"].value == "cmgcp01.contoso.com, cmgcp02.contoso.com"
