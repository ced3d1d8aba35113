"""Part 4 (set up the CMG) driven by keyboard: wizard fields, inline reasons, the pre-flight
against the sandbox tenant (providers, names, resource group), fixes, offline and cancel."""

from __future__ import annotations

from textual.widgets import Input, Select

from cmgtui import activity
from cmgtui.app import CmgApp
from cmgtui.sandbox.state import OWNER_SUBSCRIPTION, READER_SUBSCRIPTION
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import RuleResult, Status
from cmgtui.messages import JobLogLine
from cmgtui.model import AzureEnvironment, Profile, VmSize
from cmgtui.panes.gateway.preflight import PREFLIGHT_JOB
from cmgtui.store import ProfileStore
from cmgtui.widgets.fields import FieldRow
from cmgtui.widgets.modals import ConfirmModal

from .conftest import current_entry, quiet, ready, screen_text, until

SIZE = (120, 90)


def _save(name: str = "sandbox", **gateway: object) -> Profile:
    profile = Profile(name=name, environment=AzureEnvironment.PUBLIC, region="westus", last_screen="gateway")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.site.site_version = 2309
    for key, value in gateway.items():
        setattr(profile.gateway, key, value)
    ProfileStore().save(profile)
    return profile


def _result(app: CmgApp, rule: str) -> RuleResult:
    assert app.profile is not None
    return next(r for r in evaluate(app.profile) if r.rule == rule)


def pane_text(app: CmgApp) -> str:
    """What the content pane shows, lines joined with single spaces."""
    lines = [line.split("▎", 1)[1] if "▎" in line else line for line in screen_text(app).splitlines()[1:-3]]
    return " ".join(" ".join(lines).split())


def shown(app: CmgApp, selector: str) -> str:
    """The plain text of one Static on the pane."""
    return " ".join(str(app.screen.query_one(selector).render()).split())


async def _show(app: CmgApp, pilot, selector: str) -> str:  # type: ignore[no-untyped-def]
    await quiet(pilot)
    app.screen.query_one(selector).scroll_visible(animate=False, top=True)
    await pilot.pause()
    return pane_text(app)


async def _signed_in(app: CmgApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await ready(pilot)
    await until(pilot, lambda: app.cloud.signed_in)
    await app.workers.wait_for_complete()  # the live checks after sign-in,
    await pilot.pause()  # and the App applying their result
    assert current_entry(app) == "gateway"


async def _preflight_by_keyboard(app: CmgApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")  # into the pane; where focus lands (not a text box) its keys act
    await until(pilot, lambda: app.focused is not None and not isinstance(app.focused, Input)
                and app.screen.query_one("#gateway") in app.focused.ancestors_with_self)
    await pilot.press("p")
    await until(pilot, lambda: app.profile is not None and "arm.providers" in app.profile.evidence)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _fill(app: CmgApp, pilot, path: str, text: str) -> FieldRow:  # type: ignore[no-untyped-def]
    row = next(r for r in app.screen.query("#gateway FieldRow") if getattr(r, "path", "") == path)
    editor = row.query_one(Input)
    editor.focus()
    editor.value = ""
    for char in text:
        await pilot.press(char)
    await pilot.pause()
    return row


async def test_preflight_finds_unregistered_provider_and_fix_registers_it_and_creates_the_group() -> None:
    _save(subscription_id=OWNER_SUBSCRIPTION, resource_group="cmg-new", use_existing_resource_group=False)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await _signed_in(app, pilot)
        await _preflight_by_keyboard(app, pilot)
        assert _result(app, "GW-PROVIDERS").status is Status.FAIL
        text = await _show(app, pilot, "#pf-title")
        assert "Resource providers not registered: Microsoft.KeyVault (NotRegistered)" in text
        assert "cmg-new doesn't exist yet; the wizard creates it in westus" in text
        assert "Part 4 pre-flight: done" in text

        await pilot.press("f")  # declined first: nothing changes in the tenant
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        modal = screen_text(app)
        assert "register resource provider Microsoft.KeyVault" in modal
        assert "create resource group 'cmg-new' in westus" in modal
        await pilot.press("n")
        await app.workers.wait_for_complete()
        state = app.cloud.sandbox.state  # type: ignore[union-attr]
        assert state.providers[OWNER_SUBSCRIPTION]["Microsoft.KeyVault"].state == "NotRegistered"

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await until(pilot, lambda: app.profile.evidence["arm.providers"].data["Microsoft.KeyVault"]  # type: ignore[union-attr]
                    == "Registered")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert state.providers[OWNER_SUBSCRIPTION]["Microsoft.KeyVault"].state == "Registered"
        assert state.resource_groups[OWNER_SUBSCRIPTION]["cmg-new"]["location"] == "westus"
        assert app.profile is not None and app.profile.gateway.use_existing_resource_group
        assert _result(app, "GW-PROVIDERS").status is Status.PASS
        assert _result(app, "GW-RG-REGION").status is Status.PASS
        # the checks that waited for the provider ran again: none stays "waiting" under a done headline
        assert _result(app, "NAME-KEYVAULT-FREE").status is Status.PASS
        text = await _show(app, pilot, "#pf-title")
        assert "KeyVault, Storage, Network and Compute providers are registered." in text
        assert "Resource group cmg-new is in westus." in text
        assert any("Registering resource provider Microsoft.KeyVault" in e.message
                   for e in activity.read_tail("sandbox"))


async def test_taken_name_shows_a_free_prefix_without_changing_the_certificate() -> None:
    profile = _save(subscription_id=OWNER_SUBSCRIPTION, resource_group="cmg-rg")
    profile.certificate.service_name = "contosocmg.contoso.com"
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await _signed_in(app, pilot)
        # Name checks need their providers registered (else: "register it first", no suggestion).
        app.cloud.sandbox.state.providers[OWNER_SUBSCRIPTION]["Microsoft.KeyVault"].state = "Registered"
        await _preflight_by_keyboard(app, pilot)
        names = app.profile.evidence["arm.names"].data  # type: ignore[union-attr]
        suggestion = names["suggestion"]
        assert suggestion and suggestion.startswith("contosocmg") and suggestion != "contosocmg"
        assert _result(app, "NAME-KEYVAULT-FREE").status is Status.FAIL
        assert _result(app, "NAME-DNS-FREE").status is Status.FAIL
        note = shown(app, "#pf-suggestion")
        assert f"A free prefix is {suggestion}" in note
        assert f"needs a new certificate for {suggestion}.contoso.com (Part 1). Nothing was changed here." in note
        assert app.profile.certificate.service_name == "contosocmg.contoso.com"  # type: ignore[union-attr]
        assert "Key vault name contosocmg is taken" in await _show(app, pilot, "#pf-title")


async def test_existing_group_in_another_region_is_explained_under_the_field() -> None:
    _save(subscription_id=OWNER_SUBSCRIPTION, resource_group="cmg-rg", use_existing_resource_group=True)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await _signed_in(app, pilot)
        await _preflight_by_keyboard(app, pilot)
        result = _result(app, "GW-RG-REGION")
        assert result.status is Status.FAIL
        assert "Live check" in shown(app, "#gw-rg-live") and "cmg-rg exists in eastus." in shown(app, "#gw-rg-live")
        notes = shown(app, "#gw-rg-notes")
        assert "Resource group is in 'eastus' but CMG region is 'westus' -- deployment will fail." in notes
        assert "Pick a resource group in the CMG region, or create a new one." in notes
        text = await _show(app, pilot, "#pf-title")
        assert "Resource group is in 'eastus'" in text


async def test_offline_preflight_runs_the_local_rules_and_lists_skipped_cloud_checks() -> None:
    _save("plan", vm_instances=1)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_entry(app) == "gateway"
        assert "Not run yet" in await _show(app, pilot, "#pf-title")
        await pilot.press("enter", "p")  # into the pane, then its pre-flight key
        await until(pilot, lambda: "Cloud checks skipped" in shown(app, "#pf-skipped"))
        skipped = shown(app, "#pf-skipped")
        for label in ("Owner role on the subscription", "resource provider registration",
                      "name availability (DNS label, key vault, storage)", "resource group location",
                      "regions the subscription offers", "signed out: sign in with F3"):
            assert label in skipped
        text = await _show(app, pilot, "#pf-title")
        assert "Run the Azure pre-flight to check the resource providers." in text
        assert "A single VM has no redundancy during Azure updates." in text
        assert app.profile is not None and not app.profile.evidence
        assert any("without cloud checks" in e.message for e in activity.read_tail("plan"))


async def test_escape_cancels_a_running_preflight_and_leaves_the_profile_unchanged() -> None:
    _save(subscription_id=OWNER_SUBSCRIPTION, resource_group="cmg-rg")
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await _signed_in(app, pilot)
        before = app.profile.model_dump(exclude={"updated_at"})  # type: ignore[union-attr]
        app.cloud.sandbox.faults.latency_ms = 1500  # type: ignore[union-attr]
        await pilot.press("enter", "p")  # into the pane, then its pre-flight key
        await until(pilot, lambda: bool(app.cloud.running()))
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: "cancelled" in shown(app, "#pf-state"))
        app.cloud.sandbox.faults.latency_ms = 0  # type: ignore[union-attr]
        assert app.profile.model_dump(exclude={"updated_at"}) == before  # type: ignore[union-attr]
        assert "arm.providers" not in app.profile.evidence  # type: ignore[union-attr]
        assert "arm.names" not in app.profile.evidence  # type: ignore[union-attr]
        assert any(e.message == "Part 4 pre-flight: cancelled" for e in activity.read_tail("sandbox"))
        assert "Not run yet" in await _show(app, pilot, "#pf-title")


async def test_fields_show_reasons_as_typed() -> None:
    profile = _save("plan")
    profile.site.site_version = 2010
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        row = await _fill(app, pilot, "gateway.vm_instances", "17")
        await until(pilot, lambda: app.profile is not None and app.profile.gateway.vm_instances == 17)
        assert "17 is out of range; enter a number from 1 to 16." in str(row.query_one(".field-error").render())
        assert "17 is out of range; enter a number from 1 to 16." in shown(app, "#gw-instance-notes")  # one wording
        row = await _fill(app, pilot, "gateway.subscription_id", "not-a-guid")  # a GUID field takes hex only
        assert row.query_one(Input).value == "-a-d"
        row = await _fill(app, pilot, "gateway.subscription_id", "abc-123")
        assert "'abc-123' is not a GUID" in str(row.query_one(".field-error").render())
        assert "'abc-123' is not a GUID" in shown(app, "#gw-sub-notes")
        row = await _fill(app, pilot, "gateway.resource_group", "CMG_RG")
        problem = "Version 2010 needs a resource group name of lowercase letters, digits and hyphens only."
        assert problem in str(row.query_one(".field-error").render())
        await until(pilot, lambda: app.profile.gateway.resource_group == "CMG_RG")  # type: ignore[union-attr]
        assert problem in shown(app, "#gw-rg-notes")
        assert "VM scale set is a pre-release on 2010" in shown(app, "#gw-version")


async def test_impossible_combinations_are_explained_inline() -> None:
    profile = _save("plan", vm_size=VmSize.LAB, peak_concurrent_clients=5000, vm_instances=2)
    profile.environment = AzureEnvironment.US_GOVERNMENT
    profile.region = "usgovvirginia"
    profile.site.site_version = 2107
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert ("A US Government VM scale set CMG requires version 2111 or later (site is 2107)."
                in shown(app, "#gw-env-notes"))
        assert "No VM scale set CMG in Azure US Government before 2111 (your environment)." in shown(app, "#gw-version")
        assert "Lab size (B2s) supports about 10 clients; not for production." in shown(app, "#gw-size-notes")
        assert "5,000 clients exceed the capacity of 2 × Lab B2s VM (20)." in shown(app, "#gw-instance-notes")
        app.screen.query_one("#gw-use-recommended").focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.profile.gateway.vm_instances == 16)  # type: ignore[union-attr]
        assert "capped at 16" in shown(app, "#gw-sizing")


async def test_load_subscriptions_then_pick_a_disabled_one_is_refused() -> None:
    _save()
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await _signed_in(app, pilot)
        await pilot.press("enter", "l")
        await until(pilot, lambda: app.profile is not None and "arm.subscriptions" in app.profile.evidence)
        await app.workers.wait_for_complete()
        await pilot.pause()
        picker = app.screen.query_one("#gw-sub-pick Select", Select)
        assert app.screen.query_one("#gw-sub-pick").display
        picker.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # the second subscription: Contoso Legacy (disabled)
        await until(pilot, lambda: app.profile.gateway.subscription_id == READER_SUBSCRIPTION)  # type: ignore[union-attr]
        result = _result(app, "GW-SUBSCRIPTION-LIVE")
        assert result.status is Status.FAIL and "is Disabled" in result.message
        await quiet(pilot)
        assert "Contoso Legacy (disabled) is Disabled." in shown(app, "#gw-sub-notes")


async def test_a_long_job_log_line_wraps_whole_in_the_preflight_log_at_80_columns() -> None:
    """A Resource Manager message is often longer than the pane: every word of it is shown,
    wrapped, none cut at the log's edge (the log used to end such a line at its width)."""
    _save("plan")
    app = CmgApp(initial_profile="plan")
    words = [f"word{n:02d}" for n in range(40)]  # 279 characters, over three pane widths
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        log = app.screen.query_one("#pf-log")
        log.post_message(JobLogLine(PREFLIGHT_JOB, "preflight: " + " ".join(words)))
        await until(pilot, lambda: log.display and len(log.lines) > 1)
        log.scroll_visible(animate=False, top=True)
        await pilot.pause()
        shown_lines = " ".join(strip.text for strip in log.lines)
        assert all(word in shown_lines.split() for word in words), shown_lines
        assert all(strip.cell_length <= log.size.width for strip in log.lines), ([s.cell_length for s in log.lines], log.size)
