"""A pane's headline and its tables come from one evaluation of the rules (issue 20).

Reported: after Part 4's Fix registered Microsoft.KeyVault, NAME-KEYVAULT-FREE stayed "waiting
for input" in the pre-flight's table while the top of the pane said "done. Nothing missing".
Part 4's pre-flight shows Part 1's name checks next to its own rules, so its headline names the
first of them still waiting; and one change is judged once, by the App, for the headline, the
tables and the navigation alike.
"""

from __future__ import annotations

from textual.widgets import Static

from cmgtui.app import CmgApp
from cmgtui.domain.rules import checks
from cmgtui.panes.gateway.preflight import PreflightPanel
from cmgtui.store import ProfileStore
from cmgtui.widgets.rule_report import RuleReport
from tests.unit.domain.factories import complete_profile, evidence

from .conftest import current_entry, ready, until

SIZE = (80, 24)
WAITING = "The key vault name can't be checked until Microsoft.KeyVault is registered"


async def test_part4_headline_names_what_its_preflight_table_still_waits_for(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    profile = complete_profile()
    profile.name = "plan"
    profile.last_screen = "gateway"
    # the name check ran before Microsoft.KeyVault was registered: the key vault name waits
    evidence(profile, "arm.names", dns=True, storage=True, prefix="granitefalls",
             not_registered={"keyvault": "Microsoft.KeyVault"})
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: current_entry(app) == "gateway")
        pane = app.screen.query_one("#gateway")
        panel = pane.query_one(PreflightPanel)
        panel.ran = True  # as after the pre-flight (or its Fix) ran
        pane.sync()
        await pilot.pause()
        table = " ".join(r.message for r in panel.query_one("#pf-report", RuleReport).shown)
        assert WAITING in table  # the pre-flight's table shows the waiting Part 1 row
        headline = " ".join(str(pane.query_one("#gw-status", Static).render()).split())
        assert "Status: done." in headline  # Part 4's own rules all pass, as the navigation says
        assert f"Also shown here, from Part 1 (server certificate): {WAITING}" in headline, headline

        # one change, one evaluation: the headline, the tables and the navigation share it
        calls: list[int] = []
        evaluate = checks.evaluate

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            return evaluate(*args, **kwargs)

        monkeypatch.setattr(checks, "evaluate", counted)
        app.edit("gateway.description", "West US CMG")
        await pilot.pause()
        await until(pilot, lambda: "West US CMG" in str(app.profile.gateway.description))
        await pilot.pause()
        assert len(calls) == 1, f"one change was judged {len(calls)} times"
