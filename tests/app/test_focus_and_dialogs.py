"""Focus that shows and stays put, keys that never fire from a text field, dialogs that say
what went wrong and keep what was typed, and text shown exactly as written (never markup)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Checkbox, Input, OptionList, Select

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.services.certificate_files import create_csr_files
from cmgtui.model import CertificateSource, EntraPath, Profile
from cmgtui.panes.checklist import ChecklistPane
from cmgtui.panes.gateway.pane import GatewayPane
from cmgtui.screens.main import MainScreen
from cmgtui.store import ProfileStore
from cmgtui.widgets.fields import FieldRow
from cmgtui.widgets.password_modal import PasswordModal

from .conftest import current_entry, paste, ready, screen_text, until

SIZE = (80, 24)


def _open(name: str = "plan", profile: Profile | None = None) -> CmgApp:
    ProfileStore().save(profile or Profile(name=name))
    return CmgApp(initial_profile=name)


async def _type(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text)
    await pilot.pause()


async def _enter(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Give ``text`` to the focused input: its first key pressed, the rest pasted as a terminal
    delivers a paste (one refresh, not one per key). Keys typed one by one into a field are
    :func:`test_pane_keys_type_into_a_focused_field_and_fire_only_outside_it`'s subject."""
    await pilot.press(text[0])
    await paste(pilot, text[1:])


async def test_pane_keys_type_into_a_focused_field_and_fire_only_outside_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    monkeypatch.setattr(ChecklistPane, "action_live_checks", lambda self: calls.append("live"))
    monkeypatch.setattr(ChecklistPane, "action_probe_internet", lambda self: calls.append("probe"))
    monkeypatch.setattr(GatewayPane, "action_preflight", lambda self: calls.append("preflight"))
    monkeypatch.setattr(GatewayPane, "action_load_subscriptions", lambda self: calls.append("subscriptions"))
    app = _open()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        note = app.screen.query_one("#item-environment TextField Input", Input)
        note.focus()
        await _type(pilot, "lpl")
        assert note.value == "lpl"
        assert calls == []
        app.screen.query_one("#live-checks", Button).focus()
        await _type(pilot, "l")
        assert calls == ["live"]  # the same key outside a text field runs the action
        app.screen.show_entry("gateway")
        await pilot.pause()
        group = next(r for r in app.screen.query(FieldRow) if r.path == "gateway.resource_group").query_one(Input)
        group.focus()
        await _type(pilot, "pl")
        await until(pilot, lambda: app.profile.gateway.resource_group == "pl")
        assert calls == ["live"]


async def test_every_focusable_widget_shows_a_bar_when_focused_also_without_colour(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = _open()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(ChecklistPane)
        widgets = [app.screen.query_one("#nav", OptionList), pane.query_one("#live-checks", Button),
                   pane.query_one("#item-environment Select", Select),
                   pane.query_one("#item-environment TextField Input", Input),
                   pane.query_one("#item-environment Checkbox", Checkbox)]
        for widget in widgets:
            widget.focus()
            await pilot.pause()
            holder = widget
            assert holder.styles.border_left[0] == "outer", f"{type(widget).__name__} has no focus bar"
            for other in widgets:
                if other is not widget:
                    assert other.styles.border_left[0] == "blank"


async def test_use_the_recommendation_moves_focus_to_the_chosen_method() -> None:
    profile = Profile(name="plan")
    profile.client_auth.devices_entra_joined = True
    profile.client_auth.has_client_pki = False
    app = _open(profile=profile)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.show_entry("client_auth")
        await pilot.pause()
        use = app.screen.query_one("#ca-use-advice", Button)
        await until(pilot, lambda: not use.disabled)
        use.focus()
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.profile.client_auth.methods))
        first = app.profile.client_auth.methods[0]
        await until(pilot, lambda: app.focused is app.screen.query_one(f"#method-{first.value}"))
        assert use.disabled  # the button is spent; focus did not fall into a text field
        assert not isinstance(app.focused, Input)


async def test_different_passphrases_are_said_and_the_first_entry_stays() -> None:
    app = _open()
    answers: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(PasswordModal("New key", confirm=True), answers.append)
        await pilot.pause()
        await _enter(pilot, "correct-horse")
        await pilot.press("enter")
        await _enter(pilot, "correct-horsf")
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, PasswordModal)
        assert "differ" in screen_text(app)
        assert modal.query_one("#password", Input).value == "correct-horse"
        assert modal.query_one("#password-again", Input).value == ""
        assert app.focused is modal.query_one("#password-again", Input)
        await _enter(pilot, "correct-horse")
        await pilot.press("enter")
        await until(pilot, lambda: answers == ["correct-horse"])


async def test_assemble_checks_the_key_passphrase_before_asking_for_the_pfx_password(tmp_path: Path) -> None:
    files = create_csr_files(tmp_path, "GraniteFalls.contoso.com", b"right-passphrase")
    profile = Profile(name="plan")
    profile.certificate.service_name = "GraniteFalls.contoso.com"
    profile.certificate.source = CertificateSource.PUBLIC_CA
    app = _open(profile=profile)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.show_entry("certificate")
        await pilot.pause()
        pane = app.screen.query_one("#certificate")
        pane.query_one("#issued-path", Input).value = str(tmp_path / "issued.cer")
        pane.query_one("#key-path", Input).value = str(files.key_path)
        pane.query_one("#assemble-pfx", Button).focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PasswordModal))
        await _enter(pilot, "wrong-passphrase")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PasswordModal)
        assert app.screen.title_text == "Passphrase of the private key"  # not yet the PFX password
        assert "could not be read" in screen_text(app) or "password" in screen_text(app).lower()
        await _enter(pilot, "right-passphrase")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PasswordModal)
                    and app.screen.title_text == "Password for the new PFX")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.focused is pane.query_one("#assemble-pfx", Button)  # focus back where the step started


async def test_keymap_problems_are_named_and_brackets_are_shown(cmgtui_home: Path) -> None:
    cmgtui_home.mkdir(parents=True, exist_ok=True)
    (cmgtui_home / "config.toml").write_text(
        '[keymap]\nnav_next = "ctrl+n"\nno_such_binding = "x"\nhelp = 5\nquit = "ctrl q"\n')
    app = _open()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        notes = "\n".join(n.message for n in app._notifications)
        assert "[keymap] no_such_binding is not a binding id" in notes
        assert "[keymap] help is 5" in notes
        assert "[keymap] quit = 'ctrl q'" in notes
        await pilot.press("ctrl+n")  # the good entry still applies
        assert current_entry(app) == "glossary"
        await pilot.press("f1")
        await pilot.pause()
        app.screen.query_one(".help").scroll_end(animate=False)
        await pilot.pause()
        assert "under [keymap], e.g." in " ".join(screen_text(app).split())


async def test_typed_markup_is_shown_as_typed() -> None:
    app = _open()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.show_entry("gateway")
        await pilot.pause()
        row = next(r for r in app.screen.query(FieldRow) if r.path == "site.site_server")
        row.query_one(Input).focus()
        await paste(pilot, "[b]cm01[/b]")  # typed, ] would move to the next part
        await pilot.pause()
        app.screen.query_one("#gateway").scroll_to_widget(row, animate=False, top=True)
        await pilot.pause()
        assert "[b]cm01[/b]" in screen_text(app).replace("\n", "")


async def test_a_creation_that_made_nothing_leaves_no_unfinished_notice() -> None:
    from cmgtui.cloud.journal import OperationsJournal
    from cmgtui.panes.entra.actions import CREATE_KIND

    profile = Profile(name="plan")
    profile.entra.path = EntraPath.CREATE_HERE
    ProfileStore().save(profile)
    journal = OperationsJournal(paths.operations_journal("plan"))
    op = journal.begin(CREATE_KIND, {"server": "CMG Server"})
    journal.end(op, "cancelled")
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.screen.show_entry("entra")
        await pilot.pause()
        assert not app.screen.query_one("#p2-pending").display
        assert not app.screen.query_one("#p2-resume").display
        journal.intent(op, "server_app")  # a step did begin: now there is something to finish
        app.screen.query_one("#entra").after_job()
        await pilot.pause()
        assert app.screen.query_one("#p2-pending").display
        assert "unfinished steps: server_app" in screen_text(app) or app.screen.query_one("#p2-resume").display


async def test_screenshot_goes_to_the_data_folder_and_is_named(cmgtui_home: Path) -> None:
    app = _open()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.action_screenshot()
        await pilot.pause()
        shots = list((cmgtui_home / "screenshots").glob("*.svg"))
        assert len(shots) == 1
        assert any(str(shots[0]) in n.message for n in app._notifications)


async def test_navigation_highlight_and_shown_pane_agree_after_fast_keys() -> None:
    app = _open()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"]]]]]", "[", "]", "]")
        for _ in range(10):
            await pilot.pause()
        nav = app.screen.query_one("#nav", OptionList)
        assert nav.get_option_at_index(nav.highlighted or 0).id == current_entry(app)
        assert current_entry(app) == "clients"


async def test_placeholders_are_visibly_examples() -> None:
    app = _open()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for entry in ("gateway", "certificate"):
            app.screen.show_entry(entry)
            await pilot.pause()
        for path in ("site.site_code", "site.site_server", "certificate.service_name"):
            row = next(r for r in app.screen.query(FieldRow) if r.path == path)
            editor = row.query_one(Input)
            assert editor.placeholder.startswith("e.g. "), f"{path}: {editor.placeholder!r}"
            style = editor.get_component_styles("input--placeholder")
            assert style.text_style.italic, f"{path}'s placeholder is not italic"
