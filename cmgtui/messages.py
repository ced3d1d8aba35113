"""Messages that screens and widgets send to change the shared profile.

Widgets never modify the profile themselves: they post one of these, it bubbles up to the
App, and the App applies it, records drafts, schedules a save and tells every pane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from cmgtui.model import Profile


class FieldEdited(Message):
    """The user changed the field at ``path`` to ``value`` (``raw`` is the text typed)."""

    def __init__(self, path: str, value: Any, raw: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.value = value
        self.raw = raw


class ProfileMutation(Message):
    """Apply ``change`` to the profile (for edits that are not one field, e.g. list items)."""

    def __init__(self, change: Callable[[Profile], None], description: str) -> None:
        super().__init__()
        self.change = change
        self.description = description
