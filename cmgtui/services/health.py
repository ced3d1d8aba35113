"""The deployed CMG's health: one check and one record for the Health pane and ``cmgtui status``.

:func:`check` reads the CMG's Azure side and judges it with the profile's expiry dates
(:func:`cmgtui.cloud.cmg_health.check_health`); :func:`record_check` appends the state to the
profile's health history and tells since when the CMG is in that state; :func:`record_deployed`
marks in the profile that the CMG exists once Azure shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cmgtui import health_history
from cmgtui.cloud.cmg_health import check_health
from cmgtui.cloud.retry import LogFn, quiet
from cmgtui.domain.health import HealthReport, HistoryEntry, since
from cmgtui.domain.rules.part4 import planned_deployment
from cmgtui.model.profile import DeployedCmg

if TYPE_CHECKING:
    from cmgtui.cloud.credentials import CloudSession
    from cmgtui.model import Profile


@dataclass(frozen=True, slots=True)
class HealthRecord:
    """The history after a check was appended: since when the state holds, the entries, and why
    the history could not be written ('' when it was)."""

    since: datetime | None
    history: tuple[HistoryEntry, ...]
    problem: str = ""


async def check(session: CloudSession, profile: Profile, *, log: LogFn = quiet) -> HealthReport:
    """Check the CMG of ``profile`` now (an unreadable Azure is an ``unknown`` finding, not an error)."""
    return await check_health(session, profile, log=log)


def record_check(profile_name: str, report: HealthReport) -> HealthRecord:
    """Append ``report`` to the profile's health history and read since when its state holds."""
    problem = ""
    try:
        health_history.record(profile_name, report)
    except OSError as exc:
        problem = f"the health history could not be written: {exc.strerror or exc}"
    history = health_history.read(profile_name)
    return HealthRecord(since(history, report.state), tuple(history), problem)


def record_deployed(profile: Profile, report: HealthReport) -> bool:
    """When Azure shows the CMG and the profile doesn't record it yet, record the plan it was found
    at in ``gateway.deployed`` (Part 4's "After the CMG exists"); True when it did."""
    if not report.found_deployed or profile.gateway.deployed is not None:
        return False
    profile.gateway.deployed = DeployedCmg.model_validate(planned_deployment(profile))
    return True
