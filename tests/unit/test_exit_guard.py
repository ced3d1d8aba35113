"""The guard that ends a signalled process whose terminal is gone (cmgtui.exit_guard)."""

from __future__ import annotations

import threading

from cmgtui.exit_guard import ExitGuard


def test_an_armed_guard_ends_the_process_with_the_signals_code() -> None:
    ended: list[int] = []
    done = threading.Event()
    guard = ExitGuard(seconds=0.01, hard_exit=lambda code: (ended.append(code), done.set()))
    guard.arm(129)  # SIGHUP: 128 + 1
    guard.arm(143)  # a second signal changes nothing: the first code stands
    assert done.wait(30)
    assert ended == [129]


def test_a_guard_disarmed_in_time_ends_nothing() -> None:
    ended: list[int] = []
    guard = ExitGuard(seconds=3600, hard_exit=ended.append)
    guard.arm(143)
    assert guard.armed
    guard.disarm()
    assert not guard.armed and ended == []
