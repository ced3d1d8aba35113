"""Text is text in the TUI: logs, Azure names, paths and profile values with markup and escape
sequences are shown (as placeholders), never obeyed, and never crash a display.

Each test checks the frame the App would write to the terminal: nothing in it but Textual's
own colour and cursor sequences (:func:`tests.hostile.hostile_text.terminal_leaks`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Select

from cmgtui.app import CmgApp
from cmgtui.panes.entra.pane import EntraPane
from cmgtui.panes.gateway.pane import GatewayPane
from cmgtui.panes.logs import LogsPane
from cmgtui.sandbox.scenario import parse_scenario
from cmgtui.sandbox.server import SandboxServer
from cmgtui.store import ProfileStore
from cmgtui.widgets.fields import FieldRow
from cmgtui.widgets.file_picker import FilePickerModal
from cmgtui.widgets.secret_modal import SecretModal
from tests.app.conftest import BorrowedSandbox, ready, screen_text, until
from tests.hostile.hostile_text import (
    CLEAR,
    OSC0,
    OSC8,
    OSC52,
    app_frame,
    hostile_text,
    terminal_leaks,
    unsafe_characters,
)
from tests.unit.logs.logbuilder import cm_line, log_text

pytestmark = pytest.mark.app  # they drive the real App

SIZE = (100, 30)
CASE_S = 120  # a whole App session on a loaded 2-core box; a hang would never end
CN_INVALID = "[CCMHTTP] : WINHTTP_CALLBACK_STATUS_FLAG_CERT_CN_INVALID is set"
SUB = "11111111-2222-4333-8444-555555555555"


def _logs(folder: Path, hostile: str) -> Path:
    """A Logs folder whose entry's component and matched message carry ``hostile`` (the caller's
    folder path may carry more). The log keeps its catalogued name (LocationServices.log), since
    the component that wrote an entry, and else the file's name, decides which signatures apply.
    """
    folder.mkdir(parents=True)
    message = hostile.replace('"', "'").replace("\r", " ").replace("\n", " ").replace("]LOG]!>", "")
    name = "LocationServices.log"
    (folder / name).write_text(log_text(cm_line("before"), cm_line(f"{CN_INVALID} {message}",
                                                                     component="Location" + message[:30]),
                                        cm_line("after")), encoding="utf-8", errors="surrogateescape")
    return folder


async def _open_logs_folder(pilot, folder: Path) -> LogsPane:  # type: ignore[no-untyped-def]
    """Open ``folder`` in the Logs pane as a user does: f, type the path, Enter, "Use this folder"."""
    app = pilot.app
    pane = app.screen.query_one(LogsPane)
    await until(pilot, lambda: pane.built)
    await pilot.press("right_square_bracket", "left_square_bracket", "f")  # back into the Logs pane, its key
    await until(pilot, lambda: isinstance(app.screen, FilePickerModal)
                and bool(app.screen.query_one("#picker-path", Input).value))
    await pilot.press("slash")
    app.screen.query_one("#picker-path", Input).value = str(folder)
    await pilot.press("enter")
    await until(pilot, lambda: str(folder) in app.screen.query_one("#picker-path", Input).value)
    await pilot.press("enter")
    await until(pilot, lambda: pane.result is not None and pane.listed)
    return pane


def _logs_profile() -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.last_screen = "logs"
    store.save(profile)


async def test_logs_pane_shows_osc_and_markup_from_a_log_and_its_folder_path(tmp_path: Path) -> None:
    _logs_profile()
    folder = _logs(tmp_path / "Logs[" / "x][@click=app.quit]", OSC52 + OSC0 + OSC8 + CLEAR + "[b]bold")
    assert "[/x][@click=app.quit]" in str(folder)
    app = CmgApp(initial_profile="ops")

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            pane = await _open_logs_folder(pilot, folder)
            assert app.is_running and app.return_code is None  # neither crashed nor quit by the path
            await until(pilot, lambda: "LOG-CLIENT-CERT-CN-INVALID" in screen_text(app))
            text = screen_text(app)
            assert "␛]52;c;SElKQUNLRUQ=␇" in text and "[b]bold" in text
            assert terminal_leaks(app_frame(app)) == []
            await pilot.press("r")  # the raw lines around the finding
            await until(pilot, lambda: pane.raw_mode)
            assert "␛[2J␛[H" in screen_text(app)
            assert terminal_leaks(app_frame(app)) == []
            await app.screen.open_pane("activity")  # "Triaged <path>" was logged there
            await until(pilot, lambda: "x][@click=app.quit]" in screen_text(app))
            assert terminal_leaks(app_frame(app)) == []

    await asyncio.wait_for(run(), CASE_S)


async def test_palette_lists_profile_values_with_markup_as_text() -> None:
    store = ProfileStore()
    profile = store.create("pal")
    profile.entra.server_app.display_name = "CMG-Server[/x]" + OSC52
    profile.entra.client_app.display_name = "CMG-Client[@click=app.quit]"
    profile.entra.tenant_name = "Contoso" + OSC0 + "[$accent]"
    store.save(profile)
    app = CmgApp(initial_profile="pal")

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*"look up")
            await until(pilot, lambda: app.screen.query_one("CommandList", OptionList).option_count > 3)
            for _ in range(12):  # through the hits: each one's help is drawn
                await pilot.press("down")
            assert app.is_running and app.return_code is None
            text = screen_text(app)
            assert "CMG-Server[/x]␛]52;" in text or "CMG-Client[@click=app.quit]" in text, text
            assert terminal_leaks(app_frame(app)) == []

    await asyncio.wait_for(run(), CASE_S)


@pytest.fixture
def hostile_tenant(sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    """The lent sandbox with a tenant, a subscription and a resource group named by an attacker."""
    def q(text: str) -> str:
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text) + '"'

    scenario = parse_scenario(
        f"[tenant]\nname = {q('Contoso' + OSC0 + '[/x]')}\n\n[[subscriptions]]\nid = \"{SUB}\"\n"
        f"name = {q('Prod' + OSC52 + '[@click=app.quit]')}\nroles = [\"Owner\"]\n"
        f"resource_groups = [{{ name = {q('rg' + CLEAR)}, location = \"westus\" }}]\n")
    monkeypatch.setattr(sandbox, "scenario", scenario)
    sandbox.reset()
    monkeypatch.setattr(SandboxServer, "from_environment", classmethod(lambda cls, port=0: BorrowedSandbox(sandbox)))
    yield sandbox
    monkeypatch.undo()
    sandbox.reset()  # the seeded tenant again for the tests that follow


async def test_tenant_and_subscription_names_from_azure_are_shown_as_text(hostile_tenant: SandboxServer) -> None:
    app = CmgApp(initial_profile="sandbox", sandbox=True)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await until(pilot, lambda: app.cloud.signed_in)
            await app.workers.wait_for_complete()
            await app.screen.open_pane("checklist")
            await pilot.press("enter", "l")  # live checks: roles, organization (the tenant's name), owner
            await until(pilot, lambda: app.profile is not None and "graph.organization" in app.profile.evidence,
                        timeout=90)
            await app.workers.wait_for_complete()
            assert terminal_leaks(app_frame(app)) == []
            gateway = await app.screen.open_pane("gateway")
            assert isinstance(gateway, GatewayPane)
            gateway.action_load_subscriptions()  # the palette's "Part 4: load subscriptions"
            await until(pilot, lambda: "arm.subscriptions" in app.profile.evidence, timeout=90)
            await until(pilot, lambda: "Contoso␛]0;pwned-title␇[/x]" in screen_text(app))
            assert terminal_leaks(app_frame(app)) == []
            picker = gateway.query_one("SubscriptionPicker").query_one(Select)
            await until(pilot, lambda: picker.display)
            picker.focus()
            await pilot.press("enter")  # open the list of loaded subscriptions
            await until(pilot, lambda: "Prod␛]52;c;SElKQUNLRUQ=␇[@click=app.quit]" in screen_text(app))
            assert terminal_leaks(app_frame(app)) == []
            await pilot.press("escape")
            entra = await app.screen.open_pane("entra")
            assert isinstance(entra, EntraPane)
            roles = entra.query_one("#p2-roles")
            await until(pilot, lambda: "Tenant: Contoso␛]0;pwned-title␇[/x]" in str(roles.render()))
            assert unsafe_characters(str(roles.render())) == []  # what it draws when scrolled to
            assert terminal_leaks(app_frame(app)) == []
            assert app.is_running and app.return_code is None

    await asyncio.wait_for(run(), CASE_S * 2)


async def test_one_time_secret_dialog_shows_an_app_name_with_markup() -> None:
    ProfileStore().create("dt")
    app = CmgApp(initial_profile="dt")

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            app.push_screen(SecretModal("s3cr3t~value", "0f6b1c2d-0000-4000-8000-000000000001", "2027-12-07",
                                        "CMG-Server[/x]" + OSC52))
            await until(pilot, lambda: isinstance(app.screen, SecretModal))
            await pilot.pause()
            assert app.is_running and app.return_code is None
            assert "Client secret of CMG-Server[/x]␛]52;" in screen_text(app)
            assert terminal_leaks(app_frame(app)) == []

    await asyncio.wait_for(run(), CASE_S)


async def test_a_profile_value_in_an_input_is_shown_with_visible_controls() -> None:
    store = ProfileStore()
    profile = store.create("fields")
    profile.gateway.resource_group = "rg" + OSC52 + "[/x]"
    store.save(profile)
    app = CmgApp(initial_profile="fields")

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            gateway = await app.screen.open_pane("gateway")
            row = next(r for r in gateway.query(FieldRow) if r.path == "gateway.resource_group")
            editor = row.query_one(Input)
            assert editor.value == "rg" + OSC52 + "[/x]"  # the value itself is kept
            editor.scroll_visible(animate=False, top=True)
            await until(pilot, lambda: "rg␛]52;c;SElKQUNLRUQ=[/x]" in screen_text(app))  # BEL: Rich drops it
            assert terminal_leaks(app_frame(app)) == []

    await asyncio.wait_for(run(), CASE_S)


@given(hostile_text)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
def test_any_hostile_text_in_a_log_or_a_profile_is_shown_never_obeyed(
        tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """Property: whatever a log line, its file name and the Part 2 names hold, the Logs pane, the
    header, the palette and Part 2 draw a frame with no escape sequence of their own."""
    store = ProfileStore()
    name = f"p{abs(hash(text)) % 10**8}"
    profile = store.create(name)
    profile.last_screen = "logs"
    name_text = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
    profile.entra.server_app.display_name = "S" + name_text
    profile.entra.client_app.display_name = "C" + name_text
    profile.entra.tenant_name = name_text
    store.save(profile)
    folder = _logs(tmp_path_factory.mktemp("hostile") / "Logs", text)
    app = CmgApp(initial_profile=name)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await _open_logs_folder(pilot, folder)
            assert terminal_leaks(app_frame(app)) == []
            await pilot.press("r")
            assert terminal_leaks(app_frame(app)) == []
            await app.screen.open_pane("entra")
            await pilot.pause()
            assert terminal_leaks(app_frame(app)) == []
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*"look up")
            await until(pilot, lambda: app.screen.query_one("CommandList", OptionList).option_count > 3)
            assert terminal_leaks(app_frame(app)) == []
            assert app.is_running and app.return_code is None

    asyncio.run(asyncio.wait_for(run(), CASE_S))
