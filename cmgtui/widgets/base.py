"""What screens and widgets may know of the App (a small Protocol), and the pane base class.

Widgets type against :class:`CmgHost`, never against the App class: the App imports the
screens, so a widget importing the App would tie every module into one import circle.
A pane is one entry of the main screen's navigation. It redraws itself from the profile
when the App publishes a :class:`~cmgtui.messages.ProfileChange`; it never keeps its own
copy of the data, and it redraws a widget only when that widget's own content changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar, cast

from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from cmgtui.messages import ProfileChange
from cmgtui.model import Evidence, Profile

if TYPE_CHECKING:
    from textual.signal import Signal
    from textual.visual import VisualType
    from textual.widget import Widget
    from textual.worker import Worker

    from cmgtui.cloud.jobs import CloudJob, LocalJob
    from cmgtui.domain.rules.results import RuleResult

T = TypeVar("T")


class CloudHost(Protocol):
    """The App's cloud bridge as panes use it: start jobs, cancel them, follow their log."""

    user: str
    log_signal: Signal[str]

    @property
    def signed_in(self) -> bool: ...

    def run(self, description: str, job: CloudJob[T],
            on_success: Callable[[T], None] | None = None) -> Worker[None] | None: ...

    def run_local(self, description: str, job: LocalJob[T],
                  on_success: Callable[[T], None] | None = None) -> Worker[None]: ...

    def refresh_identity(self) -> None: ...

    def cancel(self) -> bool: ...


class CmgHost(Protocol):
    """The App as screens and widgets see it: the open profile, its changes and the cloud."""

    profile_changed: Signal[ProfileChange]
    sign_in_state: str
    last_input: float

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


def show_if_changed(static: Static, content: VisualType | Callable[[], VisualType], key: object = None) -> bool:
    """Show ``content`` in ``static`` unless it already shows exactly that; True if updated.

    ``Static.update`` always re-lays out the screen; skipping an update that changes nothing
    is what keeps a keystroke from re-laying out the whole pane. For content that cannot be
    compared (a Rich ``Table``), pass ``key`` (the inputs it is built from) and, so that it
    is built only when they changed, ``content`` as a function that builds it.
    """
    if key is not None:
        if getattr(static, "_cmgtui_shown_key", None) == key:
            return False
        static._cmgtui_shown_key = key  # type: ignore[attr-defined]
        static.update(content() if callable(content) else content)
        return True
    if callable(content):
        content = content()
    if static.content == content:
        return False
    static.update(content)
    return True


class Pane(VerticalScroll, AppAccess):
    """Base of every navigation pane: redraws (:meth:`sync`) when the profile changes.

    Only a pane on screen redraws, right after the frame that shows the keystroke (so typing
    never waits for a redraw, and changes made before that frame share one); a hidden pane
    redraws when shown again. A line added to the activity log redraws only panes with
    ``WATCHES_ACTIVITY``.
    """

    ENTRY: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    WATCHES_ACTIVITY: ClassVar[bool] = False

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

    def focus_first(self) -> None:
        """Move focus to the first focusable widget in the pane (or the pane itself)."""
        focusable = [w for w in self.query("*") if w.focusable and w.display]
        (focusable[0] if focusable else self).focus()
