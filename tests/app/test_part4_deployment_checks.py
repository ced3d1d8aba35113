"""Part 4's pre-flight and ``cmgtui check`` give the same verdicts on what would fail the deployment.

One App session runs the pre-flight against the sandbox under each scenario of
``tests/preflight_scenarios.py`` (a restricted size, a family and a regional quota shortfall, a
location, tag and type policy denial, and no problem); ``cmgtui check --sandbox`` runs under the
same tenant; the IDs, statuses and messages of the deployment rules must be equal.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from cmgtui.app import CmgApp
from cmgtui.cli import main
from cmgtui.domain.rules.checks import evaluate
from cmgtui.sandbox.scenario import parse_scenario
from cmgtui.store import ProfileStore
from tests.preflight_scenarios import NEW_RULES, SCENARIOS, plan

from .conftest import current_entry, ready, screen_text, until

SIZE = (120, 90)


def _tui_verdicts(app: CmgApp) -> dict[str, tuple[str, str]]:
    assert app.profile is not None
    return {r.rule: (r.status.value, r.message) for r in evaluate(app.profile) if r.rule in NEW_RULES}


async def _preflight(app: CmgApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Run the pre-flight as a user does: into the pane (enter) if not there yet, then p."""
    if app.focused is None or not any(n.id == "gateway" for n in app.focused.ancestors_with_self):
        await pilot.press("enter")
        await until(pilot, lambda: app.focused is not None
                    and any(n.id == "gateway" for n in app.focused.ancestors_with_self))
    app.profile.evidence.pop("arm.dry_run", None)  # type: ignore[union-attr]
    await pilot.press("p")
    await until(pilot, lambda: "arm.dry_run" in app.profile.evidence)  # type: ignore[union-attr]
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _check_verdicts() -> dict[str, tuple[str, str]]:
    """``cmgtui check --sandbox`` on the same tenant (the App's sandbox, lent to the command too)."""
    out, err = io.StringIO(), io.StringIO()

    def check() -> None:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # the App holds sys.stdout
            main(["check", "--sandbox", "--profile", "plan", "--format", "json"])

    await asyncio.to_thread(check)
    results = json.loads(out.getvalue())["results"]
    return {r["rule"]: (r["status"], r["message"]) for r in results if r["rule"] in NEW_RULES}


async def test_part4_and_check_agree_on_every_deployment_failure() -> None:
    store = ProfileStore()
    store.save(plan("sandbox"))
    store.save(plan("plan"))
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        assert current_entry(app) == "gateway"
        for name, (scenario, failing, words) in SCENARIOS.items():
            app.cloud.sandbox.state.restore(parse_scenario(scenario))  # type: ignore[union-attr]
            await _preflight(app, pilot)
            tui = _tui_verdicts(app)
            assert tui == await _check_verdicts(), name
            for rule in NEW_RULES:
                assert tui[rule][0] == ("fail" if rule == failing else "pass"), (name, rule, tui[rule][1])
            if failing:
                assert words in tui[failing][1]
        app.screen.query_one("#pf-title").scroll_visible(animate=False, top=True)
        await pilot.pause()
        assert "nothing was created in Azure" in " ".join(screen_text(app).split())


async def test_a_tag_policy_shows_the_tags_field_and_the_entered_tags_pass() -> None:
    ProfileStore().save(plan("sandbox"))
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        app.cloud.sandbox.state.restore(parse_scenario(SCENARIOS["tag"][0]))  # type: ignore[union-attr]
        field = app.screen.query_one("#gw-tags")
        assert not field.display  # no policy asks for tags yet
        await _preflight(app, pilot)
        assert field.display
        assert "Azure Policy requires the tag(s) CostCenter on new resources" in " ".join(
            str(app.screen.query_one("#gw-tags-need").render()).split())
        editor = field.query_one("Input")
        editor.focus()
        for char in "CostCenter=4711":
            await pilot.press(char)
        await pilot.pause()
        assert app.profile.gateway.tags == {"CostCenter": "4711"}  # type: ignore[union-attr]
        app.screen.query_one("#gw-preflight").focus()
        await _preflight(app, pilot)
        assert app.profile.evidence["arm.dry_run"].data["tags"] == {"CostCenter": "4711"}  # type: ignore[union-attr]
        assert _tui_verdicts(app)["GW-POLICY"][0] == "pass"
