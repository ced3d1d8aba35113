"""Nothing one-time is lost in the TUI (issue 20 item 4, issue 18's markup crash).

A secret shown by :class:`SecretModal` that no file holds is not lost by ctrl+q or by closing
the dialog: both ask first and offer to save it (0600). Part 2 saves a new secret to the file
the user named before showing it, so closing asks nothing; an app name with markup is shown as
text. A secret the journal says no file received is stated on Part 2 with the way out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmgtui import paths
from cmgtui.app import CmgApp
from cmgtui.model import Profile
from cmgtui.model.enums import EntraPath
from cmgtui.store import ProfileStore
from cmgtui.widgets.modals import ConfirmModal, NameModal
from cmgtui.widgets.secret_modal import SecretModal

from .conftest import paste, ready, screen_text, until
from .test_part2_entra import _name_secret_file, _start, _tab_to

pytestmark = pytest.mark.app
SIZE = (120, 50)
SECRET = "Zq8~s3cr3t-value-0123456789abcdefghij"


def _app(**server_app: object) -> CmgApp:
    profile = Profile(name="sandbox", last_screen="entra")
    profile.entra.path = EntraPath.CREATE_HERE
    for key, value in server_app.items():
        setattr(profile.entra.server_app, key, value)
    ProfileStore().save(profile)
    return CmgApp(initial_profile="sandbox", sandbox=True)


async def test_ctrl_q_with_an_unsaved_secret_asks_and_saves_it_before_quitting(tmp_path: Path) -> None:
    app = _app()
    target = tmp_path / "kept.txt"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(SecretModal(SECRET, "key-1", "2027-12-07T00:00:00+00:00", "CMG-ServerApp"))
        await until(pilot, lambda: isinstance(app.screen, SecretModal))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert "not saved in any file" in screen_text(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, NameModal))
        await paste(pilot, str(target))
        await pilot.press("enter")
        await until(pilot, lambda: not app.is_running)
    assert target.read_text(encoding="utf-8") == SECRET + "\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert app.return_code == 0


async def test_switching_profile_or_closing_an_unsaved_secret_never_loses_it_silently() -> None:
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(SecretModal(SECRET, "key-1", "2027-12-07T00:00:00+00:00", "CMG-ServerApp"))
        await until(pilot, lambda: isinstance(app.screen, SecretModal))
        await pilot.press("ctrl+o")  # switching profile: the dialog holds the keys, nothing switches
        await pilot.pause()
        assert isinstance(app.screen, SecretModal) and app.profile is not None and SECRET in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")  # leave it unsaved, knowingly
        await until(pilot, lambda: not isinstance(app.screen, (SecretModal, ConfirmModal)))
        assert SECRET not in screen_text(app)


async def test_part2_saves_the_secret_first_and_an_app_name_with_markup_is_text(tmp_path: Path) -> None:
    app = _app(display_name="CMG-Server[/x]")
    target = tmp_path / "secret.txt"
    async with app.run_test(size=SIZE) as pilot:
        await _start(pilot)
        await pilot.press("enter")
        await _tab_to(pilot, "p2-create-apps")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await _name_secret_file(pilot, target)
        await until(pilot, lambda: isinstance(app.screen, SecretModal), timeout=60)
        text = screen_text(app)
        assert "Client secret of CMG-Server[/x]: shown only now" in text
        secret = target.read_text(encoding="utf-8").strip()
        assert secret in text, "the one-time display shows the secret"
        assert "Saved to" in text and target.name in text, "and where it was saved"
        await pilot.press("escape")  # saved already: nothing to ask
        await until(pilot, lambda: not isinstance(app.screen, SecretModal))
        assert app.profile is not None and app.profile.entra.server_app.secret_key_id


async def test_a_secret_no_file_received_is_stated_with_the_rotation_as_the_way_out() -> None:
    app = _app(secret_key_id="0f0f0f0f-1111-4222-8333-444455556666")
    journal = paths.operations_journal("sandbox")
    journal.parent.mkdir(parents=True, exist_ok=True)
    lines = [{"at": "2026-01-01T00:00:00+00:00", "op": "o1", "event": "begin", "step": "",
              "data": {"kind": "create_apps", "inputs": {}}},
             {"at": "2026-01-01T00:00:01+00:00", "op": "o1", "event": "done", "step": "server_secret",
              "data": {"key_id": "0f0f0f0f-1111-4222-8333-444455556666", "expires": "2027-01-01T00:00:00+00:00"}},
             {"at": "2026-01-01T00:00:02+00:00", "op": "o1", "event": "end", "step": "",
              "data": {"status": "completed"}}]
    journal.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: "never saved to a file" in str(app.screen.query_one("#p2-pending").render()))
        assert "Rotate secret" in str(app.screen.query_one("#p2-pending").render())
