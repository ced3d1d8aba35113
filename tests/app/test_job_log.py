"""A job's log shows in the pane that started it (issue 20, item 2), and in the Activity pane.

Driven as a newcomer drives it, by keys only: ``]`` to a pane, then its key. The checklist's live
checks and internet probe log in the checklist; Part 4's pre-flight, subscriptions and list
prices in Part 4; the Health check in Health. None of them reaches another pane's log (Part 2's log used to show the checklist's
probe), and every line is in the profile's activity log.
"""

from __future__ import annotations

import socket

import pytest

from cmgtui import activity
from cmgtui.app import CmgApp
from cmgtui.cloud import reachability
from cmgtui.store import ProfileStore
from cmgtui.widgets.job_log import JobLog

from .conftest import current_entry, ready, until

SIZE = (80, 24)


def _log(app: CmgApp, log_id: str) -> str:
    """The text of the job log ``log_id`` ('' when its pane is not built yet)."""
    logs = app.screen.query(f"#{log_id}").results(JobLog)
    return "\n".join(strip.text for log in logs for strip in log.lines)


async def _go_to(pilot, app: CmgApp, entry: str) -> None:  # type: ignore[no-untyped-def]
    """``]`` until ``entry`` is the pane shown."""
    for _ in range(12):
        if current_entry(app) == entry:
            break
        await pilot.press("right_square_bracket")
        await pilot.pause()
    await until(pilot, lambda: current_entry(app) == entry)
    await ready(pilot)


@pytest.fixture
def offline_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe as on a machine without internet: every name fails to resolve (no test goes online)."""

    def nowhere(name: str) -> object:
        raise socket.gaierror(-2, "Name or service not known")

    original = reachability.probe_targets

    async def offline(targets, **kwargs):  # type: ignore[no-untyped-def]
        return await original(targets, resolve=nowhere, timeout=2, log=kwargs["log"])

    monkeypatch.setattr(reachability, "probe_targets", offline)


async def test_each_pane_shows_the_log_of_its_own_jobs_only(offline_probe: None) -> None:
    store = ProfileStore()
    profile = store.create("logs")
    profile.region = "eastus"
    store.save(profile)
    app = CmgApp(initial_profile="logs", sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.cloud.signed_in)
        await app.workers.wait_for_complete()
        assert _log(app, "checklist-log") == "", "the live checks after sign-in belong to no pane"
        await pilot.press("right_square_bracket", "left_square_bracket", "l")  # the checklist, its key
        await until(pilot, lambda: "Live checks after sign-in: done" in _log(app, "checklist-log"))
        await pilot.press("p")
        await until(pilot, lambda: "Internet-access probe: done" in _log(app, "checklist-log"))
        assert "management.azure.com" in _log(app, "checklist-log")

        await _go_to(pilot, app, "entra")
        assert _log(app, "p2-log") == "", "Part 2's log shows none of the checklist's jobs"

        await _go_to(pilot, app, "gateway")
        await pilot.press("p")
        await until(pilot, lambda: "Part 4 pre-flight: done" in _log(app, "pf-log"))
        await pilot.press("l", "r")  # its other jobs: the subscriptions, the list prices
        await until(pilot, lambda: "Load subscriptions: done" in _log(app, "pf-log")
                    and "Read list prices: done" in _log(app, "pf-log"))
        part4 = _log(app, "pf-log")
        assert "Live checks" not in part4 and "Internet-access probe" not in part4

        await _go_to(pilot, app, "health")
        await pilot.press("r")
        await until(pilot, lambda: "Health check: done" in _log(app, "health-log"))
        health = _log(app, "health-log")
        assert "pre-flight" not in health and "Internet-access probe" not in health
        for other in ("checklist-log", "p2-log"):
            assert "Health check" not in _log(app, other) and "pre-flight" not in _log(app, other)
        assert "Probe" not in _log(app, "p2-log") and _log(app, "p2-log") == ""
    logged = [entry.message for entry in activity.read_tail("logs")]
    for line in ("Live checks after sign-in: done", "Internet-access probe: done", "Part 4 pre-flight: done",
                 "Health check: done"):
        assert line in logged, line
