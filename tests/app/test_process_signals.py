"""A real cmgtui process in a pseudo-terminal: SIGHUP (an SSH connection dropping) and SIGTERM
save what was typed and end the process cleanly, releasing the profile's lock."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from cmgtui.model import AzureEnvironment
from cmgtui.store import ProfileStore

ENTER, TAB, DOWN = b"\r", b"\t", b"\x1b[B"


def _read_until(fd: int, marker: bytes, limit: float = 60.0) -> bytes:
    """Read the terminal output until ``marker`` shows up (bounded)."""
    seen = b""
    deadline = time.monotonic() + limit
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _wait_exit(pid: int, fd: int, limit: float = 30.0) -> int:
    """Wait for the child to end, draining its terminal output so it never blocks writing."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        _read_until(fd, b"\x00never", limit=0.2)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    pytest.fail("cmgtui did not exit after the signal")


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_signal_saves_typed_values_and_exits(cmgtui_home: Path, signum: int) -> None:
    ProfileStore().create("remote")
    env = {**os.environ, "CMGTUI_HOME": str(cmgtui_home), "TERM": "xterm-256color"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: a user's cmgtui session
        os.execve(sys.executable, [sys.executable, "-m", "cmgtui", "--profile", "remote"], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        assert b"Pre-setup checklist" in _read_until(fd, b"Pre-setup checklist")
        _read_until(fd, b"\x00never", limit=2.0)  # let the first frame settle before typing
        for key in (ENTER, TAB, ENTER, DOWN, DOWN, ENTER):
            os.write(fd, key)
            _read_until(fd, b"\x00never", limit=0.4)  # pace keys as a person types (not an assertion)
        _read_until(fd, b"\x00never", limit=1.0)
        os.kill(pid, signum)
        status = _wait_exit(pid, fd)
    finally:
        os.close(fd)
    assert os.WIFEXITED(status), f"killed by a signal instead of exiting: {status}"
    store = ProfileStore()
    assert store.load("remote").environment is AzureEnvironment.US_GOVERNMENT
    assert not store.is_in_use("remote")
