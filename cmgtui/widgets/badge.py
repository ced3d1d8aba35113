"""Status symbols and words shared by the navigation, the checklist and rule reports.

Every status is shown as a symbol *and* a word, so it reads without colour (NO_COLOR).
"""

from __future__ import annotations

from rich.text import Text

from cmgtui.domain.rules.results import Status

_STATUS_STYLE = {
    "done": ("✓", "green"),
    "pass": ("✓", "green"),
    "problem": ("✗", "red"),
    "fail": ("✗", "red"),
    "warn": ("!", "yellow"),
    "in progress": ("…", "yellow"),
    "todo": ("·", "bright_black"),
    "not started": ("·", "bright_black"),
    "skip": ("–", "bright_black"),
    "error": ("‼", "red"),
    "info": ("i", "cyan"),
}


def badge(state: str | Status, word: bool = True) -> Text:
    """A styled ``symbol word`` for a status such as ``done`` or ``fail``."""
    key = str(state.value if isinstance(state, Status) else state)
    symbol, style = _STATUS_STYLE.get(key, ("?", ""))
    return Text(f"{symbol} {key}" if word else symbol, style=style)
