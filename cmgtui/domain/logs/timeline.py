"""The health timeline: per part of the CMG, when it last worked and when it started failing.

Triage feeds every entry that a success marker or a problem signature with an ``area`` matched;
the timeline keeps, per area, the latest success of each file and the failures (bounded), so one
line can say "CMG connection point: has not worked since 2020-10-28 20:42 UTC". Times are UTC
(the log's bias applied); entries without a valid stamp are counted but can't be placed. A healthy
connection point logs a success for every request it forwards, so recording one costs no time
parsing: stamps are read only when the timeline is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from cmgtui.domain.logs.entries import LogEntry
from cmgtui.domain.logs.signature import Area, Severity, Signature

#: Failures kept per area (the first ones read); enough to place the first failure after a success.
MAX_FAILURES_PER_AREA = 10_000
#: Characters of an entry's message a sighting keeps (the timeline shows only where and when), so
#: 10,000 huge failing entries cost a few MiB, not their whole text.
MAX_SIGHTING_CHARS = 200


def _sighting(entry: LogEntry, signature: Signature) -> Sighting:
    small = entry if len(entry.message) <= MAX_SIGHTING_CHARS else replace(
        entry, message=entry.message[:MAX_SIGHTING_CHARS])
    return Sighting(small, signature)


@dataclass(frozen=True, slots=True)
class Sighting:
    """One entry the timeline placed: the entry and the signature that matched it."""

    entry: LogEntry
    signature: Signature

    @property
    def time(self) -> datetime | None:
        """UTC time of the entry."""
        return self.entry.time

    @property
    def where(self) -> str:
        """``CloudMgr.log:12``: the file name (no folder) and the entry's first line."""
        name = self.entry.file.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]
        return f"{name}:{self.entry.line}"


def _sighting_time(sighting: Sighting) -> datetime:
    """A timed sighting's time, to order by (callers pass only sightings that have one)."""
    return sighting.time or datetime.min


@dataclass(slots=True)
class AreaHealth:
    """What the logs say about one area."""

    area: Area
    successes: int = 0
    #: The last success read in each file (entries of one file are written in time order).
    last_ok_by_file: dict[str, Sighting] = field(default_factory=dict)
    failures: list[Sighting] = field(default_factory=list)
    dropped: int = 0

    @property
    def last_ok(self) -> Sighting | None:
        """The latest success of all files (a timed one before an untimed one)."""
        candidates = list(self.last_ok_by_file.values())
        timed = [c for c in candidates if c.time is not None]
        if timed:
            return max(timed, key=_sighting_time)
        return candidates[-1] if candidates else None

    def failing_after_last_ok(self) -> list[Sighting]:
        """Timed failures after the latest success (all timed failures when nothing succeeded), in time order."""
        ok = self.last_ok
        since = ok.time if ok is not None else None
        timed = [f for f in self.failures if f.time is not None and (since is None or f.time > since)]
        return sorted(timed, key=_sighting_time)

    def sentence(self) -> str:
        """One line: the area's state, with times."""
        name = self.area.value
        failing = self.failing_after_last_ok()
        return self._state(name, failing) + _lasting(failing)

    def brief(self) -> tuple[str, bool]:
        """(one short line for a narrow pane, whether the area is failing now)."""
        failing = self.failing_after_last_ok()
        ok = self.last_ok
        worked = _short_when(ok.time) if ok is not None and ok.time is not None else ""
        if failing:
            since = _short_when(failing[0].time)
            tail = f", worked until {worked}" if worked else ", never worked in these logs"
            return f"{self.area.short}: failing since {since}{tail}", True
        if worked:
            return f"{self.area.short}: worked {worked}", False
        if self.failures:
            return f"{self.area.short}: failing (time unknown)", True
        return f"{self.area.short}: worked", False

    def _state(self, name: str, failing: list[Sighting]) -> str:
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


def _lasting(failing: list[Sighting]) -> str:
    """`` It has lasted 25 minutes, longer than …`` when a failure expected after provisioning goes on."""
    if not failing:
        return ""
    first, last = failing[0], failing[-1]
    settles = first.signature.settles_within
    if settles is None or first.time is None or last.time is None:
        return ""
    minutes = int((last.time - first.time).total_seconds() // 60)
    if minutes <= settles:
        return f" Expected for up to {settles} minutes after provisioning."
    return f" It has lasted {minutes} minutes, longer than the {settles} expected after provisioning."


def _short_when(moment: datetime | None) -> str:
    return moment.strftime("%m-%d %H:%M UTC") if moment is not None else "?"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "an unknown time"


@dataclass(slots=True)
class HealthTimeline:
    """Per-area health gathered while triage reads the logs."""

    areas: dict[Area, AreaHealth] = field(default_factory=dict)

    def _health(self, signature: Signature) -> AreaHealth | None:
        area = signature.area
        if area is None or (not signature.success and signature.severity is Severity.INFO):
            return None
        health = self.areas.get(area)
        if health is None:
            health = self.areas[area] = AreaHealth(area)
        return health

    def count_success(self, signature: Signature, entries: int = 1) -> None:
        """Count ``entries`` entries the success marker ``signature`` matched, without the entries.

        Triage checks a success line on its own and keeps only the last one of a stretch of the
        log (:meth:`last_success`): every other one would be replaced before it is shown.
        """
        health = self._health(signature)
        if health is not None and signature.success:
            health.successes += entries

    def last_success(self, signature: Signature, entry: LogEntry) -> None:
        """Record ``entry`` as the latest success of its file so far (already counted)."""
        health = self._health(signature)
        if health is not None and signature.success:
            health.last_ok_by_file[entry.file] = _sighting(entry, signature)

    def saw(self, signature: Signature, entry: LogEntry) -> None:
        """Record ``entry``, matched by ``signature`` (a success marker or a warn/fail problem)."""
        health = self._health(signature)
        if health is None:
            return
        if signature.success:
            health.successes += 1
            health.last_ok_by_file[entry.file] = _sighting(entry, signature)
        elif len(health.failures) < MAX_FAILURES_PER_AREA:
            health.failures.append(_sighting(entry, signature))
        else:
            health.dropped += 1

    def brief_lines(self) -> list[tuple[str, bool]]:
        """One short line per area (and whether it is failing), for the Logs pane."""
        return [self.areas[a].brief() for a in Area if a in self.areas]

    def lines(self) -> list[str]:
        """One sentence per area the logs tell about, in the order the areas are declared."""
        return [self.areas[a].sentence() for a in Area if a in self.areas]
