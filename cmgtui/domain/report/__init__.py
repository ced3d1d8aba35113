"""The readiness report: design, rule results, script, client commands and expiry calendar."""

import json

from cmgtui.domain.report.html import render_html
from cmgtui.domain.report.markdown import render_markdown
from cmgtui.domain.report.model import ReadinessReport, build_report

FORMATS = ("md", "html", "json")


def render(report: ReadinessReport, fmt: str) -> str:
    """``report`` in one of :data:`FORMATS`; raises ValueError for another format."""
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2) + "\n"  # every control character \u-escaped
    raise ValueError(f"Unknown report format '{fmt}'; use one of {', '.join(FORMATS)}.")


__all__ = ["FORMATS", "ReadinessReport", "build_report", "render", "render_html", "render_markdown"]
