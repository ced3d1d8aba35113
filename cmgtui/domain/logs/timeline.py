"""The health timeline: per part of the CMG, when it last worked and when it started failing.

Triage feeds every entry that a success marker or a problem signature with an ``area`` matched;
the timeline keeps, per area, the latest success and the failures (bounded), so one line can
say "CMG connection point: has not worked since 2020-10-28 20:42 UTC". Times are UTC (the log's
bias applied); entries without a valid stamp are counted but can't be placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.signature import Area, Severity, Signature

#: Failures kept per area (the earliest ones); enough to place the first failure after a success.
MAX_FAILURES_PER_AREA = 10_000


@dataclass(frozen=True, slots=True)
class Sighting:
    """One entry the timeline placed: when, where, and which signature."""

    time: datetime | None
    where: str
    signature: Signature


@dataclass(slots=True)
class AreaHealth:
    """What the logs say about one area."""

    area: Area
    last_ok: Sighting | None = None
    successes: int = 0
    failures: list[Sighting] = field(default_factory=list)
    dropped: int = 0

    def failing_after_last_ok(self) -> list[Sighting]:
        """Timed failures after the latest success (all timed failures when nothing succeeded), in time order."""
        since = self.last_ok.time if self.last_ok is not None else None
        timed = [f for f in self.failures if f.time is not None and (since is None or f.time > since)]
        return sorted(timed, key=lambda f: f.time)  # type: ignore[arg-type, return-value]

    def sentence(self) -> str:
        """One line: the area's state, with times."""
        name = self.area.value
        failing = self.failing_after_last_ok()
        ok = self.last_ok
        if ok is not None and ok.time is not None and failing:
            first = failing[0]
            return (f"{name}: has not worked since {_when(ok.time)} (last success {ok.where}); failing since "
                    f"{_when(first.time)}: {first.signature.title} ({len(failing)} "
                    f"{'entry' if len(failing) == 1 else 'entries'}, first at {first.where}).")
        if ok is not None and ok.time is not None:
            return f"{name}: last worked {_when(ok.time)} ({ok.where}); no failure after it."
        if failing:
            first = failing[0]
            return (f"{name}: failing since {_when(first.time)}: {first.signature.title} (first at "
                    f"{first.where}); no success in these logs.")
        if self.failures:
            first = self.failures[0]
            return f"{name}: failing (time unknown): {first.signature.title} (first at {first.where})."
        return f"{name}: worked ({self.successes} entries without a time stamp)."


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "an unknown time"


@dataclass(slots=True)
class HealthTimeline:
    """Per-area health gathered while triage reads the logs."""

    areas: dict[Area, AreaHealth] = field(default_factory=dict)

    def saw(self, signature: Signature, entry: LogEntry) -> None:
        """Record ``entry``, matched by ``signature`` (a success marker or a warn/fail problem)."""
        if signature.area is None or (not signature.success and signature.severity is Severity.INFO):
            return
        health = self.areas.setdefault(signature.area, AreaHealth(signature.area))
        sighting = Sighting(entry.time, f"{_short(entry.file)}:{entry.line}", signature)
        if signature.success:
            health.successes += 1
            latest = health.last_ok
            newer = sighting.time is not None and (latest is None or latest.time is None or sighting.time >= latest.time)
            if newer or latest is None:
                health.last_ok = sighting
            return
        if len(health.failures) < MAX_FAILURES_PER_AREA:
            health.failures.append(sighting)
        else:
            health.dropped += 1

    def lines(self) -> list[str]:
        """One sentence per area the logs tell about, in the order the areas are declared."""
        return [self.areas[a].sentence() for a in Area if a in self.areas]


def _short(path: str) -> str:
    """The file name a timeline line shows (``Logs/CloudMgr.log`` -> ``CloudMgr.log``)."""
    return path.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
