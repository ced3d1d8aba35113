"""The cmgtui App: profile lifecycle, saving, signals, key map and the screen stack.

The App owns the one open :class:`~cmgtui.model.Profile`. Screens read ``app.profile`` and
post :mod:`cmgtui.messages` to change it; the App applies each change, keeps invalid input
as a draft, saves in the background (debounced) and publishes one
:class:`~cmgtui.messages.ProfileChange` on ``profile_changed`` (what changed and the rule
results, evaluated once) so the pane on screen redraws what changed. Cloud results arrive as
messages bound to the profile they were started for; the handlers here apply them. Nothing
heavy runs before the first frame: panes are built when first shown, and the sandbox tenant
starts once the main screen has been drawn.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ValidationError
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.timer import Timer

from cmgtui import activity, paths, resources
from cmgtui.autosave import Autosaver
from cmgtui.cloud_bridge import CloudBridge
from cmgtui.config import load_config, save_theme
from cmgtui.domain.expiry import describe, expiring_soon
from cmgtui.exit_guard import ExitGuard
from cmgtui.key_order import KeyOrder
from cmgtui.messages import (
    ACTIVITY,
    CloudJobFailed,
    DeviceCodeFinished,
    DeviceCodeRequested,
    FieldEdited,
    LiveChecksRead,
    ProfileChange,
    ProfileKey,
    ProfileMutation,
)
from cmgtui.model import Evidence, Profile
from cmgtui.model.edit import set_path
from cmgtui.palette import CmgCommands
from cmgtui.profile_file import StoreError
from cmgtui.screens.picker import ProfilePickerScreen
from cmgtui.store import OpenedProfile, ProfileStore
from cmgtui.widgets.modals import ConfirmModal

if TYPE_CHECKING:
    from cmgtui.domain.rules.results import RuleResult

SAVE_DELAY_SECONDS = 0.5
#: How long a pane stays in view before the profile records it as the one to reopen on.
REMEMBER_SCREEN_SECONDS = 2.0
#: How often an open profile's file is checked for a write by another program (a stat, no read).
RELOAD_CHECK_SECONDS = 1.0
SANDBOX_PROFILE = "sandbox"
#: The events that mean the user is at the keyboard (see :attr:`CmgApp.last_input`).
USER_INPUT = (events.Key, events.Paste, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)


def quit_unsaved_modal(failure: str) -> ConfirmModal:
    """The question ctrl+q asks when the latest changes could not be saved (``failure`` says why)."""
    question = (f"Your latest changes could not be saved ({failure}). Quit anyway and "
                "lose them? Cancel keeps this window open: free disk space or fix the folder's "
                "permissions, and they are saved.")
    return ConfirmModal(question, yes_label="Quit without saving", danger=True, id="quit-unsaved")


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
        self.COMMANDS = self.COMMANDS | {CmgCommands}
        self.animation_level = "none"
        self.initial_profile = initial_profile
        self.sandbox = sandbox
        self.store = ProfileStore()
        self.opened: OpenedProfile | None = None
        self.profile_changed: Signal[ProfileChange] = Signal(self, "profile-changed")
        self._results: list[RuleResult] | None = None
        self._openings = 0
        self.profile_key: ProfileKey | None = None
        self._autosaver = Autosaver(self.store)
        self._save_timer: Timer | None = None
        self._remember_timer: Timer | None = None
        self._screen_to_remember: str | None = None
        #: The theme config.toml holds (None: none recorded).
        self._saved_theme: str | None = None
        #: Why the last save failed (None once a save succeeds): quitting then asks first.
        self.save_failure: str | None = None
        self.config_problem: str | None = None
        self._early_notices = []
        self.cloud = CloudBridge(self)
        #: When the user last pressed a key, clicked, scrolled or pasted (``time.monotonic()``).
        self.last_input = time.monotonic()
        self._key_order = KeyOrder(self, super().on_event)
        #: Ends the process if leaving after SIGTERM or SIGHUP hangs on a terminal that is gone.
        self.exit_guard = ExitGuard()

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
        ``markup=True`` by default, so the flag is ignored), and whose control characters are
        made visible (:func:`~cmgtui.domain.display_text.visible`)."""
        from cmgtui.domain.display_text import visible

        message, title = visible(message, keep_lines=True), visible(title)
        if timeout is None:
            super().notify(message, title=title, severity=severity, markup=False)
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
        if severity != "information":
            self._keep_notice(message, title, severity)

    _keeping_notice = False
    #: Warnings shown before the session's first profile opened (config.toml's problems), kept
    #: in that profile's activity log when it opens: on a loaded machine their toast can be
    #: gone before the first pane is drawn.
    _early_notices: list[tuple[str, str, str]]

    def _keep_notice(self, message: str, title: str, severity: str) -> None:
        """A warning or failure outlives its toast: it is appended to the profile's activity log
        (the Activity pane). A failure to write that log is itself only shown, never kept."""
        if self._keeping_notice:
            return
        if self.profile is None:
            if not self._openings:
                self._early_notices.append((message, title, severity))
            return
        self._keeping_notice = True
        try:
            line = " ".join(message.split())
            self.log_activity(severity, f"{title}: {line}" if title else line)
        finally:
            self._keeping_notice = False

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """Restyle ``node`` and what it holds after a class changed, unless it is in no DOM yet.

        Mounting styles a widget with every class it then has, so restyling it before is work
        thrown away: ``compact=True`` in a Button's, Input's, Select's or Checkbox's constructor
        (every control cmgtui builds) did that once per control, about a tenth of the CPU time
        of building a screen.
        """
        if node is self or node.parent is not None:
            super().update_styles(node, animate)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, with Quit said as cmgtui does it (it saves first)."""
        for command in super().get_system_commands(screen):
            if command.callback == self.action_quit:
                command = command._replace(title="Quit (ctrl+q)", help="Save the profile and leave cmgtui")
            yield command

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

    def _apply_theme(self, theme: str | None) -> None:
        """Use the theme ``config.toml`` names (one cmgtui has, else say so), then record each
        theme chosen later (command palette, "Theme") back in that file."""
        self._saved_theme = theme
        if theme is not None and theme != self.theme:
            if theme in self.available_themes:
                self.theme = theme
            else:  # shown through notify, which makes control characters visible and reads no markup
                problem = (f"{paths.config_file()}: [ui] theme {theme!r} is not a theme cmgtui has "
                           "(ctrl+p, Theme, lists them); using the default.")
                self.config_problem = "\n".join(filter(None, (self.config_problem, problem)))
        self.theme_changed_signal.subscribe(self, self._theme_chosen)

    def _theme_chosen(self, theme: Theme) -> None:
        if theme.name == self._saved_theme:
            return
        problem = save_theme(theme.name)
        if problem is None:
            self._saved_theme = theme.name
        else:
            self.notify(problem, title="Theme not remembered", severity="warning", timeout=10)

    def _binding_ids(self) -> set[str]:
        """Every binding id a key map may name (imports the panes: only when a key map exists)."""
        from cmgtui.screens.help import binding_ids

        return binding_ids(type(self))

    def on_mount(self) -> None:
        config = load_config(self._binding_ids)
        if config.keymap:
            self.set_keymap(config.keymap)
        self.config_problem = config.problem
        self._apply_theme(config.theme)
        self._install_signal_handlers()
        self.set_interval(RELOAD_CHECK_SECONDS, self._reload_if_changed)
        if self.config_problem:
            self.notify(self.config_problem, severity="warning", timeout=10)
        if self.initial_profile:
            self.call_after_refresh(self._open_initial_profile, self.initial_profile)
        else:
            self.push_screen(ProfilePickerScreen())

    async def on_event(self, event: events.Event) -> None:
        """Note when the user last did something (panes are built ahead only while they do not);
        hand typed keys on in order, each once the one before has acted (:mod:`cmgtui.key_order`)."""
        if isinstance(event, USER_INPUT):
            self.last_input = time.monotonic()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._key_order.typed(event)
            return
        await super().on_event(event)

    def replay_keys(self, keys: list[events.Key]) -> None:
        """Hand on again, ahead of keys typed since, keys a screen held while nothing had the focus."""
        self._key_order.replay(keys)

    def _open_initial_profile(self, name: str) -> None:
        """Open the profile named on the command line; the picker only if that fails."""
        if not self.open_profile(name, self.sandbox and name == SANDBOX_PROFILE):
            self.push_screen(ProfilePickerScreen())

    def show_picker(self) -> None:
        """Leave the main screen for the profile picker (built now if the app started in a profile)."""
        below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(below, ProfilePickerScreen):
            self.pop_screen()
        else:
            self.switch_screen(ProfilePickerScreen())

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
        self.exit_guard.arm(128 + signum)  # saved and released: a hung terminal may not keep us
        self.exit(128 + signum)

    def open_profile(self, name: str, create_if_missing: bool = False) -> bool:
        """Open ``name`` (creating it when asked) and show the main screen; False on failure."""
        # loaded with the first profile: the picker's first frame needs neither panes nor rules
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
        self.save_failure = None
        self._openings += 1
        self.profile_key = ProfileKey(name, self._openings, opened.read_only)
        self._results = None
        self.log_activity("profile", f"Opened profile '{name}'" + (" read-only" if opened.read_only else ""))
        early, self._early_notices = self._early_notices, []
        for message, title, severity in early:
            self._keep_notice(message, title, severity)
        for notice in opened.notices:
            self.log_activity("profile", notice)
            self.notify(notice, title="Profile name corrected", severity="warning", timeout=15)
        if opened.read_only:
            self.notify(
                f"Profile '{name}' is open in another cmgtui session: this window is read-only.",
                title="Read-only",
                severity="warning",
                timeout=10,
            )
        self.push_screen(MainScreen())
        self._warn_expiring(opened.profile)
        return True

    def main_screen_shown(self) -> None:
        """The main screen's first frame is on screen: now start what it did not need."""
        if self.sandbox and self.cloud.session is None and self.cloud.sandbox is None:
            self.cloud.start_sandbox()

    def _warn_expiring(self, profile: Profile) -> None:
        """Start-up warning for anything that expires within 90 days (or has expired)."""
        soon = expiring_soon(profile)
        if soon:
            self.notify(
                "\n".join(describe(entry) for entry in soon) + "\nRenew before the date to keep the CMG working.",
                title="Expiring soon",
                severity="error" if min(e.days_left for e in soon) <= 30 else "warning",
                timeout=20,
            )

    def close_profile(self) -> None:
        """Cancel the profile's cloud jobs, save it and release it (if one is open)."""
        if self.opened is None:
            return
        self.cloud.cancel()
        self.save_now()
        self.opened.close()
        self.opened = None
        self.profile_key = None
        self._results = None

    # Textual's @work types the method as returning a Worker, which App.action_quit (-> None) does
    # not allow; Textual runs actions by name and ignores what they return.
    @work(exclusive=True, group="quit")
    async def action_quit(self) -> None:  # type: ignore[override]
        """Save and quit. A one-time secret no file holds is offered for saving first; when the
        profile cannot be saved, ask before leaving without it."""
        from cmgtui.widgets.secret_modal import SecretModal

        for screen in reversed(self.screen_stack):  # a one-time secret no file holds: ask first
            if isinstance(screen, SecretModal) and screen.unsaved and not await screen.may_leave():
                return
        if isinstance(self.screen, ConfirmModal) and self.screen.id == "quit-unsaved":
            return
        if self.save_now():
            self._leave(0)
            return
        if await self.push_screen_wait(quit_unsaved_modal(self.save_failure or "")):
            self._leave(1)

    def _leave(self, code: int) -> None:
        self.close_profile()
        self.cloud.shutdown()
        self.exit(code)

    async def on_unmount(self) -> None:
        # however the App ends (quit, a signal, a test that stops it), the profile is saved and
        # its lock released, so this process can open it again
        self.close_profile()
        self.cloud.shutdown()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign_in":
            return self.profile is not None
        return True

    @work
    async def action_sign_in(self) -> None:
        """Sign in (choosing a method) or, when signed in, sign out after a confirmation."""
        from cmgtui.screens.sign_in import SignInModal  # the dialog is built only when asked for

        if self.cloud.signed_in:
            if await self.push_screen_wait(ConfirmModal(
                    f"Sign out {self.cloud.user}? cmgtui forgets this session's tokens and stops any cloud "
                    "job still running.", yes_label="Sign out")):
                self.cloud.sign_out()
            return
        profile = self.profile
        environment = profile.environment.value if profile and profile.environment else "AzurePublicCloud"
        method = await self.push_screen_wait(SignInModal(environment, self.cloud.sandbox is not None))
        if method is not None:
            self.cloud.sign_in(method)

    def action_help(self) -> None:
        """Show every key binding."""
        from cmgtui.screens.help import HelpScreen  # built only when asked for

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
        if profile is None or self._refuse_read_only() or not self._begin_change():
            return
        try:
            set_path(profile, path, value)
            profile.drafts.pop(path, None)
        except ValidationError:
            profile.drafts[path] = raw if raw is not None else str(value)
        self._changed(path)

    def remember_screen(self, entry_id: str) -> None:
        """Store the navigation entry in view once the user stays on it for
        :data:`REMEMBER_SCREEN_SECONDS` (or on save and exit): walking through the panes takes
        no lock and writes no file on each key."""
        self._screen_to_remember = entry_id
        if self._remember_timer is not None:
            self._remember_timer.stop()
        self._remember_timer = self.set_timer(REMEMBER_SCREEN_SECONDS, self._remember_screen_now)

    def _remember_screen_now(self) -> None:
        """Record the entry in view in the profile (saved, but shown by nothing: no change is published)."""
        if self._remember_timer is not None:
            self._remember_timer.stop()
            self._remember_timer = None
        entry_id, self._screen_to_remember = self._screen_to_remember, None
        profile = self.profile
        if (entry_id is None or profile is None or self.read_only or profile.last_screen == entry_id
                or not self._begin_change()):
            return
        set_path(profile, "last_screen", entry_id)
        self._schedule_save()

    def mutate(self, change: Callable[[Profile], None], description: str) -> None:
        """Apply a multi-field change to the profile."""
        profile = self.profile
        if profile is None or self._refuse_read_only() or not self._begin_change():
            return
        try:
            change(profile)
        except ValidationError as exc:
            self.notify(f"{description}: {exc.errors()[0]['msg']}", severity="error")
            self._schedule_save()  # the save lets other writers in again
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

    def _begin_change(self) -> bool:
        """Hold the profile's write lock for a change (re-reading the file first when another
        program, such as ``cmgtui entra create``, wrote it); False, and said, when refused."""
        assert self.opened is not None
        try:
            reloaded = self.opened.begin_change()
        except StoreError as exc:
            self.notify(f"{exc} This change was not applied.", title="Profile busy", severity="error",
                        timeout=15)
            return False
        if reloaded:
            self._reloaded()
        return True

    def _reload_if_changed(self) -> None:
        """Show what another program wrote to the open profile while this session had nothing unsaved."""
        opened = self.opened
        if opened is None or opened.changing or not opened.changed_on_disk():
            return
        try:
            opened.reload()
        except StoreError as exc:
            self.notify(f"{exc} This window keeps the values it shows.", title="Profile not re-read",
                        severity="error", timeout=15)
            return
        self._reloaded()

    def _reloaded(self) -> None:
        assert self.opened is not None
        name = self.opened.profile.name
        self.log_activity("profile", f"Re-read profile '{name}' after another program changed it")
        self.notify(f"Profile '{name}' was changed by another program (for example cmgtui entra create); "
                    "this window now shows the saved values.", title="Profile re-read", timeout=10)
        self._results = None
        self.profile_changed.publish(ProfileChange("re-read from its file", self.rule_results()))

    def rule_results(self) -> list[RuleResult]:
        """Every rule's result for the open profile, evaluated once per change."""
        profile = self.profile
        if profile is None:
            return []
        if self._results is None:
            from cmgtui.domain.rules.checks import evaluate  # loaded with the first profile, not for the picker

            self._results = evaluate(profile)
        return self._results

    def _changed(self, what: str) -> None:
        self._results = None
        self.profile_changed.publish(ProfileChange(what, self.rule_results()))
        self._schedule_save()

    def _schedule_save(self) -> None:
        """Save in the background once the edits pause (never on the keystroke path)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY_SECONDS, self._save_in_background)

    def _save_in_background(self) -> None:
        self._save_timer = None
        opened = self.opened
        if opened is None or opened.read_only:
            return
        sequence, snapshot = self._autosaver.snapshot(opened.profile)
        self.run_worker(
            partial(self._write_snapshot, opened, sequence, snapshot), thread=True, group="autosave",
            exit_on_error=False,
        )

    def _write_snapshot(self, opened: OpenedProfile, sequence: int, snapshot: Profile) -> None:
        try:
            if self._autosaver.write(sequence, snapshot):
                opened.note_written()
        except OSError as exc:
            self.call_from_thread(self._save_failed, exc)
        else:
            self.call_from_thread(self._saved, opened, sequence)

    def _saved(self, opened: OpenedProfile, sequence: int) -> None:
        """A snapshot is on disk: when it is the latest and no edit waits, other writers may go in."""
        if opened is self.opened and self._save_timer is None and sequence == self._autosaver.issued:
            self.save_failure = None
            opened.notices = ()  # the corrections are in the file now
            opened.end_change()

    def _save_failed(self, exc: OSError) -> None:
        self.save_failure = str(exc.strerror or exc)
        self.notify(
            f"Could not save the profile ({self.save_failure}). Your changes are kept in "
            "this session; free disk space or fix permissions and they will be saved.",
            title="Save failed",
            severity="error",
            timeout=15,
        )

    def save_now(self) -> bool:
        """Write the profile right away (on exit, signals and profile switches); False when that failed."""
        self._remember_screen_now()
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        opened = self.opened
        if opened is None or opened.read_only:
            return True
        if not (opened.changing or self.save_failure is not None or opened.notices):
            return True  # nothing unsaved or corrected: the file holds what this window shows
        try:
            opened.begin_change()
        except StoreError as exc:
            self.save_failure = str(exc)
            self.notify(str(exc), title="Save failed", severity="error", timeout=15)
            return False
        sequence, snapshot = self._autosaver.snapshot(opened.profile)
        try:
            if self._autosaver.write(sequence, snapshot):
                opened.note_written()
        except OSError as exc:
            self._save_failed(exc)
            return False
        self.save_failure = None
        opened.notices = ()  # the corrections are in the file now
        opened.end_change()
        return True

    def record_evidence(self, items: Iterable[Evidence], description: str = "Recorded cloud evidence") -> None:
        """Store observations (from cloud calls or probes) in the profile, newest per source."""
        from cmgtui.services.evidence import record_evidence

        collected = list(items)
        if collected:
            self.mutate(lambda profile: record_evidence(profile, collected), description)

    def log_activity(self, kind: str, message: str) -> None:
        """Record ``message`` in the profile's activity log (never pass secrets)."""
        profile = self.profile
        if profile is None or self.read_only:
            return
        try:
            activity.append(profile.name, kind, message)
        except OSError as exc:
            self.notify(f"Could not write the activity log: {exc}", severity="warning")
        self.profile_changed.publish(ProfileChange(ACTIVITY, self.rule_results()))

    # -- cloud results (posted by the bridge's workers; applied here, on the UI thread) ----

    def stale(self, key: ProfileKey | None, description: str, what: str) -> bool:
        """True (and logged to that profile's own activity log) when ``key`` is no longer open: the
        cloud bridge then drops the job's ``what`` (its result or failure)."""
        if key is not None and key == self.profile_key:
            return False
        if key is not None and not key.read_only:
            try:
                activity.append(key.name, "cloud", f"{description}: {what} dropped: the profile was closed "
                                "before the result arrived; run it again to record it")
            except OSError:
                pass
        self.log.warning(f"dropped {what} of {description!r} for a profile that is no longer open")
        return True

    def on_live_checks_read(self, message: LiveChecksRead) -> None:
        """Record the live checks read after a sign-in; a check that could not run is a warning."""
        from cmgtui.services.preflight import record_preflight

        message.stop()
        result = message.result
        self.mutate(lambda profile: record_preflight(profile, result), "Live checks after sign-in")
        for failure in result.failures:
            self.notify(f"{failure.error.message}\n{failure.error.what_to_do}", title=f"Live check: {failure.check}",
                        severity="warning", timeout=12)

    def on_cloud_job_failed(self, message: CloudJobFailed) -> None:
        message.stop()
        if not self.stale(message.profile, message.description, "failure"):
            self.cloud.job_failed(message)
            # a job that failed half-way may have left state outside the profile (the operations
            # journal): panes redraw so that they offer to resume it
            self.profile_changed.publish(ProfileChange(f"{message.description}: failed", self.rule_results()))

    def on_device_code_requested(self, message: DeviceCodeRequested) -> None:
        from cmgtui.screens.sign_in import DeviceCodeModal  # shown only for device-code sign-in

        message.stop()
        self.push_screen(DeviceCodeModal(message.url, message.code, message.expires, on_cancel=message.on_cancel))

    def on_device_code_finished(self, message: DeviceCodeFinished) -> None:
        from cmgtui.screens.sign_in import DeviceCodeModal  # loaded already when a code was shown

        message.stop()
        screen = self.screen
        if not isinstance(screen, DeviceCodeModal) or screen.failed:
            return
        if message.error and message.code != "cancelled":
            screen.show_failure(message.error, message.what_to_do)  # expired or declined: say so there
        else:
            screen.dismiss()


def run_app(profile: str | None = None, sandbox: bool = False) -> int:
    """Run the TUI; returns the process exit code."""
    name = profile or (SANDBOX_PROFILE if sandbox else None)
    app = CmgApp(initial_profile=name, sandbox=sandbox)
    # what the imports built lives as long as the process: frozen, no collection walks it again
    # (first frame 1.27 s -> 1.18 s of CPU, median of 7 alternating runs in an 80x24 pty)
    gc.freeze()
    result = app.run()
    app.exit_guard.disarm()
    return result if isinstance(result, int) else (app.return_code or 0)
