"""The one-line header: profile, Azure environment and region, sign-in state, read-only."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cmgtui.widgets.base import AppAccess


class AppHeader(Static, AppAccess):
    """Docked at the top of the main screen; redraws on profile and sign-in changes."""

    def on_mount(self) -> None:
        self.cmg.profile_changed.subscribe(self, lambda _what: self.redraw())
        self.watch(self.cmg, "sign_in_state", lambda _value: self.redraw(), init=False)
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the header line from the App's state."""
        profile = self.cmg.profile
        line = Text(" cmgtui ", style="bold reverse")
        if profile is None:
            self.update(line)
            return
        line.append(f" {profile.name} ", style="bold")
        line.append("│ ")
        env = profile.environment.value if profile.environment else "environment not set"
        line.append(f"{env} {profile.region or ''}".rstrip())
        line.append(" │ ")
        line.append(self.cmg.sign_in_state)
        if self.cmg.read_only:
            line.append(" │ ")
            line.append(" READ-ONLY: open in another session ", style="bold reverse yellow")
        self.update(line)
