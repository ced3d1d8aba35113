"""Two writers of one profile, the TUI and the headless CLI: no write lost either way.

The CLI runs as a real second process (``python -m cmgtui entra create --sandbox``, with its
own embedded sandbox tenant) while the App runs under Pilot. The CLI writes when the App has
nothing unsaved, and the App re-reads the file instead of overwriting it; while the App holds
unsaved changes it cannot save, the CLI waits briefly and then exits 2 naming the holder.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import socket
import sys
from pathlib import Path

import pytest

from cmgtui import app as app_module
from cmgtui.app import CmgApp
from cmgtui.model import Profile
from cmgtui.store import ProfileStore
from cmgtui.widgets.modals import ConfirmModal

from .conftest import ready, screen_text, until

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit is saved (or fails to save) 10 ms after it, not half a second: these tests wait
    for the save, not for the pause in typing the delay is for."""
    monkeypatch.setattr(app_module, "SAVE_DELAY_SECONDS", 0.01)


async def _cli(*args: str) -> tuple[int, str, str]:
    """Run ``cmgtui ARGS`` as another process without blocking the App's event loop."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CMGTUI_SANDBOX_URL", None)
    env.pop("CMGTUI_SANDBOX_CA", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cmgtui", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def _run_cli(pilot, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """The CLI, with the App processing messages until it ends: the App runs in this event
    loop, so it serves its timers while the process is awaited. No polling: a pause every 10 ms
    for the seconds the process takes would spend the CPU it needs."""
    result = await _cli(*args)
    await pilot.pause()  # what the App did meanwhile is drawn
    return result


def _entra_create(secret: Path) -> tuple[str, ...]:
    return ("entra", "create", "--profile", "lab", "--sandbox", "--secret-file", str(secret),
            "--format", "json")


async def test_a_cli_write_is_kept_by_the_tuis_next_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bug: `entra create` recorded the app IDs and the key ID, and the TUI's next save (of
    the profile it had read before) wiped them. Now the TUI re-reads, then applies its edit."""
    # no idle check re-reads the file first: the edit's own re-read is what this test is about
    monkeypatch.setattr(app_module, "RELOAD_CHECK_SECONDS", 3600.0)
    ProfileStore().create("lab")
    app = CmgApp(initial_profile="lab")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        code, out, err = await _run_cli(pilot, *_entra_create(tmp_path / "secret.txt"))
        assert code == 0, err
        created = json.loads(out)
        app.edit("region", "northeurope")  # an edit right after the CLI's write
        await until(pilot, lambda: not app.opened.changing)  # saved
        saved = ProfileStore().load("lab")
        assert saved.region == "northeurope"
        assert saved.entra.server_app.app_id == created["server_app"]["app_id"]
        assert saved.entra.client_app.app_id == created["client_app"]["app_id"]
        assert saved.entra.server_app.secret_key_id == created["secret"]["key_id"]
        assert app.profile is not None and app.profile.entra.server_app.app_id == created["server_app"]["app_id"]
        assert any(n.title == "Profile re-read" for n in app._notifications)


async def test_an_idle_tui_shows_what_the_cli_wrote_without_an_edit(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "RELOAD_CHECK_SECONDS", 0.05)  # the idle check, at once rather than within 1 s
    ProfileStore().create("lab")
    app = CmgApp(initial_profile="lab")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        code, out, err = await _run_cli(pilot, *_entra_create(tmp_path / "secret.txt"))
        assert code == 0, err
        app_id = json.loads(out)["server_app"]["app_id"]
        await until(pilot, lambda: app.profile is not None and app.profile.entra.server_app.app_id == app_id)
        await until(pilot, lambda: "was changed by another program" in screen_text(app))
    assert ProfileStore().load("lab").entra.server_app.app_id == app_id  # quitting kept it


async def test_a_cli_waits_then_exits_2_naming_the_tui_that_holds_unsaved_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The App cannot save (disk full in its process only), so its change stays unsaved and it
    keeps the profile's write lock: the CLI refuses before touching the tenant, naming it."""
    ProfileStore().create("lab")
    real_save = ProfileStore.save

    def save(store: ProfileStore, profile: Profile) -> None:
        if profile.region == "northeurope":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(store, profile)

    monkeypatch.setattr(ProfileStore, "save", save)
    app = CmgApp(initial_profile="lab")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.edit("region", "northeurope")
        await until(pilot, lambda: app.save_failure is not None)
        secret = tmp_path / "secret.txt"
        code, out, err = await _run_cli(pilot, *_entra_create(secret))
        assert code == 2 and out == ""
        assert f"is being changed by process {os.getpid()} on {socket.gethostname()}" in err
        assert "Traceback" not in err and "Waited 5 s" in err
        assert not secret.exists()
        code, out, err = await _run_cli(pilot, "sandbox", "show", "--format", "json")
        assert code == 0 and json.loads(out)["applications"] == []  # nothing made in the tenant
        # the disk has room again: the next edit saves both, and the CLI may write
        app.edit("site.site_code", "ABC")
        monkeypatch.setattr(ProfileStore, "save", real_save)
        await until(pilot, lambda: not app.opened.changing)
        code, out, err = await _run_cli(pilot, *_entra_create(secret))
        assert code == 0, err
    saved = ProfileStore().load("lab")
    assert (saved.region, saved.site.site_code) == ("northeurope", "ABC") and saved.entra.server_app.app_id


async def test_quit_after_a_failed_save_asks_and_cancel_keeps_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """ctrl+q after a failed save used to exit 0 and drop the edit without a word."""
    ProfileStore().create("plan")

    def disk_full(store: ProfileStore, profile: Profile) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ProfileStore, "save", disk_full)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.edit("region", "northeurope")
        await until(pilot, lambda: app.save_failure is not None)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        app.clear_notifications()  # the "Save failed" note lies over the dialog's buttons for 15 s
        await until(pilot, lambda: "Quit without saving" in screen_text(app))
        text = " ".join(screen_text(app).split())
        assert "could not be saved" in text and "No space left on device" in text and "Quit without saving" in text
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
        assert app.is_running and app.profile is not None and app.profile.region == "northeurope"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
    assert app.return_value == 1  # left without saving: not a clean exit (cmgtui exits 1)
    assert ProfileStore().load("plan").region == ""


async def test_switching_profile_after_a_failed_save_asks_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """ctrl+o after a failed save used to go to the picker and drop the edit without a word."""
    ProfileStore().create("plan")

    def disk_full(store: ProfileStore, profile: Profile) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ProfileStore, "save", disk_full)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.edit("region", "northeurope")
        await until(pilot, lambda: app.save_failure is not None)
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        app.clear_notifications()  # the "Save failed" note lies over the dialog's buttons for 15 s
        await until(pilot, lambda: "Switch without saving" in screen_text(app))
        assert "could not be saved" in " ".join(screen_text(app).split())
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ConfirmModal))
        assert app.profile is not None and app.profile.region == "northeurope"  # still open, edit kept


async def test_quit_saves_at_once_when_the_disk_has_room_again(monkeypatch: pytest.MonkeyPatch) -> None:
    ProfileStore().create("plan")
    full = True
    real_save = ProfileStore.save

    def save(store: ProfileStore, profile: Profile) -> None:
        if full:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_save(store, profile)

    monkeypatch.setattr(ProfileStore, "save", save)
    app = CmgApp(initial_profile="plan")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.edit("region", "northeurope")
        await until(pilot, lambda: app.save_failure is not None)
        full = False
        await pilot.press("ctrl+q")
    assert app.return_value == 0
    assert ProfileStore().load("plan").region == "northeurope"
