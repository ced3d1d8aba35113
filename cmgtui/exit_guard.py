"""A process that was told to end by its terminal does end, once its work is saved.

When the terminal goes away (an SSH connection dropping, ``tmux kill-session``) while Textual is
still writing a frame to it, Textual's output thread dies on the write error with its queue full,
and restoring the terminal on the way out then waits on that queue for ever (seen with a
session killed three seconds after ``cmgtui --sandbox`` started: the process stayed, blocked in
``WriterThread.stop``). The App saves the profile and releases its lock before it restores the
terminal, so nothing is lost by leaving at once: :class:`ExitGuard` ends the process if leaving
takes longer than :data:`GRACE_SECONDS` after such a signal.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

#: How long a signalled App may take to leave before the process ends without the terminal's restore.
GRACE_SECONDS = 5.0


class ExitGuard:
    """Ends the process with a given code unless :meth:`disarm` is called in time."""

    def __init__(self, seconds: float = GRACE_SECONDS, hard_exit: Callable[[int], object] = os._exit) -> None:
        self.seconds = seconds
        self.hard_exit = hard_exit
        self._timer: threading.Timer | None = None

    @property
    def armed(self) -> bool:
        """Whether the process will end unless it leaves (or is disarmed) first."""
        return self._timer is not None

    def arm(self, code: int) -> None:
        """End the process with ``code`` after the grace period, unless disarmed by then."""
        if self._timer is not None:
            return
        self._timer = threading.Timer(self.seconds, self.hard_exit, (code,))
        self._timer.daemon = True
        self._timer.name = "cmgtui-exit-guard"
        self._timer.start()

    def disarm(self) -> None:
        """The App has left normally: nothing to force."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
