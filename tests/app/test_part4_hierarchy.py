"""Part 4's hierarchy, edited as a newcomer would at 80×24: ``]`` onto Part 4, then its key
``h``, then the choice and the sites' lines by keyboard alone (no Tab first, no mouse)."""

from __future__ import annotations

from textual.widgets import Input, Select

from cmgtui.app import CmgApp
from cmgtui.model import ChildPrimary, SecondarySite, TopLevelSite
from cmgtui.store import ProfileStore

from ..unit.powershell.profiles import public_entra_2309
from .conftest import current_entry, quiet, read_through, ready, screen_text, until

SIZE = (80, 24)
PRIMARIES = "SEA 9000 cmgcp.sea.contoso.com, PAR 4000 cmgcp.par.contoso.com, TOK 2000 cmgcp.tok.contoso.com"


def _on_screen(app: CmgApp, text: str) -> bool:
    """``text`` is read on the screen, whatever the line breaks (words are never cut)."""
    lines = [line.split("▎", 1)[-1].strip(" ▌▊█▐") for line in screen_text(app).splitlines()]
    return " ".join(text.split()) in " ".join(" ".join(lines).split())


async def test_the_hierarchy_is_edited_by_keys_only() -> None:
    profile = public_entra_2309()
    profile.name = "plan"
    profile.last_screen = "client_auth"  # the entry before Part 4
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # into Part 3
        await pilot.press("right_square_bracket")  # Part 4, with the focus in it
        await until(pilot, lambda: current_entry(app) == "gateway")
        await until(pilot, lambda: app.focused is not None and not isinstance(app.focused, Input))
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.focused, Select))
        await quiet(pilot)
        assert _on_screen(app, "Top-level site, where the CMG is created")
        assert _on_screen(app, "Standalone primary site ABC")  # today's profile: one site
        assert not app.screen.query_one("#gw-child-primaries").display

        await pilot.press("enter", "down", "enter")  # open the choice, the CAS, take it
        await until(pilot, lambda: app.profile.hierarchy.top_level is TopLevelSite.CAS)
        await pilot.press("tab")  # the primaries' line, shown for a CAS
        await until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*PRIMARIES)
        await pilot.press("tab")
        await pilot.press(*"LYO PAR")
        await until(pilot, lambda: len(app.profile.hierarchy.child_primaries) == 3
                    and app.profile.hierarchy.secondaries == [SecondarySite(site_code="LYO", parent="PAR")])
        assert app.profile.hierarchy.child_primaries[2] == ChildPrimary(
            site_code="TOK", peak_clients=2000, cmgcp_server="cmgcp.tok.contoso.com")
        app.screen.query_one("#gw-hierarchy").scroll_visible(animate=False, top=True)  # as scrolling down does
        await quiet(pilot)
        # The site is still ABC, now the CAS: the plan says so, in words, and sizes for 15,000.
        assert _on_screen(app, "Central administration site ABC with primary sites SEA (9,000 clients")
        assert _on_screen(app, "the CMG is sized for 15,000 clients")

        # Remove TOK: back to the primaries' line, delete its entry from the end.
        await pilot.press("shift+tab", "end", *["backspace"] * len(", TOK 2000 cmgcp.tok.contoso.com"))
        await until(pilot, lambda: [p.site_code for p in app.profile.hierarchy.child_primaries] == ["SEA", "PAR"])
        # A broken entry is kept as typed (a draft) with what to write, never dropped.
        await pilot.press(*", TOK")
        await until(pilot, lambda: "hierarchy.child_primaries" in app.profile.drafts)
        await quiet(pilot)
        assert _on_screen(app, "'TOK' isn't a primary site; write its site code, its peak internet clients")
        assert [p.site_code for p in app.profile.hierarchy.child_primaries] == ["SEA", "PAR"]
        await pilot.press(*" 0")  # no internet clients: no connection point needed
        await until(pilot, lambda: "hierarchy.child_primaries" not in app.profile.drafts
                    and len(app.profile.hierarchy.child_primaries) == 3)
        app.screen.query_one("#gw-hierarchy").scroll_visible(animate=False, top=True)
        await quiet(pilot)
        assert _on_screen(app, "TOK (0 clients, no CMG use)")

    saved = ProfileStore().load("plan")
    assert saved.hierarchy.top_level is TopLevelSite.CAS
    assert [(p.site_code, p.peak_clients) for p in saved.hierarchy.child_primaries] == [
        ("SEA", 9000), ("PAR", 4000), ("TOK", 0)]


async def test_the_checklist_speaks_of_a_hierarchy_and_not_of_a_single_site() -> None:
    from tests.unit.powershell.profiles import cas_three_primaries_2503

    cas = cas_three_primaries_2503()
    cas.name, cas.last_screen = "cas", "checklist"
    ProfileStore().save(cas)
    single = public_entra_2309()
    single.name, single.last_screen = "single", "checklist"
    ProfileStore().save(single)
    for name, several in (("cas", True), ("single", False)):
        app = CmgApp(initial_profile=name)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await read_through(pilot)
            await until(pilot, lambda app=app: bool(app.screen.query("#sizing-hierarchy"))
                        and bool(app.screen.query("#cmgcp-hierarchy")))
            sizing, cmgcp = app.screen.query_one("#sizing-hierarchy"), app.screen.query_one("#cmgcp-hierarchy")
            assert sizing.display is several and cmgcp.display is several
            if several:
                sizing.scroll_visible(animate=False, top=True)
                await quiet(pilot)
                assert _on_screen(app, "Central administration site CAS with primary sites SEA (9,000 clients")
                assert _on_screen(app, "13,000 peak clients")  # the calculator counts every primary's clients
