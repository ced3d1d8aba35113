"""The Logs pane under a long triage: escape stops it at once, and quitting leaves no reader running."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from cmgtui.app import CmgApp
from cmgtui.panes import logs as logs_pane
from cmgtui.panes.logs import LogsPane
from cmgtui.store import ProfileStore
from tests.app.conftest import ready, screen_text, until
from tests.unit.logs.logbuilder import cm_line, log_text

pytestmark = pytest.mark.app


def _slow_log(folder: Path) -> Path:
    """A log where every entry must be built and matched (each carries a signature's text)."""
    path = folder / "LocationServices.log"
    block = log_text(*[cm_line(f"[CCMHTTP] ERROR INFO: StatusCode= 403 StatusText= CMGConnector_Forbidden {i}",
                               entry_type=3) for i in range(2000)])
    with path.open("w") as out:
        for _ in range(60):
            out.write(block)
    return path


@pytest.fixture
def ended(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Times at which a pane's triage call returned or raised (the reader thread let go)."""
    times: list[float] = []
    real = logs_pane.triage

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return real(*args, **kwargs)
        finally:
            times.append(time.monotonic())

    monkeypatch.setattr(logs_pane, "triage", watched)
    return times


async def test_escape_stops_a_running_triage_and_quit_ends_the_reader(tmp_path: Path, ended: list[float]) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.last_screen = "logs"
    store.save(profile)
    path = _slow_log(tmp_path)
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(LogsPane)
        await until(pilot, lambda: pane.built)
        await pane.start_triage([str(path)])
        await until(pilot, lambda: "MB/s" in screen_text(app))  # progress with speed and time left
        assert "left" in screen_text(app)
        pane.focus()
        await pilot.press("escape")
        pressed = time.monotonic()
        await until(pilot, lambda: "Stopped reading" in screen_text(app))
        await until(pilot, lambda: len(ended) == 1)
        assert ended[0] - pressed < 5 and pane.result is None
        # Read again and quit while reading: the reader thread must not keep the process alive.
        await pane.start_triage([str(path)])
        await until(pilot, lambda: "MB/s" in screen_text(app))
        await pilot.press("ctrl+q")
        quit_at = time.monotonic()
    deadline = time.monotonic() + 10
    while len(ended) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(ended) == 2 and ended[1] - quit_at < 5
    assert not [t for t in threading.enumerate() if t.name.startswith("logs-triage")]


async def test_an_endless_line_is_cut_and_the_status_says_where(tmp_path: Path) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.last_screen = "logs"
    store.save(profile)
    path = tmp_path / "LocationServices.log"
    path.write_text("x" * 600_000 + "\r\n" + log_text(cm_line("StatusText= CMGConnector_Forbidden", entry_type=3)))
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(LogsPane)
        await until(pilot, lambda: pane.built)
        await pane.start_triage([str(path)])
        await until(pilot, lambda: pane.result is not None)
        status = str(pane.query_one("#logs-status").render())
        assert "1 fail" in status and "were cut in" in status and "LocationServices.log (1)" in status
