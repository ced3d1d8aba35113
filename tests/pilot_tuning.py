"""How the suite drives Textual's Pilot cheaply, and why each change keeps what a test sees.

Textual offers no public setting for any of this, so each change names the Textual attribute it
replaces and :func:`install` refuses to run when one is missing (a Textual upgrade then fails the
run at once, instead of silently testing something else). Measured on the suite's App tests
(CPU time, one process, 2-core machine): the journey test 78 s → 35 s, Part 4's files 58 s → 43 s.

1. **Idle windows.** After each key and pause Textual's Pilot waits for a quiet process, in
   windows of 1/50 s (``textual._wait``): every key cost at least 40 ms even when the App was
   done with it long before, and a thread of the test process that is not the App's (the
   session's sandbox answering, an SDK imported ahead of time) kept the process from ever
   looking quiet, so the key waited a full second. :func:`wait_for_idle` watches the App's own
   thread in 2 ms windows; a key also waits for :func:`ui_settled`, so a redraw put off past a
   short window is still awaited.
2. **Waiting for the screen.** After every key and pause, ``Pilot._wait_for_screen`` posts one
   callback message to every widget of the screen (hidden panes included) and waits until all
   have run it. With every pane built that is about 900 messages, ~100 ms of CPU per key: more
   than the App spends on the key. :func:`drained` waits for the same thing (every message
   queued before the call handled, every handler that was running finished) by reading each
   widget's queue and a count of handlers running, without posting anything.
3. **Frames nobody reads.** A headless App still renders every frame (``Screen._compositor_refresh``)
   and the headless driver throws it away. Tests read the screen through ``screen_text`` and
   snapshots, which render it themselves from the same compositor; the frame timer, the
   callbacks run after a refresh, the hover state and the call that writes a frame (with
   nothing to write) are kept.
4. **Settled, as a user sees it.** A key or pause returns once the App has drawn what it caused
   (:func:`ui_settled`), bounded by :data:`SETTLE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import textual.app
import textual.pilot
from textual.app import App
from textual.lazy import Lazy
from textual.message import Message
from textual.message_pump import MessagePump
from textual.pilot import Pilot, WaitForScreenTimeout
from textual.screen import Screen

from cmgtui.widgets.base import Pane

#: How long Textual's Pilot watches the App's thread for idleness after each key and pause, in seconds.
IDLE_WINDOW = 0.002
#: The App's thread is idle when it ran for less than this in a window. An asyncio loop that only
#: sleeps costs 0.13 ms of CPU per 2 ms window on the 2-core VM (0.18 ms at the 90th percentile),
#: above the 1/20 of the window that Textual's own proportion would allow: that check seldom held,
#: and a key waited out the full second. A thread handling a key runs for the whole window.
IDLE_CPU = IDLE_WINDOW / 2
#: The longest a key or pause waits for :func:`ui_settled` (a test then asserts what it sees).
SETTLE_SECONDS = 30.0
#: Attribute counting the handlers a message pump is running (a handler may await: a mount, a worker).
_RUNNING = "_cmgtui_handlers_running"


def install() -> None:
    """Apply the four changes above to Textual's Pilot, once per process."""
    for owner, name in ((textual.app, "wait_for_idle"), (textual.pilot, "wait_for_idle"), (Pilot, "_wait_for_screen"),
                        (MessagePump, "_dispatch_message"), (Screen, "_compositor_refresh")):
        if not hasattr(owner, name):
            raise pytest.UsageError(f"Textual changed ({owner.__name__}.{name} is gone): update tests/pilot_tuning.py")
    textual.app.wait_for_idle = textual.pilot.wait_for_idle = wait_for_idle  # type: ignore[attr-defined]
    _count_running_handlers()
    Pilot._wait_for_screen = _wait_for_screen  # type: ignore[method-assign,assignment]
    _skip_headless_frames()
    press, pause = Pilot.press, Pilot.pause

    async def press_and_settle(pilot: Pilot[Any], *keys: str) -> None:
        await press(pilot, *keys)
        await _settle(pilot, pause)

    async def pause_and_settle(pilot: Pilot[Any], delay: float | None = None) -> None:
        await pause(pilot, delay)
        await _settle(pilot, pause)

    Pilot.press = press_and_settle  # type: ignore[method-assign,assignment]
    Pilot.pause = pause_and_settle  # type: ignore[method-assign,assignment]


async def wait_for_idle(min_sleep: float = IDLE_WINDOW, max_sleep: float = 1.0) -> None:
    """Textual's ``wait_for_idle``, watching the App's own thread instead of the whole process.

    Textual's compares the process's CPU time with the wall clock in 1/50 s windows. Threads of
    the test process that are not the App's (the session's sandbox answering, a cloud SDK being
    imported ahead of time, a sign-in) count there too, so while one of them works every key
    waited the full second. The App runs on this thread: it is idle when this thread's CPU time
    stands still for a window.
    """
    start = time.monotonic()
    while True:
        cpu = time.thread_time()
        await asyncio.sleep(IDLE_WINDOW)
        elapsed = time.monotonic() - start
        if elapsed >= max_sleep or (elapsed > min_sleep and time.thread_time() - cpu < IDLE_CPU):
            return


def _count_running_handlers() -> None:
    """Keep, on each message pump, how many of its handlers are running (awaiting included)."""
    dispatch = MessagePump._dispatch_message

    async def counted(pump: MessagePump, message: Message) -> None:
        pump.__dict__[_RUNNING] = pump.__dict__.get(_RUNNING, 0) + 1
        try:
            await dispatch(pump, message)
        finally:
            pump.__dict__[_RUNNING] -= 1

    MessagePump._dispatch_message = counted  # type: ignore[assignment]


def _busy(pump: MessagePump) -> bool:
    """Whether ``pump`` has a message waiting, a handler running or a ``call_next`` pending."""
    state = pump.__dict__
    queue = state.get("_message_queue")  # created on the first message posted
    return not pump._closed and bool((queue is not None and queue.values) or state.get(_RUNNING)
                                     or pump._next_callbacks)


async def drained(app: App[Any], timeout: float = 30.0) -> bool:
    """Wait until the App and every widget of its screen have handled what was queued for them.

    What ``Pilot._wait_for_screen`` waits for, found by reading each widget's state instead of
    posting a message to each. Returns False when the App has failed (its exception is raised
    at the end of ``run_test``), as Textual's does.
    """
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the App is closing: nothing to wait for
        return False
    deadline = time.monotonic() + timeout
    busy = [pump for pump in (app, *screen.walk_children(with_self=True)) if _busy(pump)]
    while busy:
        if app._exception is not None:
            return False
        if time.monotonic() > deadline:
            raise WaitForScreenTimeout("Timed out while waiting for widgets to process pending messages.")
        await asyncio.sleep(0)
        busy = [pump for pump in busy if _busy(pump)]
    return True


async def _wait_for_screen(pilot: Pilot[Any], timeout: float = 30.0) -> bool:
    return await drained(pilot.app, timeout)


def _skip_headless_frames() -> None:
    """A headless screen marks its frame drawn without rendering it (the driver would drop it)."""
    refresh = Screen._compositor_refresh

    def refresh_unless_headless(screen: Screen[Any]) -> None:
        app = screen.app
        if not app.is_headless or app.is_inline or screen is not app.screen:
            refresh(screen)
            return
        screen._compositor._dirty_regions.clear()
        app._display(screen, None)  # the moment the frame is written, for tests that watch for it
        screen._dirty_widgets.clear()
        app._update_mouse_over(screen)

    Screen._compositor_refresh = refresh_unless_headless  # type: ignore[assignment]


async def _settle(pilot: Pilot[Any], pause: Any) -> None:
    deadline = time.monotonic() + SETTLE_SECONDS
    while not ui_settled(pilot.app) and time.monotonic() < deadline:
        await pause(pilot)


def ui_settled(app: App[Any]) -> bool:
    """Whether the App has drawn what the last key caused: no message waiting for the App, the
    screen on top built (a dialog is on the stack before its widgets are mounted),
    nothing put off until after the screen's next frame (a pane's redraw, a focus move),
    nothing of the shown screen left to build (a pane still mounting has not drawn itself
    from the profile yet: its ``on_mount`` does that), nothing a pane started building once
    reached (the checklist's later items) still mounting."""
    screen = app.screen if app.is_running and app._screen_stack else None
    if screen is None:
        return True
    if not app._message_queue.empty() or screen._callbacks or not screen.is_mounted:
        return False
    # one walk over the screen's widgets: it runs after every key and pause, and a CSS query per
    # widget type costs twenty times as much once a few panes are built (460 widgets, 8.6 ms)
    return not any(isinstance(node, Lazy) or (isinstance(node, Pane) and (node._sync_pending or not node.is_mounted
                                                                        or node.building_rest))
                   for node in screen.walk_children())
