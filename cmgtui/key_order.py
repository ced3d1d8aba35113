"""Every key typed reaches the widget that has the focus once the keys before it have acted.

Textual hands a key to the widget focused when the App takes the key from its queue, and
acts on that widget's bindings (Enter in the navigation, Tab) only once the key has bubbled
back up to the App, some message hops later. Keys the App took meanwhile went to the widget
the focus was about to leave, which had no use for them: they were lost. That happens whenever
keys queue up, such as straight after start-up while the sandbox tenant signs in and the
screen builds the rest of the first pane (1 to 9 of 20 keys typed into the checklist's Note
field after Enter and Tab were lost), on a loaded machine, or for a quick typist.

:class:`KeyOrder` hands the App one key at a time: the next key goes to the focused widget
only when the one before has ended its trip, stopped by the widget that used it or back at
the App, where its binding has run. Keys typed at a human pace never wait (the trip takes
well under a millisecond); only keys that queued up do, and each then goes where the key
before it sent the focus.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from textual import events
from textual.app import App
from textual.dom import DOMNode

#: A key whose trip has not ended after this many seconds (a widget removed with the key still
#: in its queue) no longer holds back the keys behind it; looked at when the next key comes.
STUCK_SECONDS = 2.0


class KeyOrder:
    """The App's typed keys, handed on one at a time (see the module's docstring)."""

    def __init__(self, app: App[Any], deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        """``deliver`` is Textual's own handling of a typed key: the App's priority bindings,
        else the key forwarded to the focused widget (or the screen, when nothing has the focus)."""
        self._app = app
        self._deliver = deliver
        self._waiting: deque[events.Key] = deque()
        #: The key forwarded last whose trip has not ended, and since when.
        self._in_flight: events.Key | None = None
        self._since = 0.0

    async def typed(self, key: events.Key) -> None:
        """A key from the terminal: handed on now, or after the keys still ahead of it."""
        self._waiting.append(key)
        await self.deliver_waiting()

    def replay(self, keys: Iterable[events.Key]) -> None:
        """Hand on ``keys`` again, ahead of any key typed after them (keys a screen held while
        nothing had the focus, now that a widget has it)."""
        self._waiting.extendleft(reversed(list(keys)))
        self._app.call_later(self.deliver_waiting)

    async def deliver_waiting(self) -> None:
        """Hand on the waiting keys, in order, until one is on its way to a widget."""
        if self._in_flight is not None and time.monotonic() - self._since > STUCK_SECONDS:
            self._in_flight = None
        while self._in_flight is None and self._waiting:
            key = self._waiting.popleft()
            await self._deliver(key)
            if key.is_forwarded:  # not taken by a priority binding: on its way to a widget
                self._in_flight, self._since = key, time.monotonic()
                self._follow(key, self._app.focused or self._app.screen)

    def _follow(self, key: events.Key, node: DOMNode) -> None:
        """Look at ``key`` again once ``node`` has handled it; on up while it bubbles."""

        def handled() -> None:
            if key is not self._in_flight:
                return
            parent = node.parent if node is not self._app else None
            # Textual stops a key at the node whose parent sent it, but still delivers it there
            if parent is not None and (not key._stop_propagation or parent is key._sender):
                self._follow(key, parent)
                return
            self._in_flight = None
            if self._waiting:
                self._app.call_later(self.deliver_waiting)

        if not node.call_later(handled):  # closing: the key ends with it
            self._in_flight = None
            if self._waiting:
                self._app.call_later(self.deliver_waiting)
