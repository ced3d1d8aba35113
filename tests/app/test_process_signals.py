"""A real cmgtui process in a pseudo-terminal: SIGHUP (an SSH connection dropping) and SIGTERM
save what was typed and end the process cleanly, releasing the profile's lock."""

from __future__ import annotations

import fcntl
import os
import pty
import re
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


_ESCAPE = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def _text(output: bytes) -> str:
    """The terminal output as text: escape sequences become spaces, runs of spaces one."""
    return re.sub(r"\s+", " ", _ESCAPE.sub(b" ", output).decode("utf-8", "replace"))


def _read_until(fd: int, shows: str, limit: float = 60.0) -> str:
    """Read the terminal output until its text matches the regex ``shows``; return the text."""
    seen = b""
    deadline = time.monotonic() + limit
    while not re.search(shows, _text(seen)) and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    text = _text(seen)
    assert re.search(shows, text), f"the screen never showed {shows!r}; last output: {text[-500:]!r}"
    return text


def _drain(fd: int, limit: float) -> bool:
    """Read whatever the terminal prints for up to ``limit`` seconds; False once it is closed."""
    ready, _, _ = select.select([fd], [], [], limit)
    if ready:
        try:
            return bool(os.read(fd, 65536))
        except OSError:
            return False
    return True


def _answered(fd: int, limit: float = 30.0) -> None:
    """Wait for the frame that answers a key: output, then a short quiet (the frame is done)."""
    deadline = time.monotonic() + limit
    got = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            if got:
                return
            continue
        got = bool(os.read(fd, 65536)) or got
    pytest.fail("cmgtui never answered the key")


def _wait_exit(pid: int, fd: int, limit: float = 30.0) -> int:
    """Wait for the child to end, draining its terminal output so it never blocks writing."""
    deadline = time.monotonic() + limit
    open_terminal = True
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if open_terminal:
            open_terminal = _drain(fd, 0.2)
        else:  # the terminal is closed: the process is ending
            time.sleep(0.05)
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
        # The first frame is complete once the footer is drawn after the checklist.
        _read_until(fd, r"Pre-setup checklist.*environment not set.*f1 Help")
        os.write(fd, ENTER)  # the shown checklist has the focus: Enter goes to its first unfinished field
        _answered(fd)
        os.write(fd, ENTER)
        _read_until(fd, r"Azure public cloud \(AzurePublicCloud\)")  # the choices are open
        for key in (DOWN, DOWN):
            os.write(fd, key)
            _answered(fd)
        os.write(fd, ENTER)
        # The header shows the profile's new environment: the edit is made (the debounced
        # autosave has not necessarily run, so the signal's own save is what keeps it).
        _read_until(fd, r"remote │ Azure US Government │")
        os.kill(pid, signum)
        status = _wait_exit(pid, fd)
    finally:
        os.close(fd)
    assert os.WIFEXITED(status), f"killed by a signal instead of exiting: {status}"
    store = ProfileStore()
    assert store.load("remote").environment is AzureEnvironment.US_GOVERNMENT
    assert not store.is_in_use("remote")
