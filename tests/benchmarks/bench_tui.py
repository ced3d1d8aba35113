"""What the user sees, measured: cmgtui against a bare Textual app in an 80x24 pty.

Runs alternate (bare app, then cmgtui, round after round) so that load from other work on
the machine hits both alike, and prints medians, ratios and the targets of issues 11 and 23:

(a) ``cmgtui --sandbox`` until the checklist is on screen      target <= 1.6x bare first frame
(b) ``cmgtui`` until the picker lists 20 profiles              target <= 1.5x bare first frame
    (both in CPU time, the process's user and system time when
    the frame is seen, which a shared machine disturbs less than
    wall time; the wall-time ratio is printed beside it)
(c) one key in the checklist's Note field until repainted      target <= 1.5x bare key repaint
    (median of 20 keys)
(d) ``]`` / ``[`` pane switch until repainted: first visit     target <= 10x bare key repaint
    straight after typing (panes built on demand), first visit
    after reading the checklist for a few seconds (panes built
    ahead while the user was idle), and revisit                target <= 3x bare key repaint
(e) resident memory once the main screen settles               reported (bare for scale)
(f) the slowest of the keys typed into the Note field during   reported (start-up work
    the first two seconds after the first frame                 such as the sign-in must
                                                                not freeze the screen)

Run: ``uv run python tests/benchmarks/bench_tui.py [rounds]`` (default 3). Loopback only.
Each program first runs once untimed and writes the bytecode of what it imports (see :func:`warm_up`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pty_terminal import PtyProgram  # noqa: E402

BARE_APP = Path(__file__).resolve().parent / "bare_app.py"
KEYS = 20
PANES_AFTER_CHECKLIST = 8
#: For how long after the first frame keys count as typed "straight away".
EARLY_SECONDS = 2.0
#: How long the user reads the checklist before the "after reading" walk through the panes.
READING_SECONDS = 6.0
TARGETS = {"first frame": 1.6, "picker": 1.5, "keystroke": 1.5, "first visit": 10.0,
           "first visit read": 10.0, "revisit": 3.0}


def _env(home: str | None = None) -> dict[str, str]:
    """The benchmark's environment for a program, which writes bytecode as Python does by default."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return env if home is None else {**env, "CMGTUI_HOME": home}


def bare_round(figures: dict[str, list[float]]) -> None:
    """First frame, 20 key repaints and memory of the bare app."""
    program = PtyProgram([sys.executable, str(BARE_APP)], _env())
    try:
        figures["bare first frame"].append(program.wait_for("type here"))
        figures["bare first frame cpu"].append(program.cpu_seconds())
        program.settle(quiet=0.4)  # shorter than the focused Input's 0.5 s cursor blink
        figures["bare rss"].append(program.rss_mib())
        keys = [program.press("x") for _ in range(KEYS)]
        figures["bare keystroke"].append(statistics.median(keys))
    finally:
        program.close()


@contextmanager
def sandbox_program() -> Iterator[PtyProgram]:
    """``cmgtui --sandbox`` in an 80x24 pty with a fresh home, stopped afterwards."""
    with tempfile.TemporaryDirectory() as home:
        program = PtyProgram([sys.executable, "-m", "cmgtui", "--sandbox"], _env(home))
        try:
            yield program
        finally:
            program.close()


def sandbox_round(figures: dict[str, list[float]]) -> None:
    """``cmgtui --sandbox``: first frame, memory, Note-field keys and pane switches."""
    with sandbox_program() as program:
        figures["first frame"].append(program.wait_for("items done"))
        figures["first frame cpu"].append(program.cpu_seconds())
        program.settle()
        figures["rss"].append(program.rss_mib())
        program.press("\r")  # into the checklist: its first unfinished field, the environment select
        program.press("\t")  # the first item's Note field
        keys = [program.press("x") for _ in range(KEYS)]
        if "x" * 10 not in program.text_since(program.started):
            raise RuntimeError("the keys did not reach the Note field")
        figures["keystroke"].append(statistics.median(keys))
        program.press("\x1b")  # back to the navigation
        program.settle(quiet=1.0)
        first = [program.press("]", quiet=0.3) for _ in range(PANES_AFTER_CHECKLIST)]
        again = [program.press("[", quiet=0.3) for _ in range(PANES_AFTER_CHECKLIST)]
        figures["first visit"].append(statistics.median(first))
        figures["revisit"].append(statistics.median(again))


def reading_round(figures: dict[str, list[float]]) -> None:
    """``cmgtui --sandbox``, then the checklist read for :data:`READING_SECONDS`, then ``]``."""
    with sandbox_program() as program:
        program.wait_for("items done")
        program.settle(quiet=1.0)
        time.sleep(READING_SECONDS)
        first = [program.press("]", quiet=0.3) for _ in range(PANES_AFTER_CHECKLIST)]
        figures["first visit read"].append(statistics.median(first))


def early_keys_round(figures: dict[str, list[float]]) -> None:
    """``cmgtui --sandbox``: keys typed straight away, while the sandbox signs in."""
    with sandbox_program() as program:
        shown = program.wait_for("items done") + program.started
        for key in ("\r", "\t"):  # into the checklist's first unfinished field, then its Note field
            program.press(key, quiet=0.05)
        keys = []
        while time.perf_counter() - shown < EARLY_SECONDS:
            keys.append(program.press("x", quiet=0.05))
        if "x" * len(keys) not in program.text_since(shown):
            raise RuntimeError("the early keys did not reach the Note field")
        figures["early key"].append(max(keys))


def picker_round(figures: dict[str, list[float]]) -> None:
    """``cmgtui`` with 20 saved profiles, until the picker lists them."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["CMGTUI_HOME"] = home
        from cmgtui.store import ProfileStore

        store = ProfileStore()
        for number in range(1, 21):
            store.create(f"site-{number:02d}")
        program = PtyProgram([sys.executable, "-m", "cmgtui"], _env(home))
        try:
            figures["picker"].append(program.wait_for("site-1"))
            figures["picker cpu"].append(program.cpu_seconds())
        finally:
            program.close()


def warm_up() -> None:
    """Run the bare app and ``cmgtui --sandbox`` (through every pane) once, untimed.

    They write the bytecode of what they import, as Python does on a user's machine at the
    first start and an installer does at install. Without this, a machine that sets
    ``PYTHONDONTWRITEBYTECODE=1`` (the development machine does) would compile Textual,
    pydantic and cmgtui at every start and time that instead (about 1 s of CPU here).
    """
    unused: dict[str, list[float]] = defaultdict(list)
    bare_round(unused)
    sandbox_round(unused)


def _ms(value: float) -> str:
    return f"{value * 1000:8.0f} ms"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    names = ["bare first frame", "bare first frame cpu", "bare keystroke", "bare rss", "first frame",
             "first frame cpu", "picker", "picker cpu", "keystroke", "first visit", "first visit read",
             "revisit", "rss", "early key"]
    figures: dict[str, list[float]] = {name: [] for name in names}
    warm_up()
    lost: list[str] = []
    for _ in range(rounds):
        bare_round(figures)
        sandbox_round(figures)
        bare_round(figures)
        picker_round(figures)
        reading_round(figures)
        try:
            early_keys_round(figures)
        except RuntimeError as exc:  # said at the end: the other figures of the run still count
            lost.append(str(exc))
    median = {name: statistics.median(values) if values else float("nan") for name, values in figures.items()}
    frame, key = median["bare first frame"], median["bare keystroke"]
    print(f"pty 80x24, {rounds} alternating rounds; medians")
    print(f"bare Textual app   first frame {_ms(frame)} wall {_ms(median['bare first frame cpu'])} CPU   "
          f"key repaint {_ms(key)}   RSS {median['bare rss']:.0f} MiB")
    for label, name in (("(a) --sandbox until checklist", "first frame"), ("(b) picker with 20 profiles", "picker")):
        cpu = median[f"{name} cpu"] / median["bare first frame cpu"]
        verdict = "ok" if cpu <= TARGETS[name] else "OVER"
        print(f"{label:32} {_ms(median[f'{name} cpu'])} CPU {cpu:5.2f}x   target <= {TARGETS[name]:.2f}x  {verdict}   "
              f"wall {_ms(median[name])} {median[name] / frame:5.2f}x")
    rows = [
        ("(c) key in Note field", "keystroke", key),
        ("(d) first visit, right away", "first visit", key),
        ("(d) first visit, after reading", "first visit read", key),
        ("(d) pane switch, revisit", "revisit", key),
    ]
    for label, name, base in rows:
        ratio = median[name] / base
        verdict = "ok" if ratio <= TARGETS[name] else "OVER"
        print(f"{label:32} {_ms(median[name])}   {ratio:6.2f}x   target <= {TARGETS[name]:.2f}x  {verdict}")
    print(f"{'(e) RSS after settle':32} {median['rss']:8.0f} MiB  {median['rss'] / median['bare rss']:6.2f}x   "
          "(reported)")
    print(f"{'(f) slowest key, first 2 s':32} {_ms(median['early key'])}   {median['early key'] / key:6.2f}x   "
          "(reported)")
    if lost:
        print(f"(f) FAILED in {len(lost)} of {rounds} rounds: {lost[0]}")


if __name__ == "__main__":
    main()
