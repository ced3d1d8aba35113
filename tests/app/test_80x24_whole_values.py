"""At 80×24, every value that must be read whole is on one screen line, never cut or split.

Each test brings the value into view the way a user would (the pane scrolled to it) and reads
the terminal's text: an identifier that is cut ("…"), folded mid-token or clipped at the edge
is not found on any single line, and the test fails.
"""

from __future__ import annotations

import re

from textual.widget import Widget
from textual.widgets import Input, RichLog

from cmgtui import activity
from cmgtui.app import CmgApp
from cmgtui.domain.clients.command_lines import CommandLine
from cmgtui.messages import JobLogLine
from cmgtui.model import AzureEnvironment, ClientAuthMethod, EntraPath, Profile
from cmgtui.model.enums import CertificateSource, ManagementPointMode
from cmgtui.panes.clients.commands import CommandBlock
from cmgtui.store import ProfileStore
from cmgtui.widgets.header import AppHeader

from .conftest import read_through, ready, screen_text, until

SIZE = (80, 24)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SERVER_APP = "0b7a1a1e-3f5c-4c9e-9f51-6a1c2b3d4e5f"
CLIENT_APP = "1c8b2b2f-4a6d-4dae-8a62-7b2d3c4e5f60"
THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567"


def _plan() -> Profile:
    profile = Profile(name="contoso", region="westus", environment=AzureEnvironment.PUBLIC)
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.certificate.source = CertificateSource.PUBLIC_CA
    profile.entra.path = EntraPath.IMPORT
    profile.entra.tenant_id = TENANT
    profile.entra.tenant_name = "contoso.onmicrosoft.com"
    profile.entra.server_app.app_id = SERVER_APP
    profile.entra.client_app.app_id = CLIENT_APP
    profile.entra.server_app.app_id_uri = f"api://{TENANT}/ConfigMgrService"
    profile.client_auth.methods = [ClientAuthMethod.ENTRA]
    profile.client_auth.management_point_mode = ManagementPointMode.HTTPS
    profile.site.site_code = "ABC"
    profile.site.cmgcp_servers = ["cmgcp01.contoso.com"]
    profile.clients.mp_role_id = "72186325152220500"
    profile.clients.onprem_mp = "mp01.contoso.com"
    return profile


def _lines(app: CmgApp) -> list[str]:
    """The pane's side of each screen line (right of the navigation's edge)."""
    return [line.split("▎", 1)[-1].strip(" ▌▊") for line in screen_text(app).splitlines()]


def on_one_line(app: CmgApp, value: str) -> bool:
    """True when ``value`` appears whole on a single line of the screen."""
    return any(value in line for line in screen_text(app).splitlines())


async def _show(pilot, app: CmgApp, entry: str, widget: Widget | str) -> None:  # type: ignore[no-untyped-def]
    await app.screen.show_entry(entry)
    await pilot.pause()
    if entry == "checklist":
        await read_through(pilot)
    pane = app.screen.query_one(f"#{entry}")
    target = pane.query_one(widget) if isinstance(widget, str) else widget
    pane.scroll_to_widget(target, animate=False, top=True)
    for _ in range(3):
        await pilot.pause()


async def _app(pilot_size=SIZE):  # type: ignore[no-untyped-def]
    ProfileStore().save(_plan())
    return CmgApp(initial_profile="contoso")


async def test_part2_values_and_log_lines_keep_ids_whole() -> None:
    app = await _app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _show(pilot, app, "entra", "#p2-values")
        for value in (TENANT, SERVER_APP, CLIENT_APP, "contoso.onmicrosoft.com"):
            assert on_one_line(app, value), value
        # The URI is longer than the pane: it breaks only after its '/'.
        assert on_one_line(app, f"api://{TENANT}/") and on_one_line(app, "ConfigMgrService")
        log = app.screen.query_one("#p2-log", RichLog)
        app.screen.query_one("#p2-create").display = True
        await pilot.pause()
        log.post_message(JobLogLine("Check Microsoft Entra roles", f"organization: Contoso ({TENANT}), verified "
                                    "domains contoso.com, contoso.onmicrosoft.com"))
        await pilot.pause()
        await _show(pilot, app, "entra", log)
        assert on_one_line(app, f"({TENANT}),")


async def test_rule_ids_are_never_broken() -> None:
    app = await _app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _show(pilot, app, "certificate", "#name-report")
        report = app.screen.query_one("#name-report")
        text = "\n".join(_lines(app))
        pane = app.screen.query_one("#certificate")
        seen: set[str] = set()
        for _ in range(12):  # page through the report
            seen |= {m for line in _lines(app) for m in re.findall(r"\b(?:NAME|CERT)-[A-Z0-9-]*[A-Z0-9]", line)}
            pane.scroll_relative(y=10, animate=False)
            await pilot.pause()
        assert {"NAME-KEYVAULT-FREE", "NAME-PUBLIC-CA-AZURE", "NAME-STORAGE-FREE", "NAME-AZURE-REGION"} <= seen, seen
        assert report is not None and text


async def test_endpoints_labels_and_activity_lines_read_whole() -> None:
    app = await _app()
    activity.append("contoso", "certificate",
                    f"Checked /home/admin/cmg/GraniteFalls.contoso.com.pfx (thumbprint {THUMBPRINT}): 12 pass")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _show(pilot, app, "checklist", "#endpoint-table")
        assert on_one_line(app, "GraniteFalls.westus.cloudapp.azure.com:443")
        assert on_one_line(app, "granitefalls.blob.core.windows.net:443")
        await _show(pilot, app, "checklist", "#item-cmgcp_server")
        assert "comma separated" in " ".join(_lines(app))
        await _show(pilot, app, "certificate", "#legacy-pfx")
        joined = " ".join(line for line in _lines(app) if line)
        assert "Older PFX encryption (Windows Server 2016 and older)" in joined
        await _show(pilot, app, "activity", "#activity-log")
        await until(pilot, lambda: on_one_line(app, THUMBPRINT))
        assert on_one_line(app, "/home/admin/cmg/GraniteFalls.contoso.com.pfx")


async def test_command_lines_wrap_between_tokens() -> None:
    app = await _app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.screen.show_entry("clients")
        block = app.screen.query_one("#clients").query(CommandBlock).first()
        await _show(pilot, app, "clients", block)
        command = block.text
        assert command, "the Entra command line is ready"
        assert TENANT in command
        for token in command.split():
            if len(token) <= 44:
                assert on_one_line(app, token), f"{token!r} is split on screen"
        # Longer KEY=value tokens break after '=' or '/', so the IDs inside stay whole.
        for guid in re.findall(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}", command):
            assert on_one_line(app, guid), f"{guid} is split on screen"
        assert isinstance(CommandLine, type)


async def test_header_banner_and_help_fit() -> None:
    store = ProfileStore()
    store.save(_plan())
    holder = store.open("contoso")
    try:
        app = CmgApp(initial_profile="contoso")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await until(pilot, lambda: "READ-ONLY" in str(app.screen.query_one(AppHeader).render()))
            await pilot.pause()
            assert on_one_line(app, "READ-ONLY: open in another session")
            assert on_one_line(app, "Azure public cloud · West US")
            await pilot.press("f1")
            await pilot.pause()
            assert on_one_line(app, "Command palette: go to, look up, act")
            assert on_one_line(app, "id: nav_next") or on_one_line(app, "id: help")
    finally:
        holder.close()
    assert Input  # the module's imports stay honest
