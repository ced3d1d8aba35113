"""A program running in a pseudo-terminal of a fixed size, with a timed record of its output.

The benchmarks drive cmgtui and a bare Textual app exactly as a user's terminal would: keys
go in as bytes, and every chunk the program writes is kept with the moment it arrived. "The
screen shows X" is the first moment X appears in the output (escape sequences removed);
"the repaint is complete" is the last byte written before the program falls quiet.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ESCAPE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")
QUIET_SECONDS = 0.15


class PtyProgram:
    """One program in a ``columns`` x ``rows`` pseudo-terminal."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], columns: int = 80, rows: int = 24) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self._master = master
        self._chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env={**env, "TERM": "xterm-256color",
                                                                      "COLORTERM": "truecolor"},
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.5)
                if not ready:
                    if self.process.poll() is not None:
                        return
                    continue
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._chunks.append((time.perf_counter(), data))

    def _snapshot(self) -> list[tuple[float, bytes]]:
        with self._lock:
            return list(self._chunks)

    def text_since(self, moment: float) -> str:
        """Everything written after ``moment``, escape sequences removed."""
        raw = b"".join(data for at, data in self._snapshot() if at >= moment)
        return ESCAPE.sub(b"", raw).decode("utf-8", "replace")

    def wait_for(self, marker: str, timeout: float = 60.0, since: float | None = None) -> float:
        """Seconds from ``since`` (default: start) until ``marker`` first appears on screen."""
        origin = self.started if since is None else since
        deadline = time.perf_counter() + timeout
        needle = marker.encode()
        while time.perf_counter() < deadline:
            seen = b""
            for at, data in self._snapshot():
                if at < origin:
                    continue
                seen += data
                if needle in ESCAPE.sub(b"", seen):
                    return at - origin
            if self.process.poll() is not None:
                break
            time.sleep(0.005)
        raise TimeoutError(f"{marker!r} did not appear within {timeout:.0f} s:\n{self.text_since(origin)[-2000:]}")

    def settle(self, quiet: float = 3.0, timeout: float = 90.0) -> None:
        """Wait until the program has written nothing for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            chunks = self._snapshot()
            last = chunks[-1][0] if chunks else self.started
            if time.perf_counter() - last >= quiet:
                return
            time.sleep(0.05)

    def press(self, keys: str, quiet: float = QUIET_SECONDS, timeout: float = 10.0) -> float:
        """Send ``keys``; seconds until the last byte of the repaint they caused."""
        sent = time.perf_counter()
        os.write(self._master, keys.encode())
        deadline = sent + timeout
        while time.perf_counter() < deadline:
            time.sleep(0.01)
            after = [at for at, _ in self._snapshot() if at >= sent]
            if after and time.perf_counter() - after[-1] >= quiet:
                return after[-1] - sent
        raise TimeoutError(f"no repaint settled within {timeout:.0f} s of {keys!r}")

    def cpu_seconds(self) -> float:
        """CPU time (user and system, every thread) the program has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        """Resident memory of the program, in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("VmRSS not found")

    def close(self) -> None:
        """Stop the program (it saves on SIGTERM) and release the terminal."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        os.close(self._master)
