"""The cmgtui App: profile lifecycle, saving, signals, key map and the screen stack.

The App owns the one open :class:`~cmgtui.model.Profile`. Screens read ``app.profile`` and
post :mod:`cmgtui.messages` to change it; the App applies each change, keeps invalid input
as a draft, saves in the background (debounced) and publishes ``profile_changed`` so every
pane redraws from the model. Nothing heavy runs before the first frame.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from pydantic import ValidationError
from textual import work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.signal import Signal
from textual.timer import Timer

from cmgtui import activity, paths, resources
from cmgtui.autosave import Autosaver
from cmgtui.cloud_bridge import CloudBridge
from cmgtui.config import load_config
from cmgtui.messages import FieldEdited, ProfileMutation
from cmgtui.model import Evidence, Profile
from cmgtui.model.edit import set_path
from cmgtui.store import OpenedProfile, ProfileStore, StoreError

SAVE_DELAY_SECONDS = 0.5
SANDBOX_PROFILE = "sandbox"


class CmgApp(App[int]):
    """The full-screen CMG setup assistant."""

    TITLE = "cmgtui"
    CSS_PATH: ClassVar[list[str]] = [str(path) for path in resources.stylesheets()]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", id="help"),
        Binding("f3", "sign_in", "Sign in/out", id="sign_in"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    sign_in_state: reactive[str] = reactive("signed out")

    def __init__(self, initial_profile: str | None = None, sandbox: bool = False) -> None:
        super().__init__()
        from cmgtui.palette import CmgCommands

        self.COMMANDS = self.COMMANDS | {CmgCommands}
        self.animation_level = "none"
        self.initial_profile = initial_profile
        self.sandbox = sandbox
        self.store = ProfileStore()
        self.opened: OpenedProfile | None = None
        self.profile_changed: Signal[str] = Signal(self, "profile-changed")
        self._autosaver = Autosaver(self.store)
        self._save_timer: Timer | None = None
        self.config_problem: str | None = None
        self.cloud = CloudBridge(self)

    # -- lifecycle -----------------------------------------------------------------------

    @property
    def profile(self) -> Profile | None:
        """The open profile, if any."""
        return self.opened.profile if self.opened else None

    @property
    def read_only(self) -> bool:
        """True when another session holds this profile's lock."""
        return bool(self.opened and self.opened.read_only)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Show a toast whose text is plain: messages carry paths, names and config text
        (``[keymap]``), which must never be read as markup, whoever calls (widgets pass
        ``markup=True`` by default, so the flag is ignored)."""
        if timeout is None:
            super().notify(message, title=title, severity=severity, markup=False)
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Save the screen as SVG in the data folder's ``screenshots/`` (made if missing) and
        name the file in a toast; Textual's default (~/Downloads) may not exist on a jump host."""
        folder = Path(path).expanduser() if path else paths.screenshots_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(f"Could not save the screenshot in {folder}: {exc.strerror or exc}. "
                        "Check that the folder is writable.", title="Screenshot", severity="error")
            return None
        self.notify(f"Saved {saved}", title="Screenshot")
        return saved

    def on_mount(self) -> None:
        from cmgtui.screens.picker import ProfilePickerScreen

        config = load_config()
        if config.keymap:
            self.set_keymap(config.keymap)
        self.config_problem = config.problem
        self._install_signal_handlers()
        self.push_screen(ProfilePickerScreen())
        if config.problem:
            self.notify(config.problem, severity="warning", timeout=10)
        if self.initial_profile:
            self.call_after_refresh(
                self.open_profile, self.initial_profile, self.sandbox and self.initial_profile == SANDBOX_PROFILE
            )

    def _install_signal_handlers(self) -> None:
        """Save and leave cleanly on SIGTERM and SIGHUP (an SSH connection dropping)."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(signum, self._terminate, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                continue

    def _terminate(self, signum: int) -> None:
        self.save_now()
        self.close_profile()
        self.cloud.shutdown()
        self.exit(128 + signum)

    def open_profile(self, name: str, create_if_missing: bool = False) -> bool:
        """Open ``name`` (creating it when asked) and show the main screen; False on failure."""
        from cmgtui.screens.main import MainScreen

        try:
            if create_if_missing and not self.store.exists(name):
                self.store.create(name)
            opened = self.store.open(name)
        except (StoreError, ValueError) as exc:
            self.notify(str(exc), title="Profile not opened", severity="error", timeout=15)
            return False
        self.close_profile()
        self.opened = opened
        self.log_activity("profile", f"Opened profile '{name}'" + (" read-only" if opened.read_only else ""))
        if opened.read_only:
            self.notify(
                f"Profile '{name}' is open in another cmgtui session: this window is read-only.",
                title="Read-only",
                severity="warning",
                timeout=10,
            )
        self.push_screen(MainScreen())
        self._warn_expiring(opened.profile)
        if self.sandbox and self.cloud.session is None and self.cloud.sandbox is None:
            self.call_after_refresh(self.cloud.start_sandbox)
        return True

    def _warn_expiring(self, profile: Profile) -> None:
        """Start-up warning for anything that expires within 90 days (or has expired)."""
        from cmgtui.domain.expiry import describe, expiring_soon

        soon = expiring_soon(profile)
        if soon:
            self.notify(
                "\n".join(describe(entry) for entry in soon) + "\nRenew before the date to keep the CMG working.",
                title="Expiring soon",
                severity="error" if min(e.days_left for e in soon) <= 30 else "warning",
                timeout=20,
            )

    def close_profile(self) -> None:
        """Save and release the open profile (if any)."""
        if self.opened is None:
            return
        self.save_now()
        self.opened.close()
        self.opened = None

    def action_quit(self) -> None:  # type: ignore[override]
        self.close_profile()
        self.cloud.shutdown()
        self.exit(0)

    async def on_unmount(self) -> None:
        self.cloud.shutdown()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign_in":
            return self.profile is not None
        return True

    @work
    async def action_sign_in(self) -> None:
        """Sign in (choosing a method) or, when signed in, sign out after a confirmation."""
        from cmgtui.screens.modals import ConfirmModal
        from cmgtui.screens.sign_in import SignInModal

        if self.cloud.signed_in:
            if await self.push_screen_wait(ConfirmModal(f"Sign out {self.cloud.user}?", yes_label="Sign out")):
                self.cloud.sign_out()
            return
        profile = self.profile
        environment = profile.environment.value if profile and profile.environment else "AzurePublicCloud"
        method = await self.push_screen_wait(SignInModal(environment, self.cloud.sandbox is not None))
        if method is not None:
            self.cloud.sign_in(method)

    def action_help(self) -> None:
        from cmgtui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- changes and saving ----------------------------------------------------------------

    def on_field_edited(self, message: FieldEdited) -> None:
        message.stop()
        self.edit(message.path, message.value, message.raw)

    def on_profile_mutation(self, message: ProfileMutation) -> None:
        message.stop()
        self.mutate(message.change, message.description)

    def edit(self, path: str, value: Any, raw: str | None = None) -> None:
        """Set one field; a value the field cannot hold is kept as a draft instead."""
        profile = self.profile
        if profile is None or self._refuse_read_only():
            return
        try:
            set_path(profile, path, value)
            profile.drafts.pop(path, None)
        except ValidationError:
            profile.drafts[path] = raw if raw is not None else str(value)
        self._changed(path)

    def mutate(self, change: Callable[[Profile], None], description: str) -> None:
        """Apply a multi-field change to the profile."""
        profile = self.profile
        if profile is None or self._refuse_read_only():
            return
        try:
            change(profile)
        except ValidationError as exc:
            self.notify(f"{description}: {exc.errors()[0]['msg']}", severity="error")
            return
        self._changed(description)

    def _refuse_read_only(self) -> bool:
        if self.read_only:
            self.notify(
                "This profile is open in another session; changes here are not saved. "
                "Close the other session and reopen the profile to edit.",
                title="Read-only",
                severity="warning",
            )
            return True
        return False

    def _changed(self, what: str) -> None:
        self.profile_changed.publish(what)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY_SECONDS, self._save_in_background)

    def _save_in_background(self) -> None:
        profile = self.profile
        if profile is None or self.read_only:
            return
        sequence, snapshot = self._autosaver.snapshot(profile)
        self.run_worker(
            partial(self._write_snapshot, sequence, snapshot), thread=True, group="autosave", exit_on_error=False
        )

    def _write_snapshot(self, sequence: int, snapshot: Profile) -> None:
        try:
            self._autosaver.write(sequence, snapshot)
        except OSError as exc:
            self.call_from_thread(
                self.notify,
                f"Could not save the profile ({exc.strerror or exc}). Your changes are kept in "
                "this session; free disk space or fix permissions and they will be saved.",
                title="Save failed",
                severity="error",
                timeout=15,
            )

    def save_now(self) -> None:
        """Write the profile right away (on exit, signals and profile switches)."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        profile = self.profile
        if profile is None or self.read_only:
            return
        sequence, snapshot = self._autosaver.snapshot(profile)
        try:
            self._autosaver.write(sequence, snapshot)
        except OSError as exc:
            self.notify(f"Could not save the profile: {exc}", severity="error")

    def record_evidence(self, items: Iterable[Evidence], description: str = "Recorded cloud evidence") -> None:
        """Store observations (from cloud calls or probes) in the profile, newest per source."""
        collected = list(items)

        def apply(profile: Profile) -> None:
            for item in collected:
                profile.evidence[item.source] = item

        if collected:
            self.mutate(apply, description)

    def log_activity(self, kind: str, message: str) -> None:
        """Record ``message`` in the profile's activity log (never pass secrets)."""
        profile = self.profile
        if profile is None or self.read_only:
            return
        try:
            activity.append(profile.name, kind, message)
        except OSError as exc:
            self.notify(f"Could not write the activity log: {exc}", severity="warning")
        self.profile_changed.publish("activity")


def run_app(profile: str | None = None, sandbox: bool = False) -> int:
    """Run the TUI; returns the process exit code."""
    name = profile or (SANDBOX_PROFILE if sandbox else None)
    app = CmgApp(initial_profile=name, sandbox=sandbox)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
