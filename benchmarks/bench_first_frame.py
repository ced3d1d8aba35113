"""Time to first frame: cmgtui versus a bare Textual app, measured side by side.

Each run starts a fresh Python process that builds the app, waits for its first frame and
exits; the process's wall time is recorded. Runs of the two alternate so machine load hits
both alike. Prints the medians and their ratio (the budget is 1.25, ARCHITECTURE §9).

Run: ``uv run python benchmarks/bench_first_frame.py [runs]``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("hello")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True)
"""

CMGTUI = """
import os, tempfile
os.environ["CMGTUI_HOME"] = tempfile.mkdtemp()
from cmgtui.app import CmgApp

class FirstFrame(CmgApp):
    def on_mount(self):
        self.call_after_refresh(self.exit)

FirstFrame().run(headless=True)
"""


def _time(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "CMGTUI_HOME": tempfile.mkdtemp()})
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    bare, ours = [], []
    for _ in range(runs):
        bare.append(_time(BARE))
        ours.append(_time(CMGTUI))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual app : {b * 1000:7.0f} ms (median of {runs})")
    print(f"cmgtui           : {o * 1000:7.0f} ms (median of {runs})")
    print(f"ratio            : {o / b:7.2f}  (budget 1.25)")


if __name__ == "__main__":
    main()
