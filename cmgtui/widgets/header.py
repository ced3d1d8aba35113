"""The one-line header: profile, Azure environment and region, sign-in state, expiry warning,
read-only banner."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from cmgtui.domain.azure.locations import display_region, environment_label
from cmgtui.domain.display_text import visible
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

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Rebuild the header from the App's state: segments separated by " │ ", a segment moved
        whole to the second line when the first is full (never split inside). The widget
        updates only if the text changed."""
        profile = self.cmg.profile
        line = Text(" cmgtui ", style="bold reverse")
        if profile is None:
            show_if_changed(self, line)
            return
        segments: list[Text] = [Text(f" {visible(profile.name)} ", style="bold")]
        if self.cmg.read_only:  # early, so it is never pushed off the edge
            segments.append(Text(" READ-ONLY: open in another session ", style="bold reverse yellow"))
        region = display_region(profile)
        segments.append(Text(environment_label(profile.environment) + (f" · {region}" if region else "")))
        segments.append(Text(visible(self.cmg.sign_in_state)))
        soon = expiring_soon(profile)
        if soon:
            first = min(soon, key=lambda entry: entry.days_left)
            label = "expired" if first.level is ExpiryLevel.EXPIRED else f"expires in {first.days_left}d"
            style = "bold red" if first.days_left <= 30 else "bold yellow"
            segments.append(Text(f"⚠ {len(soon)} expiring ({label})", style=style))
        width = self.size.width or self.app.size.width
        line.append_text(segments[0])
        column = line.cell_len
        for segment in segments[1:]:
            if column + 3 + segment.cell_len > width:
                line.append("\n ")
                column = 1
            else:
                line.append(" │ ")
                column += 3
            line.append_text(segment)
            column += segment.cell_len
        show_if_changed(self, line)
