"""Typed access to the cmgtui App from screens and widgets, and the pane base class.

A pane is one entry of the main screen's navigation. It redraws itself from the profile
whenever the App publishes ``profile_changed``; it never keeps its own copy of the data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.containers import VerticalScroll
from textual.dom import DOMNode

from cmgtui.model import Profile

if TYPE_CHECKING:
    from cmgtui.app import CmgApp


class AppAccess(DOMNode):
    """Mixin giving ``cmg`` (the App, typed) and ``profile`` (the open profile)."""

    @property
    def cmg(self) -> CmgApp:
        """The running :class:`~cmgtui.app.CmgApp`."""
        return cast("CmgApp", self.app)

    @property
    def profile(self) -> Profile:
        """The open profile (panes only exist while one is open)."""
        profile = self.cmg.profile
        if profile is None:
            raise RuntimeError("no profile is open")
        return profile


class Pane(VerticalScroll, AppAccess):
    """Base of every navigation pane: subscribes to profile changes and calls :meth:`sync`."""

    ENTRY: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""

    def on_mount(self) -> None:
        self.cmg.profile_changed.subscribe(self, self._profile_changed)
        self.call_after_refresh(self._first_sync)

    def _first_sync(self) -> None:
        """The first redraw, once every child (and its own children) is mounted."""
        if self.cmg.profile is not None and self.is_attached:
            self.sync()

    def _profile_changed(self, _what: str) -> None:
        if self.cmg.profile is not None and self.is_attached and self.display:
            self.sync()

    def sync(self) -> None:
        """Redraw from the profile; subclasses override."""

    def focus_first(self) -> None:
        """Move focus to the first focusable widget in the pane (or the pane itself)."""
        focusable = [w for w in self.query("*") if w.focusable and w.display]
        (focusable[0] if focusable else self).focus()
