"""How far a triage run is, how fast it reads and how long it still needs, in one line of text.

The CLI draws it on stderr when that is a terminal; the Logs pane shows it under its bar. Speed
is measured over the whole run so far (steady enough for a file read in one pass); the time
left is what remains at that speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

MB = 1024 * 1024


@dataclass(slots=True)
class Throughput:
    """Bytes done over time since the meter was made; ``clock`` is injectable for tests."""

    clock: Callable[[], float] = field(default_factory=lambda: time.monotonic)
    started: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def line(self, done: int, total: int) -> str:
        """``45% · 63.2 of 140.0 MB · 118.4 MB/s · 0:01 left`` (no speed until some time has passed)."""
        total = max(total, 1)
        done = min(max(done, 0), total)
        percent = done * 100 // total
        text = f"{percent:3d}% · {done / MB:.1f} of {total / MB:.1f} MB"
        elapsed = self.clock() - self.started
        if elapsed <= 0.05 or done == 0:
            return text
        rate = done / elapsed
        left = (total - done) / rate
        minutes, seconds = divmod(int(left + 0.5), 60)
        return f"{text} · {rate / MB:.1f} MB/s · {minutes}:{seconds:02d} left"
