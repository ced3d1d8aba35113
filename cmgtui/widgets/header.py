"""The one-line header: profile, Azure environment and region, sign-in state, expiry warning,
read-only banner."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cmgtui.domain.expiry import ExpiryLevel, expiring_soon
from cmgtui.messages import ProfileChange
from cmgtui.widgets.base import AppAccess, show_if_changed


class AppHeader(Static, AppAccess):
    """Docked at the top of the main screen; redraws on profile and sign-in changes."""

    def on_mount(self) -> None:
        self.cmg.profile_changed.subscribe(self, self._profile_changed)
        self.watch(self.cmg, "sign_in_state", lambda _value: self.redraw(), init=False)
        self.redraw()

    def _profile_changed(self, change: ProfileChange) -> None:
        if not change.activity_only:
            self.redraw()

    def redraw(self) -> None:
        """Rebuild the header line from the App's state; the widget updates only if it changed."""
        profile = self.cmg.profile
        line = Text(" cmgtui ", style="bold reverse")
        if profile is None:
            show_if_changed(self, line)
            return
        line.append(f" {profile.name} ", style="bold")
        line.append("│ ")
        env = profile.environment.value if profile.environment else "environment not set"
        line.append(f"{env} {profile.region or ''}".rstrip())
        line.append(" │ ")
        line.append(self.cmg.sign_in_state)
        soon = expiring_soon(profile)
        if soon:
            first = min(soon, key=lambda entry: entry.days_left)
            line.append(" │ ")
            label = "expired" if first.level is ExpiryLevel.EXPIRED else f"expires in {first.days_left}d"
            style = "bold red" if first.days_left <= 30 else "bold yellow"
            line.append(f"⚠ {len(soon)} expiring ({label})", style=style)
        if self.cmg.read_only:
            line.append(" │ ")
            line.append(" READ-ONLY: open in another session ", style="bold reverse yellow")
        show_if_changed(self, line)
