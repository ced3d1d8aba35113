"""The Logs pane shows the health timeline above the findings: when each CMG part last worked."""

from __future__ import annotations

from pathlib import Path

from cmgtui.app import CmgApp
from cmgtui.panes.logs import LogsPane
from cmgtui.store import ProfileStore

from ..unit.logs import public_lines as L
from ..unit.logs.test_signatures import render, write_log
from .conftest import ready, screen_text, until


async def test_logs_pane_says_since_when_the_connection_point_fails(tmp_path: Path) -> None:
    store = ProfileStore()
    profile = store.create("ops")
    profile.last_screen = "logs"
    store.save(profile)
    path = write_log(tmp_path / "SMS_Cloud_ProxyConnector.log", [
        render(L.PROXY_200, minute=42), render(L.BUILD_CONNECTION, minute=47)], "utf-16-le-bom")
    app = CmgApp(initial_profile="ops")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = app.screen.query_one(LogsPane)
        await until(pilot, lambda: pane.built)
        await pane.start_triage([str(path)])
        await until(pilot, lambda: pane.result is not None)
        health = str(pane.query_one("#logs-health").render())
        assert health == "✗ connection point: failing since 10-28 10:47 UTC, worked until 10-28 10:42 UTC"
        assert "connection point: failing since" in screen_text(app)
