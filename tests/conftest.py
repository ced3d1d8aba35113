"""Shared fixtures and markers.

Every test runs with its own ``CMGTUI_HOME`` under ``tmp_path`` (so nothing touches real data and
parallel workers never share a folder), and with a virtual retry clock (so a Retry-After of
seconds costs no real time). Tests that drive the real App (Pilot, snapshots, a real process)
carry the ``app`` marker: ``uv run pytest -m "not app"`` is the quick loop.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cmgtui.cloud import retry

#: Test folders whose every test drives the real App (a Pilot, a snapshot or a real process).
APP_FOLDERS = ("app", "snapshots", "packaging")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`APP_FOLDERS` ``app`` (registered in pyproject.toml)."""
    root = Path(__file__).parent
    for item in items:
        relative = item.path.relative_to(root) if item.path.is_relative_to(root) else None
        if relative is not None and relative.parts[0] in APP_FOLDERS:
            item.add_marker(pytest.mark.app)


@pytest.fixture(autouse=True)
def cmgtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private cmgtui home for the test."""
    home = tmp_path / "cmgtui-home"
    monkeypatch.setenv("CMGTUI_HOME", str(home))
    return home


class VirtualRetryClock(retry.RetryClock):
    """A retry clock that records each wait and lets time pass without waiting.

    It still yields to the event loop once per wait, so other tasks run as they would.
    """

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture(autouse=True)
def retry_clock(monkeypatch: pytest.MonkeyPatch) -> VirtualRetryClock:
    """The clock every retry waits on during the test; ``.waits`` lists the waits asked for."""
    clock = VirtualRetryClock()
    monkeypatch.setattr(retry, "clock", clock)
    return clock
