"""The readiness report as Markdown (GitHub-flavoured tables, fenced code blocks).

Every value from the profile passes through :func:`~cmgtui.domain.display_text.markdown_text`:
line breaks are flattened, control characters made visible, Markdown punctuation is
backslash-escaped and ``< > &`` become entities, so a hostile name can neither break a table
nor smuggle HTML into a rendered page. Code (the script, command
lines) goes into fences longer than any backtick run it contains.
"""

from __future__ import annotations

import re

from cmgtui.domain.azure import cost_text
from cmgtui.domain.display_text import markdown_text, visible
from cmgtui.domain.expiry import ExpiryEntry
from cmgtui.domain.report.model import ReadinessReport

STATUS_LABEL = {"pass": "✅ pass", "warn": "⚠️ warn", "fail": "❌ fail", "skip": "➖ skip",
                "error": "⛔ error"}
LEVEL_LABEL = {
    "expired": "EXPIRED", "within_30_days": "within 30 days", "within_60_days": "within 60 days",
    "within_90_days": "within 90 days", "ok": "ok",
}


def md_code_block(code: str, language: str = "") -> list[str]:
    """``code`` in a fence no backtick run inside it can close, its control characters made visible."""
    code = visible(code, keep_lines=True)
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", *code.rstrip("\n").split("\n"), fence]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _expiry_rows(entries: list[ExpiryEntry]) -> list[str]:
    rows = [_row(["Date (UTC)", "Item", "Days left", "Status"]), _row(["---"] * 4)]
    for e in entries:
        rows.append(_row([e.when.strftime("%Y-%m-%d"), markdown_text(e.what), str(e.days_left),
                          LEVEL_LABEL[e.level.value]]))
    return rows


def _cost_section(report: ReadinessReport) -> list[str]:
    """The monthly estimate with each line's source, the assumptions, the prices' date and the alert."""
    out = ["", "## Cost", ""]
    cost = report.cost
    if cost is None:
        return [*out, markdown_text(cost_text.NO_CLIENTS)]
    out += [markdown_text(cost_text.assumptions_text(cost)), ""]
    result = cost.estimate
    if result is None:
        out += [markdown_text(cost_text.NO_PRICES), ""]
    else:
        out += [markdown_text(cost_text.prices_text(result.prices)), "",
                _row(["Item", "Quantity", "Monthly", "Source"]), _row(["---"] * 4),
                *(_row([markdown_text(line.item), markdown_text(line.quantity),
                        markdown_text(cost_text.amount(line.monthly, result.currency)), markdown_text(line.source)])
                  for line in result.lines),
                _row(["**Total of the priced lines**", "", markdown_text(cost_text.amount(result.total,
                                                                                          result.currency)), ""]),
                "", *(f"- {markdown_text(note)}" for note in result.notes), ""]
    return [*out, markdown_text(cost_text.alert_text(cost))]


def render_markdown(report: ReadinessReport) -> str:
    """The whole report as a Markdown document."""
    out = [
        f"# {markdown_text(report.title)}",
        "",
        f"Generated {report.generated_at:%Y-%m-%d %H:%M} UTC by cmgtui {markdown_text(report.tool_version)} "
        f"from profile **{markdown_text(report.profile_name)}**.",
        "",
        f"**Readiness:** {markdown_text(report.verdict)}",
        "",
        "## Design",
        "",
        _row(["Topic", "Choice", "Why"]), _row(["---"] * 3),
        *(_row([markdown_text(d.topic), markdown_text(d.choice), markdown_text(d.why)]) for d in report.design),
        *_cost_section(report),
        "",
        "## Rule results",
        "",
    ]
    if report.results is None:
        out.append("The rule results were not included in this report.")
    elif not report.results:
        out.append("No rules were evaluated.")
    else:
        out += [_row(["Status", "Rule", "Phase", "Finding", "Fix", "Evidence", "Source"]), _row(["---"] * 7)]
        for r in report.results:
            out.append(_row([STATUS_LABEL[r.status.value], markdown_text(r.rule), markdown_text(r.phase.value),
                             markdown_text(r.message), markdown_text(r.fix), markdown_text(r.evidence), markdown_text(r.source)]))
    out += ["", "## Configuration Manager setup script", ""]
    if report.script is not None:
        out += ["Run in Windows PowerShell on a computer with the Configuration Manager console; "
                "try it with `-WhatIf` first. It asks for the secrets it needs and stores none.", "",
                *md_code_block(report.script, "powershell")]
    else:
        out += ["The script can't be generated yet. Still missing:", ""]
        out += [f"- {markdown_text(m)}" for m in report.missing]
    out += ["", "## Client command lines", ""]
    if not report.client_commands:
        out.append("No client command lines were included.")
    for purpose, command in report.client_commands:
        out += [f"**{markdown_text(purpose)}**", "", *md_code_block(command, "text"), ""]
    while out[-1] == "":
        out.pop()
    out += ["", "## Expiry calendar", ""]
    out += _expiry_rows(report.expiry) if report.expiry else ["No dated certificates, secrets or tokens are recorded."]
    if report.notes:
        out += ["", "## Notes", "", *(f"- {markdown_text(n)}" for n in report.notes)]
    return "\n".join(out).rstrip("\n") + "\n"
