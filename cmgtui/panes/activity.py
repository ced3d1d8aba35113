"""The activity pane: the profile's activity log, newest last, bounded.

Each line wraps between tokens at the pane's width, so paths, thumbprints and IDs are read whole.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RichLog, Static

from cmgtui import activity
from cmgtui.widgets.base import Pane, PaneTitle
from cmgtui.widgets.token_wrap import TokenWrap

MAX_LINES = 500


class ActivityPane(Pane):
    """What cmgtui did for this profile, read from its activity log."""

    ENTRY = "activity"
    TITLE = "Activity"
    WATCHES_ACTIVITY = True

    def compose(self) -> ComposeResult:
        yield PaneTitle("Activity", classes="pane-title")
        yield Static("What cmgtui did for this profile, newest last.", classes="hint")
        yield RichLog(max_lines=MAX_LINES, wrap=True, markup=False, min_width=20, id="activity-log")

    def _profile_changed(self, what: str) -> None:
        if what == "activity":
            super()._profile_changed(what)

    def sync(self) -> None:
        log = self.query_one("#activity-log", RichLog)
        log.clear()
        for entry in activity.read_tail(self.profile.name, MAX_LINES):
            line = f"{entry.at.astimezone().strftime('%Y-%m-%d %H:%M:%S')} {entry.kind}: {entry.message}"
            log.write(TokenWrap(line, indent=2))
