"""The one-line header: profile, Azure environment and region, sign-in state, expiry warning,
read-only banner."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cmgtui.domain.expiry import ExpiryLevel, expiring_soon
from cmgtui.domain.locations import display_region, environment_label
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
        if self.cmg.read_only:  # first, so it is never cut off at the edge
            line.append(" READ-ONLY: open in another session ", style="bold reverse yellow")
            line.append(" ")
        line.append("│ ")
        region = display_region(profile)
        line.append(environment_label(profile.environment) + (f" · {region}" if region else ""))
        line.append(" │ ")
        line.append(self.cmg.sign_in_state)
        soon = expiring_soon(profile)
        if soon:
            first = min(soon, key=lambda entry: entry.days_left)
            line.append(" │ ")
            label = "expired" if first.level is ExpiryLevel.EXPIRED else f"expires in {first.days_left}d"
            style = "bold red" if first.days_left <= 30 else "bold yellow"
            line.append(f"⚠ {len(soon)} expiring ({label})", style=style)
        self.update(line)
