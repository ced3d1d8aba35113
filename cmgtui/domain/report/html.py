"""The readiness report as one self-contained HTML file (inline style, no scripts, no links out).

Every value is escaped with :func:`html.escape` (quotes included), its control characters
made visible (``display_text.visible``: the file may be shown on a terminal). A Content-Security-Policy
that allows no scripts and no external resources is a second line of defence, so even a
mistake in escaping could not run code when the file is opened.
"""

from __future__ import annotations

from html import escape

from cmgtui.domain.azure import cost_text
from cmgtui.domain.display_text import visible
from cmgtui.domain.report.markdown import LEVEL_LABEL
from cmgtui.domain.report.model import ReadinessReport

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;
line-height:1.45;color:#1b1b1b;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f0f0f0}pre{background:#f6f6f6;border:1px solid #ddd;padding:.8rem;overflow-x:auto;
font-size:.85rem}.pass{color:#1a7f37}.warn{color:#9a6700}.fail,.error{color:#cf222e;font-weight:bold}
.skip{color:#57606a}.expired,.within_30_days{color:#cf222e;font-weight:bold}
.within_60_days,.within_90_days{color:#9a6700}.verdict{font-weight:bold}
@media print{pre{white-space:pre-wrap}}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _e(value: object) -> str:
    return escape(visible(value, keep_lines=True), quote=True)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A table whose cells are already escaped HTML."""
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    out.append("</table>")
    return out


def _cost_section(report: ReadinessReport) -> list[str]:
    """The cost section: the same figures and sources as the Markdown report and Part 4."""
    out = ["<h2>Cost</h2>"]
    cost = report.cost
    if cost is None:
        return [*out, f"<p>{_e(cost_text.NO_CLIENTS)}</p>"]
    out.append(f"<p>{_e(cost_text.assumptions_text(cost))}</p>")
    result = cost.estimate
    if result is None:
        out.append(f"<p>{_e(cost_text.NO_PRICES)}</p>")
    else:
        rows = [[_e(line.item), _e(line.quantity), _e(cost_text.amount(line.monthly, result.currency)), _e(line.source)]
                for line in result.lines]
        rows.append(["<strong>Total of the priced lines</strong>", "",
                     _e(cost_text.amount(result.total, result.currency)), ""])
        out += [f"<p>{_e(cost_text.prices_text(result.prices))}</p>",
                *_table(["Item", "Quantity", "Monthly", "Source"], rows),
                "<ul>", *(f"<li>{_e(note)}</li>" for note in result.notes), "</ul>"]
    return [*out, f"<p>{_e(cost_text.alert_text(cost))}</p>"]


def render_html(report: ReadinessReport) -> str:
    """The whole report as an HTML5 document."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        f"<p>Generated {report.generated_at:%Y-%m-%d %H:%M} UTC by cmgtui {_e(report.tool_version)} "
        f"from profile <strong>{_e(report.profile_name)}</strong>.</p>",
        f'<p class="verdict">Readiness: {_e(report.verdict)}</p>',
        "<h2>Design</h2>",
        *_table(["Topic", "Choice", "Why"], [[_e(d.topic), _e(d.choice), _e(d.why)] for d in report.design]),
        *_cost_section(report),
        "<h2>Rule results</h2>",
    ]
    if report.results is None:
        out.append("<p>The rule results were not included in this report.</p>")
    elif not report.results:
        out.append("<p>No rules were evaluated.</p>")
    else:
        rows = [[f'<span class="{_e(r.status.value)}">{_e(r.status.value)}</span>', _e(r.rule), _e(r.phase.value),
                 _e(r.message), _e(r.fix), _e(r.evidence), _e(r.source)] for r in report.results]
        out += _table(["Status", "Rule", "Phase", "Finding", "Fix", "Evidence", "Source"], rows)
    out.append("<h2>Configuration Manager setup script</h2>")
    if report.script is not None:
        out += ["<p>Run in Windows PowerShell on a computer with the Configuration Manager console; try it with "
                "<code>-WhatIf</code> first. It asks for the secrets it needs and stores none.</p>",
                f"<pre><code>{_e(report.script)}</code></pre>"]
    else:
        out += ["<p>The script can't be generated yet. Still missing:</p>", "<ul>",
                *(f"<li>{_e(m)}</li>" for m in report.missing), "</ul>"]
    out.append("<h2>Client command lines</h2>")
    if not report.client_commands:
        out.append("<p>No client command lines were included.</p>")
    for purpose, command in report.client_commands:
        out += [f"<h3>{_e(purpose)}</h3>", f"<pre><code>{_e(command)}</code></pre>"]
    out.append("<h2>Expiry calendar</h2>")
    if report.expiry:
        rows = [[_e(e.when.strftime("%Y-%m-%d")), _e(e.what), _e(e.days_left),
                 f'<span class="{_e(e.level.value)}">{_e(LEVEL_LABEL[e.level.value])}</span>'] for e in report.expiry]
        out += _table(["Date (UTC)", "Item", "Days left", "Status"], rows)
    else:
        out.append("<p>No dated certificates, secrets or tokens are recorded.</p>")
    if report.notes:
        out += ["<h2>Notes</h2>", "<ul>", *(f"<li>{_e(n)}</li>" for n in report.notes), "</ul>"]
    out.append("</body></html>")
    return "\n".join(out) + "\n"
