"""Part 5 (configure clients) driven by keyboard: settings, command lines, token, live probe."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Checkbox, Input

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.domain.rules.checks import evaluate
from cmgtui.domain.rules.results import Status
from cmgtui.model import AzureEnvironment, Profile
from cmgtui.model.enums import ClientAuthMethod as M
from cmgtui.model.enums import ManagementPointMode
from cmgtui.panes.clients.probe import ProbePanel
from cmgtui.store import ProfileStore
from cmgtui.widgets.fields import CheckField
from tests.unit.clientauth.tls_server import LoopbackTlsServer, closed_port

from .conftest import current_entry, paste, ready, screen_text, until

SIZE = (120, 60)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT_APP = "0b2d3c4e-5f60-4718-8293-a4b5c6d7e8f9"
URI = f"api://{TENANT}/CMG-ServerApp"
MP_PATH = "GraniteFalls.contoso.com/CCM_Proxy_MutualAuth/72186325152220500"
ENTRA_LINE = (f"ccmsetup.exe /mp:https://{MP_PATH} CCMHOSTNAME={MP_PATH} SMSSITECODE=ABC "
              f"SMSMP=https://mp01.contoso.com AADTENANTID={TENANT} AADCLIENTAPPID={CLIENT_APP} AADRESOURCEURI={URI}")
DEPLOYMENT = "GraniteFalls.westus.cloudapp.azure.com"


def _app(methods: list[M], *, filled: bool = False) -> CmgApp:
    profile = Profile(name="plan", environment=AzureEnvironment.PUBLIC, region="westus", last_screen="clients")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.entra.tenant_id, profile.entra.client_app.app_id = TENANT, CLIENT_APP
    profile.entra.server_app.app_id_uri = URI
    profile.client_auth.methods = methods
    profile.client_auth.management_point_mode = ManagementPointMode.HTTPS
    if filled:
        profile.site.site_code = "ABC"
        profile.clients.mp_role_id = "72186325152220500"
        profile.clients.onprem_mp = "mp01.contoso.com"
    ProfileStore().save(profile)
    return CmgApp(initial_profile="plan")


def pane_text(app: CmgApp) -> str:
    """What the content pane shows, lines joined with single spaces (the scroll bar's glyphs left out)."""
    lines = [line.split("▎", 1)[1] if "▎" in line else line for line in screen_text(app).splitlines()[1:-3]]
    lines = [line.rstrip().rstrip("▁▂▃▄▅▆▇█") for line in lines]
    return " ".join(" ".join(lines).split())


async def _show(app: CmgApp, selector: str, pilot) -> str:  # type: ignore[no-untyped-def]
    await pilot.pause()
    app.screen.query_one(selector).scroll_visible(animate=False, top=True)
    await pilot.pause()
    await pilot.pause()
    return pane_text(app)


async def _fill(app: CmgApp, pilot, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
    row = next(r for r in app.screen.query("#clients TextField") if getattr(r, "path", "") == path)
    editor = row.query_one(Input)
    editor.focus()
    editor.value = ""
    await paste(pilot, text)
    await pilot.pause()


async def test_no_methods_points_back_to_part3() -> None:
    app = _app([])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert current_entry(app) == "clients"
        assert "Choose the client authentication method(s) in Part 3" in await _show(app, "#cl-no-methods", pilot)
        assert not app.screen.query_one("#cmd-entra").display


async def test_missing_values_are_listed_then_the_lines_appear_with_the_values() -> None:
    app = _app([M.ENTRA, M.PKI])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await _show(app, "#cmd-entra", pilot)
        assert "Not shown until these values are entered: • management point role ID" in text
        assert "• site code" in text
        assert "ccmsetup.exe /mp" not in text
        assert app.screen.query_one("#cmd-entra .copy-command").disabled
        await _fill(app, pilot, "site.site_code", "AUTO")
        assert "AUTO doesn't work through a CMG" in await _show(app, "#cl-status", pilot)
        await _fill(app, pilot, "site.site_code", "ABC")
        await _fill(app, pilot, "clients.mp_role_id", "CCM_Proxy_MutualAuth/7")
        assert "Enter only the number after CCM_Proxy_MutualAuth/" in pane_text(app)
        await _fill(app, pilot, "clients.mp_role_id", "72186325152220500")
        await _fill(app, pilot, "clients.onprem_mp", "ftp://mp01")
        assert "'ftp://' isn't a management point scheme" in pane_text(app)
        await _fill(app, pilot, "clients.onprem_mp", "mp01.contoso.com")
        assert app.profile is not None
        await until(pilot, lambda: app.profile.clients.onprem_mp == "mp01.contoso.com")
        text = await _show(app, "#cmd-entra", pilot)
        assert ENTRA_LINE in text
        assert "command-line check(s) pass" in text
        app.screen.query_one("#cmd-entra .copy-command").focus()
        await pilot.press("enter")
        assert app.clipboard == ENTRA_LINE
        pki = await _show(app, "#cmd-pki", pilot)
        assert f"ccmsetup.exe /mp:https://{MP_PATH} /UsePKICert CCMHOSTNAME={MP_PATH} SMSSITECODE=ABC" in pki
        assert "CCMALWAYSINF" not in pki
        app.screen.query_one("#cl-always-internet Checkbox").focus()
        await pilot.press("space")
        await until(pilot, lambda: app.profile.clients.always_internet)
        assert "SMSSITECODE=ABC CCMALWAYSINF=1" in await _show(app, "#cmd-pki", pilot)
        intune = await _show(app, "#cmd-intune", pilot)
        assert 'ccmsetup.msi CCMSETUPCMD="/mp:https://' in intune
        assert "✓ 7 command-line check(s) pass (CMD-INTUNE-LENGTH," in intune
        rules = {r.rule: r.status for r in evaluate(app.profile)}
        assert rules["CLIENTS-CMDLINE"] is Status.PASS and rules["CLIENTS-MP-ROLE-ID"] is Status.PASS


async def test_client_settings_checklist_by_keyboard() -> None:
    app = _app([M.ENTRA], filled=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # into the pane: the first checkbox
        first = app.focused
        assert isinstance(first, Checkbox) and isinstance(first.parent, CheckField)
        assert first.parent.path == "clients.enable_cmg_setting" and not first.value
        await pilot.press("space", "tab", "space")
        assert app.profile is not None
        await until(pilot, lambda: app.profile.clients.allow_cloud_dp_setting)
        assert app.profile.clients.enable_cmg_setting
        assert "Client settings let devices use the CMG and its content." in await _show(app, "#cl-rules", pilot)


async def test_token_is_used_in_the_line_but_never_saved() -> None:
    token = "eyJhbGciOiJSUzI1NiJ9.eyJ0ZXN0Ijp0cnVlfQ.c2lnbmF0dXJlLXNlY3JldA"
    app = _app([M.TOKEN], filled=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await _show(app, "#cmd-token", pilot)
        assert "bulk registration token (paste it; cmgtui never stores it)" in text
        field = app.screen.query_one("#token-input", Input)
        field.focus()
        await paste(pilot, token)
        await pilot.pause()
        # The pane's scrollbar thumb may sit beside any line; it is not part of the command line.
        text = re.sub(r" [▁▂▃▄▅▆▇█]+ ", " ", await _show(app, "#cmd-token", pilot))
        assert f"/regtoken:{token} CCMHOSTNAME={MP_PATH} SMSSITECODE=ABC SMSMP=https://mp01.contoso.com" in text
        assert "CMD-REGTOKEN" in text
        app.screen.query_one("#cmd-token .copy-command").focus()
        await pilot.press("enter")
        assert token in app.clipboard
        app.save_now()
        await pilot.press("ctrl+q")
    assert token not in paths.profile_file("plan").read_text()
    assert "eyJ" not in paths.profile_file("plan").read_text()


async def test_cmgfqdns_and_verification_commands_are_copyable() -> None:
    app = _app([M.ENTRA], filled=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = await _show(app, "#cmd-cmgfqdns", pilot)
        assert "-Name 'CMGFQDNs'" in text and "-Value 'https://GraniteFalls.contoso.com'" in text
        app.screen.query_one("#cmd-verify .copy-command").focus()
        await pilot.press("enter")
        assert app.clipboard.startswith("Get-WmiObject -Namespace Root\\Ccm\\LocationServices")


def _cname(name: str) -> tuple[str, list[str], list[str]]:
    if name.lower() in ("granitefalls.contoso.com", DEPLOYMENT.lower()):
        return DEPLOYMENT.lower(), ["GraniteFalls.contoso.com"], ["127.0.0.1"]
    raise OSError("unexpected name")


async def test_live_probe_against_loopback_stores_evidence_and_shows_results(tmp_path: Path) -> None:
    app = _app([M.ENTRA], filled=True)
    with LoopbackTlsServer(tmp_path, "GraniteFalls.contoso.com") as server:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            panel = app.screen.query_one(ProbePanel)
            panel.connect_host, panel.port, panel.resolve = "127.0.0.1", server.port, _cname
            panel.cafile = str(server.ca_path)
            assert "Not run yet: run it once the CMG is deployed" in await _show(app, "#cl-probe", pilot)
            app.screen.query_one("#probe-run").focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            assert app.profile is not None
            await until(pilot, lambda: "probe.service" in app.profile.evidence)
            evidence = app.profile.evidence["probe.service"]
            assert evidence.data["tls"]["common_name"] == "GraniteFalls.contoso.com"
            assert evidence.summary == "DNS ok; TCP 443 ok; TLS ok"
            text = await _show(app, "#cl-probe", pilot)
            assert "TLS: certificate for GraniteFalls.contoso.com" in text
            assert "resolves through granitefalls.westus.cloudapp.azure.com" in text.lower()
            assert "The certificate served is for GraniteFalls.contoso.com, matching" in text
            assert "The certificate chains to a root this machine trusts." in text


async def test_probe_to_a_closed_port_fails_tcp_with_a_message() -> None:
    app = _app([M.ENTRA], filled=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        panel = app.screen.query_one(ProbePanel)
        panel.connect_host, panel.port, panel.resolve = "127.0.0.1", closed_port(), _cname
        panel.run_probe()
        await app.workers.wait_for_complete()
        assert app.profile is not None
        await until(pilot, lambda: "probe.service" in app.profile.evidence)
        text = await _show(app, "#cl-probe", pilot)
        assert "connection refused" in text
        assert "Traceback" not in text
        assert app.profile.evidence["probe.service"].summary == "DNS ok; TCP 443 failed"
