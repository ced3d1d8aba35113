"""What screens and widgets may know of the App (a small Protocol), and the pane base class.

Widgets type against :class:`CmgHost`, never against the App class: the App imports the
screens, so a widget importing the App would tie every module into one import circle.
A pane is one entry of the main screen's navigation. It redraws itself from the profile
when the App publishes a :class:`~cmgtui.messages.ProfileChange`; it never keeps its own
copy of the data, and it redraws a widget only when that widget's own content changed.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, cast

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual import events
from textual.widgets import Select, Static

from cmgtui.messages import JobLogLine, ProfileChange
from cmgtui.model import Evidence, Profile

if TYPE_CHECKING:
    from pathlib import Path

    from textual.events import Key
    from textual.message import Message
    from textual.message_pump import MessagePump
    from textual.signal import Signal
    from textual.visual import VisualType
    from textual.widget import Widget
    from textual.worker import Worker

    from cmgtui.cloud.jobs import CloudJob, LocalJob
    from cmgtui.domain.rules.results import RuleResult
    from cmgtui.store import ProfileStore


class CloudHost(Protocol):
    """The App's cloud bridge as panes use it: start jobs (each posts its typed result, and its
    log lines, to the pane that started it) and cancel them."""

    user: str

    @property
    def signed_in(self) -> bool: ...

    def run_posting(self, target: MessagePump, description: str,
                    job: CloudJob[Message]) -> Worker[None] | None: ...

    def run_local_posting(self, target: MessagePump, description: str, job: LocalJob[Message]) -> Worker[None]: ...

    def refresh_identity(self, target: MessagePump | None = None) -> None: ...

    def sandbox_endpoint(self) -> tuple[str, Path | None] | None: ...

    def cancel(self) -> bool: ...


class CmgHost(Protocol):
    """The App as screens and widgets see it: the open profile, its changes and the cloud."""

    profile_changed: Signal[ProfileChange]
    sign_in_state: str
    last_input: float
    store: ProfileStore

    @property
    def profile(self) -> Profile | None: ...

    @property
    def read_only(self) -> bool: ...

    @property
    def cloud(self) -> CloudHost: ...

    def rule_results(self) -> list[RuleResult]: ...

    def edit(self, path: str, value: Any, raw: str | None = None) -> None: ...

    def mutate(self, change: Callable[[Profile], None], description: str) -> None: ...

    def remember_screen(self, entry_id: str) -> None: ...

    def record_evidence(self, items: Iterable[Evidence], description: str = ...) -> None: ...

    def log_activity(self, kind: str, message: str) -> None: ...

    def close_profile(self) -> None: ...

    def show_picker(self) -> None: ...

    def main_screen_shown(self) -> None: ...

    def action_help(self) -> None: ...

    async def action_sign_in(self) -> None: ...

    def open_profile(self, name: str, create_if_missing: bool = False) -> bool: ...

    def replay_keys(self, keys: list[Key]) -> None: ...


class AppAccess(DOMNode):
    """Mixin giving ``cmg`` (the App, typed as :class:`CmgHost`) and ``profile``."""

    @property
    def cmg(self) -> CmgHost:
        """The running cmgtui App."""
        return cast("CmgHost", self.app)

    @property
    def profile(self) -> Profile:
        """The open profile (panes only exist while one is open)."""
        profile = self.cmg.profile
        if profile is None:
            raise RuntimeError("no profile is open")
        return profile


def app_is_closing(node: DOMNode) -> bool:
    """Whether the App has been asked to exit or is shutting down.

    While it shuts down, Textual removes the screens' widgets; a widget whose mount was
    queued before the quit may still run its ``on_mount`` with its children already gone,
    so building or drawing then must stop (a quit during start-up ended in a traceback).
    """
    app = node.app
    return bool(getattr(app, "_exit", False)) or not getattr(app, "_running", True)


class ChoiceSelect(Select[Any]):
    """Textual's ``Select``, except that it skips its mount once the App is closing.

    ``Select`` looks up the option list it composed when it mounts. While the App shuts down
    Textual mounts nothing more, so a Select whose mount was under way (a checklist item below
    the fold, a pane built ahead) has none, and the quit ended in ``NoMatches`` (seen under
    load: quitting while the checklist's later items mounted).
    """

    def _on_mount(self, event: events.Mount) -> None:
        if app_is_closing(self):
            event.prevent_default()  # Textual then runs no base class's mount handler


#: The ``key`` each Static last showed through :func:`show_if_changed` (weak: a removed widget is forgotten).
_SHOWN_KEYS: weakref.WeakKeyDictionary[Static, object] = weakref.WeakKeyDictionary()


def show_if_changed(static: Static, content: VisualType | Callable[[], VisualType], key: object = None) -> bool:
    """Show ``content`` in ``static`` unless it already shows exactly that; True if updated.

    ``Static.update`` always re-lays out the screen; skipping an update that changes nothing
    is what keeps a keystroke from re-laying out the whole pane. For content that cannot be
    compared (a Rich ``Table``), pass ``key`` (the inputs it is built from) and, so that it
    is built only when they changed, ``content`` as a function that builds it.
    """
    if key is not None:
        if _SHOWN_KEYS.get(static) == key:
            return False
        _SHOWN_KEYS[static] = key
        static.update(content() if callable(content) else content)
        return True
    if callable(content):
        content = content()
    if static.content == content:
        return False
    static.update(content)
    return True


class PaneTitle(Static, can_focus=True):
    """A pane's title line, which holds the focus when the pane itself is to hold it (a pane with
    letter keys: they act from here, and Enter goes on to the fields).

    Focusing a widget restyles it and everything inside it, so the focus rests on this one line
    rather than on the pane: focusing the pane restyled each of its hundreds of widgets on every
    ``]``, twice (once on the way in, once on the way out).
    """


class Pane(VerticalScroll, AppAccess, can_focus=False):
    """Base of every navigation pane: redraws (:meth:`sync`) when the profile changes.

    Only a pane on screen redraws, right after the frame that shows the keystroke (so typing
    never waits for a redraw, and changes made before that frame share one); a hidden pane
    redraws when shown again. A line added to the activity log redraws only panes with
    ``WATCHES_ACTIVITY``.
    """

    ENTRY: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    WATCHES_ACTIVITY: ClassVar[bool] = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter_fields", "To the fields", show=False, id="pane_enter"),
        Binding("f4", "first_missing", "To the missing field", id="pane_missing", show=False),
    ]

    def __init__(self, *children: Widget, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(*children, id=id, classes=classes)
        self._stale = False
        self._sync_pending = False
        self._built = asyncio.Event()

    async def mounted(self) -> None:
        """Wait until this pane is mounted."""
        await self._built.wait()

    def shown(self) -> None:
        """The pane is on screen again: redraw if the profile changed while it was hidden."""
        if self._stale:
            self._stale = False
            self.sync()

    def on_mount(self) -> None:
        self._built.set()
        self.cmg.profile_changed.subscribe(self, self._on_change)
        self._first_sync()

    @property
    def results(self) -> list[RuleResult]:
        """Every rule's result for the open profile, computed once per change by the App."""
        return self.cmg.rule_results()

    def _first_sync(self) -> None:
        """The first redraw, before the pane's first frame (so no frame shows it empty).

        Textual runs a widget's ``on_mount`` once every child it composed (and their own
        children) is mounted, so the pane can be drawn from the profile here; only children
        wrapped in ``Lazy`` come later, and draw themselves when they mount.
        """
        if self.cmg.profile is not None and self.is_attached:
            self.sync()

    def _on_change(self, change: ProfileChange) -> None:
        if change.activity_only and not self.WATCHES_ACTIVITY:
            return
        self._profile_changed(change.what)

    def _profile_changed(self, _what: str) -> None:
        if self.cmg.profile is None or not self.is_attached:
            return
        if not self.display:
            self._stale = True
        elif not self._sync_pending:
            # after the frame that shows the keystroke itself; changes until then share one redraw
            self._sync_pending = True
            self.call_after_refresh(self._deferred_sync)

    def _deferred_sync(self) -> None:
        self._sync_pending = False
        if self.cmg.profile is None or not self.is_attached:
            return
        if self.display:
            self.sync()
        else:
            self._stale = True

    def sync(self) -> None:
        """Redraw from the profile; subclasses override."""

    def build_rest(self, step: bool = False) -> bool:
        """Start building what the pane left out until the user reaches it (with ``step``, only
        its next part); False when nothing is left (a pane builds everything with its first
        frame unless it overrides this)."""
        return False

    @property
    def building_rest(self) -> bool:
        """Whether what :meth:`build_rest` started is still being built."""
        return False

    def on_job_log_line(self, message: JobLogLine) -> None:
        """A line of a cloud job this pane started: shown in the pane's job log, if it has one."""
        from cmgtui.widgets.job_log import JobLog

        message.stop()
        logs = self.query(JobLog)
        if logs:
            logs.first(JobLog).add_line(message.line)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A hidden pane never acts on a key (focus is moved out of it when it is hidden);
        Enter goes on to the fields only from the pane's own place, its title."""
        if action == "enter_fields":
            return self.display and self.screen.focused is self.own_place()
        return self.display

    def own_place(self) -> Widget:
        """Where the focus rests when it is on the pane itself: its title (the pane if it has none)."""
        title = self.query_children(PaneTitle)
        return title.first() if title else self

    def focus(self, scroll_visible: bool = True) -> Self:
        """Focus the pane itself, that is its title line (:meth:`own_place`)."""
        place = self.own_place()
        if place is not self:
            place.focus(scroll_visible)
            return self
        return super().focus(scroll_visible)

    def _reachable(self) -> list[Widget]:
        """The pane's widgets that Tab can reach now, in the order the pane lays them out.

        The order is the pane's own (its widgets top to bottom, as composed), not the screen's
        focus chain: that chain sorts by each widget's place on the last layout, and a key that
        arrives before the first layout of a just-shown pane settles would find the fields in
        the wrong order (Enter on a fresh checklist went to item 2's region, not item 1).
        """
        reachable = set(self.screen.focus_chain)
        return [widget for widget in self.walk_children() if widget in reachable]

    def has_letter_keys(self) -> bool:
        """Whether a key of this pane is a character a text box would take as typing."""
        return any(len(key) == 1 for key in self._bindings.key_to_bindings)

    def _first_field(self) -> Widget:
        """The first field's editor, else the first widget Tab reaches, else the pane's own place."""
        from cmgtui.widgets.fields import FieldRow  # fields import this module

        reachable = [w for w in self._reachable() if not isinstance(w, PaneTitle)]
        fields = [w for w in reachable if any(isinstance(a, FieldRow) for a in w.ancestors)]
        return (fields or reachable or [self.own_place()])[0]

    def first_missing(self, inside: Widget | None = None) -> Widget | None:
        """The editor of the first shown field (inside ``inside``, if given) that still needs a
        value (None: none does)."""
        from cmgtui.widgets.fields import FieldRow  # fields import this module

        profile = self.cmg.profile
        for widget in self._reachable():
            if inside is not None and inside not in widget.ancestors:
                continue
            row = next((a for a in widget.ancestors if isinstance(a, FieldRow)), None)
            if row is not None and profile is not None and row.unfinished(profile):
                return widget
        return None

    def focus_first(self) -> None:
        """Move focus into the pane: its first field that still needs a value, else its first
        field (else its first widget). A pane with keys of its own takes the focus on its title
        when that field is a text box, where its letters would be typed instead of acting; Enter
        then goes on to the field."""
        from textual.widgets import Input

        target = self.first_missing() or self._first_field()
        if isinstance(target, Input) and self.has_letter_keys():
            target = self.own_place()
        self.focus_now(target)

    def focus_now(self, target: Widget) -> None:
        """Move the focus to ``target`` while the key that asked for it is being handled.

        ``Widget.focus`` moves it one message later; a key typed in between (Enter, Enter on the
        navigation, on a loaded machine or by a quick typist) would still reach the widget the
        focus is leaving, and act there.
        """
        if target.is_attached:
            self.screen.set_focus(target)

    def action_first_missing(self) -> None:
        """Go to the first field that still needs a value (or say that none does)."""
        target = self.first_missing()
        if target is None:
            self.notify("Every field of this pane has a value.", timeout=3)
            return
        self.focus_now(target)

    def action_enter_fields(self) -> None:
        """From the pane itself, Enter goes to the field that needs a value, else the first."""
        target = self.first_missing() or self._first_field()
        if target is not self.own_place():
            self.focus_now(target)
