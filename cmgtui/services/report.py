"""``report``: the readiness report a change board reviews, as Markdown, HTML or JSON.

The Automation pane's Save report and ``cmgtui report`` both call :func:`readiness_report`:
the same rule results as the badges and ``cmgtui check``, the same client command lines as
Part 5, and the costs from the cached price list of the profile's region.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

from cmgtui.cloud.prices import cached_for_region
from cmgtui.domain.report import FORMATS, build_report, render
from cmgtui.domain.report.inputs import report_inputs

if TYPE_CHECKING:
    from cmgtui.model import Profile

__all__ = ["FORMATS", "format_for", "readiness_report", "report_file_name"]

_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".json": "json"}


def readiness_report(profile: Profile, fmt: str, now: datetime | None = None) -> str:
    """The report for ``profile`` at ``now`` (default the current time) in one of :data:`FORMATS`;
    ValueError for another format."""
    now = now or datetime.now(UTC)
    results, commands, notes = report_inputs(profile, now)
    report = build_report(profile, results, commands, now=now, notes=notes,
                          prices=cached_for_region(profile.region))
    return render(report, fmt)


def format_for(path: PurePath) -> str:
    """The format a file name asks for: HTML for ``.html``/``.htm``, JSON for ``.json``, else Markdown."""
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "md")


def report_file_name(profile: Profile) -> str:
    """A suggested file name, e.g. ``cmg-contoso-lab-readiness.md``."""
    return f"cmg-{profile.name.replace(' ', '-')}-readiness.md"
