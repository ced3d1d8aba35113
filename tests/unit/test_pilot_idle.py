"""The suite's idle wait (``tests/pilot_tuning.py``) watches the App's thread, not the process.

A key pressed by a test waits until the App is idle. Textual's own check counts the CPU time of
every thread of the process, so while the session's sandbox or an SDK import ran in another
thread it never saw idle and every key waited its full second.
"""

from __future__ import annotations

import threading
import time

from tests import pilot_tuning


async def test_a_busy_thread_beside_the_app_does_not_hold_the_wait() -> None:
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(1000))

    worker = threading.Thread(target=spin, daemon=True)
    worker.start()
    try:
        started = time.monotonic()
        await pilot_tuning.wait_for_idle(0, max_sleep=60.0)
        waited = time.monotonic() - started
    finally:
        stop.set()
        worker.join()
    assert waited < 60.0, "the wait ran to its limit although the App's thread did nothing"


async def test_the_wait_lasts_while_the_apps_thread_works() -> None:
    """Work on the App's own thread (here ten 10 ms slices run one after another, as message
    handlers run) is not idle: the wait ends only after the last slice."""
    import asyncio

    loop = asyncio.get_running_loop()
    slices = []

    def work_slice() -> None:
        until = time.thread_time() + 0.01
        while time.thread_time() < until:
            pass
        slices.append(1)
        if len(slices) < 10:
            loop.call_soon(work_slice)

    loop.call_soon(work_slice)
    await pilot_tuning.wait_for_idle(0, max_sleep=60.0)
    assert len(slices) == 10, f"the wait ended after {len(slices)} of the App's 10 slices of work"
