"""The log of the cloud jobs a pane started, shown in that pane (and only there).

The cloud bridge posts each progress line of a job to the pane that started it as a
:class:`~cmgtui.messages.JobLogLine`; the pane's :class:`JobLog` shows it. A pane never shows
another pane's job (the checklist's probe stays out of Part 2). Lines keep identifiers whole
(:class:`~cmgtui.widgets.token_wrap.TokenWrap`); the log stays hidden until its first line
(unless ``shown``: Part 2 keeps its log's frame in view) and keeps the newest ``max_lines``. The same lines go to the Activity pane through the
profile's activity log.
"""

from __future__ import annotations

from textual.widgets import RichLog

from cmgtui.widgets.token_wrap import TokenWrap


class JobLog(RichLog, can_focus=False):
    """A bounded, wrapping log of job lines, hidden until the first one. It takes no focus: Tab
    and Enter go to the pane's fields, never to a log that merely reports."""

    DEFAULT_CSS = """
    JobLog { height: 8; display: none; }
    JobLog.-shown { display: block; }
    """

    def __init__(self, *, max_lines: int = 200, id: str | None = None, shown: bool = False) -> None:
        super().__init__(max_lines=max_lines, wrap=True, markup=False, min_width=20, id=id,
                         classes="-shown" if shown else None)

    def add_line(self, line: str) -> None:
        """Show ``line`` (any text: control characters are made visible, words kept whole)."""
        self.add_class("-shown")
        self.write(TokenWrap(line, indent=2))
