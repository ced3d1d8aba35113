"""The Day two pane at 80×24: calendar → runbook, renewal lint and script, scale, secret rotation on the sandbox."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, OptionList, Select

from cmgtui.app import CmgApp
from cmgtui.panes.day_two import DayTwoPane
from cmgtui.store import ProfileStore
from cmgtui.widgets.job_log import JobLog
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.widgets.password_modal import PasswordModal
from cmgtui.widgets.secret_modal import SecretModal

from ..unit.certs import cert_factory as cf
from ..unit.powershell.profiles import public_entra_2309
from .conftest import ready, screen_text, until

SIZE = (80, 24)


def _save(name: str = "ops", **extra: object) -> None:
    profile = public_entra_2309()
    profile.name = name
    profile.last_screen = "day_two"
    profile.certificate.not_after = cf.NOW + timedelta(days=20)
    for key, value in extra.items():
        setattr(profile, key, value)
    ProfileStore().save(profile)


async def test_calendar_links_to_renewal_which_lints_then_shows_the_script(tmp_path: Path) -> None:
    _save()
    spec = cf.Leaf()
    pfx = tmp_path / "renewed.pfx"
    pfx.write_bytes(cf.pfx_bytes(spec.build(), spec.leaf_key(), (cf.intermediate(), cf.root())))
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(DayTwoPane)
        await until(pilot, lambda: pane.built)
        calendar = pane.query_one("#dt-calendar", OptionList)
        await until(pilot, lambda: calendar.option_count >= 2)
        prompts = [str(calendar.get_option_at_index(i).prompt) for i in range(calendar.option_count)]
        cert = next(i for i, text in enumerate(prompts) if text.startswith("Server authentication certificate"))
        assert "expires in 19 days" in prompts[cert] and prompts[cert].endswith("→ renew-certificate")
        secret = next(i for i, text in enumerate(prompts) if text.startswith("Server app client secret"))
        assert prompts[secret].endswith("→ rotate-secret")
        # An item no runbook renews (the bulk token) has no link and can't be chosen.
        token = next(i for i, text in enumerate(prompts) if text.startswith("Bulk registration token"))
        assert "→" not in prompts[token] and calendar.get_option_at_index(token).disabled
        calendar.focus()
        calendar.highlighted = secret
        await pilot.press("enter")
        await until(pilot, lambda: pane.current == "rotate-secret")
        calendar.highlighted = cert
        await pilot.press("enter")
        await until(pilot, lambda: pane.current == "renew-certificate")
        pane.query_one("#dt-pfx", Input).value = str(pfx)
        pane.query_one("#dt-check-pfx").press()
        await until(pilot, lambda: isinstance(app.screen, PasswordModal))
        app.screen.query_one("#password", Input).value = cf.PASSWORD.decode()
        await pilot.press("enter")
        await until(pilot, lambda: pane.book is not None and pane.book.script is not None)
        report = str(pane.query_one("#dt-report").render())
        assert "CERT-RENEWAL-CN" in report and "Validity overlaps" in report
        assert "Set-CMCloudManagementGateway" in pane.book.script
        # the script runs on the site server: its path there, never the one read here (issue 20)
        assert "[string]$ServiceCertPath = 'C:\\CMG\\renewed.pfx'" in pane.book.script
        assert str(tmp_path) not in pane.book.script
        assert not pane.query_one("#dt-save").disabled


async def test_renewal_with_a_letter_case_change_is_blocked(tmp_path: Path) -> None:
    _save()
    upper = cf.GOOD_CN.upper()
    spec = cf.Leaf(cn=upper, sans=(upper,))
    pfx = tmp_path / "upper.pfx"
    pfx.write_bytes(cf.pfx_bytes(spec.build(), spec.leaf_key(), (cf.intermediate(), cf.root())))
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(DayTwoPane)
        await until(pilot, lambda: pane.built)
        pane.query_one("#dt-pfx", Input).value = str(pfx)
        pane.query_one("#dt-check-pfx").press()
        await until(pilot, lambda: isinstance(app.screen, PasswordModal))
        app.screen.query_one("#password", Input).value = cf.PASSWORD.decode()
        await pilot.press("enter")
        await until(pilot, lambda: pane.book is not None and bool(pane.book.blockers)
                    and "letter case" in str(pane.query_one("#dt-report").render()))
        assert pane.book.script is None and pane.query_one("#dt-save").disabled


async def test_scale_plans_from_typed_numbers() -> None:
    _save()
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(DayTwoPane)
        await until(pilot, lambda: pane.built)
        pane.query_one("#dt-scale").press()
        await until(pilot, lambda: pane.current == "scale")
        pane.query_one("#dt-instances", Input).value = "abc"
        pane.query_one("#dt-plan").press()
        await until(pilot, lambda: "whole numbers" in str(pane.query_one("#dt-report").render()))
        pane.query_one("#dt-instances", Input).value = "6"
        pane.query_one("#dt-plan").press()
        await until(pilot, lambda: pane.book is not None and pane.book.script is not None)
        assert "[int]$VMInstanceCount = 6" in pane.book.script
        report = str(pane.query_one("#dt-report").render())
        assert "6 VM instance(s) need 2 CMG connection point(s)" in report
        # The profile has 2 instances: the 4 new ones use the channel ports 10126-10129 (data-flow.md, Note 3).
        assert "channel port(s) 10126-10129" in report.replace("\n", " ") and "vCPU quota" in report
        # A VM size change alone: console steps, no script (no cmdlet parameter exists for it).
        pane.query_one("#dt-instances", Input).value = ""
        pane.query_one("#dt-size", Select).value = "A4_v2"
        pane.query_one("#dt-plan").press()
        await until(pilot, lambda: pane.book is not None and pane.book.script is None)
        report = str(pane.query_one("#dt-report").render())
        assert "no cmdlet exists for this" in report and "Settings tab" in report
        assert pane.query_one("#dt-save").disabled


async def _adopt_sandbox_app(app: CmgApp, name: str = "CMG-ServerApp"):  # type: ignore[no-untyped-def]
    """Create the apps in the sandbox tenant and record them in the open profile."""
    from cmgtui import paths
    from cmgtui.cloud.app_registration import AppSpec, create_apps
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.cloud.journal import OperationsJournal

    async with GraphGateway(app.cloud.session) as graph:
        made = await create_apps(graph, AppSpec(server_name=name, secret_months=12),
                                 OperationsJournal(paths.sandbox_dir() / "rotation.jsonl"))
    created, first = made.apps, made.secret
    assert first is not None

    def adopt(p) -> None:  # type: ignore[no-untyped-def]
        p.entra.server_app.display_name = name
        p.entra.server_app.object_id = created.server.object_id
        p.entra.server_app.app_id = created.server.app_id
        p.entra.server_app.secret_key_id = first.key_id

    app.mutate(adopt, "test: adopt the sandbox app")
    state = app.cloud.sandbox.state

    def keys() -> list[str]:
        with state.lock:
            return [c["keyId"] for c in state.applications[created.server.object_id]["passwordCredentials"]]

    return created, first, keys


async def test_rotation_on_the_sandbox_writes_the_file_first_and_keeps_the_old_secret_until_confirmed(
        tmp_path: Path) -> None:
    profile = public_entra_2309()  # imported apps
    profile.name = "sandbox"
    profile.last_screen = "day_two"
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        # A markup-looking app name must neither crash the one-time dialog nor be read as markup.
        created, first, keys = await _adopt_sandbox_app(app, "CMG-Server[/x]")
        pane = app.screen.query_one(DayTwoPane)
        await until(pilot, lambda: pane.built)
        pane.query_one("#dt-rotate-secret").press()
        await until(pilot, lambda: pane.current == "rotate-secret" and not pane.query_one("#dt-add-secret").disabled)
        pane.query_one("#dt-add-secret").press()
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        target = tmp_path / "rotated-secret.txt"
        app.screen.query_one("#name", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SecretModal))
        assert "Client secret of CMG-Server[/x]" in screen_text(app)
        new_key = app.screen.key_id
        assert target.read_text().strip() and (target.stat().st_mode & 0o777) == 0o600
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SecretModal))
        assert keys() == [first.key_id, new_key]
        # The site still uses the old secret until confirmed: it stays the current one.
        assert app.profile.entra.server_app.secret_key_id == first.key_id
        # Declining the confirmation keeps the old secret.
        pane.query_one("#dt-remove-old").press()
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
        await pilot.pause()
        assert keys() == [first.key_id, new_key]
        assert "kept" in str(pane.query_one("#dt-report").render())
        # Confirming removes it; the new secret becomes the current one.
        pane.query_one("#dt-remove-old").press()
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await until(pilot, lambda: keys() == [new_key])
        await until(pilot, lambda: "entra.secret_rotation" not in app.profile.evidence)
        assert app.profile.entra.server_app.secret_key_id == new_key
        # The jobs' lines are in this pane's own log (issue 20), never the secret itself.
        log = "\n".join(strip.text for strip in pane.query_one("#dt-log", JobLog).lines)
        assert "Add a new server app secret: done" in log and "Remove the old server app secret: done" in log
        assert "Secret written to" in log and target.read_text().strip() not in log.replace("\n", "")


async def test_console_created_app_is_renewed_in_the_console_and_read_back_from_the_tenant() -> None:
    from cmgtui.cloud.graph import GraphGateway
    from cmgtui.model.enums import EntraPath

    profile = public_entra_2309()
    profile.name = "sandbox"
    profile.last_screen = "day_two"
    profile.entra.path = EntraPath.CONFIGMGR_CREATES
    profile.site.site_version = 2409
    ProfileStore().save(profile)
    app = CmgApp(initial_profile="sandbox", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        created, first, keys = await _adopt_sandbox_app(app)
        pane = app.screen.query_one(DayTwoPane)
        await until(pilot, lambda: pane.built)
        pane.query_one("#dt-rotate-secret").press()
        await until(pilot, lambda: pane.current == "rotate-secret")
        # No Graph secret for an app the console created: the button isn't there, the steps are the console's.
        assert not pane.query_one("#dt-add-secret").display
        report = str(pane.query_one("#dt-report").render())
        assert "cmgtui adds no secret" in report and "Global Administrator" in report
        # The console's Renew Secret Key makes its own secret; reading the tenant records it.
        async with GraphGateway(app.cloud.session) as graph:
            console_secret = await graph.add_client_secret(created.server.object_id, 24, display_name="ConfigMgr")
        pane.query_one("#dt-read-tenant").press()
        await until(pilot, lambda: app.profile.entra.server_app.secret_key_id == console_secret.key_id)
        assert keys() == [first.key_id, console_secret.key_id]
        calendar = pane.query_one("#dt-calendar", OptionList)
        await until(pilot, lambda: any(console_secret.end_date_time[:10] in str(calendar.get_option_at_index(i).prompt)
                                       for i in range(calendar.option_count)))
